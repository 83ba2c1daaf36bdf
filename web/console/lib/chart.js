// Charts for the dashboard as inline SVG: no library, no canvas. The arithmetic (scales and
// ticks) is plain functions so it can be tested without a browser.
const svgNs = "http://www.w3.org/2000/svg";

// A "nice" upper bound and tick step for values up to `max`: 1, 2 or 5 times a power of ten.
export function niceScale(max, ticks = 4) {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return { top: step * Math.ceil(max / step), step };
}

// Where each bar of a series goes in a plot `width` × `height`: [{ x, y, w, h, label, value }].
// The scale reaches at least `atLeast` (100 for percentages, so 3% never fills the plot).
export function barLayout(points, width, height, atLeast = 0) {
  const { top } = niceScale(Math.max(0, atLeast, ...points.map((p) => p.value)));
  const slot = points.length ? width / points.length : width;
  return points.map((p, i) => {
    const h = (Math.max(0, p.value) / top) * height;
    return { x: i * slot + slot * 0.15, y: height - h, w: slot * 0.7, h, label: p.label, value: p.value };
  });
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// A bar chart of [{ label, value }] with a title; `format` shows values (e.g. as a percentage),
// `atLeast` keeps the scale from shrinking below a value (see barLayout).
export function barChart(title, points, { format = (v) => String(v), width = 360, height = 160, atLeast = 0 } = {}) {
  const pad = { left: 36, bottom: 22, top: 8 };
  const plotH = height - pad.bottom - pad.top, plotW = width - pad.left;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title });
  root.append(svg("title", {}, title));
  const { top, step } = niceScale(Math.max(0, atLeast, ...points.map((p) => p.value)));
  for (let v = 0; v <= top + 1e-9; v += step) {
    const y = pad.top + plotH - (v / top) * plotH;
    root.append(svg("line", { x1: pad.left, x2: width, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: pad.left - 4, y: y + 4, "text-anchor": "end", class: "tick" }, format(v)));
  }
  for (const b of barLayout(points, plotW, plotH, atLeast)) {
    const g = svg("g", {});
    g.append(svg("rect", { x: pad.left + b.x, y: pad.top + b.y, width: b.w, height: b.h, class: "bar" }));
    g.append(svg("title", {}, `${b.label}：${format(b.value)}`));
    g.append(svg("text", { x: pad.left + b.x + b.w / 2, y: height - 6, "text-anchor": "middle", class: "tick" }, b.label));
    root.append(g);
  }
  return root;
}
