// 待审批: bookings of every service that wait for staff to approve, soonest slot first, so nobody
// waits on a service nobody opened today.
import { stationCall, problem } from "../../lib/api.js";
import { el, table, say, when } from "../../lib/ui.js";
import { field } from "../../lib/form.js";
import { loadServices, servicePicker } from "./service-list.js";
import { answersOf, bookingActions, residentOf } from "./booking-actions.js";

export async function render(root) {
  const services = await loadServices();
  const forms = Object.fromEntries(services.map((s) => [s.id, null]));
  const picker = servicePicker(services, { anyLabel: "全部服务", id: "approvals-service" });
  const rows = el("div", { id: "approvals" });
  root.replaceChildren(el("section", { id: "convenience-approvals" },
    el("h2", {}, "待审批"),
    el("div", { class: "toolbar" }, field("服务", picker)),
    rows));

  // Each service's intake form, fetched once, so answers read with their labels.
  async function formOf(serviceId) {
    if (!forms[serviceId]) {
      const r = await stationCall("convenience", "GET", `/services/${serviceId}`);
      forms[serviceId] = r.data?.form ?? [];
    }
    return forms[serviceId];
  }

  async function load() {
    const only = picker.value ? `&service_id=${picker.value}` : "";
    const r = await stationCall("convenience", "GET", `/bookings?state=pending${only}`);
    if (r.status !== 200) return say(problem(r), true);
    const items = r.data.items;
    const labels = Object.fromEntries(await Promise.all(
      [...new Set(items.map((b) => b.service.id))].map(async (id) => [id, await formOf(id)])));
    rows.replaceChildren(
      el("p", { class: "muted" }, `共 ${items.length} 条待审批${r.data.truncated ? "（只显示最早的一部分）" : ""}`),
      table([
        { title: "时段", value: (b) => b.time },
        { title: "服务", value: (b) => b.service.name },
        { title: "居民", value: residentOf },
        { title: "表单", value: (b) => answersOf(b, labels[b.service.id]) },
        { title: "提交时间", value: (b) => when(b.created_at) },
        { title: "操作", value: (b) => bookingActions(b, load) },
      ], items, "没有待审批的预约"));
  }

  picker.onchange = load;
  await load();
}
