// The staff console: sign-in by QR code (or a one-time link), then the pages the user's roles
// open. Plain ES module, no build step; every rule shown here is enforced again by the server.
const $ = (id) => document.getElementById(id);
const api = "/api/v1";
let token = sessionStorage.getItem("yz-console-token");

async function call(method, path, body, headers = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    h["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(api + path, { method, headers: h, body: payload });
  const data = res.headers.get("Content-Type")?.includes("json") ? await res.json() : null;
  return { status: res.status, data };
}

function say(text, bad = false) {
  $("message").textContent = text;
  $("message").className = bad ? "bad" : "";
}

// What went wrong, in the words the server chose for people, plus its reason when it gave one.
function problem(r) {
  const e = r.data?.error;
  if (!e) return `请求失败（${r.status}）`;
  return e.details?.reason ? `${e.message}：${e.details.reason}` : e.message;
}

function show(section) {
  for (const id of ["signin", "stations", "nothing"]) $(id).hidden = id !== section;
}

// ---- signing in ------------------------------------------------------------------------------

async function collect(id, secret) {
  const r = await call("POST", `/console/challenges/${id}/session`, { secret });
  if (r.status === 200) {
    token = r.data.token;
    sessionStorage.setItem("yz-console-token", token);
    return "in";
  }
  return r.status === 202 ? "pending" : "gone";
}

async function signIn() {
  show("signin");
  const r = await call("POST", "/console/challenges", {});
  if (r.status !== 201) return say(problem(r), true);
  const { id, secret, expires_in_s: ttl } = r.data;
  $("signin-qr").src = `${api}/console/challenges/${id}/qr.svg`;
  $("signin-state").textContent = "等待手机确认……";
  $("dev-confirm").onclick = async () => {
    const d = await call("POST", `/console/challenges/${id}/dev-confirm`, { user: "admin" });
    if (d.status !== 200) say(problem(d), true);
  };
  const until = Date.now() + ttl * 1000;
  while (Date.now() < until) {
    await new Promise((done) => setTimeout(done, 1500));
    const state = await collect(id, secret);
    if (state === "in") return start();
    if (state === "gone") break;
  }
  signIn();  // expired or used: a fresh code
}

// ---- pages -----------------------------------------------------------------------------------

const stateNames = { active: "运行中", disabled: "已停用", faulted: "故障", failed: "加载失败", configured: "未加载" };

async function loadStations() {
  const r = await call("GET", "/admin/stations");
  if (r.status !== 200) return say(problem(r), true);
  const rows = $("station-rows");
  rows.replaceChildren();
  for (const s of r.data.stations) {
    const tr = document.createElement("tr");
    const cells = [s.name, s.id, stateNames[s.state] ?? s.state, s.version ?? "", s.abi ?? "", s.generation ?? "", s.last_error ?? ""];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i === 6) td.className = "error";
      tr.append(td);
    });
    const actions = document.createElement("td");
    const act = (label, path) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.onclick = async () => {
        const res = await call("POST", `/admin/stations/${s.id}/${path}`, {});
        say(res.status === 200 ? `${s.name}：已${label}` : problem(res), res.status !== 200);
        loadStations();
      };
      actions.append(b);
    };
    act(s.state === "disabled" ? "启用" : "停用", s.state === "disabled" ? "enable" : "disable");
    act("重新加载", "reload");
    if (s.can_roll_back) act("回滚", "rollback");
    tr.append(actions);
    rows.append(tr);
  }
}

$("install").onsubmit = async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const signature = (await form.get("sig").text()).trim();
  say("正在上传……");
  const r = await call("PUT", `/admin/stations/${form.get("id")}/file`, form.get("file"), { "X-Station-Signature": signature });
  say(r.status === 201 ? `已安装 ${r.data.name} ${r.data.version}` : problem(r), r.status !== 201);
  loadStations();
};

async function start() {
  const me = await call("GET", "/me");
  if (me.status !== 200) {
    token = null;
    sessionStorage.removeItem("yz-console-token");
    return signIn();
  }
  $("who").hidden = false;
  $("who-name").textContent = me.data.display_name || `用户 ${me.data.id}`;
  say("");
  const roles = me.data.roles ?? [];
  if (roles.includes("admin")) {
    show("stations");
    loadStations();
  } else {
    show("nothing");
  }
}

$("logout").onclick = async () => {
  await call("POST", "/auth/logout", {});
  sessionStorage.removeItem("yz-console-token");
  location.reload();
};

// A one-time link from `yizhan user login-link`: #link=<id>.<secret>
const link = location.hash.match(/^#link=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/);
if (link) {
  history.replaceState(null, "", location.pathname);  // the secret leaves the address bar at once
  (await collect(link[1], link[2])) === "in" ? start() : signIn();
} else if (token) {
  start();
} else {
  signIn();
}
