// SPDX-License-Identifier: MIT
// 待审批: a resident books a service that needs approval; the station's staff approve it from the
// console, and the resident's booking is confirmed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, openEntry, signInAs, startConsole, until, testTimeout } from "./harness.mjs";

let yz;
before(async () => { yz = await startConsole(); }, testTimeout);
after(async () => { await yz?.stop(); });

const login = async (user) => {
  const r = await api(`${yz.url}/api/v1/auth/dev-login`, "POST", { user });
  assert.equal(r.status, 200, `dev-login ${user}`);
  return r.data.token;
};

// The day after tomorrow in Beijing, YYYY-MM-DD: inside any booking window, past any notice.
const dayAfterTomorrow = () => new Date(Date.now() + 8 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);

test("staff approve a pending booking from 待审批 and the resident's booking is confirmed", testTimeout, () =>
  yz.withPage(async ({ page, problems }) => {
    const base = `${yz.url}/api/v1/stations/convenience`;
    const staff = await login("staff-convenience");
    const every = ["08:30-11:30"];
    const service = await api(`${base}/services`, "POST", {
      name: "浏览器测试·需审批", slot_minutes: 20, capacity: 2,
      hours: { weekly: { mon: every, tue: every, wed: every, thu: every, fri: every, sat: every, sun: every } },
      rules: { min_notice_minutes: 0, max_days_ahead: 30, approval_required: true },
    }, staff);
    assert.equal(service.status, 201, JSON.stringify(service.data));
    const resident = await login("zhang");
    const booked = await fetch(`${base}/services/${service.data.id}/bookings`, {
      method: "POST",
      headers: { Authorization: `Bearer ${resident}`, "Content-Type": "application/json", "Idempotency-Key": "browser-approve-1" },
      body: JSON.stringify({ start: `${dayAfterTomorrow()}T09:10:00+08:00` }),
    });
    const booking = await booked.json();
    assert.equal(booked.status, 201, JSON.stringify(booking));
    assert.equal(booking.state, "pending");

    await signInAs(page, yz.consoleUrl, "staff-convenience");
    await openEntry(page, problems, "convenience/approvals");
    const row = page.locator("#approvals tr").filter({ hasText: "浏览器测试·需审批" });
    assert.equal(await row.count(), 1, "the pending booking is listed once");
    const answer = page.waitForResponse((r) => r.url().endsWith(`/bookings/${booking.id}/approve`));
    await row.getByRole("button", { name: "通过", exact: true }).click();
    assert.equal((await answer).status(), 200);

    const mine = async () => (await api(`${base}/bookings/${booking.id}`, "GET", undefined, resident)).data?.state;
    await until("the resident's booking to be confirmed", async () => (await mine()) === "confirmed");
    await until("the approvals list to drop it", async () => (await row.count()) === 0);
    assert.deepEqual(problems.list(), []);
  }));
