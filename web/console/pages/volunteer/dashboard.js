// 志愿者工作站's panel on the dashboard: per month for the last twelve (Beijing months, from
// GET /stats/monthly) the approved hours served, the claims made and the check-ins; this year's
// 双报到 completion for members and units; and the year's CSV files.
import { download, problem, stationCall } from "../../lib/api.js";
import { barChart } from "../../lib/chart.js";
import { button, el, say } from "../../lib/ui.js";
import { station } from "./labels.js";

// "2026-11" → "11月": twelve labels must fit under twelve narrow bars; the caption gives the years.
const monthLabel = (month) => `${Number(month.slice(5, 7))}月`;
const percent = (part, total) => (total ? Math.round((part / total) * 1000) / 10 : 0);

function figure(title, svg, note) {
  return el("figure", {}, svg, el("figcaption", {}, title, note ? el("span", { class: "muted" }, ` ${note}`) : null));
}

export async function dashboard(root) {
  const r = await stationCall(station, "GET", "/stats/monthly?months=12");
  if (r.status !== 200) {
    root.replaceChildren(el("p", { class: "muted" }, `志愿者工作站数据暂不可用：${problem(r)}`));
    return;
  }
  const { months, compliance: c } = r.data;
  const series = (field) => months.map((m) => ({ label: monthLabel(m.month), value: m[field] }));
  const sum = (field) => months.reduce((n, m) => n + m[field], 0);
  const span = `${months[0].month} 至 ${months[months.length - 1].month}`;
  const completion = [
    { label: "党员", value: percent(c.members.compliant, c.members.total) },
    { label: "单位", value: percent(c.units.compliant, c.units.total) },
  ];
  const csv = (label, path, filename) => button(label, async () => {
    const d = await download(`/stations/${station}${path}`, filename);
    if (d.status !== 200) say(problem(d), true);
  });

  root.replaceChildren(el("div", { id: "volunteer-dashboard" },
    el("div", { class: "charts" },
      figure("每月核定服务时长（小时）", barChart("每月核定服务时长（小时）", series("hours")), `${span} 共 ${Math.round(sum("hours") * 100) / 100} 小时`),
      figure("每月认领数", barChart("每月认领数", series("claims")), `共 ${sum("claims")} 个`),
      figure("每月签到人次", barChart("每月签到人次", series("check_ins")), `共 ${sum("check_ins")} 人次`),
      figure(`${c.year} 年双报到完成率`, barChart(`${c.year} 年双报到完成率`, completion, { format: (v) => `${Math.round(v)}%`, atLeast: 100 }),
        `党员 ${c.members.compliant} / ${c.members.total}，单位 ${c.units.compliant} / ${c.units.total}`)),
    el("div", { class: "toolbar" },
      csv(`下载 ${c.year} 年服务记录（CSV）`, `/exports/service-records?year=${c.year}`, `服务记录-${c.year}.csv`),
      csv(`下载 ${c.year} 年双报到·党员（CSV）`, `/reports/compliance/members?year=${c.year}&format=csv`, `双报到-党员-${c.year}.csv`),
      csv(`下载 ${c.year} 年双报到·单位（CSV）`, `/reports/compliance/units?year=${c.year}&format=csv`, `双报到-单位-${c.year}.csv`))));
}
