// The station's panel on the dashboard: the last twelve Beijing months at a glance (places
// booked, how full the opening hours were, no-shows, how residents rated the service) and the
// CSV exports staff take to Excel for the monthly report.
import { stationCall, problem, download } from "../../lib/api.js";
import { el, button, say, beijingToday } from "../../lib/ui.js";
import { barChart } from "../../lib/chart.js";
import { field } from "../../lib/form.js";
import { loadServices, servicePicker } from "./service-list.js";

// One decimal only when needed: a quiet month's ticks are 0.5%, 1%, 1.5%.
const percent = (v) => `${+(v * 100).toFixed(1)}%`;
// The chart's own <title> is a tooltip; people need the title on the page.
const captioned = (title, points, options) => el("figure", { class: "chart" }, el("figcaption", {}, title), barChart(title, points, options));

export async function dashboard(root) {
  const charts = el("div", { class: "charts", id: "convenience-charts" });
  root.replaceChildren(el("section", { id: "convenience-dashboard" },
    el("h2", {}, "便民服务站 · 近 12 个月"), charts, el("h3", {}, "导出 CSV（Excel 可直接打开）"), await exports()));

  const r = await stationCall("convenience", "GET", "/stats/monthly?months=12");
  if (r.status !== 200) return say(problem(r), true);
  const months = r.data.months;
  const series = (value) => months.map((m) => ({ label: `${Number(m.month.slice(5))}月`, value: value(m) ?? 0 }));
  charts.replaceChildren(
    captioned("预约人次", series((m) => m.bookings)),
    captioned("时段利用率（已约 / 可约名额）", series((m) => m.utilisation), { format: percent }),
    captioned("未到人次", series((m) => m.no_shows)),
    captioned("平均满意度（1–5 星，无评价的月份为 0）", series((m) => m.rating_avg), { format: (v) => v.toFixed(1) }));
  const total = months.reduce((n, m) => n + m.bookings, 0);
  charts.after(el("p", { class: "muted" },
    `近 12 个月共 ${total} 人次。按预约时段所在月份统计（北京时间）；可约名额按各服务现行的开放时间计算。`));
}

// Date range (default: this month) and service, then one button per export.
async function exports() {
  const today = beijingToday();
  const from = el("input", { type: "date", value: `${today.slice(0, 8)}01` });
  const to = el("input", { type: "date", value: today });
  const picker = servicePicker(await loadServices(), { anyLabel: "全部服务" });
  const get = async (what, name) => {
    const q = new URLSearchParams({ from: from.value, to: to.value });
    if (picker.value) q.set("service_id", picker.value);
    const r = await download(`/stations/convenience/exports/${what}?${q}`, `便民服务站-${name}-${from.value}-${to.value}.csv`);
    say(r.status === 200 ? `已导出${name}` : problem(r), r.status !== 200);
  };
  return el("div", { class: "toolbar" },
    field("从", from), field("到", to), field("服务", picker),
    button("导出预约 CSV", () => get("bookings", "预约")),
    button("导出评价 CSV", () => get("ratings", "评价")));
}
