// lib/chart.js's arithmetic: nice scales and where the bars go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { barLayout, niceScale } from "../lib/chart.js";

test("niceScale rounds the top up to a 1, 2 or 5 step", () => {
  assert.deepEqual(niceScale(10), { top: 10, step: 5 });
  assert.deepEqual(niceScale(7), { top: 8, step: 2 });
  assert.deepEqual(niceScale(93), { top: 100, step: 50 });
  assert.deepEqual(niceScale(0.37), { top: 0.4, step: 0.1 });
  assert.deepEqual(niceScale(1000, 5), { top: 1000, step: 200 });
});

test("niceScale of nothing, a negative or not a number is a unit scale", () => {
  for (const max of [0, -5, NaN, undefined]) assert.deepEqual(niceScale(max), { top: 1, step: 0.25 });
});

test("niceScale's top is never below the maximum", () => {
  for (const max of [1, 3, 9.99, 11, 49, 51, 123456]) {
    const { top, step } = niceScale(max);
    assert.ok(top >= max, `${top} >= ${max}`);
    assert.ok(top / step <= 10, `at most 10 steps for ${max}`);
  }
});

test("barLayout gives each point an equal slot and a height in proportion to its value", () => {
  const bars = barLayout([{ label: "a", value: 10 }, { label: "b", value: 5 }], 200, 100);
  assert.equal(bars.length, 2);
  assert.equal(bars[0].h, 100);
  assert.equal(bars[0].y, 0);
  assert.equal(bars[1].h, 50);
  assert.equal(bars[1].y, 50);
  assert.equal(bars[0].w, 70);
  assert.equal(bars[1].x - bars[0].x, 100);
  assert.deepEqual([bars[1].label, bars[1].value], ["b", 5]);
});

test("barLayout draws a negative value as no bar, and an empty series as nothing", () => {
  const [bar] = barLayout([{ label: "x", value: -3 }], 100, 50);
  assert.equal(bar.h, 0);
  assert.equal(bar.y, 50);
  assert.deepEqual(barLayout([], 100, 50), []);
});
