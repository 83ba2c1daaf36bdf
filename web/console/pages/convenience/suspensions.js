// 暂停预约: residents whose booking is suspended after repeated no-shows (the station's policy).
// Staff may lift one early — a no-show marked by mistake — with a reason kept in the audit.
import { problem } from "../../lib/api.js";
import { askText } from "../../lib/ask.js";
import { el, button, table, say, when } from "../../lib/ui.js";
import { api, residentLabel } from "./station.js";

export async function render(root) {
  const list = el("div", { id: "suspension-list" });
  root.replaceChildren(el("section", { id: "suspensions" }, el("h2", {}, "暂停预约"),
    el("p", { class: "muted" }, "多次预约后未到的居民会被暂停预约一段时间。误标“未到”时可在这里提前解除。"), list));

  async function lift(x, reason) {
    const r = await api("POST", `/suspensions/${x.id}/lift`, { reason });
    if (r.status !== 200) {
      say(problem(r), true);
      return false;
    }
    say(`已解除：${residentLabel(x.resident)}`);
    await load();
    return true;
  }

  async function load() {
    const r = await api("GET", "/suspensions");
    if (r.status !== 200) return say(problem(r), true);
    list.replaceChildren(table([
      { title: "居民", value: (x) => residentLabel(x.resident) },
      { title: "未到次数", value: (x) => String(x.no_shows) },
      { title: "开始", value: (x) => when(x.starts_at) },
      { title: "暂停至", value: (x) => when(x.until) },
      { title: "操作", value: (x) => {
        const cell = el("span");
        cell.append(button("解除", () => askText(cell, { placeholder: "解除原因", confirm: "确认解除", send: (reason) => lift(x, reason) })));
        return cell;
      } },
    ], r.data.items, "目前没有被暂停预约的居民"));
    list.querySelector("tbody").id = "suspension-rows";
  }
  await load();
}
