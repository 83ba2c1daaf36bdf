// SPDX-License-Identifier: MIT
// Every entry of a console user's menu renders without an error, whichever pages exist: the
// entries are read from #nav, so a page added to pages/index.js (or a station's pages) is tested here.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openEntry, signInAs, startConsole, testTimeout } from "./harness.mjs";

let yz;
before(async () => { yz = await startConsole(); }, testTimeout);
after(async () => { await yz?.stop(); });

// The admin's menu (community pages, every station's report panel) and each station's staff's
// menu (that station's own pages).
for (const user of ["admin", "staff-convenience", "staff-volunteer"]) {
  test(`every menu entry of ${user} renders, by a click and from its address, without an error`, testTimeout, (t) =>
    yz.withPage(async ({ page, problems }) => {
      await signInAs(page, yz.consoleUrl, user);
      const entries = await page.$$eval("#nav a", (as) => as.map((a) => ({ path: a.dataset.path, title: a.textContent })));
      assert.ok(entries.some((e) => e.path === "dashboard"), `menu: ${JSON.stringify(entries)}`);
      if (user === "admin") assert.ok(entries.some((e) => e.path === "stations"), `menu: ${JSON.stringify(entries)}`);
      else {
        const station = user.replace("staff-", "");
        assert.ok(entries.some((e) => e.path.startsWith(`${station}/`)), `menu: ${JSON.stringify(entries)}`);
      }
      assert.equal(new Set(entries.map((e) => e.path)).size, entries.length, "menu paths are unique");

      for (const { path, title } of entries) {
        for (const how of ["click", "reload"]) {
          const where = `${title} (#/${path}, ${how})`;
          await openEntry(page, problems, path, { reload: how === "reload" });
          assert.deepEqual(problems.list(), [], `${where}: the page had problems`);
          const said = await page.$eval("#message", (m) => (m.classList.contains("bad") ? m.textContent : ""));
          assert.equal(said, "", `${where} reported an error`);
          const shown = await page.$eval("#page", (p) => p.innerText.trim());
          assert.ok(shown.length > 0, `${where} shows nothing`);
        }
      }
      t.diagnostic(`rendered ${entries.length} entries: ${entries.map((e) => `${e.title} #/${e.path}`).join(", ")}`);
    }));
}
