// The station's services for pickers and tables: one request, retired ones included (staff still
// look up their days and export them), marked as such.
import { stationCall, problem } from "../../lib/api.js";
import { say } from "../../lib/ui.js";
import { select } from "../../lib/form.js";

export async function loadServices() {
  const r = await stationCall("convenience", "GET", "/services?all=1");
  if (r.status !== 200) {
    say(problem(r), true);
    return [];
  }
  return r.data.items;
}

export const serviceLabel = (s) => (s.active ? s.name : `${s.name}（已停办）`);

// A <select> of the services; `anyLabel` adds a first "every service" choice with value "".
export function servicePicker(services, { anyLabel, current, ...attrs } = {}) {
  const options = services.map((s) => [String(s.id), serviceLabel(s)]);
  if (anyLabel) options.unshift(["", anyLabel]);
  return select(options, current ?? options[0]?.[0], attrs);
}
