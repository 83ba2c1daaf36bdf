// Every console page and who may open it. A page is { path, title, render(root, ctx) } where
// ctx = { me, roles, stations } (roles from ../lib/roles.js, stations from GET /api/v1/stations).
// Station pages are listed by the station's own module and shown to that station's staff and to
// admins; the server checks the same roles on every call the page makes.
import * as audit from "./audit.js";
import * as dashboard from "./dashboard.js";
import * as outbox from "./outbox.js";
import * as stations from "./stations.js";
import * as users from "./users.js";
import * as convenience from "./convenience/index.js";
import * as volunteer from "./volunteer/index.js";

// Each station's module: its pages, and its dashboard panel (or null).
const stationModules = { convenience, volunteer };

// The dashboard's panel of each station that has one, keyed by station id.
const stationDashboards = Object.fromEntries(Object.entries(stationModules).map(([id, m]) => [id, m.dashboard ?? null]));

// The first page is where the console opens.
export const corePages = [
  { path: "dashboard", title: "数据看板", allowed: (roles) => roles.admin || roles.staffOf.length > 0,
    render: (root, ctx) => dashboard.render(root, ctx, stationDashboards) },
  { path: "users", title: "用户与角色", allowed: (roles) => roles.admin, render: users.render },
  { path: "outbox", title: "通知发件箱", allowed: (roles) => roles.admin, render: outbox.render },
  { path: "audit", title: "操作日志", allowed: (roles) => roles.admin, render: audit.render },
  { path: "stations", title: "服务站与插件", allowed: (roles) => roles.admin, render: stations.render },
];

// Pages a station brings, keyed by station id.
export const stationPages = Object.fromEntries(Object.entries(stationModules).map(([id, m]) => [id, m.pages]));

// The menu for this user: [{ group, pages: [{ path, title, render }] }], in the order shown.
export function menuFor(roles, stationList) {
  const groups = [];
  const core = corePages.filter((p) => p.allowed(roles));
  if (core.length) groups.push({ group: roles.admin ? "社区管理" : "总览", pages: core });
  for (const s of stationList) {
    const pages = stationPages[s.id];
    if (pages?.length && roles.runs(s.id))
      groups.push({ group: s.name, pages: pages.map((p) => ({ ...p, path: `${s.id}/${p.path}` })) });
  }
  return groups;
}
