// 服务项目: the station's services as staff define them — a new service is a row, not a build.
// The list shows every service, retired ones too; 编辑 opens the editor (service-form.js), 停办
// retires a service after a second click (its bookings stay, residents can no longer book it).
import { problem } from "../../lib/api.js";
import { el, button, table, say } from "../../lib/ui.js";
import { api, allServices } from "./station.js";
import { serviceEditor } from "./service-form.js";

export async function render(root) {
  const list = el("div", { id: "service-list" });
  const editor = el("div", { id: "service-editor" });
  root.replaceChildren(el("section", { id: "services" }, el("h2", {}, "服务项目"),
    el("div", { class: "toolbar" }, button("新增服务", () => edit(null), { id: "service-new" })), list), editor);

  async function edit(id) {
    let current = null;
    if (id !== null) {
      const r = await api("GET", `/services/${id}`);
      if (r.status !== 200) return say(problem(r), true);
      current = r.data;
    }
    editor.replaceChildren(serviceEditor(current, {
      saved: (s) => { say(`已保存：${s.name}`); editor.replaceChildren(); load(); },
      closed: () => editor.replaceChildren(),
    }));
    editor.scrollIntoView?.({ block: "start" });
  }

  async function retire(s) {
    const r = await api("DELETE", `/services/${s.id}`);
    say(r.status === 200 ? `已停办：${s.name}（已有预约保留）` : problem(r), r.status !== 200);
    load();
  }

  async function load() {
    const { items, failed } = await allServices();
    if (!items) return say(problem(failed), true);
    list.replaceChildren(table([
      { title: "服务", value: (s) => s.name },
      { title: "类别", value: (s) => s.category },
      { title: "地点", value: (s) => s.location },
      { title: "每时段", value: (s) => `${s.slot_minutes} 分钟 · ${s.capacity} 人` },
      { title: "需审核", value: (s) => (s.approval_required ? "是" : "否") },
      { title: "可代约", value: (s) => (s.proxy_booking_allowed ? "是" : "否") },
      { title: "状态", value: (s) => (s.active ? "开放预约" : "已停办") },
      { title: "操作", value: (s) => [button("编辑", () => edit(s.id)), s.active ? button("停办", (ev) => ev.target.replaceWith(button("确认停办", () => retire(s)))) : null] },
    ], items, "还没有服务项目"));
    list.querySelector("tbody").id = "service-rows";
  }
  await load();
}
