// 暂停预约: residents whose booking is suspended after repeated no-shows, until when; staff may
// lift a suspension early (a no-show marked by mistake), with a reason kept in the audit.
import { stationCall, problem } from "../../lib/api.js";
import { el, table, say, when } from "../../lib/ui.js";
import { reasonButton } from "../../lib/confirm.js";

export async function render(root) {
  const rows = el("div", { id: "suspensions" });
  root.replaceChildren(el("section", { id: "convenience-suspensions" },
    el("h2", {}, "暂停预约"),
    el("p", { class: "muted" }, "居民多次预约后未到，会被暂停预约一段时间。误标“未到”时可提前解除。"),
    rows));

  async function load() {
    const r = await stationCall("convenience", "GET", "/suspensions");
    if (r.status !== 200) return say(problem(r), true);
    rows.replaceChildren(table([
      { title: "居民", value: (x) => x.resident?.display_name || `居民 ${x.resident?.user_id}` },
      { title: "居民编号", value: (x) => String(x.resident?.user_id ?? "") },
      { title: "未到次数", value: (x) => String(x.no_shows) },
      { title: "开始", value: (x) => when(x.starts_at) },
      { title: "暂停至", value: (x) => when(x.until) },
      { title: "操作", value: (x) => reasonButton("解除", (reason) => lift(x, reason), "解除原因") },
    ], r.data.items, "当前没有被暂停预约的居民"));
  }

  async function lift(x, reason) {
    const r = await stationCall("convenience", "POST", `/suspensions/${x.id}/lift`, { reason });
    if (r.status !== 200) return say(problem(r), true);
    say(`已解除 ${x.resident?.display_name ?? ""} 的暂停`);
    await load();
  }

  await load();
}
