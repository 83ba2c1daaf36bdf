// SPDX-License-Identifier: MIT
// Signing in to the console by QR code, with dev mode's stand-in for the phone.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, startConsole, testTimeout } from "./harness.mjs";

let yz;
before(async () => { yz = await startConsole(); }, testTimeout);
after(async () => { await yz?.stop(); });

test("the sign-in page shows the QR code; once confirmed it opens the console as the admin", testTimeout, () =>
  yz.withPage(async ({ page }) => {
    const image = page.waitForResponse((r) => /\/api\/v1\/console\/challenges\/[^/]+\/qr\.svg$/.test(r.url()));
    const pending = page.waitForResponse((r) => r.url().endsWith("/session"));
    await page.goto(yz.consoleUrl);

    const qr = await image;
    assert.equal(qr.status(), 200);
    assert.match(qr.headers()["content-type"], /^image\/svg\+xml/);
    await page.waitForFunction(() => {
      const img = document.getElementById("signin-qr");
      return img?.complete && img.naturalWidth > 0;
    });
    // Nobody has confirmed yet: the page asks, hears "not yet", and keeps showing the code.
    assert.equal((await pending).status(), 202);
    assert.equal(await page.isVisible("#signin-qr"), true);
    assert.equal(await page.isHidden("#who"), true);
    assert.equal(await page.locator("#nav a").count(), 0);

    // The admin's name as the server knows it, asked independently of the page.
    const login = await api(`${yz.url}/api/v1/auth/dev-login`, "POST", { user: "admin" });
    const admin = await api(`${yz.url}/api/v1/me`, "GET", undefined, login.data.token);
    assert.equal(admin.status, 200);
    assert.ok(admin.data.display_name, "the demo admin has a display name");

    const confirmed = page.waitForResponse((r) => r.url().endsWith("/dev-confirm"));
    const collected = page.waitForResponse((r) => r.url().endsWith("/session") && r.status() === 200);
    await page.click("#dev-confirm");
    assert.equal((await confirmed).status(), 200);
    await collected;

    await page.waitForSelector("#who:not([hidden])");
    assert.equal(await page.textContent("#who-name"), admin.data.display_name);
    await page.waitForSelector("#signin", { state: "detached" });
    await page.waitForSelector('#nav a[data-path="stations"]');

    // The page holds a working console session for the admin.
    const token = await page.evaluate(() => sessionStorage.getItem("yz-console-token"));
    assert.ok(token, "the session token is in sessionStorage");
    const me = await api(`${yz.url}/api/v1/me`, "GET", undefined, token);
    assert.equal(me.status, 200);
    assert.equal(me.data.display_name, admin.data.display_name);
    assert.ok(me.data.roles.includes("admin"), `roles: ${JSON.stringify(me.data.roles)}`);
  }));
