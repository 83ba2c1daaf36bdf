// Buttons for actions that need a second thought: a confirming second click, or a reason typed
// first (the resident hears the reason, and it goes into the audit). Both stay inside the page,
// with no browser dialog, and put themselves back after the action.
import { el, button } from "./ui.js";

// `label` first; the click turns it into "确认<label>" and "取消" for a few seconds.
export function confirmButton(label, act, attrs = {}) {
  const holder = el("span", { class: "confirm" });
  const idle = () => holder.replaceChildren(button(label, ask, attrs));
  const ask = () => {
    const yes = button(`确认${label}`, async () => { yes.disabled = true; await act(); idle(); }, { class: "danger" });
    holder.replaceChildren(yes, button("取消", idle));
    setTimeout(() => { if (holder.contains(yes) && !yes.disabled) idle(); }, 8000);
  };
  idle();
  return holder;
}

// `label` first; the click opens a reason box; `act(reason)` runs once a reason is written.
export function reasonButton(label, act, placeholder = "原因（居民会看到）", attrs = {}) {
  const holder = el("span", { class: "reason" });
  const idle = () => holder.replaceChildren(button(label, ask, attrs));
  const ask = () => {
    const reason = el("input", { type: "text", maxlength: "200", placeholder, "aria-label": `${label}原因` });
    const go = el("button", { type: "submit" }, `确认${label}`);
    const form = el("form", { class: "inline" }, reason, go, button("取消", idle));
    form.onsubmit = async (ev) => {
      ev.preventDefault();
      if (!reason.value.trim()) return reason.focus();
      go.disabled = true;
      await act(reason.value.trim());
      if (holder.isConnected) idle();
    };
    holder.replaceChildren(form);
    reason.focus();
  };
  idle();
  return holder;
}
