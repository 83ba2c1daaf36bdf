// pages/index.js: who sees which page. The server refuses the rest anyway; this keeps the menu
// from offering what would only be refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { corePages, menuFor } from "../pages/index.js";
import { rolesOf } from "../lib/roles.js";

const stations = [{ id: "convenience", name: "便民服务站" }, { id: "notices", name: "公告站" }];
const paths = (roles) => menuFor(rolesOf({ roles }), stations).flatMap((g) => g.pages.map((p) => p.path));

test("the console opens on the dashboard", () => {
  assert.equal(corePages[0].path, "dashboard");
});

test("an admin sees every community-admin page", () => {
  const p = paths(["admin"]);
  for (const page of ["dashboard", "users", "outbox", "audit", "stations"]) assert.ok(p.includes(page), page);
});

test("station staff see the dashboard and none of the admin's pages", () => {
  const p = paths(["resident", "staff:notices"]);
  assert.equal(p[0], "dashboard");
  for (const page of ["users", "outbox", "audit", "stations"]) assert.ok(!p.includes(page), page);
});

test("a resident sees nothing", () => {
  assert.deepEqual(paths(["resident"]), []);
});

test("a station's own pages go to its staff, not to an admin who is not on its staff", () => {
  const staff = paths(["staff:convenience"]);
  assert.ok(staff.some((p) => p.startsWith("convenience/")), staff.join());
  assert.ok(!paths(["admin"]).some((p) => p.startsWith("convenience/")));
  assert.ok(!staff.some((p) => p.startsWith("notices/")));
});
