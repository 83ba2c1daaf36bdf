// Forms whose rules live on the server: inputs with a place beside each for the server's word on
// it. A 422 names fields by path ("rules.quota.count", "form.phone"); each slot is tagged with the
// paths it answers for, and an error goes to the most specific slot that claims its path or a
// parent of it, so a new server-side check never goes unshown.
import { el } from "./ui.js";

// A labelled input with its error slot. `path` is the field's name in the server's errors;
// `hint` is a short help text after the input.
export function field(label, input, path, hint) {
  return el("label", { class: "field" },
    el("span", { class: "field-label" }, label), input,
    hint ? el("span", { class: "muted" }, hint) : null,
    errorSlot(path));
}

// A place for the errors about `paths` (one path, or several separated by spaces).
export function errorSlot(paths) {
  return el("span", { class: "field-error", "data-error-for": paths ?? "" });
}

export function clearFieldErrors(root) {
  for (const slot of root.querySelectorAll("[data-error-for]")) slot.textContent = "";
}

// Shows [{ field, message }] beside their inputs; returns the ones no slot claims.
export function showFieldErrors(root, errors) {
  clearFieldErrors(root);
  const slots = [...root.querySelectorAll("[data-error-for]")];
  const claims = (slot, path) => slot.dataset.errorFor.split(" ").includes(path);
  const unplaced = [];
  for (const e of errors ?? []) {
    let slot = null;
    for (let path = e.field ?? ""; path && !slot; path = parentPath(path)) slot = slots.find((s) => claims(s, path));
    if (!slot) { unplaced.push(e); continue; }
    slot.textContent = slot.textContent ? `${slot.textContent}；${e.message}` : e.message;
  }
  return unplaced;
}

// "rules.quota.count" → "rules.quota" → "rules" → "".
function parentPath(path) {
  const cut = path.lastIndexOf(".");
  return cut < 0 ? "" : path.slice(0, cut);
}

// Input values as the API wants them. An empty box is "not given" (undefined), so the server's
// default or its "必填" applies; a number box that does not parse is sent as typed, for the
// server to name.
export function numberOf(input) {
  const text = input.value.trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function textOf(input) {
  const text = input.value.trim();
  return text === "" ? undefined : text;
}

// A <select> of [value, label] pairs with `current` chosen.
export function select(options, current, attrs = {}) {
  return el("select", attrs, options.map(([value, label]) =>
    el("option", { value, selected: value === current }, label)));
}
