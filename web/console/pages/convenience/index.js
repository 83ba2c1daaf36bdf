// 便民服务站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
export const pages = [];

// The station's panel on the dashboard page: dashboard(root, ctx) draws its charts into root
// (lib/chart.js) and offers its CSV downloads; null while the station has none.
export const dashboard = null;
