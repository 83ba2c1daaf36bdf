// The station's figures, month by month (GET /stats/monthly): places booked, how much of what the
// opening hours offered was used, no-shows and the average rating; and the CSV exports for Excel.
// Drawn into the dashboard page and into the station's own 统计与导出 page.
import { download, problem } from "../../lib/api.js";
import { barChart } from "../../lib/chart.js";
import { el, button, say, beijingToday } from "../../lib/ui.js";
import { api } from "./station.js";

// Ticks of small shares (a new station uses a few per cent of its places) need their decimal.
const percent = (v) => `${+(v * 100).toFixed(1)}%`;
const monthLabel = (m) => `${Number(m.slice(5, 7))}月`;

// The first and last day of this Beijing month, as the exports' default range.
export function thisMonth(today = beijingToday()) {
  const [y, m] = today.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${today.slice(0, 7)}-01`, to: `${today.slice(0, 7)}-${String(last).padStart(2, "0")}` };
}

function exportsForm() {
  const range = thisMonth();
  const from = el("input", { id: "convenience-export-from", type: "date", value: range.from });
  const to = el("input", { id: "convenience-export-to", type: "date", value: range.to });
  const get = (what, title) => button(title, async () => {
    const q = new URLSearchParams({ from: from.value, to: to.value });
    const r = await download(`/stations/convenience/exports/${what}?${q}`, `便民服务站-${title.replace("导出", "")}-${from.value}-${to.value}.csv`);
    if (r.status !== 200) say(problem(r), true);
  }, { id: `convenience-export-${what}` });
  return el("div", { class: "toolbar" }, el("label", {}, "从 ", from), el("label", {}, "到 ", to),
    get("bookings", "导出预约"), get("ratings", "导出评价"));
}

export async function dashboard(root) {
  const charts = el("div", { class: "charts", id: "convenience-charts" });
  root.replaceChildren(el("h3", {}, "便民服务站"), charts, el("h4", {}, "导出到 Excel（CSV）"), exportsForm());
  const r = await api("GET", "/stats/monthly?months=12");
  if (r.status !== 200) {
    charts.replaceChildren(el("p", { class: "muted" }, `统计暂不可用：${problem(r)}`));
    return;
  }
  const months = r.data.months;
  const series = (key) => months.map((m) => ({ label: monthLabel(m.month), value: m[key] ?? 0 }));
  charts.replaceChildren(
    barChart("每月预约人次", series("bookings")),
    barChart("时段利用率（已约 / 可约）", series("utilisation"), { format: percent }),
    barChart("每月未到人次", series("no_shows")),
    barChart("平均评分（星）", series("rating_avg"), { format: (v) => String(+v.toFixed(2)) }));
}

export async function render(root) {
  const panel = el("section", { id: "convenience-stats" });
  root.replaceChildren(el("h2", {}, "统计与导出"), panel);
  await dashboard(panel);
}
