// 今日接待: the desk's day. Check a resident in by the code they show, then see one service's day
// slot by slot — who booked, what they filled in, who booked for them — and move each booking on:
// approve or reject what waits for approval, mark completed or no-show, cancel with a reason the
// resident is told. The server checks every move (state, role, the booking's day) and audits it.
import { problem } from "../../lib/api.js";
import { askText } from "../../lib/ask.js";
import { el, button, say, beijingToday } from "../../lib/ui.js";
import { api, allServices, residentLabel, stateNames } from "./station.js";

const hhmm = (iso) => iso.slice(11, 16);

export async function render(root) {
  const services = await allServices();
  if (!services.items) return say(problem(services.failed), true);
  if (services.items.length === 0) {
    root.replaceChildren(el("section", { id: "desk" }, el("h2", {}, "今日接待"),
      el("p", { class: "muted" }, "还没有服务项目。请先在“服务项目”中新增。")));
    return;
  }
  const service = el("select", { id: "desk-service" }, services.items.map((s) =>
    el("option", { value: String(s.id) }, s.active ? s.name : `${s.name}（已停办）`)));
  const date = el("input", { id: "desk-date", type: "date", value: beijingToday() });
  const code = el("input", { id: "checkin-code", placeholder: "居民出示的 8 位预约码", autocomplete: "off", maxlength: "16" });
  const checkin = el("form", { id: "checkin", class: "toolbar" },
    el("label", {}, "凭预约码签到 ", code), el("button", { type: "submit" }, "签到"));
  const summary = el("p", { id: "desk-summary", class: "muted" });
  const sheet = el("div", { id: "desk-sheet" });
  root.replaceChildren(el("section", { id: "desk" }, el("h2", {}, "今日接待"), checkin,
    el("div", { class: "toolbar" }, el("label", {}, "服务 ", service), el("label", {}, "日期 ", date),
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
        button("未到", () => act("已标记未到", `/bookings/${b.id}/no-show`)), cancel],
      checked_in: [button("完成", () => act("已完成", `/bookings/${b.id}/complete`))],
    }[b.state] ?? [];
    cell.append(...buttons.filter(Boolean));
    return cell;
  }

  function bookingCells(b, labels, isToday) {
    const answers = Object.entries(b.form ?? {}).map(([k, v]) => el("div", {}, `${labels[k] ?? k}：${v}`));
    const who = [el("div", {}, residentLabel(b.resident)),
      b.booked_by ? el("div", { class: "muted" }, `代约：${residentLabel(b.booked_by)} · ${b.booked_by.relation ?? ""}`) : null];
    const state = [el("span", { class: `state state-${b.state}` }, stateNames[b.state] ?? b.state),
      b.reason ? el("div", { class: "muted" }, b.reason) : null];
    return [el("td", { class: "code" }, b.code), el("td", {}, who), el("td", {}, answers), el("td", {}, state),
      actions(b, isToday)];
  }

  async function load() {
    const id = service.value;
    const [r, detail] = await Promise.all([
      api("GET", `/services/${id}/day-sheet?date=${encodeURIComponent(date.value)}`),
      api("GET", `/services/${id}`),
    ]);
    if (r.status !== 200) {
      sheet.replaceChildren();
      return say(problem(r), true);
    }
    const labels = Object.fromEntries((detail.data?.form ?? []).map((f) => [f.name, f.label]));
    const { day, slots, counts } = r.data;
    const isToday = day.date === beijingToday();
    const tally = Object.entries(counts).map(([s, n]) => `${stateNames[s] ?? s} ${n}`).join(" · ");
    summary.textContent = day.open || slots.length
      ? `${day.date} 开放 ${day.hours.join("、") || "—"}${day.note ? `（${day.note}）` : ""}　${tally || "暂无预约"}`
      : `${day.date} 不开放${day.note ? `（${day.note}）` : ""}`;
    const body = el("tbody");
    for (const slot of slots) {
      const first = el("td", { rowspan: String(Math.max(1, slot.bookings.length)), class: "slot" },
        el("div", {}, `${hhmm(slot.start)}-${hhmm(slot.end)}`),
        el("div", { class: "muted" }, `已约 ${slot.taken}/${slot.capacity}${slot.waiting ? ` · 候补 ${slot.waiting}` : ""}`),
        slot.off_plan ? el("div", { class: "muted" }, "（已不在开放时间内）") : null);
      if (slot.bookings.length === 0) {
        body.append(el("tr", { class: "empty-slot" }, first, el("td", { colspan: "5", class: "muted" }, "暂无预约")));
        continue;
      }
      slot.bookings.forEach((b, i) => body.append(el("tr", { "data-booking-id": String(b.id) },
        i === 0 ? first : null, bookingCells(b, labels, isToday))));
    }
    const head = el("thead", {}, el("tr", {}, ["时段", "预约码", "居民", "填写内容", "状态", "操作"].map((t) => el("th", {}, t))));
    sheet.replaceChildren(slots.length ? el("table", { class: "day-sheet" }, head, body) : el("p", { class: "muted" }, "当天没有时段"));
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
    if (String(r.data.service.id) === service.value && r.data.start.slice(0, 10) === date.value) load();
  };
  service.onchange = () => load();
  date.onchange = () => load();
  await load();
}
