// Who has checked in at a post (GET /posts/{id}/attendance), shown under the screen, with
// check-in and check-out by hand for a volunteer who cannot scan. Both need a reason: the server
// audits it, and refuses a manual check-in without an approved claim or outside the post's window.
import { problem, stationCall } from "../../lib/api.js";
import { ask, askReason } from "../../lib/ask-dialog.js";
import { isoFromInput } from "../../lib/beijing-time.js";
import { button, el, say, table, when } from "../../lib/ui.js";
import { methods, station } from "./labels.js";

export async function showAttendance(box, post) {
  const [r, approved] = await Promise.all([
    stationCall(station, "GET", `/posts/${post.id}/attendance`),
    stationCall(station, "GET", `/posts/${post.id}/claims?state=approved`),
  ]);
  if (r.status !== 200) return say(problem(r), true);
  const reload = () => showAttendance(box, post);

  const checkOut = async (a) => {
    const answer = await ask(`为 ${a.volunteer} 手动签退`, [
      { name: "at", label: "签退时间（不填为现在）", type: "datetime-local", required: false },
      { name: "reason", label: "原因" }]);
    if (!answer) return;
    const body = { reason: answer.reason };
    if (answer.at) body.at = isoFromInput(answer.at);
    const res = await stationCall(station, "POST", `/attendance/${a.id}/manual-check-out`, body);
    say(res.status === 200 ? `已为 ${a.volunteer} 签退` : problem(res), res.status !== 200);
    await reload();
  };

  const who = el("select", { id: "manual-check-in-user" }, el("option", { value: "" }, "选择已通过认领的志愿者"),
    (approved.data?.items ?? []).map((c) => el("option", { value: String(c.volunteer.user_id) }, c.volunteer.name || `用户 ${c.volunteer.user_id}`)));
  const checkIn = button("手动签到", async () => {
    if (!who.value) return say("请先选择志愿者", true);
    const name = who.selectedOptions[0].textContent;
    const reason = await askReason(`为 ${name} 手动签到`);
    if (reason === null) return;
    const res = await stationCall(station, "POST", `/posts/${post.id}/manual-check-in`, { user_id: Number(who.value), reason });
    say(res.status === 201 ? `已为 ${name} 签到` : problem(res), res.status !== 201);
    await reload();
  });

  const items = r.data.items;
  const inside = items.filter((a) => !a.checked_out_at).length;
  box.replaceChildren(
    el("p", {}, `签到 ${items.length} 人次，在岗 ${inside} 人`),
    table([
      { title: "志愿者", value: (a) => a.volunteer || `用户 ${a.user_id}` },
      { title: "地点", value: (a) => a.place },
      { title: "签到", value: (a) => `${when(a.checked_in_at)}（${methods[a.in_method] ?? a.in_method}）` },
      { title: "签退", value: (a) => (a.checked_out_at ? `${when(a.checked_out_at)}（${methods[a.out_method] ?? a.out_method}）` : "在岗") },
      { title: "标记", value: (a) => (a.flagged ? "需核实" : "") },
      { title: "操作", value: (a) => (a.checked_out_at ? null : button("手动签退", () => checkOut(a))) },
    ], items, "还没有人签到"),
    el("div", { class: "toolbar" }, who, checkIn));
}
