// 便民服务站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
// The desk comes first: it is what staff open every morning.
import * as desk from "./desk.js";
import * as services from "./services.js";
import * as ratings from "./ratings.js";
import * as suspensions from "./suspensions.js";

export const pages = [
  { path: "desk", title: "今日接待", render: desk.render },
  { path: "services", title: "服务项目", render: services.render },
  { path: "ratings", title: "评价审核", render: ratings.render },
  { path: "suspensions", title: "暂停预约", render: suspensions.render },
];

// The station's panel on the dashboard page: dashboard(root, ctx) draws its charts into root
// (lib/chart.js) and offers its CSV downloads; null while the station has none.
export const dashboard = null;
