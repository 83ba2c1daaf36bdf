// How the station's records read in the console: states, time types, eligibility rules and a
// post's time, in the words staff use. One place, so every page says the same thing.
import { beijingToday, when } from "../../lib/ui.js";

export const station = "volunteer";

export const openClosed = { open: "开放", closed: "已关闭" };
export const claimStates = { pending: "待审批", approved: "已通过", declined: "未通过", withdrawn: "已退出", cancelled: "已取消" };
export const hoursStatus = { pending: "待审核", approved: "已通过", declined: "未通过" };
export const timeTypes = { shift: "固定班次", window: "时段内任意时间", ongoing: "长期" };
export const hoursSources = { shift: "扫码签到", walk_in: "现场登记", auto_closed: "系统自动签退" };
export const methods = { qr: "扫码", manual: "手动", auto: "系统自动" };

// "2026-03-07 09:00 – 11:00", or the time type alone for a post without times.
export function postTime(post) {
  if (!post.starts_at) return timeTypes[post.time_type] ?? post.time_type;
  const from = when(post.starts_at), to = when(post.ends_at);
  const sameDay = from.slice(0, 10) === to.slice(0, 10);
  return `${from} – ${sameDay ? to.slice(11) : to}${post.time_type === "window" ? "（时段内）" : ""}`;
}

// "仅党员 · 需培训：交通安全培训 · 18–65 岁", or "不限".
export function eligibilityText(e) {
  if (!e) return "不限";
  const parts = [];
  if (e.members_only) parts.push("仅党员");
  if (e.training) parts.push(`需培训：${e.training}`);
  if (e.min_age != null || e.max_age != null) parts.push(`${e.min_age ?? 0}–${e.max_age ?? "不限"} 岁`);
  return parts.length ? parts.join(" · ") : "不限";
}

// 150 minutes → "2.5"
export const hoursText = (minutes) => String(Math.round((minutes / 60) * 100) / 100);

export const currentYear = () => Number(beijingToday().slice(0, 4));
