// 用户与角色: find a user by name, id or role, see their roles, grant and revoke them. Admins only
// (the server refuses everyone else). Making or unmaking an admin asks first: it opens or closes
// the whole console.
import { call, problem } from "../lib/api.js";
import { roleLabel, roleNames } from "../lib/roles.js";
import { el, button, table, say, when } from "../lib/ui.js";

// The roles an admin hands out here; resident is everyone's and is not granted.
const grantable = ["staff", "grid", "member", "unit_contact", "admin"];

export async function render(root, ctx) {
  const stations = ctx.stations;
  const q = el("input", { name: "q", type: "search", maxlength: "50", placeholder: "姓名或用户编号" });
  const role = el("select", { name: "role" },
    el("option", { value: "" }, "全部角色"),
    el("option", { value: "admin" }, roleNames.admin),
    el("option", { value: "staff" }, "任一服务站工作人员"),
    stations.map((s) => el("option", { value: `staff:${s.id}` }, roleLabel(`staff:${s.id}`, stations))),
    ["grid", "member", "unit_contact"].map((r) => el("option", { value: r }, roleNames[r])));
  const search = el("form", { class: "toolbar" }, q, role, el("button", { type: "submit" }, "搜索"));
  const results = el("div");
  const more = el("div");
  const detail = el("div");
  root.replaceChildren(el("section", { id: "users" }, el("h2", {}, "用户与角色"), search, results, more), detail);

  let items = [];

  function showList() {
    results.replaceChildren(table([
      { title: "编号", value: (u) => String(u.id) },
      { title: "名称", value: (u) => u.display_name || "（未填写）" },
      { title: "注册时间", value: (u) => when(u.created_at) },
      { title: "角色", value: (u) => u.roles.map((r) => roleLabel(r, stations)).join("、") },
      { title: "操作", value: (u) => button("管理角色", () => showUser(u)) },
    ], items, "没有符合条件的用户"));
  }

  async function load(before) {
    const params = new URLSearchParams({ limit: "50" });
    if (q.value.trim()) params.set("q", q.value.trim());
    if (role.value) params.set("role", role.value);
    if (before) params.set("before", String(before));
    const r = await call("GET", `/admin/users?${params}`);
    if (r.status !== 200) return say(problem(r), true);
    items = before ? items.concat(r.data.items) : r.data.items;
    showList();
    const next = r.data.next_before;
    more.replaceChildren(next ? button("更早", () => load(next)) : "");
  }

  // After a grant or revoke: the server's answer is the user as they now are.
  function changed(user) {
    items = items.map((u) => (u.id === user.id ? { ...u, roles: user.roles } : u));
    showList();
    showUser(user);
  }

  function showUser(user) {
    const kind = el("select", { name: "kind" }, grantable.map((r) => el("option", { value: r }, roleNames[r])));
    const station = el("select", { name: "station" }, stations.map((s) => el("option", { value: s.id }, s.name)));
    const grid = el("input", { name: "grid", maxlength: "64", placeholder: "网格编号，如 g1", hidden: true });
    kind.onchange = () => {
      station.hidden = kind.value !== "staff";
      grid.hidden = kind.value !== "grid";
    };
    const grant = el("form", { class: "toolbar" }, "授予角色：", kind, station, grid, el("button", { type: "submit" }, "授予"));
    grant.onsubmit = async (ev) => {
      ev.preventDefault();
      const text = kind.value === "staff" ? `staff:${station.value}` : kind.value === "grid" ? `grid:${grid.value.trim()}` : kind.value;
      if (text === "admin" && !confirm(`确定让「${user.display_name || user.id}」成为社区管理员？管理员可以管理所有服务站、用户与角色。`)) return;
      const r = await call("POST", `/admin/users/${user.id}/roles`, { role: text });
      if (r.status !== 201 && r.status !== 200) return say(problem(r), true);
      say(r.status === 201 ? `已授予：${roleLabel(text, stations)}` : `该用户已有此角色：${roleLabel(text, stations)}`);
      changed(r.data);
    };
    const revoke = (text) => button("撤销", async () => {
      if (text === "admin") {
        const self = user.id === ctx.me.id ? "这是您自己的管理员角色，撤销后您将无法再进入管理页面。" : "";
        if (!confirm(`确定撤销「${user.display_name || user.id}」的社区管理员角色？${self}`)) return;
      }
      const r = await call("DELETE", `/admin/users/${user.id}/roles/${encodeURIComponent(text)}`);
      if (r.status !== 200) return say(problem(r), true);
      say(`已撤销：${roleLabel(text, stations)}`);
      changed(r.data);
    });
    detail.replaceChildren(el("section", { id: "user-detail" },
      el("h3", {}, `${user.display_name || "（未填写）"}（编号 ${user.id}）`),
      el("ul", { class: "roles" }, user.roles.map((r) =>
        el("li", {}, roleLabel(r, stations), " ", r === "resident" ? el("span", { class: "muted" }, "所有用户都有") : revoke(r)))),
      grant));
  }

  search.onsubmit = (ev) => {
    ev.preventDefault();
    detail.replaceChildren();
    load();
  };
  await load();
}
