// The form that publishes a project for a year, or edits one (PUT replaces every field).
import { stationCall } from "../../lib/api.js";
import { clearFieldProblems, fieldProblems } from "../../lib/field-problems.js";
import { button, el, say } from "../../lib/ui.js";
import { currentYear, station } from "./labels.js";

// `project` null = a new one; `saved(project)` runs after the server took it.
export function projectForm(project, saved, cancel) {
  const p = project ?? { year: currentYear(), title: "", description: "", unit_claimable: false };
  const form = el("form", { id: "project-form", class: "editor" },
    el("h3", {}, project ? `编辑项目：${project.title}` : "新建项目"),
    el("label", {}, "年度 ", el("input", { name: "year", type: "number", min: "2000", max: "2100", required: true, value: String(p.year) })),
    el("label", {}, "项目名称 ", el("input", { name: "title", required: true, maxlength: "60", size: "40", value: p.title })),
    el("label", {}, "项目说明 ", el("textarea", { name: "description", rows: "3", cols: "60", maxlength: "2000" }, p.description)),
    el("label", {}, el("input", { name: "unit_claimable", type: "checkbox", checked: p.unit_claimable }), " 可由双报到单位认领"),
    el("div", { class: "toolbar" }, el("button", { type: "submit" }, project ? "保存" : "发布项目"), button("取消", cancel)));

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearFieldProblems(form);
    const body = {
      year: Number(form.elements.year.value),
      title: form.elements.title.value.trim(),
      description: form.elements.description.value.trim(),
      unit_claimable: form.elements.unit_claimable.checked,
    };
    const r = project
      ? await stationCall(station, "PUT", `/projects/${project.id}`, body)
      : await stationCall(station, "POST", "/projects", body);
    if (r.status !== 200 && r.status !== 201) return say(fieldProblems(form, r), true);
    say(project ? `已保存项目：${r.data.title}` : `已发布项目：${r.data.title}`);
    await saved(r.data);
  };
  return form;
}
