// 通知发件箱: the notifications stations queued for residents, by state, station and template.
// Dead letters (given up after every retry) stand out with the last error WeChat gave, and can be
// queued again. Admins only (the server refuses everyone else).
import { call, problem } from "../lib/api.js";
import { el, button, table, say, when } from "../lib/ui.js";

export const outboxStates = {
  queued: "待发送",
  sent: "已发送",
  no_consent: "未订阅",
  refused: "被拒收",
  invalid: "内容无效",
  dead: "发送失败（死信）",
};
const retryable = new Set(["dead", "refused"]);

export async function render(root, ctx) {
  const state = el("select", { name: "state" }, el("option", { value: "" }, "全部状态"),
    Object.entries(outboxStates).map(([k, v]) => el("option", { value: k }, v)));
  const station = el("select", { name: "station" }, el("option", { value: "" }, "全部服务站"),
    ctx.stations.map((s) => el("option", { value: s.id }, s.name)));
  const template = el("input", { name: "template", maxlength: "64", placeholder: "模板，如 booked" });
  const filters = el("form", { class: "toolbar" }, state, station, template, el("button", { type: "submit" }, "查询"));
  const counts = el("p", { class: "muted" });
  const rows = el("div");
  const more = el("div");
  root.replaceChildren(el("section", { id: "outbox" }, el("h2", {}, "通知发件箱"), counts, filters, rows, more));

  const stationName = (id) => ctx.stations.find((s) => s.id === id)?.name ?? id;
  let items = [];

  async function showCounts() {
    const r = await call("GET", "/admin/summary");
    if (r.status !== 200) return;
    const dead = r.data.outbox.dead ?? 0;
    counts.replaceChildren(
      Object.entries(outboxStates).map(([k, v]) => `${v} ${r.data.outbox[k] ?? 0}`).join(" · "),
      dead ? el("span", { class: "bad" }, ` — 有 ${dead} 条死信待处理`) : "");
  }

  function show() {
    rows.replaceChildren(table([
      { title: "编号", value: (n) => String(n.id) },
      { title: "服务站", value: (n) => stationName(n.station) },
      { title: "模板", value: (n) => n.template_key },
      { title: "用户", value: (n) => String(n.user_id) },
      { title: "状态", value: (n) => outboxStates[n.state] ?? n.state, class: (n) => (n.state === "dead" ? "dead" : undefined) },
      { title: "尝试", value: (n) => String(n.attempts) },
      { title: "最后错误", class: "error",
        value: (n) => (n.last_error || n.last_errcode ? `${n.last_errcode ?? ""} ${n.last_error ?? ""}`.trim() : "") },
      { title: "创建", value: (n) => when(n.created_at) },
      { title: "更新", value: (n) => when(n.updated_at) },
      { title: "操作", value: (n) => (retryable.has(n.state) ? button("重发", () => retry(n)) : "") },
    ], items, "没有符合条件的通知"));
  }

  async function load(before) {
    const params = new URLSearchParams({ limit: "50" });
    if (state.value) params.set("state", state.value);
    if (station.value) params.set("station", station.value);
    if (template.value.trim()) params.set("template", template.value.trim());
    if (before) params.set("before", String(before));
    const r = await call("GET", `/admin/outbox?${params}`);
    if (r.status !== 200) return say(problem(r), true);
    items = before ? items.concat(r.data.items) : r.data.items;
    show();
    const next = r.data.next_before;
    more.replaceChildren(next ? button("更早", () => load(next)) : "");
  }

  async function retry(n) {
    const r = await call("POST", `/admin/outbox/${n.id}/retry`, {});
    if (r.status !== 200) return say(problem(r), true);
    say(`通知 ${n.id} 已重新排队发送`);
    await Promise.all([load(), showCounts()]);
  }

  filters.onsubmit = (ev) => {
    ev.preventDefault();
    load();
  };
  await Promise.all([load(), showCounts()]);
}
