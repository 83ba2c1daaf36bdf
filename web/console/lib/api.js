// Talking to the yizhan API from the console: the session token, JSON in and out, and the
// server's own words for what went wrong.
export const apiBase = "/api/v1";
const tokenKey = "yz-console-token";

export const session = {
  get token() { return sessionStorage.getItem(tokenKey); },
  set token(value) {
    if (value) sessionStorage.setItem(tokenKey, value);
    else sessionStorage.removeItem(tokenKey);
  },
};

// One API call. `body` is sent as JSON unless it is a Blob (a file upload). Answers
// { status, data } where data is the parsed JSON (or null when the answer is not JSON).
export async function call(method, path, body, headers = {}) {
  const h = { ...headers };
  const token = session.token;
  if (token) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob)) {
    h["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const res = await fetch(apiBase + path, { method, headers: h, body: payload });
  const data = res.headers.get("Content-Type")?.includes("json") ? await res.json() : null;
  return { status: res.status, data };
}

// A station's own route: /api/v1/stations/<station><path>.
export function stationCall(station, method, path, body, headers) {
  return call(method, `/stations/${station}${path}`, body, headers);
}

// What went wrong, in the words the server chose for people, plus its reason or the field when it gave one.
export function problem(r) {
  const e = r.data?.error;
  if (!e) return `请求失败（${r.status}）`;
  const extra = e.details?.reason ?? e.details?.field;
  return extra ? `${e.message}：${extra}` : e.message;
}

// Fetches a file the server makes (CSV, SVG) with the session and hands it to the browser as a
// download: a plain link cannot carry the Authorization header.
export async function download(path, filename) {
  const token = session.token;
  const res = await fetch(apiBase + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const data = res.headers.get("Content-Type")?.includes("json") ? await res.json() : null;
    return { status: res.status, data };
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { status: res.status, data: null };
}
