// 数据看板: the first page staff see. Admins get the community's counts (users by role, the
// notification outbox, stations); then each station whose reports the user sees (staff: their
// own; admins: all) draws its own panel, when its page module has one (pages/<station>/index.js
// exports `dashboard`). A panel that fails shows its error in its own section and leaves the
// others standing.
import { call, problem } from "../lib/api.js";
import { barChart } from "../lib/chart.js";
import { roleLabel } from "../lib/roles.js";
import { el } from "../lib/ui.js";
import { outboxStates } from "./outbox.js";
import { stateNames } from "./stations.js";

// `panels` is { <station id>: dashboard(root, ctx) | null }, from pages/index.js.
export async function render(root, ctx, panels = {}) {
  root.replaceChildren(el("h2", { class: "page-title" }, "数据看板"));
  if (ctx.roles.admin) root.append(await corePanel(ctx));
  const mine = ctx.stations.filter((s) => ctx.roles.sees(s.id) && typeof panels[s.id] === "function");
  for (const s of mine) {
    const body = el("div", { class: "panel" });
    root.append(el("section", { class: "station-panel", "data-station": s.id }, el("h3", {}, s.name), body));
    try {
      await panels[s.id](body, ctx);
    } catch (e) {
      body.replaceChildren(el("p", { class: "bad" }, `${s.name}的数据面板出错：${e.message}`));
    }
  }
  if (mine.length === 0)
    root.append(el("section", { id: "no-panels" }, el("p", { class: "muted" },
      ctx.roles.admin ? "各服务站暂时还没有数据面板。" : "您负责的服务站暂时还没有数据面板，敬请期待。")));
}

async function corePanel(ctx) {
  const section = el("section", { id: "core-panel" }, el("h3", {}, "社区概况"));
  const r = await call("GET", "/admin/summary");
  if (r.status !== 200) {
    section.append(el("p", { class: "bad" }, problem(r)));
    return section;
  }
  const { users, outbox, stations } = r.data;
  const points = (counts, label) => Object.entries(counts).map(([k, v]) => ({ label: label(k), value: v }));
  const stat = (label, value) => el("span", { class: "stat" }, el("b", {}, String(value)), label);
  section.append(
    el("div", {},
      stat("用户", users.total),
      stat("待发送通知", outbox.queued ?? 0),
      stat("死信", outbox.dead ?? 0),
      stat("运行中的服务站", stations.active ?? 0)),
    el("div", { class: "charts" },
      barChart("用户角色", points(users.by_role, (k) => roleLabel(k, ctx.stations))),
      barChart("通知发件箱", points(outbox, (k) => outboxStates[k] ?? k)),
      barChart("服务站状态", points(stations, (k) => stateNames[k] ?? k))));
  return section;
}
