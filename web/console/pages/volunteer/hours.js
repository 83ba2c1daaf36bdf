// 时长审核: hours records by status (GET /hours; records the scheduler closed come first, flagged,
// since they need a person's judgement most). Approve as logged, adjust to a corrected length
// with a reason, decline with a reason; approved records can be corrected the same way later.
// Nobody decides their own hours: the server answers 403 own_hours, shown as it says it.
import { problem, stationCall } from "../../lib/api.js";
import { ask, askReason } from "../../lib/ask-dialog.js";
import { button, el, say, table, when } from "../../lib/ui.js";
import { hoursSources, hoursStatus, hoursText, station } from "./labels.js";
import { walkInForm } from "./walk-in.js";

const decisionNames = { approved: "通过", adjusted: "调整", declined: "不通过" };

export async function render(root) {
  const status = el("select", { id: "hours-status" },
    Object.entries(hoursStatus).map(([v, label]) => el("option", { value: v }, label)));
  const list = el("div", { id: "hours-list" });
  const walkIn = el("div", { id: "walk-in" });
  root.replaceChildren(
    el("section", { id: "volunteer-hours" },
      el("h2", {}, "时长审核"),
      el("div", { class: "toolbar" }, el("label", {}, "状态 ", status)),
      list),
    el("section", {}, el("h2", {}, "现场服务登记"), walkIn));

  async function decide(h, action, body) {
    const r = await stationCall(station, "POST", `/hours/${h.id}/${action}`, body);
    say(r.status === 200 ? `${h.volunteer.name}：${hoursStatus[r.data.status]}，${r.data.hours} 小时` : problem(r), r.status !== 200);
    await load();
  }

  const actions = (h) => [
    h.status === "pending" ? button("通过", () => decide(h, "approve", {})) : null,
    button("调整", async () => {
      const a = await ask(`调整 ${h.volunteer.name} ${h.service_date} 的服务时长`, [
        { name: "minutes", label: "核定时长（分钟）", type: "number", min: "0", max: "1440", value: String(h.minutes) },
        { name: "reason", label: "原因（会告知志愿者）" }]);
      if (a) await decide(h, "adjust", { minutes: Number(a.minutes), reason: a.reason });
    }),
    h.status !== "declined" ? button("不通过", async () => {
      const reason = await askReason(`不通过 ${h.volunteer.name} ${h.service_date} 的服务时长`, "原因（会告知志愿者）");
      if (reason !== null) await decide(h, "decline", { reason });
    }) : null,
  ];

  async function load() {
    const r = await stationCall(station, "GET", `/hours?status=${status.value}`);
    if (r.status !== 200) return say(problem(r), true);
    list.replaceChildren(table([
      { title: "志愿者", value: (h) => h.volunteer.name || `用户 ${h.volunteer.user_id}` },
      { title: "项目 / 岗位", value: (h) => (h.post ? `${h.project.title} / ${h.post.role}` : h.project.title) },
      { title: "服务日期", value: (h) => h.service_date },
      { title: "时段", value: (h) => (h.started_at ? `${when(h.started_at).slice(11)} – ${when(h.ended_at).slice(11)}` : "") },
      { title: "登记（小时）", value: (h) => hoursText(h.logged_minutes) },
      { title: "核定（小时）", value: (h) => (h.status === "pending" ? "" : String(h.hours)) },
      { title: "来源", value: (h) => [hoursSources[h.source] ?? h.source, h.flagged ? el("strong", { class: "flag" }, " 需核实") : null] },
      { title: "备注", value: (h) => h.note },
      { title: "决定", value: (h) => (h.decision ? `${decisionNames[h.decision.kind] ?? h.decision.kind}${h.decision.reason ? `：${h.decision.reason}` : ""}（${h.decision.by ?? ""}）` : "") },
      { title: "操作", value: actions },
    ], r.data.items, status.value === "pending" ? "没有待审核的时长" : "暂无记录"));
  }

  status.onchange = load;
  await Promise.all([load(), walkInForm(walkIn, load)]);
}
