// 服务站与插件: every station's state, version and ABI; enable, disable, reload, roll back, and
// install a signed file. Admins only (the server refuses everyone else).
import { call, problem } from "../lib/api.js";
import { el, button, table, say } from "../lib/ui.js";

export const stateNames = { active: "运行中", disabled: "已停用", faulted: "故障", failed: "加载失败", configured: "未加载" };

export async function render(root) {
  const rows = el("div");
  const install = el("form", { id: "install" },
    el("label", {}, "服务站标识 ", el("input", { name: "id", required: true, pattern: "[a-z][a-z0-9_]{1,31}", placeholder: "legal_aid" })),
    el("label", {}, "服务站文件（.so） ", el("input", { name: "file", type: "file", accept: ".so", required: true })),
    el("label", {}, "签名文件（.sig） ", el("input", { name: "sig", type: "file", accept: ".sig", required: true })),
    el("button", { type: "submit" }, "上传并安装"));
  root.replaceChildren(el("section", { id: "stations" },
    el("h2", {}, "服务站与插件"), rows,
    el("h3", {}, "安装或升级服务站"), install));

  async function load() {
    const r = await call("GET", "/admin/stations");
    if (r.status !== 200) return say(problem(r), true);
    const act = (s, label, path) => button(label, async () => {
      const res = await call("POST", `/admin/stations/${s.id}/${path}`, {});
      say(res.status === 200 ? `${s.name}：已${label}` : problem(res), res.status !== 200);
      load();
    });
    rows.replaceChildren(table([
      { title: "服务站", value: (s) => s.name },
      { title: "标识", value: (s) => s.id },
      { title: "状态", value: (s) => stateNames[s.state] ?? s.state },
      { title: "版本", value: (s) => s.version ?? "" },
      { title: "ABI", value: (s) => s.abi ?? "" },
      { title: "代次", value: (s) => s.generation ?? "" },
      { title: "最近错误", value: (s) => s.last_error ?? "", class: "error" },
      { title: "操作", value: (s) => [
        s.state === "disabled" ? act(s, "启用", "enable") : act(s, "停用", "disable"),
        act(s, "重新加载", "reload"),
        s.can_roll_back ? act(s, "回滚", "rollback") : null] },
    ], r.data.stations));
    rows.querySelector("tbody").id = "station-rows";
  }

  install.onsubmit = async (ev) => {
    ev.preventDefault();
    const form = new FormData(install);
    const signature = (await form.get("sig").text()).trim();
    say("正在上传……");
    const r = await call("PUT", `/admin/stations/${form.get("id")}/file`, form.get("file"), { "X-Station-Signature": signature });
    say(r.status === 201 ? `已安装 ${r.data.name} ${r.data.version}` : problem(r), r.status !== 201);
    load();
  };
  await load();
}
