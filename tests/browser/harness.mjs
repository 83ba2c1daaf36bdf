// SPDX-License-Identifier: MIT
// The browser tests' harness: the real `yizhan serve` (dev mode, demo data, the config's stations)
// on a free loopback port with a temporary data dir, Debian's headless chromium driven by
// playwright-core, and a record of everything that went wrong in the page (uncaught errors,
// console errors, failed requests, 5xx answers), which fails the test. Waits are on conditions,
// each bounded by a deadline; nothing sleeps for a fixed time.
//
// Paths come from CTest (tests/CMakeLists.txt) through the environment, with defaults for a run
// by hand from tests/browser (`npm test`): YZ_BINARY (build/yizhan), YZ_SOURCE_DIR (the checkout),
// YZ_STATION_FILES (the built stations' .so files, ':'-separated), YZ_CHROMIUM (/usr/bin/chromium).
import { spawn } from "node:child_process";
import { constants as fsc, createWriteStream, readFileSync, rmSync } from "node:fs";
import { access, mkdtemp, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = resolve(process.env.YZ_SOURCE_DIR || join(here, "..", ".."));
const binary = resolve(process.env.YZ_BINARY || join(sourceDir, "build", "yizhan"));
const chromiumPath = process.env.YZ_CHROMIUM || "/usr/bin/chromium";
const stationFiles = (process.env.YZ_STATION_FILES || "").split(":").filter(Boolean);
const configFile = join(sourceDir, "config", "dev.json");

// How long any one condition may take before the test fails (generous: 2 shared cores), and a
// whole test or start-up, well inside CTest's TIMEOUT so that `after` still stops everything.
export const waitMs = 15_000;
export const testTimeout = { timeout: 120_000 };

const setupHint = "run tools/setup (it installs chromium, nodejs and npm and runs `npm ci` in tests/browser)";

// Polls `probe` until it returns a truthy value (which is returned), or fails after `timeout` ms
// saying what it was waiting for. The pause between probes only spaces them out.
export async function until(what, probe, { timeout = waitMs, every = 25 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// What the tests need and a fresh machine may lack; each refusal says how to fix it.
async function loadPlaywright() {
  try {
    await access(chromiumPath, fsc.X_OK);
  } catch {
    throw new Error(`chromium not found at ${chromiumPath}; ${setupHint}`);
  }
  try {
    return await import("playwright-core");
  } catch (e) {
    throw new Error(`playwright-core is not installed in ${here}/node_modules (${e.code ?? e.message}); ${setupHint}`);
  }
}

async function checkBuild() {
  const missing = [];
  for (const f of [binary, ...stationFiles]) {
    try {
      await access(f, fsc.R_OK);
    } catch {
      missing.push(f);
    }
  }
  if (missing.length) throw new Error(`not built: ${missing.join(", ")}; build first (tools/setup, or cmake --build build)`);
}

function freePort() {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });
}

// A running `yizhan serve --dev --seed-demo` with its own data dir. stop() ends it (SIGTERM, then
// SIGKILL if it lingers) and removes the data dir unless asked to keep it.
class Server {
  constructor(dataDir) {
    this.dataDir = dataDir;
    this.logPath = join(dataDir, "server.log");
    this.child = null;
    this.exited = null;
  }

  async start() {
    // The port is free when chosen; another process may take it before yizhan binds it, which
    // yizhan reports by exiting (bind_failed): then try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const why = await this.#startOn(port);
      if (!why) return;
      if (attempt === 3 || !/bind_failed/.test(this.log())) throw new Error(`${why}\n${this.log().slice(-3000)}`);
    }
  }

  async #startOn(port) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    const log = createWriteStream(this.logPath, { flags: "a" });
    await new Promise((r) => log.on("open", r));
    this.child = spawn(binary, ["serve", "--config", configFile, "--data-dir", this.dataDir, "--dev", "--seed-demo",
      "--port", String(port)], { stdio: ["ignore", log, log] });
    this.exited = new Promise((r) => {
      this.child.on("exit", (code, signal) => r({ code, signal }));
      this.child.on("error", (e) => r({ error: e.message }));
    });
    let gone = null;
    this.exited.then((s) => { gone = s; });
    try {
      await until(`${this.url}/readyz to answer 200`, async () => {
        if (gone) throw Object.assign(new Error(`yizhan exited while starting (${JSON.stringify(gone)})`), { gone: true });
        const r = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        return r.status === 200;
      }, { timeout: 20_000, every: 10 });
      return "";
    } catch (e) {
      if (!gone) await this.stop({ keep: true });
      return `yizhan did not become ready: ${e.message}; log ${this.logPath}`;
    }
  }

  log() {
    try {
      return readFileSync(this.logPath, "utf8");
    } catch {
      return "";
    }
  }

  async stop({ keep = false } = {}) {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const t = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      await this.exited;
      clearTimeout(t);
    }
    if (!keep) rmSync(this.dataDir, { recursive: true, force: true });
  }

  // The stations config/dev.json names must all be built and running, or the tests would be
  // testing less than they claim.
  async checkStations() {
    const wanted = JSON.parse(await readFile(configFile, "utf8")).plugins.stations.map((s) => s.id);
    const r = await fetch(`${this.url}/api/v1/stations`);
    const states = Object.fromEntries((await r.json()).stations.map((s) => [s.id, s.state]));
    const bad = wanted.filter((id) => states[id] !== "active").map((id) => `${id}: ${states[id] ?? "not listed"}`);
    if (bad.length) throw new Error(`stations not active: ${bad.join(", ")}; log ${this.logPath}`);
  }
}

