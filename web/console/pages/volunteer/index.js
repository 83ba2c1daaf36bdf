// 志愿者工作站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
// One file per page; what two pages share (labels, claim buttons, attendance) has its own file.
import * as claims from "./claims.js";
import * as compliance from "./compliance.js";
import * as hours from "./hours.js";
import * as projects from "./projects.js";
import * as screen from "./screen.js";

export const pages = [
  { path: "projects", title: "项目与岗位", render: projects.render },
  { path: "claims", title: "认领审批", render: claims.render },
  { path: "hours", title: "时长审核", render: hours.render },
  { path: "screen", title: "签到屏", render: screen.render },
  { path: "compliance", title: "双报到合规", render: compliance.render },
];

// The station's panel on the dashboard page: dashboard(root, ctx) draws its charts into root
// (lib/chart.js) and offers its CSV downloads.
export { dashboard } from "./dashboard.js";
