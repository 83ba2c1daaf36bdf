// 双报到合规: a year's compliance per member (filter by unit, compliant or not, in service or not)
// and per unit (compliant or not), as the station's reports compute it, with the same rows as CSV.
import { download, problem, stationCall } from "../../lib/api.js";
import { button, el, say, table } from "../../lib/ui.js";
import { currentYear, hoursText, station } from "./labels.js";

const yesNo = (v) => (v === true ? "是" : v === false ? "否" : "");
const choice = (id, options) => el("select", { id }, options.map(([v, label]) => el("option", { value: v }, label)));
const allYesNo = (yes, no) => [["", "全部"], ["1", yes], ["0", no]];

const memberColumns = [
  { title: "姓名", value: (m) => m.name ?? `用户 ${m.user_id}` },
  { title: "报到", value: (m) => yesNo(m.declared) },
  { title: "单位", value: (m) => m.unit_name ?? "" },
  { title: "在职", value: (m) => yesNo(m.in_service) },
  { title: "认领岗位", value: (m) => `${m.claims}${m.pending_claims ? `（另 ${m.pending_claims} 个待审批）` : ""}` },
  { title: "服务时长（小时）", value: (m) => hoursText(m.minutes) },
  { title: "公益组织", value: (m) => m.public_org },
  { title: "达标", value: (m) => yesNo(m.compliant) },
];
const unitColumns = [
  { title: "单位", value: (u) => u.unit_name },
  { title: "联系人", value: (u) => u.contact_name ?? "" },
  { title: "认领项目", value: (u) => String(u.claimed_projects) },
  { title: "完成项目", value: (u) => String(u.completed_projects) },
  { title: "报到党员", value: (u) => String(u.members_declared) },
  { title: "达标党员", value: (u) => String(u.members_compliant) },
  { title: "达标", value: (u) => yesNo(u.compliant) },
];

export async function render(root) {
  const year = el("input", { id: "compliance-year", type: "number", min: "2000", max: "2100", value: String(currentYear()) });
  const unit = el("select", { id: "compliance-unit" }, el("option", { value: "" }, "全部单位"));
  const compliant = choice("compliance-compliant", allYesNo("达标", "未达标"));
  const inService = choice("compliance-in-service", allYesNo("在职", "不在职"));
  const unitCompliant = choice("compliance-unit-compliant", allYesNo("达标", "未达标"));
  const members = el("div", { id: "compliance-members" });
  const units = el("div", { id: "compliance-units" });

  const memberQuery = () => `year=${Number(year.value)}&unit_id=${unit.value || 0}&compliant=${compliant.value}&in_service=${inService.value}`;
  const unitQuery = () => `year=${Number(year.value)}&compliant=${unitCompliant.value}`;
  const csv = async (what, query) => {
    const r = await download(`/stations/${station}/reports/compliance/${what}?${query}&format=csv`, `双报到-${what === "members" ? "党员" : "单位"}-${Number(year.value)}.csv`);
    if (r.status !== 200) say(problem(r), true);
  };

  root.replaceChildren(
    el("section", { id: "volunteer-compliance" },
      el("h2", {}, "双报到合规"),
      el("div", { class: "toolbar" }, el("label", {}, "年度 ", year)),
      el("h3", {}, "党员"),
      el("div", { class: "toolbar" },
        el("label", {}, "单位 ", unit), el("label", {}, "是否达标 ", compliant), el("label", {}, "是否在职 ", inService),
        button("下载 CSV", () => csv("members", memberQuery()))),
      members,
      el("h3", {}, "单位"),
      el("div", { class: "toolbar" }, el("label", {}, "是否达标 ", unitCompliant), button("下载 CSV", () => csv("units", unitQuery()))),
      units));

  async function loadMembers() {
    const r = await stationCall(station, "GET", `/reports/compliance/members?${memberQuery()}`);
    if (r.status !== 200) return say(problem(r), true);
    const s = r.data.summary;
    members.replaceChildren(
      el("p", {}, `共 ${s.members} 人：已报到 ${s.declared}，已认领 ${s.claimed}，已服务 ${s.served}，达标 ${s.compliant}，服务 ${s.hours} 小时`),
      table(memberColumns, r.data.items, "没有符合条件的党员"));
  }
  async function loadUnits() {
    const r = await stationCall(station, "GET", `/reports/compliance/units?${unitQuery()}`);
    if (r.status !== 200) return say(problem(r), true);
    const s = r.data.summary;
    units.replaceChildren(
      el("p", {}, `共 ${s.units} 个单位：已认领项目 ${s.claimed}，达标 ${s.compliant}`),
      table(unitColumns, r.data.items, "没有符合条件的单位"));
  }

  const list = await stationCall(station, "GET", "/units");
  if (list.status === 200) unit.append(...list.data.items.map((u) => el("option", { value: String(u.id) }, u.name)));
  year.onchange = () => Promise.all([loadMembers(), loadUnits()]);
  for (const f of [unit, compliant, inService]) f.onchange = loadMembers;
  unitCompliant.onchange = loadUnits;
  await Promise.all([loadMembers(), loadUnits()]);
}
