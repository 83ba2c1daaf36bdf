// 服务管理: the station's services, retired ones included; new, edit (hours, rules, intake form)
// and retire. A retired service takes no new bookings; its bookings stay.
import { stationCall, problem } from "../../lib/api.js";
import { el, button, table, say } from "../../lib/ui.js";
import { confirmButton } from "../../lib/confirm.js";
import { loadServices } from "./service-list.js";
import { serviceEditor } from "./service-editor.js";

export async function render(root) {
  const list = el("div", { id: "service-list" });
  const editor = el("div", { id: "service-editor-area" });
  root.replaceChildren(el("section", { id: "convenience-services" },
    el("h2", {}, "服务管理"),
    el("div", { class: "toolbar" }, button("新建服务", () => edit(null), { id: "new-service" })),
    list), editor);

  async function load() {
    const services = await loadServices();
    list.replaceChildren(table([
      { title: "名称", value: (s) => s.name },
      { title: "类别", value: (s) => s.category },
      { title: "地点", value: (s) => s.location },
      { title: "时段", value: (s) => `${s.slot_minutes} 分钟 × ${s.capacity} 人` },
      { title: "审核", value: (s) => (s.approval_required ? "需审核" : "") },
      { title: "代约", value: (s) => (s.proxy_booking_allowed ? "允许" : "") },
      { title: "状态", value: (s) => (s.active ? "开放预约" : "已停办") },
      { title: "操作", value: (s) => [
        button("编辑", () => edit(s.id)),
        s.active ? confirmButton("停办", () => retire(s)) : null] },
    ], services, "还没有服务"));
  }

  async function edit(id) {
    let detail = null;
    if (id !== null) {
      const r = await stationCall("convenience", "GET", `/services/${id}`);
      if (r.status !== 200) return say(problem(r), true);
      detail = r.data;
    }
    const close = () => editor.replaceChildren();
    editor.replaceChildren(el("section", {}, serviceEditor(detail, async () => { close(); await load(); }, close)));
    editor.scrollIntoView({ block: "start" });
  }

  async function retire(s) {
    const r = await stationCall("convenience", "DELETE", `/services/${s.id}`);
    if (r.status !== 200) return say(problem(r), true);
    say(`${s.name} 已停办，已有的预约保留`);
    await load();
  }

  await load();
}
