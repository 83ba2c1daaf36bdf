// 认领审批: claims waiting for a decision across every post, oldest first (GET /claims), and the
// approved ones, which staff may still cancel with a reason.
import { problem, stationCall } from "../../lib/api.js";
import { el, say, table, when } from "../../lib/ui.js";
import { claimButtons } from "./claim-actions.js";
import { claimStates, postTime, station } from "./labels.js";

export async function render(root) {
  const state = el("select", { id: "claims-state" },
    el("option", { value: "pending" }, "待审批"), el("option", { value: "approved" }, "已通过"));
  const list = el("div", { id: "claims-list" });
  root.replaceChildren(el("section", { id: "volunteer-claims" },
    el("h2", {}, "认领审批"),
    el("div", { class: "toolbar" }, el("label", {}, "状态 ", state)),
    list));

  async function load() {
    const r = await stationCall(station, "GET", `/claims?state=${state.value}`);
    if (r.status !== 200) return say(problem(r), true);
    list.replaceChildren(table([
      { title: "认领时间", value: (c) => when(c.created_at) },
      { title: "志愿者", value: (c) => c.volunteer.name || `用户 ${c.volunteer.user_id}` },
      { title: "项目", value: (c) => `${c.project.title}（${c.project.year}）` },
      { title: "岗位", value: (c) => c.post.role },
      { title: "时间", value: (c) => postTime(c.post) },
      { title: "地点", value: (c) => c.post.location },
      { title: "状态", value: (c) => claimStates[c.state] ?? c.state },
      { title: "操作", value: (c) => claimButtons(c, load) },
    ], r.data.items, state.value === "pending" ? "没有待审批的认领" : "暂无记录"));
  }
  state.onchange = load;
  await load();
}
