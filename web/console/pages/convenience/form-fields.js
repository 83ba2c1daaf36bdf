// The intake form a service asks residents to fill in, edited a field a row: its key, the label
// residents see, the type, whether it is required and, for a choice, its options. Settings this
// editor does not show (help, limits) are kept as they were; the server's forms block checks the list.
import { el, button } from "../../lib/ui.js";

const types = [["text", "文字"], ["phone", "手机号"], ["id_card", "身份证号"], ["number", "数字"], ["date", "日期"],
  ["choice", "选择"], ["boolean", "是/否"]];

export function formFields(fields) {
  const rows = el("tbody", { id: "form-field-rows" });
  const add = (f = { type: "text" }) => {
    const name = el("input", { class: "field-name", value: f.name ?? "", placeholder: "phone", size: "10" });
    const label = el("input", { class: "field-label", value: f.label ?? "", placeholder: "联系电话", size: "10" });
    const type = el("select", { class: "field-type" }, types.map(([v, n]) => el("option", { value: v }, n)));
    type.value = f.type ?? "text";
    const required = el("input", { class: "field-required", type: "checkbox", checked: Boolean(f.required) });
    const options = el("input", { class: "field-options", value: (f.options ?? []).join("、"), placeholder: "选项用、分隔", size: "14" });
    const row = el("tr", {}, [name, label, type, required, options].map((x) => el("td", {}, x)),
      el("td", {}, button("删除", () => row.remove())));
    // Keys of the old type (max_length of a text turned choice) would be refused; keep them only while the type stays.
    row.read = () => {
      const out = type.value === f.type ? { ...f } : {};
      Object.assign(out, { name: name.value.trim(), label: label.value.trim(), type: type.value });
      if (required.checked) out.required = true; else delete out.required;
      if (type.value === "choice") out.options = options.value.split(/[、,，]/).map((o) => o.trim()).filter(Boolean);
      else delete out.options;
      return out;
    };
    rows.append(row);
  };
  for (const f of fields ?? []) add(f);
  const node = el("fieldset", { id: "form-fields" }, el("legend", {}, "预约时填写的内容"),
    el("table", {}, el("thead", {}, el("tr", {}, ["标识（英文）", "名称", "类型", "必填", "选项", ""].map((t) => el("th", {}, t)))), rows),
    button("添加字段", () => add(), { id: "form-field-add" }));
  return { node, read: () => [...rows.children].map((r) => r.read()) };
}
