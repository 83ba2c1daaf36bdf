// 操作日志: who did what to which record, newest first, by actor, action, station, record and
// date; "更早" pages back. Admins only (the server refuses everyone else). The log is
// append-only: this page only reads it.
import { call, problem } from "../lib/api.js";
import { el, button, table, say, when } from "../lib/ui.js";

// The core's own actions in words; a station's actions are shown as the station named them.
const actionNames = {
  "role.grant": "授予角色",
  "role.revoke": "撤销角色",
  "station.enable": "启用服务站",
  "station.disable": "停用服务站",
  "station.reload": "重新加载服务站",
  "outbox.retry": "重发通知",
};

export async function render(root, ctx) {
  const input = (name, placeholder, attrs = {}) => el("input", { name, placeholder, maxlength: "64", ...attrs });
  const actor = input("actor", "操作人编号或 system", { size: "14" });
  const action = input("action", "操作，如 role 或 role.grant", { size: "20" });
  const station = el("select", { name: "station" }, el("option", { value: "" }, "全部服务站"),
    ctx.stations.map((s) => el("option", { value: s.id }, s.name)));
  const recordType = input("record_type", "对象类型，如 user", { size: "14" });
  const recordId = input("record_id", "对象编号", { size: "10" });
  const from = el("input", { name: "from", type: "date", title: "起始日期（北京时间）" });
  const to = el("input", { name: "to", type: "date", title: "截止日期（含当天）" });
  const filters = el("form", { class: "toolbar" }, actor, action, station, recordType, recordId,
    el("label", {}, "从 ", from), el("label", {}, "到 ", to), el("button", { type: "submit" }, "查询"));
  const rows = el("div");
  const more = el("div");
  root.replaceChildren(el("section", { id: "audit" }, el("h2", {}, "操作日志"), filters, rows, more));

  const stationName = (id) => (id ? ctx.stations.find((s) => s.id === id)?.name ?? id : "社区（核心）");
  let items = [];

  function show() {
    rows.replaceChildren(table([
      { title: "时间", value: (e) => when(e.at) },
      { title: "操作人", value: (e) => (e.actor_user_id == null ? "系统" : `用户 ${e.actor_user_id}`) },
      { title: "服务站", value: (e) => stationName(e.station) },
      { title: "操作", value: (e) => (actionNames[e.action] ? `${actionNames[e.action]}（${e.action}）` : e.action) },
      { title: "对象", value: (e) => [e.record_type, e.record_id].filter(Boolean).join(" ") },
      { title: "详情", value: (e) => detailText(e.detail), class: "detail" },
    ], items, "没有符合条件的记录"));
  }

  async function load(before) {
    const params = new URLSearchParams({ limit: "50" });
    const set = (k, v) => { if (v.trim()) params.set(k, v.trim()); };
    set("actor", actor.value);
    set("action", action.value);
    set("station", station.value);
    set("record_type", recordType.value);
    set("record_id", recordId.value);
    set("from", from.value);
    set("to", to.value);
    if (before) params.set("before", String(before));
    const r = await call("GET", `/admin/audit?${params}`);
    if (r.status !== 200) return say(problem(r), true);
    items = before ? items.concat(r.data.items) : r.data.items;
    show();
    const next = r.data.next_before;
    more.replaceChildren(next ? button("更早", () => load(next)) : "");
  }

  filters.onsubmit = (ev) => {
    ev.preventDefault();
    say("");
    load();
  };
  await load();
}

// An entry's detail as short text: {"role":"admin"} → "role: admin".
function detailText(detail) {
  if (!detail || typeof detail !== "object") return "";
  return Object.entries(detail).map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("；");
}
