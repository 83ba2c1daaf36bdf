// 志愿者工作站's console pages. Each entry: { path, title, render(root, ctx) }; see ../index.js.
export const pages = [];
