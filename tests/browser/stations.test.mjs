// SPDX-License-Identifier: MIT
// 服务站与插件: disabling a station from the console stops its API; enabling it brings it back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, openEntry, signInAsAdmin, startConsole, until, testTimeout } from "./harness.mjs";

let yz;
before(async () => { yz = await startConsole(); }, testTimeout);
after(async () => { await yz?.stop(); });

test("disabling 社区公告 shows 已停用 and its route answers 503 station_disabled; enabling it answers 200 again", testTimeout, () =>
  yz.withPage(async ({ page, problems }) => {
    await signInAsAdmin(page, yz.consoleUrl);
    await openEntry(page, problems, "stations");

    const route = `${yz.url}/api/v1/stations/notices/items`;
    const row = page.locator("#station-rows tr").filter({ has: page.locator("td:nth-child(2)", { hasText: /^notices$/ }) });
    const state = row.locator("td:nth-child(3)");
    const stateIs = (text) => until(`notices to be shown as ${text}`, async () => (await state.textContent()) === text);
    const press = async (label, action) => {
      const answer = page.waitForResponse((r) => r.url().endsWith(`/api/v1/admin/stations/notices/${action}`));
      await row.getByRole("button", { name: label, exact: true }).click();
      assert.equal((await answer).status(), 200, `POST .../${action}`);
    };
    const message = () => page.$eval("#message", (m) => ({ text: m.textContent, bad: m.classList.contains("bad") }));

    await stateIs("运行中");
    assert.equal((await api(route)).status, 200);

    await press("停用", "disable");
    await stateIs("已停用");
    assert.deepEqual(await message(), { text: "社区公告：已停用", bad: false });
    const off = await api(route);
    assert.equal(off.status, 503);
    assert.equal(off.data?.error?.code, "station_disabled");
    const listed = await api(`${yz.url}/api/v1/stations`);
    assert.equal(listed.data.stations.find((s) => s.id === "notices").state, "disabled");
    // The others keep running.
    assert.equal(await row.count(), 1);
    assert.equal(await page.locator("#station-rows tr", { hasText: "已停用" }).count(), 1);

    await press("启用", "enable");
    await stateIs("运行中");
    assert.deepEqual(await message(), { text: "社区公告：已启用", bad: false });
    const on = await api(route);
    assert.equal(on.status, 200);
    assert.ok(Array.isArray(on.data?.items), `GET items: ${JSON.stringify(on.data).slice(0, 200)}`);
  }));
