// 评价审核: residents' ratings. A comment WeChat's screening flagged for review stays hidden until
// staff read it and 发布 it; a comment it found risky was never stored. "全部评价" shows every
// rating, newest first, twenty at a time.
import { problem } from "../../lib/api.js";
import { el, button, table, say, when } from "../../lib/ui.js";
import { api, allServices, residentLabel } from "./station.js";

export async function render(root) {
  const services = await allServices();
  const serviceName = Object.fromEntries((services.items ?? []).map((s) => [s.id, s.name]));
  const all = el("input", { id: "ratings-all", type: "checkbox" });
  const list = el("div", { id: "rating-list" });
  const more = button("更多", () => load(true), { id: "ratings-more", hidden: true });
  root.replaceChildren(el("section", { id: "ratings" }, el("h2", {}, "评价审核"),
    el("div", { class: "toolbar" }, el("label", {}, all, " 显示全部评价（否则只看待审核的评语）")), list, more));

  let rows = [], next = null;
  const stars = (n) => "★".repeat(n) + "☆".repeat(5 - n);

  async function release(x) {
    const r = await api("POST", `/ratings/${x.id}/release`, {});
    say(r.status === 200 ? "评语已公开" : problem(r), r.status !== 200);
    load();
  }

  async function load(append = false) {
    const q = new URLSearchParams();
    if (all.checked) q.set("all", "1");
    if (append && next) q.set("before", String(next));
    const r = await api("GET", `/ratings?${q}`);
    if (r.status !== 200) return say(problem(r), true);
    rows = append ? rows.concat(r.data.items) : r.data.items;
    next = r.data.next_before;
    more.hidden = !next;
    list.replaceChildren(table([
      { title: "时间", value: (x) => when(x.created_at) },
      { title: "服务", value: (x) => serviceName[x.service_id] ?? `服务 ${x.service_id}` },
      { title: "预约", value: (x) => `#${x.booking_id}` },
      { title: "居民", value: (x) => residentLabel(x.resident) },
      { title: "评分", value: (x) => el("span", { class: "stars", title: `${x.stars} 星` }, stars(x.stars)) },
      { title: "评语", value: (x) => x.comment },
      { title: "状态", value: (x) => (x.visible ? "已公开" : "待审核") },
      { title: "操作", value: (x) => (x.visible ? null : button("发布", () => release(x))) },
    ], rows, all.checked ? "还没有评价" : "没有待审核的评语"));
    list.querySelector("tbody").id = "rating-rows";
  }
  all.onchange = () => load();
  await load();
}
