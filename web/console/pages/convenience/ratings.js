// 评价审核: rating comments the text check held for review wait here until staff release them
// (then everyone sees them, without names). "全部评价" lists every rating, newest first.
import { stationCall, problem } from "../../lib/api.js";
import { el, button, table, say, when } from "../../lib/ui.js";
import { loadServices } from "./service-list.js";

export async function render(root) {
  const names = Object.fromEntries((await loadServices()).map((s) => [s.id, s.name]));
  const all = el("input", { type: "checkbox", id: "ratings-all" });
  const rows = el("div", { id: "ratings" });
  const more = button("更多", () => load(true), { hidden: true });
  root.replaceChildren(el("section", { id: "convenience-ratings" },
    el("h2", {}, "评价审核"),
    el("div", { class: "toolbar" }, el("label", {}, all, " 显示全部评价（不只是待审核的）")),
    rows, more));

  let items = [];
  let next = null;
  async function load(append = false) {
    const query = [all.checked ? "all=1" : "", append && next ? `before=${next}` : ""].filter(Boolean).join("&");
    const r = await stationCall("convenience", "GET", `/ratings${query ? `?${query}` : ""}`);
    if (r.status !== 200) return say(problem(r), true);
    items = append ? items.concat(r.data.items) : r.data.items;
    next = r.data.next_before;
    more.hidden = !next;
    rows.replaceChildren(table([
      { title: "评分", value: (x) => el("span", { class: "stars", title: `${x.stars} 星` }, "★".repeat(x.stars) + "☆".repeat(5 - x.stars)) },
      { title: "评语", value: (x) => x.comment },
      { title: "服务", value: (x) => names[x.service_id] ?? `服务 ${x.service_id}` },
      { title: "居民", value: (x) => x.resident?.display_name || `居民 ${x.resident?.user_id}` },
      { title: "时间", value: (x) => when(x.created_at) },
      { title: "状态", value: (x) => (x.visible ? "已公开" : "待审核") },
      { title: "操作", value: (x) => (x.visible ? null : button("公开", () => release(x))) },
    ], items, all.checked ? "还没有评价" : "没有待审核的评语"));
  }

  async function release(x) {
    const r = await stationCall("convenience", "POST", `/ratings/${x.id}/release`, {});
    if (r.status !== 200) return say(problem(r), true);
    say("评语已公开");
    await load();
  }

  all.onchange = () => load();
  await load();
}
