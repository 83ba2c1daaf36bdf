// Signing in without a password: a QR code carrying a one-time challenge, confirmed on the phone
// by a staff member already logged in to the mini-program, then collected once by this page.
import { apiBase, call, problem, session } from "../lib/api.js";
import { el, button, say } from "../lib/ui.js";

// Collects the session a confirmed challenge holds: "in", "pending" (not confirmed yet) or "gone".
export async function collect(id, secret) {
  const r = await call("POST", `/console/challenges/${id}/session`, { secret });
  if (r.status === 200) {
    session.token = r.data.token;
    return "in";
  }
  return r.status === 202 ? "pending" : "gone";
}

// Shows a QR code in `root` until someone confirms it, then calls `signedIn`.
export async function signIn(root, signedIn) {
  const state = el("p", { id: "signin-state", class: "muted" }, "正在获取二维码……");
  const qr = el("img", { id: "signin-qr", alt: "登录二维码", width: "220", height: "220" });
  const devConfirm = button("以演示管理员确认", null, { id: "dev-confirm" });
  root.replaceChildren(el("section", { id: "signin" },
    el("h2", {}, "扫码登录"),
    el("p", {}, "请用已登录的小程序扫描二维码，并在手机上确认。"),
    qr, state,
    el("p", { class: "muted" }, "开发环境：", devConfirm)));

  const r = await call("POST", "/console/challenges", {});
  if (r.status !== 201) return say(problem(r), true);
  const { id, secret, expires_in_s: ttl } = r.data;
  qr.src = `${apiBase}/console/challenges/${id}/qr.svg`;
  state.textContent = "等待手机确认……";
  devConfirm.onclick = async () => {
    const d = await call("POST", `/console/challenges/${id}/dev-confirm`, { user: "admin" });
    if (d.status !== 200) say(problem(d), true);
  };
  const until = Date.now() + ttl * 1000;
  while (Date.now() < until && root.contains(state)) {
    await new Promise((done) => setTimeout(done, 1500));
    const s = await collect(id, secret);
    if (s === "in") return signedIn();
    if (s === "gone") break;
  }
  if (root.contains(state)) signIn(root, signedIn);  // expired or used: a fresh code
}
