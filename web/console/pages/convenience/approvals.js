// 待审核预约: every booking waiting for staff approval, across services, soonest first (GET
// /bookings?state=pending). The day sheet shows one day; this is the queue to clear.
import { problem } from "../../lib/api.js";
import { askText } from "../../lib/ask.js";
import { el, button, table, say } from "../../lib/ui.js";
import { api, answerLines, formLabels, residentLabel } from "./station.js";

export async function render(root) {
  const list = el("div", { id: "approval-list" });
  root.replaceChildren(el("section", { id: "approvals" }, el("h2", {}, "待审核预约"),
    el("p", { class: "muted" }, "需要审核的服务，居民预约后在这里通过或拒绝；拒绝的原因会通知居民，名额让给候补。"), list));

  async function act(b, path, body, label) {
    const r = await api("POST", `/bookings/${b.id}/${path}`, body);
    if (r.status !== 200) {
      say(problem(r), true);
      return false;
    }
    say(`${label}：${residentLabel(r.data.resident)} · ${r.data.service.name} · ${r.data.time}`);
    await load();
    return true;
  }

  async function load() {
    const r = await api("GET", "/bookings?state=pending");
    if (r.status !== 200) return say(problem(r), true);
    const labels = await formLabels(r.data.items.map((b) => b.service.id));
    list.replaceChildren(table([
      { title: "时段", value: (b) => b.time },
      { title: "服务", value: (b) => b.service.name },
      { title: "居民", value: (b) => [el("div", {}, residentLabel(b.resident)),
        b.booked_by ? el("div", { class: "muted" }, `代约：${residentLabel(b.booked_by)} · ${b.booked_by.relation ?? ""}`) : null] },
      { title: "填写内容", value: (b) => answerLines(b.form, labels[b.service.id]).map((line) => el("div", {}, line)) },
      { title: "操作", value: (b) => {
        const cell = el("span");
        cell.append(button("通过", () => act(b, "approve", {}, "已通过")),
          button("拒绝", () => askText(cell, { placeholder: "拒绝原因（居民会收到）", confirm: "确认拒绝",
            send: (reason) => act(b, "reject", { reason }, "已拒绝") })));
        return cell;
      } },
    ], r.data.items, "没有待审核的预约"));
    list.querySelector("tbody").id = "approval-rows";
    for (const [i, b] of r.data.items.entries()) list.querySelectorAll("tbody tr")[i].dataset.bookingId = String(b.id);
    if (r.data.truncated) list.append(el("p", { class: "muted" }, "只显示最早的 500 条。"));
  }
  await load();
}
