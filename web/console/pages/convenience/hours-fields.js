// Opening hours as staff type them, and back to the JSON the server keeps (yz/opening_hours.hpp):
// one line per weekday ("08:30-11:30 13:30-17:00"), what holidays and 调休 days do, and dated
// exceptions, one a line: "2026-12-24 休息 内部培训" or "2026-12-27 09:00-12:00 周日加开".
// The server checks the result and names what is wrong; here we only split text into lists.
import { el } from "../../lib/ui.js";

export const weekdays = [["mon", "周一"], ["tue", "周二"], ["wed", "周三"], ["thu", "周四"], ["fri", "周五"], ["sat", "周六"], ["sun", "周日"]];
const period = /^\d{1,2}:\d\d-\d{1,2}:\d\d$/;

// "08:30-11:30，13:30-17:00" → ["08:30-11:30", "13:30-17:00"]
export function periodsOf(text) {
  return text.split(/[\s,，、;；]+/).filter(Boolean);
}

// One exception line → { date, closed | hours, note }.
export function exceptionOf(line) {
  const [date, ...rest] = line.trim().split(/\s+/);
  const hours = [], note = [];
  let closed = false;
  for (const word of rest) {
    if (period.test(word)) hours.push(word);
    else if (word === "休息" || word === "关闭") closed = true;
    else note.push(word);
  }
  const e = closed || hours.length === 0 ? { date, closed: true } : { date, hours };
  if (note.length) e.note = note.join(" ");
  return e;
}

export function exceptionLine(e) {
  return [e.date, e.closed ? "休息" : (e.hours ?? []).join(" "), e.note ?? ""].filter(Boolean).join(" ");
}

// The inputs for `hours` (a stored hours object or null), and read() giving the JSON to send.
export function hoursFields(hours) {
  const weekly = hours?.weekly ?? {};
  const day = Object.fromEntries(weekdays.map(([k]) => [k,
    el("input", { name: `hours-${k}`, value: (weekly[k] ?? []).join(" "), placeholder: "如 08:30-11:30 13:30-17:00；空着为不开放", size: "36" })]));
  const holidays = el("select", { name: "hours-holidays" },
    el("option", { value: "closed" }, "节假日休息"), el("option", { value: "ignore" }, "节假日照常开放"));
  holidays.value = hours?.holidays ?? "closed";
  const makeup = el("select", { name: "hours-makeup" }, weekdays.map(([k, n]) => el("option", { value: k }, `按${n}开放`)));
  makeup.value = hours?.makeup_workday_as ?? "mon";
  const exceptions = el("textarea", { name: "hours-exceptions", rows: "3", cols: "40", placeholder: "2026-12-24 休息 内部培训\n2026-12-27 09:00-12:00 周日加开" });
  exceptions.value = (hours?.exceptions ?? []).map(exceptionLine).join("\n");

  const node = el("fieldset", { id: "hours-fields" }, el("legend", {}, "开放时间"),
    weekdays.map(([k, n]) => el("label", {}, `${n} `, day[k])),
    el("label", {}, "法定节假日 ", holidays), el("label", {}, "调休上班日 ", makeup),
    el("label", {}, "特殊日期（每行一天：日期 时间段或“休息” 备注）", el("br"), exceptions));
  function read() {
    const out = { weekly: {}, holidays: holidays.value, makeup_workday_as: makeup.value };
    for (const [k] of weekdays) {
      const p = periodsOf(day[k].value);
      if (p.length) out.weekly[k] = p;
    }
    const lines = exceptions.value.split("\n").map((l) => l.trim()).filter(Boolean);
    if (lines.length) out.exceptions = lines.map(exceptionOf);
    return out;
  }
  return { node, read };
}
