// 节假日安排: the year's public holidays and 调休 make-up working days, as the State Council
// announces them. Every service's opening hours follow this calendar: a holiday closes, a make-up
// day opens with the weekday hours the service chose. One entry a line:
//   holidays  "2026-02-15 2026-02-23 春节" (a range) or "2026-01-01 元旦" (one day)
//   workdays  "2026-02-14 春节调休"
import { stationCall, problem } from "../../lib/api.js";
import { el, say } from "../../lib/ui.js";

const isDate = (w) => /^\d{4}-\d{2}-\d{2}$/.test(w);

// One line → { from, to, name } or { date, name }; a line the server cannot read is its to refuse.
export function entryOf(line) {
  const words = line.trim().split(/\s+/);
  const dates = [];
  while (dates.length < 2 && words.length && isDate(words[0])) dates.push(words.shift());
  const name = words.join(" ");
  const e = dates.length === 2 ? { from: dates[0], to: dates[1] } : { date: dates[0] ?? line.trim() };
  return name ? { ...e, name } : e;
}

export function lineOf(e) {
  if (typeof e === "string") return e;
  return [e.from ? `${e.from} ${e.to}` : e.date, e.name ?? ""].join(" ").trim();
}

const linesOf = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);

export async function render(root) {
  const holidays = el("textarea", { id: "calendar-holidays", rows: "10", cols: "40", placeholder: "2026-02-15 2026-02-23 春节\n2026-01-01 元旦" });
  const workdays = el("textarea", { id: "calendar-workdays", rows: "6", cols: "40", placeholder: "2026-02-14 春节调休" });
  const form = el("form", { id: "calendar-form" },
    el("label", {}, "法定节假日（每行：开始日期 结束日期 名称，或 日期 名称）", el("br"), holidays),
    el("label", {}, "调休上班日（每行：日期 名称）", el("br"), workdays),
    el("button", { type: "submit" }, "保存"));
  root.replaceChildren(el("section", { id: "calendar" }, el("h2", {}, "节假日安排"),
    el("p", { class: "muted" }, "各服务的开放时间按此安排：节假日休息，调休上班日按服务设定的工作日时间开放。"), form));

  function fill(cal) {
    holidays.value = (cal.holidays ?? []).map(lineOf).join("\n");
    workdays.value = (cal.workdays ?? []).map(lineOf).join("\n");
  }

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const r = await stationCall("convenience", "PUT", "/calendar", { holidays: linesOf(holidays.value).map(entryOf), workdays: linesOf(workdays.value).map(entryOf) });
    if (r.status !== 200) return say(problem(r), true);
    fill(r.data);
    say("节假日安排已保存");
  };

  const r = await stationCall("convenience", "GET", "/calendar");
  if (r.status !== 200) return say(problem(r), true);
  fill(r.data);
}
