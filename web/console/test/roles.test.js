// lib/roles.js: what the console makes of the roles the server sends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { roleLabel, rolesOf } from "../lib/roles.js";

test("an admin sees every station's reports but runs none without a staff role", () => {
  const r = rolesOf({ roles: ["resident", "admin"] });
  assert.equal(r.admin, true);
  assert.deepEqual(r.staffOf, []);
  assert.equal(r.sees("convenience"), true);
  assert.equal(r.runs("convenience"), false);
  const both = rolesOf({ roles: ["admin", "staff:volunteer"] });
  assert.equal(both.runs("volunteer"), true);
  assert.equal(both.runs("convenience"), false);
});

test("staff run only their own stations", () => {
  const r = rolesOf({ roles: ["resident", "staff:convenience", "staff:volunteer", "grid:g1"] });
  assert.equal(r.admin, false);
  assert.deepEqual(r.staffOf, ["convenience", "volunteer"]);
  assert.equal(r.runs("volunteer"), true);
  assert.equal(r.sees("volunteer"), true);
  assert.equal(r.runs("notices"), false);
  assert.equal(r.sees("notices"), false);
  assert.equal(r.runs("g1"), false);
});

test("no user, or a user without roles, runs nothing", () => {
  for (const me of [null, undefined, {}, { roles: [] }]) {
    const r = rolesOf(me);
    assert.equal(r.admin, false);
    assert.deepEqual(r.all, []);
    assert.equal(r.runs("convenience"), false);
  }
});

test("a role is shown in words, a station by its name", () => {
  const stations = [{ id: "convenience", name: "便民服务站" }];
  assert.equal(roleLabel("admin"), "社区管理员");
  assert.equal(roleLabel("staff:convenience", stations), "便民服务站 工作人员");
  assert.equal(roleLabel("staff:legal_aid", stations), "legal_aid 工作人员");
  assert.equal(roleLabel("grid:g1"), "网格员（g1）");
  assert.equal(roleLabel("wizard"), "wizard");
});
