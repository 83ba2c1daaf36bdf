// 签到: the resident shows the booking code (or its QR, which a scanner types as text); staff
// type or scan it into one large box. The server accepts it only on the booking's own day.
import { stationCall, problem } from "../../lib/api.js";
import { el, say } from "../../lib/ui.js";
import { answersOf, bookingActions, residentOf, stateBadge } from "./booking-actions.js";

export async function render(root) {
  const code = el("input", {
    id: "checkin-code", class: "big-input", name: "code", autocomplete: "off", spellcheck: "false",
    maxlength: "32", placeholder: "输入或扫描预约码", "aria-label": "预约码", required: true,
  });
  const form = el("form", { id: "checkin-form", class: "toolbar" }, code, el("button", { type: "submit" }, "签到"));
  const result = el("div", { id: "checkin-result" });
  root.replaceChildren(el("section", { id: "convenience-checkin" },
    el("h2", {}, "签到"),
    el("p", { class: "muted" }, "居民出示预约码后输入（不区分大小写，可含空格或短横线）。只能在预约当天签到。"),
    form, result));

  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const r = await stationCall("convenience", "POST", "/checkin", { code: code.value });
    if (r.status !== 200) {
      const day = r.data?.error?.details?.date;
      say(day ? `${problem(r)}（预约日期：${day}）` : problem(r), true);
      result.replaceChildren();
    } else {
      say(`已签到：${r.data.resident?.display_name ?? ""}`);
      show(r.data);
    }
    code.value = "";
    code.focus();
  };
  code.focus();

  // The answers read with their labels from the service's intake form.
  async function show(b) {
    const service = await stationCall("convenience", "GET", `/services/${b.service.id}`);
    result.replaceChildren(el("div", { class: "card" },
      el("p", { class: "big" }, residentOf(b)),
      el("p", {}, `${b.service.name}　${b.service.location ?? ""}`),
      el("p", {}, `时段：${b.time}　`, stateBadge(b.state)),
      answersOf(b, service.data?.form),
      el("p", {}, bookingActions(b, show))));
  }
}
