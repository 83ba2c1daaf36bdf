// The intake form part of the service editor: the fields a resident fills in when booking, in
// order, each with its type's settings (core/src/forms.hpp). The server checks the list with
// the same code that will check residents' answers and names each problem "form.<field name>".
import { el, button } from "../../lib/ui.js";
import { errorSlot, field, numberOf, select, textOf } from "../../lib/form.js";

const types = [["text", "文字"], ["number", "数字"], ["choice", "选择"], ["date", "日期"],
  ["phone", "手机号"], ["id_card", "身份证号"], ["boolean", "是/否"]];

// Settings the editor does not show are carried through unchanged (placeholder, min/max_count).
const shown = ["name", "label", "type", "required", "help", "max_length", "min_length", "multiline",
  "min", "max", "integer", "options", "multiple"];

export function intakeFormEditor(fields = []) {
  const rows = el("div", { class: "form-fields" });
  const add = (f) => rows.append(fieldRow(f ?? { name: "", label: "", type: "text", max_length: 100 }));
  for (const f of fields) add(f);
  const node = el("fieldset", { class: "intake" },
    el("legend", {}, "预约表单（居民预约时填写）"),
    el("p", { class: "muted" }, "字段标识用小写英文字母开头，可含数字和下划线，如 phone、topic。"),
    rows, button("添加字段", () => add()), errorSlot("form"));
  return {
    node,
    value: () => [...rows.children].map((row, i) => row.value(i)),
  };
}

function fieldRow(f) {
  const name = el("input", { type: "text", value: f.name ?? "", size: "12", pattern: "[a-z][a-z0-9_]{0,31}", "aria-label": "字段标识" });
  const label = el("input", { type: "text", value: f.label ?? "", size: "14", "aria-label": "字段名称" });
  const type = select(types, f.type ?? "text", { "aria-label": "类型" });
  const required = el("input", { type: "checkbox", checked: Boolean(f.required) });
  const help = el("input", { type: "text", value: f.help ?? "", size: "18", placeholder: "填写提示（可选）" });
  const params = el("span", { class: "params" });
  const errors = errorSlot();
  const extra = Object.fromEntries(Object.entries(f).filter(([k]) => !shown.includes(k)));
  let read = () => ({});
  const showParams = () => {
    const p = paramInputs(type.value, type.value === f.type ? f : {});
    params.replaceChildren(...p.nodes);
    read = p.read;
  };
  type.onchange = showParams;
  showParams();
  const row = el("div", { class: "form-field" },
    field("标识", name), field("名称", label), field("类型", type),
    el("label", { class: "check" }, required, " 必填"), help, params,
    el("span", { class: "row-buttons" },
      button("上移", () => row.previousElementSibling?.before(row)),
      button("下移", () => row.nextElementSibling?.after(row)),
      button("删除", () => row.remove())),
    errors);
  row.value = (index) => {
    // The server names a field by its name, or by its position when the name is what is wrong.
    errors.dataset.errorFor = `form.${name.value.trim()} form.fields[${index}]`;
    const out = { ...(type.value === f.type ? extra : {}), name: name.value.trim(), label: label.value.trim(), type: type.value, ...read() };
    if (required.checked) out.required = true;
    if (help.value.trim()) out.help = help.value.trim();
    return out;
  };
  return row;
}

// The inputs for one type's settings and how to read them; empty boxes are left out.
function paramInputs(type, f) {
  const num = (key, label, attrs = {}) => {
    const input = el("input", { type: "number", value: f[key] ?? "", class: "short", ...attrs });
    return { node: field(label, input), read: () => ({ [key]: numberOf(input) }) };
  };
  const flag = (key, label) => {
    const input = el("input", { type: "checkbox", checked: Boolean(f[key]) });
    return { node: el("label", { class: "check" }, input, ` ${label}`), read: () => (input.checked ? { [key]: true } : {}) };
  };
  const date = (key, label) => {
    const input = el("input", { type: "date", value: f[key] ?? "" });
    return { node: field(label, input), read: () => ({ [key]: textOf(input) }) };
  };
  const parts = {
    text: () => [num("max_length", "最多字数", { value: f.max_length ?? 100 }), num("min_length", "最少字数"), flag("multiline", "可换行")],
    number: () => [num("min", "最小"), num("max", "最大"), flag("integer", "整数")],
    choice: () => {
      const options = el("textarea", { rows: "3", cols: "16", placeholder: "每行一个选项" });
      options.value = (f.options ?? []).join("\n");
      const opts = { node: field("选项", options), read: () => ({ options: options.value.split("\n").map((o) => o.trim()).filter(Boolean) }) };
      return [opts, flag("multiple", "可多选")];
    },
    date: () => [date("min", "最早"), date("max", "最晚")],
  }[type]?.() ?? [];
  return {
    nodes: parts.map((p) => p.node),
    read: () => Object.assign({}, ...parts.map((p) => p.read())),
  };
}
