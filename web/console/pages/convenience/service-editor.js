// One service as staff define it: what and where, slots and places, opening hours, booking rules
// and the intake form. Saving sends the whole definition; on 422 the server's list of problems
// goes beside the inputs it names (lib/form.js), and what no input claims goes to the status line.
import { stationCall, problem } from "../../lib/api.js";
import { el, button, say } from "../../lib/ui.js";
import { errorSlot, field, numberOf, select, showFieldErrors, textOf } from "../../lib/form.js";
import { hoursEditor } from "./hours-editor.js";
import { intakeFormEditor } from "./intake-form-editor.js";

const defaultService = {
  slot_minutes: 30, capacity: 1,
  hours: { weekly: { mon: ["08:30-11:30", "13:30-17:00"], tue: ["08:30-11:30", "13:30-17:00"],
    wed: ["08:30-11:30", "13:30-17:00"], thu: ["08:30-11:30", "13:30-17:00"], fri: ["08:30-11:30", "13:30-17:00"] } },
  rules: { min_notice_minutes: 60, max_days_ahead: 14, cancel_cutoff_minutes: 60 },
  form: [{ name: "phone", label: "联系电话", type: "phone", required: true }],
};

// `service`: a detail from GET /services/{id}, or null for a new one. `saved(service)` after a save.
export function serviceEditor(service, saved, cancelled) {
  const s = service ?? defaultService;
  const input = (key, attrs = {}) => el("input", { type: "text", value: s[key] ?? "", ...attrs });
  const name = input("name", { maxlength: "40", required: true });
  const category = input("category", { maxlength: "20", placeholder: "如：社保" });
  const location = input("location", { maxlength: "100", placeholder: "如：一楼 3 号窗口" });
  const description = el("textarea", { rows: "3", cols: "50", maxlength: "1000" });
  description.value = s.description ?? "";
  const slotMinutes = input("slot_minutes", { type: "number", min: "5", max: "480", class: "short" });
  const capacity = input("capacity", { type: "number", min: "1", max: "1000", class: "short" });
  const hours = hoursEditor(s.hours);
  const rules = rulesEditor(s.rules ?? {});
  const intake = intakeFormEditor(s.form ?? []);

  const form = el("form", { id: "service-editor", novalidate: true },
    el("h3", {}, service ? `编辑服务：${service.name}` : "新建服务"),
    el("fieldset", {}, el("legend", {}, "基本信息"),
      field("名称", name, "name"), field("类别", category, "category"), field("地点", location, "location"),
      field("说明", description, "description"),
      field("每个时段（分钟）", slotMinutes, "slot_minutes", "5–480"),
      field("每个时段可约人数", capacity, "capacity", "1–1000")),
    hours.node, rules.node, intake.node,
    el("div", { class: "toolbar" }, el("button", { type: "submit" }, "保存"), button("取消", cancelled)));

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const body = {
      name: name.value.trim(), category: category.value.trim(), location: location.value.trim(),
      description: description.value.trim(), slot_minutes: numberOf(slotMinutes), capacity: numberOf(capacity),
      hours: hours.value(), rules: rules.value(), form: intake.value(),
    };
    const r = service
      ? await stationCall("convenience", "PUT", `/services/${service.id}`, body)
      : await stationCall("convenience", "POST", "/services", body);
    if (r.status === 200 || r.status === 201) {
      showFieldErrors(form, []);
      say(`已保存：${r.data.name}`);
      return saved(r.data);
    }
    const unplaced = showFieldErrors(form, r.data?.error?.details?.fields ?? []);
    const rest = unplaced.map((e) => `${e.field}：${e.message}`).join("；");
    say(rest ? `${problem(r)}：${rest}` : `${problem(r)}，请查看标红的项目`, true);
    form.querySelector(".field-error:not(:empty)")?.scrollIntoView({ block: "center" });
  };
  return form;
}

// Booking rules (plugins/convenience/src/service_spec.hpp: Rules).
function rulesEditor(r) {
  const minutes = (key, attrs = {}) => el("input", { type: "number", min: "0", value: r[key] ?? "", class: "short", ...attrs });
  const notice = minutes("min_notice_minutes");
  const ahead = minutes("max_days_ahead", { max: "366" });
  const cutoff = minutes("cancel_cutoff_minutes");
  const approval = el("input", { type: "checkbox", checked: Boolean(r.approval_required) });
  const proxy = el("input", { type: "checkbox", checked: Boolean(r.proxy_booking_allowed) });
  const quota = quotaInput(r.quota), household = quotaInput(r.household_quota);
  const node = el("fieldset", { class: "rules" }, el("legend", {}, "预约规则"),
    field("至少提前（分钟）", notice, "rules.min_notice_minutes"),
    field("最多提前（天）", ahead, "rules.max_days_ahead", "0–366"),
    field("取消/改约截止（开始前分钟）", cutoff, "rules.cancel_cutoff_minutes"),
    field("每人限约", quota.node, "rules.quota", "留空为不限"),
    field("每户限约", household.node, "rules.household_quota", "留空为不限"),
    el("label", { class: "check" }, approval, " 预约须经工作人员审核"),
    el("label", { class: "check" }, proxy, " 允许网格员和家属代约"),
    errorSlot("rules rules.approval_required rules.proxy_booking_allowed"));
  return {
    node,
    value: () => ({
      min_notice_minutes: numberOf(notice), max_days_ahead: numberOf(ahead), cancel_cutoff_minutes: numberOf(cutoff),
      quota: quota.value(), household_quota: household.value(),
      approval_required: approval.checked, proxy_booking_allowed: proxy.checked,
    }),
  };
}

// {"count": n, "per": "day"|"week"|"month"}, or null (no limit) when the count is left empty.
function quotaInput(q) {
  const count = el("input", { type: "number", min: "1", max: "100", value: q?.count ?? "", class: "short" });
  const per = select([["day", "次/天"], ["week", "次/周"], ["month", "次/月"]], q?.per ?? "week");
  return {
    node: el("span", {}, count, per),
    value: () => (textOf(count) === undefined ? null : { count: numberOf(count), per: per.value }),
  };
}
