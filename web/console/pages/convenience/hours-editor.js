// The opening hours part of the service editor: a weekly plan (breaks are the gaps between
// periods), what holidays and 调休 working days do, and dated exceptions. Builds the JSON of
// yz/opening_hours.hpp; the server checks it and names the problem under "hours".
import { el, button } from "../../lib/ui.js";
import { errorSlot, field, select } from "../../lib/form.js";

const weekdays = [["mon", "周一"], ["tue", "周二"], ["wed", "周三"], ["thu", "周四"], ["fri", "周五"], ["sat", "周六"], ["sun", "周日"]];

// "08:30-11:30 13:30-17:00" (spaces, commas or 、 between periods) → ["08:30-11:30", "13:30-17:00"].
export function periodsOf(text) {
  return text.split(/[\s,，、;；]+/).map((p) => p.replace(/[—–~～至]/g, "-")).filter(Boolean);
}

export function hoursEditor(hours = {}) {
  const weekly = Object.fromEntries(weekdays.map(([key]) =>
    [key, el("input", { type: "text", value: (hours.weekly?.[key] ?? []).join(" "), placeholder: "不开放", size: "28" })]));
  const holidays = select([["closed", "节假日不开放"], ["ignore", "节假日照常按每周安排"]], hours.holidays ?? "closed");
  const makeup = select(weekdays.slice(0, 5).map(([k, name]) => [k, `按${name}开放`]), hours.makeup_workday_as ?? "mon");
  const exceptions = el("tbody");
  const addException = (x = {}) => exceptions.append(exceptionRow(x));
  for (const x of hours.exceptions ?? []) addException(x);

  const node = el("fieldset", { class: "hours" },
    el("legend", {}, "开放时间"),
    el("p", { class: "muted" }, "每天可写多个时段，用空格分开，如 08:30-11:30 13:30-17:00；时段之间即午休。留空表示当天不开放。"),
    el("div", { class: "week" }, weekdays.map(([key, name]) => field(name, weekly[key]))),
    field("节假日", holidays), field("调休上班日", makeup),
    el("h4", {}, "特别安排（某天关闭或另定时段）"),
    el("table", { class: "exceptions" },
      el("thead", {}, el("tr", {}, ["日期", "安排", "时段", "说明", ""].map((t) => el("th", {}, t)))), exceptions),
    button("添加特别安排", () => addException()),
    errorSlot("hours"));

  return {
    node,
    value() {
      const out = { weekly: {}, holidays: holidays.value, makeup_workday_as: makeup.value, exceptions: [] };
      for (const [key] of weekdays) {
        const periods = periodsOf(weekly[key].value);
        if (periods.length) out.weekly[key] = periods;
      }
      for (const row of exceptions.children) out.exceptions.push(row.value());
      return out;
    },
  };
}

function exceptionRow(x) {
  const date = el("input", { type: "date", value: x.date ?? "" });
  const kind = select([["closed", "关闭"], ["hours", "另定时段"]], x.hours ? "hours" : "closed");
  const hours = el("input", { type: "text", value: (x.hours ?? []).join(" "), placeholder: "09:00-12:00", size: "20" });
  const note = el("input", { type: "text", value: x.note ?? "", placeholder: "如：内部培训", maxlength: "40" });
  const sync = () => { hours.disabled = kind.value === "closed"; };
  kind.onchange = sync;
  sync();
  const row = el("tr", {}, el("td", {}, date), el("td", {}, kind), el("td", {}, hours), el("td", {}, note),
    el("td", {}, button("删除", () => row.remove())));
  row.value = () => {
    const out = { date: date.value };
    if (kind.value === "closed") out.closed = true;
    else out.hours = periodsOf(hours.value);
    if (note.value.trim()) out.note = note.value.trim();
    return out;
  };
  return row;
}
