// 签到屏: the station's screen. Staff pick a post (and the place, if it is served in several); the
// screen shows the post's current check-in code as a large QR image and fetches a fresh one
// before it lapses (a code is valid for its 30-second tick and the next, so 30–60 s), in full
// screen if wanted. Under it: who has checked in, with check-in and check-out by hand (reason
// required, audited by the server) for a volunteer whose phone is flat.
import { problem, stationCall } from "../../lib/api.js";
import { qrImageSrc } from "../../lib/qr-image.js";
import { button, el, say } from "../../lib/ui.js";
import { currentYear, openClosed, postTime, station } from "./labels.js";
import { showAttendance } from "./attendance.js";

// The next fetch: when the server says the tick turns (a little after, so the new code exists),
// but never later than one tick — the PC's clock may be off, and an old code must never linger.
const nextFetchIn = (refreshAt) => Math.min(30_000, Math.max(2_000, Date.parse(refreshAt) - Date.now() + 500));

export async function render(root) {
  const year = el("input", { type: "number", min: "2000", max: "2100", value: String(currentYear()) });
  const postPick = el("select", { id: "screen-post" });
  const place = el("input", { id: "screen-place", maxlength: "100", placeholder: "默认为岗位地点" });
  const title = el("h2", { id: "screen-title" }, "请选择岗位");
  const sub = el("p", { id: "screen-sub", class: "muted" });
  const qr = el("img", { id: "checkin-qr", alt: "签到二维码" });
  const state = el("p", { id: "screen-state", class: "muted" });
  const screen = el("div", { id: "checkin-screen" }, title, sub, qr, el("p", {}, "请用小程序扫码签到 / 签退"), state);
  const attendance = el("div", { id: "screen-attendance" });
  root.replaceChildren(
    el("section", { id: "volunteer-screen" },
      el("div", { class: "toolbar" },
        el("label", {}, "年度 ", year), el("label", {}, "岗位 ", postPick), el("label", {}, "地点 ", place),
        button("显示签到码", () => show()), button("全屏", () => screen.requestFullscreen?.())),
      screen),
    el("section", {}, el("h2", {}, "签到情况"), attendance));

  let timer = null;
  let showing = null;  // { post, place }: what the screen shows now

  async function loadPosts() {
    const r = await stationCall(station, "GET", `/projects?year=${Number(year.value)}&all=1`);
    if (r.status !== 200) return say(problem(r), true);
    postPick.replaceChildren(el("option", { value: "" }, "请选择"),
      ...r.data.items.map((p) => el("optgroup", { label: p.title },
        p.posts.map((post) => el("option", { value: String(post.id) }, `${post.role}${post.state === "closed" ? `（${openClosed.closed}）` : ""}`)))));
  }

  // One code: fetched, drawn, and the next fetch planned. Stops once the page is left.
  async function tick() {
    clearTimeout(timer);
    if (!screen.isConnected || !showing) return;
    const query = showing.place ? `?place=${encodeURIComponent(showing.place)}` : "";
    const r = await stationCall(station, "GET", `/posts/${showing.post.id}/code${query}`);
    if (r.status !== 200) {
      state.textContent = `获取签到码失败：${problem(r)}，稍后重试`;
      timer = setTimeout(tick, 5_000);
      return;
    }
    const img = await qrImageSrc(r.data.code);
    if (img.status !== 200) {
      state.textContent = `生成二维码失败：${problem(img)}，稍后重试`;
      timer = setTimeout(tick, 5_000);
      return;
    }
    qr.src = img.src;
    qr.dataset.code = r.data.code;
    sub.textContent = `${r.data.place} · ${postTime(showing.post)}`;
    state.textContent = "签到码每 30 秒自动更新";
    timer = setTimeout(tick, nextFetchIn(r.data.refresh_at));
    // Not while staff are choosing someone to check in by hand: the list would reset under them.
    if (!attendance.contains(document.activeElement)) await showAttendance(attendance, showing.post);
  }

  async function show() {
    if (!postPick.value) return say("请先选择岗位", true);
    const r = await stationCall(station, "GET", `/posts/${postPick.value}`);
    if (r.status !== 200) return say(problem(r), true);
    showing = { post: r.data, place: place.value.trim() };
    title.textContent = `${r.data.project.title} · ${r.data.role}`;
    say("");
    await tick();
  }

  postPick.onchange = async () => {
    const r = postPick.value ? await stationCall(station, "GET", `/posts/${postPick.value}`) : null;
    place.value = r?.status === 200 ? r.data.location : "";
  };
  year.onchange = loadPosts;
  await loadPosts();
}
