// A form refused with 422 and details.fields = [{field, code, message}] (the stations' BodyReader):
// every wrong field is marked where it is, and the whole list is said once, so staff fix all of
// them in one go. Inputs are found by name, which forms give as the API's field ("eligibility.min_age").
import { problem } from "./api.js";

export function clearFieldProblems(form) {
  for (const input of form.querySelectorAll(".invalid")) {
    input.classList.remove("invalid");
    input.removeAttribute("title");
  }
}

// Marks the fields the answer names and returns the text to show for it.
export function fieldProblems(form, r) {
  clearFieldProblems(form);
  const fields = r.data?.error?.details?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return problem(r);
  const said = fields.map((f) => {
    const input = form.querySelector(`[name="${CSS.escape(f.field)}"]`);
    if (!input) return `${f.field} ${f.message}`;
    input.classList.add("invalid");
    input.title = f.message;
    // The label's own words ("开始时间") read better than the API's field name.
    const label = input.closest("label")?.firstChild?.textContent?.trim();
    return `${label || f.field} ${f.message}`;
  });
  return `${r.data.error.message}：${said.join("；")}`;
}
