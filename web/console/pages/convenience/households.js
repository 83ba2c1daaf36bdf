// 住户登记: households (户) as the community's records know them. A service's household quota
// counts the bookings of all members together; a resident belongs to at most one household.
// Members are given by resident number (shown in the mini-program); the server names any number
// that is no resident or already in another household.
import { stationCall, problem } from "../../lib/api.js";
import { el, button, table, say } from "../../lib/ui.js";

const api = (method, path, body) => stationCall("convenience", method, path, body);

// A resident as staff see them: name and resident number (the number residents see in the mini-program).
function residentLabel(p) {
  return p.display_name ? `${p.display_name}（${p.user_id}）` : `居民 ${p.user_id}`;
}

// "12, 15 18" → [12, 15, 18]; anything that is not a number is left for the server to refuse.
export function memberIds(text) {
  return text.split(/[\s,，、]+/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

// Why the server refused, with the resident it named.
function refusal(r) {
  const d = r.data?.error?.details ?? {};
  const who = d.user_id ? `（居民编号 ${d.user_id}${d.household_id ? `，已在户号 ${d.household_id}` : ""}）` : "";
  return problem(r) + who;
}

function householdForm(id, { name = "", members = [] }, submitLabel, send) {
  const nameInput = el("input", { name: "name", value: name, required: true, maxlength: "60", placeholder: "如 幸福里 3-2-501" });
  const membersInput = el("input", { name: "members", value: members.map((m) => m.user_id).join(" "), required: true,
    placeholder: "居民编号，用空格或逗号分隔", size: "30" });
  const form = el("form", { id }, el("label", {}, "户名 ", nameInput), el("label", {}, "成员 ", membersInput),
    el("button", { type: "submit" }, submitLabel));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    send({ name: nameInput.value.trim(), members: memberIds(membersInput.value) });
  };
  return form;
}

export async function render(root) {
  const shown = el("div", { id: "household-shown" });
  const lookup = el("input", { id: "household-id", type: "number", min: "1", placeholder: "户号" });
  const find = el("form", { id: "household-find", class: "toolbar" }, el("label", {}, "按户号查看 ", lookup),
    el("button", { type: "submit" }, "查看"));
  const create = householdForm("household-create", {}, "登记", async (body) => {
    const r = await api("POST", "/households", body);
    if (r.status !== 201) return say(refusal(r), true);
    say(`已登记：${r.data.name}（户号 ${r.data.id}）`);
    create.reset();
    show(r.data);
  });
  root.replaceChildren(el("section", { id: "households" }, el("h2", {}, "住户登记"),
    el("p", { class: "muted" }, "同一户的成员共用服务的“每户”预约次数。每位居民只能登记在一户。"),
    el("h3", {}, "登记新户"), create, el("h3", {}, "查看和修改"), find, shown));

  function show(h) {
    shown.replaceChildren(el("h3", {}, `户号 ${h.id}：${h.name}`),
      table([{ title: "居民", value: (m) => residentLabel(m) }], h.members, "没有成员"),
      householdForm("household-edit", h, "保存修改（成员整体替换）", async (body) => {
        const r = await api("PUT", `/households/${h.id}`, body);
        if (r.status !== 200) return say(refusal(r), true);
        say(`已保存：${r.data.name}`);
        show(r.data);
      }),
      button("关闭", () => shown.replaceChildren()));
  }

  find.onsubmit = async (ev) => {
    ev.preventDefault();
    const r = await api("GET", `/households/${encodeURIComponent(lookup.value)}`);
    if (r.status !== 200) return say(problem(r), true);
    say("");
    show(r.data);
  };
}
