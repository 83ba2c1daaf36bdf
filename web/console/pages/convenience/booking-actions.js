// What staff may do next with a booking, as buttons, shared by the day sheet, the approvals queue
// and the check-in desk. The states and moves are the booking workflow's
// (plugins/convenience/src/booking_workflow.hpp); the server refuses any other.
import { stationCall, problem } from "../../lib/api.js";
import { el, button, say } from "../../lib/ui.js";
import { confirmButton, reasonButton } from "../../lib/confirm.js";

export const stateNames = {
  pending: "待审核", confirmed: "已确认", rejected: "已拒绝", cancelled: "已取消",
  checked_in: "已签到", completed: "已完成", no_show: "未到",
};

export function stateBadge(state) {
  return el("span", { class: `badge state-${state}` }, stateNames[state] ?? state);
}

// Who the booking is for, and who booked it for them (代约).
export function residentOf(b) {
  const name = b.resident?.display_name || `居民 ${b.resident?.user_id ?? ""}`;
  if (!b.booked_by) return name;
  return [name, el("div", { class: "muted" }, `${b.booked_by.display_name || b.booked_by.user_id}（${b.booked_by.relation}）代约`)];
}

// The intake form's answers, "label：value" per line; labels from the service's form when known.
export function answersOf(b, form = []) {
  const labels = Object.fromEntries(form.map((f) => [f.name, f.label]));
  return Object.entries(b.form ?? {}).map(([k, v]) =>
    el("div", {}, `${labels[k] ?? k}：${Array.isArray(v) ? v.join("、") : v === true ? "是" : v === false ? "否" : v}`));
}

async function act(b, path, body, done) {
  const r = await stationCall("convenience", "POST", path, body);
  if (r.status !== 200) return say(problem(r), true);
  say(`预约 ${b.code}：${stateNames[r.data.state] ?? r.data.state}`);
  await done(r.data);
}

// The buttons for booking `b`'s next steps; `done(updated)` runs after a step succeeds.
export function bookingActions(b, done) {
  const at = (step) => `/bookings/${b.id}/${step}`;
  const started = Date.parse(b.start) <= Date.now();
  const cancel = reasonButton("取消预约", (reason) => act(b, at("cancel"), { reason }, done));
  switch (b.state) {
    case "pending":
      return [button("通过", () => act(b, at("approve"), {}, done)),
        reasonButton("拒绝", (reason) => act(b, at("reject"), { reason }, done)), cancel];
    case "confirmed":
      return [button("签到", () => act(b, "/checkin", { code: b.code }, done)),
        started ? confirmButton("标记未到", () => act(b, at("no-show"), {}, done)) : null, cancel];
    case "checked_in":
      return [button("完成服务", () => act(b, at("complete"), {}, done))];
    default:
      return [];
  }
}
