// The staff console: sign-in by QR code (or a one-time link), then the pages the user's roles
// open, one at a time, chosen by the address's #hash. Plain ES modules, no build step; every rule
// shown here is enforced again by the server.
import { call, session } from "./lib/api.js";
import { rolesOf } from "./lib/roles.js";
import { el, say } from "./lib/ui.js";
import { menuFor } from "./pages/index.js";
import { collect, signIn } from "./pages/signin.js";

const $ = (id) => document.getElementById(id);
const page = $("page");
let menu = [];
let ctx = null;

function signOut() {
  session.token = null;
  $("who").hidden = true;
  $("nav").replaceChildren();
  signIn(page, start);
}

async function show() {
  const pages = menu.flatMap((g) => g.pages);
  if (pages.length === 0) {
    page.replaceChildren(el("section", { id: "nothing" }, el("p", {}, "您的账号没有可管理的内容。请联系社区管理员授予权限。")));
    return;
  }
  const wanted = location.hash.replace(/^#\//, "");
  const current = pages.find((p) => p.path === wanted) ?? pages[0];
  for (const a of $("nav").querySelectorAll("a")) a.classList.toggle("current", a.dataset.path === current.path);
  say("");
  page.replaceChildren();
  page.setAttribute("aria-busy", "true");  // until the page has drawn (screen readers; the browser tests wait on it)
  try {
    await current.render(page, ctx);
  } catch (e) {
    say(`页面出错：${e.message}`, true);
  } finally {
    page.setAttribute("aria-busy", "false");
  }
}

async function start() {
  const me = await call("GET", "/me");
  if (me.status !== 200) return signOut();
  const list = await call("GET", "/stations");
  const roles = rolesOf(me.data);
  ctx = { me: me.data, roles, stations: list.data?.stations ?? [] };
  $("who").hidden = false;
  $("who-name").textContent = me.data.display_name || `用户 ${me.data.id}`;
  menu = menuFor(roles, ctx.stations);
  $("nav").replaceChildren(...menu.map((g) => el("div", { class: "group" },
    el("h2", {}, g.group),
    g.pages.map((p) => el("a", { href: `#/${p.path}`, "data-path": p.path }, p.title)))));
  show();
}

window.addEventListener("hashchange", () => { if (ctx) show(); });

$("logout").onclick = async () => {
  await call("POST", "/auth/logout", {});
  ctx = null;
  signOut();
};

// A one-time link from `yizhan user login-link`: #link=<id>.<secret>
const link = location.hash.match(/^#link=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/);
if (link) {
  history.replaceState(null, "", location.pathname);  // the secret leaves the address bar at once
  (await collect(link[1], link[2])) === "in" ? start() : signIn(page, start);
} else if (session.token) {
  start();
} else {
  signIn(page, start);
}
