// 今日接待: the desk's day. Check a resident in by the code they show, then see the day (every
// service open that day, or one) slot by slot: who booked, what they filled in, who booked for
// them. Move each booking on: approve or reject what waits for approval, mark completed or
// no-show, cancel with a reason the resident is told. The server checks every move (state, role,
// the booking's day) and audits it.
import { problem } from "../../lib/api.js";
import { askText } from "../../lib/ask.js";
import { el, button, say, beijingToday } from "../../lib/ui.js";
import { api, allServices, answerLines, formLabels, residentLabel, stateNames } from "./station.js";

const hhmm = (iso) => iso.slice(11, 16);

export async function render(root) {
  const services = await allServices();
  if (!services.items) return say(problem(services.failed), true);
  if (services.items.length === 0) {
    root.replaceChildren(el("section", { id: "desk" }, el("h2", {}, "今日接待"),
      el("p", { class: "muted" }, "还没有服务项目。请先在“服务项目”中新增。")));
    return;
  }
  const service = el("select", { id: "desk-service" }, el("option", { value: "all" }, "全部服务"),
    services.items.map((s) => el("option", { value: String(s.id) }, s.active ? s.name : `${s.name}（已停办）`)));
  // The desk keeps its choice of service while the tab is open.
  const remembered = "yz-convenience-desk-service";
  const kept = sessionStorage.getItem(remembered);
  if (kept && [...service.options].some((o) => o.value === kept)) service.value = kept;
  const date = el("input", { id: "desk-date", type: "date", value: beijingToday() });
  const code = el("input", { id: "checkin-code", placeholder: "居民出示的 8 位预约码", autocomplete: "off", maxlength: "16" });
  const checkin = el("form", { id: "checkin", class: "toolbar" },
    el("label", {}, "凭预约码签到 ", code), el("button", { type: "submit" }, "签到"));
  const hideEmpty = el("input", { id: "desk-hide-empty", type: "checkbox", checked: true });
  const summary = el("p", { id: "desk-summary", class: "muted" });
  const sheet = el("div", { id: "desk-sheet" });
  root.replaceChildren(el("section", { id: "desk" }, el("h2", {}, "今日接待"), checkin,
    el("div", { class: "toolbar" }, el("label", {}, "服务 ", service), el("label", {}, "日期 ", date),
      el("label", {}, hideEmpty, " 只看有预约的时段"),
      button("刷新", () => load(), { id: "desk-refresh" })),
    summary, sheet));

  // One move of a booking; the sheet is redrawn from the server's answer either way.
  async function act(label, path, body = {}) {
    const r = await api("POST", path, body);
    if (r.status !== 200) {
      say(problem(r), true);
      return false;
    }
    say(`${label}：${residentLabel(r.data.resident)} · ${r.data.time}`);
    await load();
    return true;
  }

  function actions(b, isToday) {
    const cell = el("td", { class: "actions" });
    const cancel = button("取消", () => askText(cell, {
      placeholder: "取消原因（居民会收到）", confirm: "确认取消",
      send: (reason) => act("已取消", `/bookings/${b.id}/cancel`, { reason }),
    }));
    const buttons = {
      pending: [button("通过", () => act("已通过", `/bookings/${b.id}/approve`)),
        button("拒绝", () => askText(cell, {
          placeholder: "拒绝原因（居民会收到）", confirm: "确认拒绝",
          send: (reason) => act("已拒绝", `/bookings/${b.id}/reject`, { reason }),
        })), cancel],
      confirmed: [isToday ? button("签到", () => act("已签到", "/checkin", { code: b.code })) : null,
        Date.parse(b.start) <= Date.now() ? button("未到", () => act("已标记未到", `/bookings/${b.id}/no-show`)) : null, cancel],
      checked_in: [button("完成", () => act("已完成", `/bookings/${b.id}/complete`))],
    }[b.state] ?? [];
    cell.append(...buttons.filter(Boolean));
    return cell;
  }

  function bookingCells(b, labels, isToday) {
    const answers = answerLines(b.form, labels).map((line) => el("div", {}, line));
    const who = [el("div", {}, residentLabel(b.resident)),
      b.booked_by ? el("div", { class: "muted" }, `代约：${residentLabel(b.booked_by)} · ${b.booked_by.relation ?? ""}`) : null];
    const state = [el("span", { class: `state state-${b.state}` }, stateNames[b.state] ?? b.state),
      b.reason ? el("div", { class: "muted" }, b.reason) : null];
    return [el("td", { class: "code" }, b.code), el("td", {}, who), el("td", {}, answers), el("td", {}, state),
      actions(b, isToday)];
  }

  // One service's day as a table, slot by slot; a slot's first row carries its time and places.
  function sheetTable({ slots }, labels, isToday) {
    const body = el("tbody");
    for (const slot of slots) {
      const first = el("td", { rowspan: String(Math.max(1, slot.bookings.length)), class: "slot" },
        el("div", {}, `${hhmm(slot.start)}-${hhmm(slot.end)}`),
        el("div", { class: "muted" }, `已约 ${slot.taken}/${slot.capacity}${slot.waiting ? ` · 候补 ${slot.waiting}` : ""}`),
        slot.off_plan ? el("div", { class: "muted" }, "（已不在开放时间内）") : null);
      if (slot.bookings.length === 0) {
        if (hideEmpty.checked) continue;
        body.append(el("tr", { class: "empty-slot" }, first, el("td", { colspan: "5", class: "muted" }, "暂无预约")));
        continue;
      }
      slot.bookings.forEach((b, i) => body.append(el("tr", { "data-booking-id": String(b.id) },
        i === 0 ? first : null, bookingCells(b, labels, isToday))));
    }
    const head = el("thead", {}, el("tr", {}, ["时段", "预约码", "居民", "填写内容", "状态", "操作"].map((t) => el("th", {}, t))));
    return el("table", { class: "day-sheet" }, head, body);
  }

  function dayLine({ day, counts }) {
    const tally = Object.entries(counts).map(([s, n]) => `${stateNames[s] ?? s} ${n}`).join(" · ");
    const note = day.note ? `（${day.note}）` : "";
    return day.open ? `开放 ${day.hours.join("、")}${note}　${tally || "暂无预约"}` : `不开放${note}　${tally}`;
  }

  async function load() {
    sessionStorage.setItem(remembered, service.value);
    const isToday = date.value === beijingToday();
    const ids = service.value === "all" ? services.items.map((s) => s.id) : [service.value];
    const [replies, labels] = await Promise.all([
      Promise.all(ids.map((id) => api("GET", `/services/${id}/day-sheet?date=${encodeURIComponent(date.value)}`))),
      formLabels(ids),
    ]);
    const sheets = replies.map((r, i) => ({ r, labels: labels[String(ids[i])] }));
    const failed = sheets.find(({ r }) => r.status !== 200);
    if (failed) {
      sheet.replaceChildren();
      return say(problem(failed.r), true);
    }
    summary.textContent = `${date.value}${isToday ? "（今天）" : ""}`;
    // In the all-services view a service with nothing booked that day is shown only if it is
    // open for booking and open that day (a retired one still shows the bookings it keeps).
    const shown = sheets.filter(({ r }) => ids.length === 1 || Object.keys(r.data.counts).length ||
      (r.data.service.active && r.data.day.open));
    sheet.replaceChildren(...shown.map(({ r, labels }) => el("div", { class: "service-day", "data-service-id": String(r.data.service.id) },
      el("h3", {}, r.data.service.name, " ", el("span", { class: "muted" }, dayLine(r.data))),
      r.data.slots.some((x) => x.bookings.length || !hideEmpty.checked) ? sheetTable(r.data, labels, isToday) : null)));
    if (shown.length === 0) sheet.append(el("p", { class: "muted" }, "当天没有开放的服务"));
  }

  checkin.onsubmit = async (ev) => {
    ev.preventDefault();
    const r = await api("POST", "/checkin", { code: code.value.trim() });
    if (r.status !== 200) {
      const day = r.data?.error?.details?.date;
      return say(day ? `${problem(r)}（预约日期 ${day}）` : problem(r), true);
    }
    code.value = "";
    say(`已签到：${residentLabel(r.data.resident)} · ${r.data.service.name} · ${r.data.time}`);
    if (r.data.start.slice(0, 10) === date.value) load();
  };
  service.onchange = () => load();
  date.onchange = () => load();
  hideEmpty.onchange = () => load();
  await load();
}
