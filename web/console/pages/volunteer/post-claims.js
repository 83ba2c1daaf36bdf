// One post's claims, every state, with what staff may do to each (GET /posts/{id}/claims).
import { problem, stationCall } from "../../lib/api.js";
import { el, say, table, when } from "../../lib/ui.js";
import { claimButtons } from "./claim-actions.js";
import { claimStates, station } from "./labels.js";

export async function showPostClaims(box, post) {
  const r = await stationCall(station, "GET", `/posts/${post.id}/claims`);
  if (r.status !== 200) return say(problem(r), true);
  const { post: p, items } = r.data;
  box.replaceChildren(
    el("h3", {}, `认领名单：${p.role}（已认领 ${p.taken} / ${p.spots}）`),
    table([
      { title: "志愿者", value: (c) => c.volunteer.name || `用户 ${c.volunteer.user_id}` },
      { title: "认领时间", value: (c) => when(c.created_at) },
      { title: "状态", value: (c) => claimStates[c.state] ?? c.state },
      { title: "原因", value: (c) => c.reason },
      { title: "操作", value: (c) => claimButtons(c, () => showPostClaims(box, post)) },
    ], items, "还没有人认领"));
}
