// The form that publishes a post in a project, or edits one: role, time (a fixed shift, any time
// within a window, or ongoing), place, spots, and the eligibility rules the station checks when a
// volunteer claims (members only, a training by name, an age range). PUT replaces every field.
import { stationCall } from "../../lib/api.js";
import { inputFromIso, isoFromInput } from "../../lib/beijing-time.js";
import { clearFieldProblems, fieldProblems } from "../../lib/field-problems.js";
import { button, el, say } from "../../lib/ui.js";
import { station, timeTypes } from "./labels.js";

const blank = {
  role: "", description: "", location: "", time_type: "shift", starts_at: null, ends_at: null, spots: 1,
  eligibility: { members_only: false, training: null, min_age: null, max_age: null },
  approval_required: false, withdraw_cutoff_minutes: 1440,
};

const input = (name, attrs = {}) => el("input", { name, ...attrs });
const numberOrNull = (value) => (value === "" ? null : Number(value));

// `post` null = a new one in `projectId`; `saved(post)` runs after the server took it.
export function postForm(post, projectId, saved, cancel) {
  const p = post ?? blank;
  const e = p.eligibility ?? blank.eligibility;
  const timeType = el("select", { name: "time_type" },
    Object.entries(timeTypes).map(([v, label]) => el("option", { value: v, selected: v === p.time_type }, label)));
  const times = el("div", { class: "toolbar" },
    el("label", {}, "开始时间 ", input("starts_at", { type: "datetime-local", value: inputFromIso(p.starts_at) })),
    el("label", {}, "结束时间 ", input("ends_at", { type: "datetime-local", value: inputFromIso(p.ends_at) })));
  const form = el("form", { id: "post-form", class: "editor" },
    el("h3", {}, post ? `编辑岗位：${post.role}` : "发布岗位"),
    el("label", {}, "岗位名称 ", input("role", { required: true, maxlength: "40", value: p.role })),
    el("label", {}, "岗位说明 ", el("textarea", { name: "description", rows: "2", cols: "60", maxlength: "2000" }, p.description)),
    el("label", {}, "时间类型 ", timeType),
    times,
    el("label", {}, "地点 ", input("location", { maxlength: "100", size: "30", value: p.location })),
    el("label", {}, "名额 ", input("spots", { type: "number", min: "1", max: "10000", required: true, value: String(p.spots) })),
    el("fieldset", {},
      el("legend", {}, "认领条件"),
      el("label", {}, input("eligibility.members_only", { type: "checkbox", checked: e.members_only }), " 仅限党员"),
      el("label", {}, "须完成的培训 ", input("eligibility.training", { maxlength: "40", value: e.training ?? "", placeholder: "不填则不限" })),
      el("div", { class: "toolbar" },
        el("label", {}, "最低年龄 ", input("eligibility.min_age", { type: "number", min: "0", max: "120", value: e.min_age ?? "" })),
        el("label", {}, "最高年龄 ", input("eligibility.max_age", { type: "number", min: "0", max: "120", value: e.max_age ?? "" })))),
    el("label", {}, input("approval_required", { type: "checkbox", checked: p.approval_required }), " 认领须经工作站审批"),
    el("label", {}, "退出截止（开始前多少分钟） ",
      input("withdraw_cutoff_minutes", { type: "number", min: "0", max: "43200", value: String(p.withdraw_cutoff_minutes) })),
    el("div", { class: "toolbar" }, el("button", { type: "submit" }, post ? "保存" : "发布岗位"), button("取消", cancel)));

  // An ongoing post has no times; the server refuses them, so the inputs go away.
  const showTimes = () => { times.hidden = timeType.value === "ongoing"; };
  timeType.onchange = showTimes;
  showTimes();

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    clearFieldProblems(form);
    const f = form.elements;
    const body = {
      role: f.role.value.trim(),
      description: f.description.value.trim(),
      time_type: timeType.value,
      location: f.location.value.trim(),
      spots: Number(f.spots.value),
      eligibility: {
        members_only: f["eligibility.members_only"].checked,
        training: f["eligibility.training"].value.trim(),
        min_age: numberOrNull(f["eligibility.min_age"].value),
        max_age: numberOrNull(f["eligibility.max_age"].value),
      },
      approval_required: f.approval_required.checked,
      withdraw_cutoff_minutes: Number(f.withdraw_cutoff_minutes.value || 0),
    };
    if (timeType.value !== "ongoing") {
      body.starts_at = isoFromInput(f.starts_at.value) || null;
      body.ends_at = isoFromInput(f.ends_at.value) || null;
    }
    const r = post
      ? await stationCall(station, "PUT", `/posts/${post.id}`, body)
      : await stationCall(station, "POST", `/projects/${projectId}/posts`, body);
    if (r.status !== 200 && r.status !== 201) return say(fieldProblems(form, r), true);
    say(post ? `已保存岗位：${r.data.role}` : `已发布岗位：${r.data.role}`);
    await saved(r.data);
  };
  return form;
}