// One server and one browser for a test file; a fresh browser context (its own sessionStorage)
// per test. Call stop() in `after`; should the process end without it, the server is killed.
export async function startConsole() {
  const { chromium } = await loadPlaywright();
  await checkBuild();
  const server = new Server(await mkdtemp(join(tmpdir(), "yz-browser-")));
  const killOnExit = () => server.child?.kill("SIGKILL");
  process.on("exit", killOnExit);
  let browser = null;
  let failed = false;
  try {
    await server.start();
    await server.checkStations();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // Chromium's sandbox refuses to run as root (CI containers); a normal user keeps it.
      args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
    });
  } catch (e) {
    await browser?.close().catch(() => {});
    await server.stop({ keep: true });
    throw e;
  }

  return {
    server,
    url: server.url,
    consoleUrl: `${server.url}/console/`,

    // Runs `body({ page, problems })` with a fresh page. The test fails on any
    // problem the page had, even if `body` did not notice it, and a failure says what the page
    // and the server reported.
    async withPage(body) {
      const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
      context.setDefaultTimeout(waitMs);
      const page = await context.newPage();
      const problems = watch(page);
      try {
        await body({ page, problems });
        const found = problems.list();
        if (found.length) throw Object.assign(new Error(`the page had problems:\n  ${found.join("\n  ")}`), { listed: true });
      } catch (e) {
        failed = true;
        const found = e.listed ? [] : problems.list();
        e.message += (found.length ? `\npage problems:\n  ${found.join("\n  ")}` : "") +
          `\nrequests:\n  ${problems.requests.slice(-15).join("\n  ")}` +
          `\nserver log (${server.logPath}), last lines:\n${server.log().split("\n").slice(-15).join("\n")}`;
        throw e;
      } finally {
        await context.close();
      }
    },

    async stop() {
      await browser?.close().catch(() => {});
      await server.stop({ keep: failed });
      if (failed) console.error(`kept the server's data dir and log: ${server.dataDir}`);
      process.off("exit", killOnExit);
    },
  };
}

// Everything that goes wrong in a page, as it happens; requests still open, for openEntry().
function watch(page) {
  const pageErrors = [], consoleErrors = [], failedRequests = [], serverErrors = [], requests = [];
  const open = new Set();
  page.on("pageerror", (e) => pageErrors.push(`uncaught: ${e.stack || e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`console.error: ${m.text()} (${m.location().url || "?"})`);
  });
  page.on("request", (r) => open.add(r));
  page.on("requestfinished", async (r) => {
    open.delete(r);
    const res = await r.response().catch(() => null);
    const line = `${r.method()} ${r.url()} → ${res?.status() ?? "?"}`;
    requests.push(line);
    if (res && res.status() >= 500) serverErrors.push(line);
  });
  page.on("requestfailed", (r) => {
    open.delete(r);
    failedRequests.push(`${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`);
  });
  const problems = {
    requests,
    get openRequests() { return open.size; },
    list: () => [...pageErrors, ...consoleErrors, ...failedRequests, ...serverErrors.map((s) => `server error: ${s}`)],
  };
  return problems;
}

// Signs in the way staff do, with the dev stand-in for the phone: the QR code shows, 以演示管理员确认
// confirms the challenge as the demo admin, and the page collects its session.
export async function signInAsAdmin(page, consoleUrl) {
  await page.goto(consoleUrl);
  await qrShown(page);
  await page.click("#dev-confirm");
  await signedIn(page);
}

// The same for another demo user (dev_seed.cpp), confirmed the way their phone would: the test
// reads the challenge the page asked for and confirms it through the dev route as that user.
export async function signInAs(page, consoleUrl, user) {
  const challenge = page.waitForResponse((r) => r.url().endsWith("/api/v1/console/challenges") && r.request().method() === "POST");
  await page.goto(consoleUrl);
  const { id } = await (await challenge).json();
  await qrShown(page);
  const origin = new URL(consoleUrl).origin;
  const confirmed = await api(`${origin}/api/v1/console/challenges/${id}/dev-confirm`, "POST", { user });
  if (confirmed.status !== 200) throw new Error(`dev-confirm as ${user}: ${confirmed.status} ${JSON.stringify(confirmed.data)}`);
  await signedIn(page);
}

async function qrShown(page) {
  await page.waitForFunction(() => {
    const img = document.getElementById("signin-qr");
    return img && img.complete && img.naturalWidth > 0;
  });
}

async function signedIn(page) {
  await page.waitForSelector("#who:not([hidden])");
  await page.waitForSelector("#nav a");
}

// Opens a menu entry (a click on its link, or `reload` to load its address afresh) and waits
// until the page has drawn: the entry is current, console.js has marked #page no longer busy
// after this render (the attribute is cleared first, so an earlier render cannot count), and no
// request the page made is still open.
export async function openEntry(page, problems, path, { reload = false } = {}) {
  await page.evaluate(() => document.getElementById("page").removeAttribute("aria-busy"));
  if (reload) await page.reload();
  else await page.click(`#nav a[data-path="${path}"]`);
  await page.waitForSelector(`#nav a.current[data-path="${path}"]`);
  await page.waitForSelector('#page[aria-busy="false"]');
  await until(`the requests of #/${path} to finish`, () => problems.openRequests === 0);
}

// A JSON API call from the test itself (not the page): { status, data }.
export async function api(url, method = "GET", body, token) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(waitMs) });
  const data = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  return { status: r.status, data };
}
