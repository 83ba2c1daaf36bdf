// What staff may do with a claim, as buttons: approve a pending one; decline it or cancel a live
// one with a reason (the volunteer is told the reason). Shared by 认领审批 and a post's claim list.
import { problem, stationCall } from "../../lib/api.js";
import { askReason } from "../../lib/ask-dialog.js";
import { button, say } from "../../lib/ui.js";
import { station } from "./labels.js";

async function decide(claim, action, body, done, label) {
  const r = await stationCall(station, "POST", `/claims/${claim.id}/${action}`, body);
  say(r.status === 200 ? `已${label}：${claim.volunteer?.name ?? ""} · ${claim.post.role}` : problem(r), r.status !== 200);
  await done();
}

// Buttons for `claim` (a staff view of it); `done` reloads whatever shows it.
export function claimButtons(claim, done) {
  const out = [];
  if (claim.state === "pending") {
    out.push(button("通过", () => decide(claim, "approve", {}, done, "通过")));
    out.push(button("不通过", async () => {
      const reason = await askReason(`不通过 ${claim.volunteer?.name ?? ""} 的认领`, "原因（会告知志愿者）");
      if (reason !== null) await decide(claim, "decline", { reason }, done, "不通过");
    }));
  }
  if (claim.state === "pending" || claim.state === "approved") {
    out.push(button("取消", async () => {
      const reason = await askReason(`取消 ${claim.volunteer?.name ?? ""} 的认领`, "原因（会告知志愿者）");
      if (reason !== null) await decide(claim, "cancel", { reason }, done, "取消");
    }));
  }
  return out;
}
