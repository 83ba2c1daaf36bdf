// 现场服务登记: service given without a claim or a scan (a neighbour helped at the desk). Staff
// pick the registered volunteer and the project, and give either the minutes or the start and
// end time of that day. Their logging is the approval (POST /hours/walk-in), except for their own
// service, which waits in the queue for a colleague.
import { problem, stationCall } from "../../lib/api.js";
import { clearFieldProblems, fieldProblems } from "../../lib/field-problems.js";
import { beijingToday, el, say } from "../../lib/ui.js";
import { currentYear, hoursStatus, station } from "./labels.js";

export async function walkInForm(box, logged) {
  const [people, projects] = await Promise.all([
    stationCall(station, "GET", "/volunteers"),
    stationCall(station, "GET", `/projects?year=${currentYear()}&all=1`),
  ]);
  if (people.status !== 200) return say(problem(people), true);
  if (projects.status !== 200) return say(problem(projects), true);

  const form = el("form", { id: "walk-in-form", class: "editor" },
    el("label", {}, "志愿者 ", el("select", { name: "user_id", required: true },
      el("option", { value: "" }, "请选择"),
      people.data.items.map((v) => el("option", { value: String(v.user_id) }, `${v.real_name}（${v.user_id}）`)))),
    el("label", {}, "项目 ", el("select", { name: "project_id", required: true },
      el("option", { value: "" }, "请选择"),
      projects.data.items.map((p) => el("option", { value: String(p.id) }, p.title)))),
    el("label", {}, "服务日期 ", el("input", { name: "date", type: "date", required: true, value: beijingToday() })),
    el("div", { class: "toolbar" },
      el("label", {}, "时长（分钟） ", el("input", { name: "minutes", type: "number", min: "1", max: "1440" })),
      el("span", { class: "muted" }, "或"),
      el("label", {}, "开始 ", el("input", { name: "started_at", type: "time" })),
      el("label", {}, "结束 ", el("input", { name: "ended_at", type: "time" }))),
    el("label", {}, "备注 ", el("input", { name: "note", maxlength: "300", size: "40" })),
    el("button", { type: "submit" }, "登记"));

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearFieldProblems(form);
    const f = form.elements;
    const body = { user_id: Number(f.user_id.value), project_id: Number(f.project_id.value), note: f.note.value.trim() };
    // Times of the day given: the server counts the minutes itself; otherwise the day and minutes.
    if (f.started_at.value || f.ended_at.value) {
      body.started_at = f.started_at.value ? `${f.date.value}T${f.started_at.value}:00+08:00` : null;
      body.ended_at = f.ended_at.value ? `${f.date.value}T${f.ended_at.value}:00+08:00` : null;
    } else {
      body.date = f.date.value;
      body.minutes = f.minutes.value === "" ? null : Number(f.minutes.value);
    }
    const r = await stationCall(station, "POST", "/hours/walk-in", body);
    if (r.status !== 201) return say(fieldProblems(form, r), true);
    say(`已登记 ${r.data.volunteer.name} ${r.data.hours} 小时（${hoursStatus[r.data.status]}）`);
    form.reset();
    f.date.value = beijingToday();
    await logged();
  };
  box.replaceChildren(form);
}
