// Every console page and who may open it. A page is { path, title, render(root, ctx) } where
// ctx = { me, roles, stations } (roles from ../lib/roles.js, stations from GET /api/v1/stations).
// Station pages are listed by the station's own module and shown to that station's staff and to
// admins; the server checks the same roles on every call the page makes.
import * as stations from "./stations.js";
import { pages as convenience } from "./convenience/index.js";
import { pages as volunteer } from "./volunteer/index.js";

export const corePages = [
  { path: "stations", title: "服务站与插件", allowed: (roles) => roles.admin, render: stations.render },
];

// Pages a station brings, keyed by station id.
export const stationPages = { convenience, volunteer };

// The menu for this user: [{ group, pages: [{ path, title, render }] }], in the order shown.
export function menuFor(roles, stationList) {
  const groups = [];
  const core = corePages.filter((p) => p.allowed(roles));
  if (core.length) groups.push({ group: "社区管理", pages: core });
  for (const s of stationList) {
    const pages = stationPages[s.id];
    if (pages?.length && roles.runs(s.id))
      groups.push({ group: s.name, pages: pages.map((p) => ({ ...p, path: `${s.id}/${p.path}` })) });
  }
  return groups;
}
