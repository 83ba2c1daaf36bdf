// 便民服务站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
// The desk comes first: it is what staff open every morning.
import * as desk from "./desk.js";
import * as services from "./services.js";
import * as ratings from "./ratings.js";
import * as suspensions from "./suspensions.js";
import * as approvals from "./approvals.js";
import * as households from "./households.js";
import * as calendar from "./calendar.js";
import * as stats from "./dashboard.js";

export const pages = [
  { path: "desk", title: "今日接待", render: desk.render },
  { path: "approvals", title: "待审核预约", render: approvals.render },
  { path: "services", title: "服务项目", render: services.render },
  { path: "calendar", title: "节假日安排", render: calendar.render },
  { path: "households", title: "住户登记", render: households.render },
  { path: "ratings", title: "评价审核", render: ratings.render },
  { path: "suspensions", title: "暂停预约", render: suspensions.render },
  { path: "stats", title: "统计与导出", render: stats.render },
];

// The station's panel on the dashboard page: dashboard(root, ctx) draws its charts into root
// (lib/chart.js) and offers its CSV downloads.
export const dashboard = stats.dashboard;
