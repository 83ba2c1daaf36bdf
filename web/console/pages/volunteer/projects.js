// 项目与岗位: a year's projects (closed ones too) and, for the one picked, its posts with places
// left; publish, edit and close both; a post's claims. Forms open in the editor box above the
// lists, so the list stays in view while staff type.
import { problem, stationCall } from "../../lib/api.js";
import { button, el, say, table } from "../../lib/ui.js";
import { currentYear, eligibilityText, openClosed, postTime, station } from "./labels.js";
import { postForm } from "./post-form.js";
import { projectForm } from "./project-form.js";
import { showPostClaims } from "./post-claims.js";

export async function render(root) {
  const year = el("input", { id: "projects-year", type: "number", min: "2000", max: "2100", value: String(currentYear()) });
  const withClosed = el("input", { id: "projects-closed", type: "checkbox", checked: true });
  const editor = el("div", { id: "project-editor" });
  const list = el("div", { id: "projects-list" });
  const detail = el("div", { id: "project-detail" });
  const claims = el("div", { id: "post-claims" });
  let current = null;  // the project whose posts are shown

  const closeEditor = () => editor.replaceChildren();
  const edit = (form) => { editor.replaceChildren(form); form.querySelector("input")?.focus(); };

  root.replaceChildren(el("section", { id: "volunteer-projects" },
    el("h2", {}, "项目与岗位"),
    el("div", { class: "toolbar" },
      el("label", {}, "年度 ", year),
      el("label", {}, withClosed, " 显示已关闭"),
      button("新建项目", () => edit(projectForm(null, async (p) => { closeEditor(); year.value = p.year; await load(); await open(p.id); }, closeEditor)))),
    editor, list, detail, claims));

  async function closeRecord(path, name) {
    if (!window.confirm(`确定关闭“${name}”？关闭后不再接受新的认领，已有认领保留。`)) return false;
    const r = await stationCall(station, "POST", path, {});
    say(r.status === 200 ? `已关闭：${name}` : problem(r), r.status !== 200);
    return r.status === 200;
  }

  async function load() {
    const r = await stationCall(station, "GET", `/projects?year=${Number(year.value)}${withClosed.checked ? "&all=1" : ""}`);
    if (r.status !== 200) return say(problem(r), true);
    list.replaceChildren(table([
      { title: "项目", value: (p) => p.title },
      { title: "单位认领", value: (p) => (p.unit_claimable ? "可以" : "") },
      { title: "岗位", value: (p) => String(p.posts.length) },
      { title: "状态", value: (p) => openClosed[p.state] ?? p.state },
      { title: "操作", value: (p) => [
        button("查看岗位", () => open(p.id)),
        button("编辑", () => edit(projectForm(p, async () => { closeEditor(); await load(); await open(p.id); }, closeEditor))),
        p.state === "open" ? button("关闭", async () => { if (await closeRecord(`/projects/${p.id}/close`, p.title)) { await load(); await open(p.id); } }) : null] },
    ], r.data.items, `${r.data.year} 年还没有项目`));
  }

  async function open(projectId) {
    const r = await stationCall(station, "GET", `/projects/${projectId}`);
    if (r.status !== 200) return say(problem(r), true);
    current = r.data;
    claims.replaceChildren();
    const reopen = async () => { closeEditor(); await open(current.id); await load(); };
    detail.replaceChildren(el("div", {},  // el() drops the parts that do not apply (null)
      el("h3", {}, `${current.title}（${current.year}，${openClosed[current.state]}）`),
      current.description ? el("p", { class: "muted" }, current.description) : null,
      current.state === "open" ? el("div", { class: "toolbar" }, button("发布岗位", () => edit(postForm(null, current.id, reopen, closeEditor)))) : null,
      table([
        { title: "岗位", value: (p) => p.role },
        { title: "时间", value: (p) => postTime(p) },
        { title: "地点", value: (p) => p.location },
        { title: "名额", value: (p) => `${p.taken} / ${p.spots}` },
        { title: "条件", value: (p) => eligibilityText(p.eligibility) },
        { title: "审批", value: (p) => (p.approval_required ? "须审批" : "自动通过") },
        { title: "状态", value: (p) => openClosed[p.state] ?? p.state },
        { title: "操作", value: (p) => [
          button("认领名单", () => showPostClaims(claims, p)),
          button("编辑", () => edit(postForm(p, current.id, reopen, closeEditor))),
          p.state === "open" ? button("关闭", async () => { if (await closeRecord(`/posts/${p.id}/close`, p.role)) await open(current.id); }) : null] },
      ], current.posts, "还没有岗位")));
  }

  year.onchange = () => { detail.replaceChildren(); claims.replaceChildren(); load(); };
  withClosed.onchange = load;
  await load();
}
