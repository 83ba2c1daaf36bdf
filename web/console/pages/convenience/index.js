// 便民服务站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
import * as approvals from "./approvals.js";
import * as calendar from "./calendar.js";
import * as checkin from "./checkin.js";
import * as daySheet from "./day-sheet.js";
import * as households from "./households.js";
import * as ratings from "./ratings.js";
import * as services from "./services.js";
import * as suspensions from "./suspensions.js";
import { dashboard } from "./dashboard.js";

// In the order of a working day: the desk first, set-up and figures last.
export const pages = [
  { path: "day", title: "当日安排", render: daySheet.render },
  { path: "checkin", title: "签到", render: checkin.render },
  { path: "approvals", title: "待审批", render: approvals.render },
  { path: "ratings", title: "评价审核", render: ratings.render },
  { path: "suspensions", title: "暂停预约", render: suspensions.render },
  { path: "services", title: "服务管理", render: services.render },
  { path: "calendar", title: "节假日安排", render: calendar.render },
  { path: "households", title: "住户登记", render: households.render },
  // The dashboard's panel as a page of its own too: the CSV exports are a monthly chore.
  { path: "stats", title: "统计与导出", render: dashboard },
];

// The station's panel on the dashboard page: dashboard(root, ctx) draws its charts into root
// (lib/chart.js) and offers its CSV downloads.
export { dashboard };
