// 当日安排: one service's day at the desk — each slot with its places taken and waiting, and every
// booking in it with what staff may do next. Opens on today in Beijing.
import { stationCall, problem } from "../../lib/api.js";
import { el, table, say, when, beijingToday } from "../../lib/ui.js";
import { field } from "../../lib/form.js";
import { loadServices, servicePicker } from "./service-list.js";
import { answersOf, bookingActions, residentOf, stateBadge, stateNames } from "./booking-actions.js";

const basisNames = { weekly: "", holiday: "节假日", makeup_workday: "调休上班", exception: "特别安排" };

export async function render(root) {
  const services = await loadServices();
  const picker = servicePicker(services, { id: "sheet-service" });
  const date = el("input", { type: "date", id: "sheet-date", value: beijingToday() });
  const sheet = el("div", { id: "day-sheet" });
  root.replaceChildren(el("section", { id: "convenience-day" },
    el("h2", {}, "当日安排"),
    el("div", { class: "toolbar" }, field("服务", picker), field("日期", date)),
    sheet));
  if (services.length === 0) return sheet.replaceChildren(el("p", { class: "muted" }, "还没有服务。请先在“服务管理”中新建。"));

  let form = [];
  async function load() {
    const id = picker.value;
    const [r, detail] = await Promise.all([
      stationCall("convenience", "GET", `/services/${id}/day-sheet?date=${date.value}`),
      stationCall("convenience", "GET", `/services/${id}`),
    ]);
    if (r.status !== 200) return say(problem(r), true);
    form = detail.data?.form ?? [];
    sheet.replaceChildren(dayHeader(r.data), ...r.data.slots.map(slotBlock));
  }

  function dayHeader({ day, counts }) {
    const basis = basisNames[day.basis] ? `${basisNames[day.basis]}${day.note ? `（${day.note}）` : ""}` : day.note;
    const tally = Object.entries(counts).map(([state, n]) => `${stateNames[state] ?? state} ${n}`).join("，");
    return el("p", { class: "muted" },
      day.open ? `开放：${(day.hours ?? []).join("、")}` : "当天不开放", basis ? `　${basis}` : "",
      tally ? `　${tally}` : "　暂无预约");
  }

  function slotBlock(slot) {
    const span = `${when(slot.start).slice(11)}–${when(slot.end).slice(11)}`;
    return el("div", { class: "slot" },
      el("h3", {}, span, el("span", { class: "muted" },
        `　已约 ${slot.taken}/${slot.capacity}`, slot.waiting ? `　候补 ${slot.waiting}` : "",
        slot.off_plan ? "　（已不在开放时间内）" : "")),
      slot.bookings.length ? table([
        { title: "预约码", value: (b) => el("code", {}, b.code) },
        { title: "居民", value: residentOf },
        { title: "状态", value: (b) => stateBadge(b.state) },
        { title: "表单", value: (b) => answersOf(b, form) },
        { title: "原因", value: (b) => b.reason },
        { title: "操作", value: (b) => bookingActions(b, load) },
      ], slot.bookings) : null);
  }

  picker.onchange = load;
  date.onchange = load;
  await load();
}
