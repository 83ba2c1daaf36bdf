// lib/ui.js's pure helpers (the DOM builders need a browser and are not imported at load time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { beijingToday, when } from "../lib/ui.js";

test("when shows an API time without seconds or the Beijing offset", () => {
  assert.equal(when("2026-12-02T09:30:00+08:00"), "2026-12-02 09:30");
  assert.equal(when("2026-12-02T09:30:15.250+08:00"), "2026-12-02 09:30");
});

test("when leaves another offset visible rather than pretend it is Beijing time", () => {
  assert.equal(when("2026-12-02T01:30:00Z"), "2026-12-02 01:30:00Z");
});

test("when of nothing is empty", () => {
  assert.equal(when(""), "");
  assert.equal(when(null), "");
  assert.equal(when(undefined), "");
});

test("beijingToday is the date in Beijing, whatever the UTC date", () => {
  assert.equal(beijingToday(new Date("2026-12-01T15:59:59Z")), "2026-12-01");
  assert.equal(beijingToday(new Date("2026-12-01T16:00:00Z")), "2026-12-02");
  assert.equal(beijingToday(new Date("2026-12-31T20:00:00Z")), "2027-01-01");
});
