// SPDX-License-Identifier: MIT
// 数据看板: the admin's dashboard draws the community's counts and every station's charts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openEntry, signInAsAdmin, startConsole, testTimeout } from "./harness.mjs";

let yz;
before(async () => { yz = await startConsole(); }, testTimeout);
after(async () => { await yz?.stop(); });

test("the dashboard renders charts for the community and for each station with a panel", testTimeout, () =>
  yz.withPage(async ({ page, problems }) => {
    await signInAsAdmin(page, yz.consoleUrl);
    await openEntry(page, problems, "dashboard");
    assert.deepEqual(problems.list(), []);
    const panels = await page.$$eval("section.station-panel", (ss) => ss.map((s) => ({
      station: s.dataset.station,
      charts: s.querySelectorAll("svg.chart").length,
      bars: s.querySelectorAll("svg.chart rect.bar").length,
    })));
    for (const station of ["convenience", "volunteer"]) {
      const p = panels.find((x) => x.station === station);
      assert.ok(p, `a panel for ${station}: ${JSON.stringify(panels)}`);
      assert.ok(p.charts >= 3, `${station} draws its charts: ${JSON.stringify(p)}`);
      assert.ok(p.bars >= 12, `${station} draws a bar per month: ${JSON.stringify(p)}`);
    }
    const core = await page.$$eval("#page svg.chart", (cs) => cs.length);
    assert.ok(core > panels.reduce((n, p) => n + p.charts, 0), "the community's own charts are drawn too");
  }));
