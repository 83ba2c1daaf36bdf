// The editor for one service (new when `current` is null): what it is, where, slot length and
// places, opening hours, booking rules and the intake form. The server checks everything and
// answers 422 invalid_service with every problem by field; those are listed under the form.
import { problem } from "../../lib/api.js";
import { el, button, say } from "../../lib/ui.js";
import { api } from "./station.js";
import { hoursFields } from "./hours-fields.js";
import { formFields } from "./form-fields.js";

const fieldNames = {
  name: "名称", category: "类别", location: "地点", description: "说明", slot_minutes: "每时段分钟数",
  capacity: "每时段人数", hours: "开放时间", rules: "预约规则", form: "填写内容",
};

function numberInput(name, value, min, max) {
  return el("input", { name, type: "number", min: String(min), max: String(max), value: String(value ?? ""), required: true });
}

function quotaFields(prefix, quota) {
  const count = el("input", { name: `${prefix}-count`, type: "number", min: "0", max: "100", value: String(quota?.count ?? 0) });
  const per = el("select", { name: `${prefix}-per` }, [["day", "每天"], ["week", "每周"], ["month", "每月"]].map(([v, n]) =>
    el("option", { value: v }, n)));
  per.value = quota?.per ?? "week";
  const read = () => (Number(count.value) > 0 ? { count: Number(count.value), per: per.value } : null);
  return { nodes: [per, " 最多 ", count, " 次（0 为不限）"], read };
}

export function serviceEditor(current, { saved, closed }) {
  const s = current ?? { slot_minutes: 30, capacity: 1, rules: {}, form: [] };
  const r = s.rules ?? {};
  const text = (name, value, attrs = {}) => el("input", { name, value: value ?? "", ...attrs });
  const f = {
    name: text("name", s.name, { required: true, maxlength: "40" }),
    category: text("category", s.category, { maxlength: "20", placeholder: "社保、生活、法律……" }),
    location: text("location", s.location, { maxlength: "100" }),
    description: el("textarea", { name: "description", rows: "2", maxlength: "1000" }),
    slot_minutes: numberInput("slot_minutes", s.slot_minutes, 5, 480),
    capacity: numberInput("capacity", s.capacity, 1, 1000),
    min_notice: numberInput("min_notice_minutes", r.min_notice_minutes ?? 60, 0, 43200),
    max_days: numberInput("max_days_ahead", r.max_days_ahead ?? 14, 0, 366),
    cutoff: numberInput("cancel_cutoff_minutes", r.cancel_cutoff_minutes ?? 60, 0, 43200),
    approval: el("input", { name: "approval_required", type: "checkbox", checked: Boolean(r.approval_required) }),
    proxy: el("input", { name: "proxy_booking_allowed", type: "checkbox", checked: Boolean(r.proxy_booking_allowed) }),
  };
  f.description.value = s.description ?? "";
  const quota = quotaFields("quota", r.quota), household = quotaFields("household-quota", r.household_quota);
  const hours = hoursFields(s.hours), form = formFields(s.form);
  const problems = el("ul", { id: "service-problems", class: "problems" });

  const editor = el("form", { id: "service-form" },
    el("label", {}, "名称 ", f.name), el("label", {}, "类别 ", f.category), el("label", {}, "地点 ", f.location),
    el("label", {}, "说明 ", f.description),
    el("label", {}, "每时段 ", f.slot_minutes, " 分钟，可约 ", f.capacity, " 人"),
    hours.node,
    el("fieldset", {}, el("legend", {}, "预约规则"),
      el("label", {}, "至少提前 ", f.min_notice, " 分钟预约"), el("label", {}, "最多预约 ", f.max_days, " 天内的时段"),
      el("label", {}, "开始前 ", f.cutoff, " 分钟截止取消和改约"),
      el("label", {}, "每人 ", quota.nodes), el("label", {}, "每户 ", household.nodes),
      el("label", {}, f.approval, " 预约需工作人员审核"), el("label", {}, f.proxy, " 允许网格员和家属代约")),
    form.node, problems,
    el("div", { class: "toolbar" }, el("button", { type: "submit" }, "保存"), button("关闭", closed)));

  editor.onsubmit = async (ev) => {
    ev.preventDefault();
    const body = {
      name: f.name.value.trim(), category: f.category.value.trim(), location: f.location.value.trim(),
      description: f.description.value.trim(), slot_minutes: Number(f.slot_minutes.value), capacity: Number(f.capacity.value),
      hours: hours.read(),
      rules: {
        min_notice_minutes: Number(f.min_notice.value), max_days_ahead: Number(f.max_days.value),
        cancel_cutoff_minutes: Number(f.cutoff.value), quota: quota.read(), household_quota: household.read(),
        approval_required: f.approval.checked, proxy_booking_allowed: f.proxy.checked,
      },
      form: form.read(),
    };
    const res = current ? await api("PUT", `/services/${current.id}`, body) : await api("POST", "/services", body);
    if (res.status === 200 || res.status === 201) return saved(res.data);
    const fields = res.data?.error?.details?.fields ?? [];
    problems.replaceChildren(...fields.map((p) => {
      const top = p.field.split(".")[0];
      return el("li", {}, `${fieldNames[top] ?? top}（${p.field}）：${p.message}`);
    }));
    say(problem(res), true);
  };
  return el("section", {}, el("h2", {}, current ? `编辑服务：${current.name}` : "新增服务"), editor);
}
