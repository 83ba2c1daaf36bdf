// Asking staff for a short text (a reason the resident will be told) right where they clicked,
// instead of a browser prompt: the question replaces the buttons until it is answered or dropped.
import { el, button, say } from "./ui.js";

// Replaces `place`'s contents with a text box and a confirm button. `send(text)` runs on confirm
// and answers true when done (the caller then redraws); on false the question stays for a retry.
// 返回 puts the old contents back.
export function askText(place, { placeholder, confirm, send }) {
  const before = [...place.childNodes];
  const input = el("input", { class: "ask-text", placeholder, maxlength: "200", required: true });
  const form = el("form", { class: "ask" }, input, el("button", { type: "submit" }, confirm),
    button("返回", () => place.replaceChildren(...before)));
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) {
      say(`请先填写：${placeholder}`, true);
      return input.focus();
    }
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    const done = await send(text);
    if (!done) for (const b of form.querySelectorAll("button")) b.disabled = false;
  };
  place.replaceChildren(form);
  input.focus();
}
