// A small modal form for what a decision needs before it is sent: a reason to decline or cancel,
// corrected minutes and why. Resolves to the values entered, or null when the person backs out.
// The server checks the same (a missing reason is its 422 reason_required); this only asks.
import { el, button } from "./ui.js";

// fields: [{ name, label, type = "textarea" | "number" | "text", required = true, value, min, max }]
export function ask(title, fields, confirmLabel = "确定") {
  return new Promise((done) => {
    const inputs = fields.map((f) => f.type && f.type !== "textarea"
      ? el("input", { name: f.name, type: f.type, required: f.required !== false, value: f.value ?? "", min: f.min, max: f.max })
      : el("textarea", { name: f.name, required: f.required !== false, rows: "3", maxlength: "300" }, f.value ?? ""));
    const form = el("form", { method: "dialog" },
      el("h3", {}, title),
      fields.map((f, i) => el("label", {}, f.label, " ", inputs[i])),
      el("div", { class: "toolbar" }, el("button", { type: "submit" }, confirmLabel), button("取消", () => dialog.close())));
    const dialog = el("dialog", { class: "ask" }, form);
    let answer = null;
    form.addEventListener("submit", (ev) => {
      if (!form.reportValidity()) return ev.preventDefault();
      answer = Object.fromEntries(fields.map((f, i) => [f.name, inputs[i].value.trim()]));
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      done(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// The reason for a refusal or a correction; null when the person backs out.
export async function askReason(title, label = "原因") {
  const a = await ask(title, [{ name: "reason", label }]);
  return a ? a.reason : null;
}
