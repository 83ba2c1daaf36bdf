// Small DOM building blocks, so pages read as what they show. Text always goes in as text
// (never as HTML): names and comments come from residents.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export function button(label, onclick, attrs = {}) {
  return el("button", { type: "button", onclick, ...attrs }, label);
}

// A table from column definitions: [{ title, value: (row) => text | Node, class? }]; a class may
// be (row) => name, to mark some rows' cells (a dead letter, an error).
export function table(columns, rows, empty = "暂无记录") {
  const head = el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, c.title))));
  const body = el("tbody");
  const classOf = (c, row) => (typeof c.class === "function" ? c.class(row) : c.class);
  for (const row of rows) body.append(el("tr", {}, columns.map((c) => el("td", { class: classOf(c, row) }, c.value(row)))));
  if (rows.length === 0) body.append(el("tr", {}, el("td", { colspan: String(columns.length), class: "muted" }, empty)));
  return el("table", {}, head, body);
}

// The status line under the page: what just happened, or what went wrong.
export function say(text, bad = false) {
  const m = document.getElementById("message");
  m.textContent = text;
  m.className = bad ? "bad" : "";
}

// An ISO time from the API ("2026-12-02T09:30:00+08:00") shown as people read it here.
export function when(iso) {
  if (!iso) return "";
  return iso.replace("T", " ").replace(/:\d\d(\.\d+)?\+08:00$/, "").replace(/\+08:00$/, "");
}

// Today's date in Beijing, YYYY-MM-DD, whatever the PC's own time zone.
export function beijingToday(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
