// The roles a console user holds, as the server sends them ("admin", "staff:convenience", ...).
// Pages use these to decide what to show; the server checks the same on every call.
export function rolesOf(me) {
  const roles = me?.roles ?? [];
  return {
    all: roles,
    admin: roles.includes("admin"),
    // The stations this user is staff of; an admin runs every station.
    staffOf: roles.filter((r) => r.startsWith("staff:")).map((r) => r.slice("staff:".length)),
    runs(station) { return this.admin || this.staffOf.includes(station); },
  };
}
