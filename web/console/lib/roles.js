// The roles a console user holds, as the server sends them ("admin", "staff:convenience", ...).
// Pages use these to decide what to show; the server checks the same on every call.
export function rolesOf(me) {
  const roles = me?.roles ?? [];
  return {
    all: roles,
    admin: roles.includes("admin"),
    // The stations this user is staff of: they run those (the station's own pages).
    staffOf: roles.filter((r) => r.startsWith("staff:")).map((r) => r.slice("staff:".length)),
    runs(station) { return this.staffOf.includes(station); },
    // Reports (a station's dashboard panel and CSV downloads): its staff, and admins for every
    // station — admins oversee the stations, they do not work their desks.
    sees(station) { return this.admin || this.runs(station); },
  };
}

// What each role is called in the console.
export const roleNames = {
  admin: "社区管理员",
  staff: "工作人员",
  grid: "网格员",
  member: "党员",
  unit_contact: "共建单位联系人",
  resident: "居民",
};

// A role as people read it: "staff:convenience" → "便民服务站 工作人员", "grid:g1" → "网格员（g1）".
// `stations` is [{ id, name }]; a station not in it is shown by its id.
export function roleLabel(role, stations = []) {
  const [kind, scope] = role.split(/:(.*)/s);
  const name = roleNames[kind] ?? kind;
  if (!scope) return name;
  if (kind === "staff") return `${stations.find((s) => s.id === scope)?.name ?? scope} ${name}`;
  return `${name}（${scope}）`;
}
