// What every 便民服务站 page shares: the station's API, the words for a booking's states, and the
// service list staff choose from.
import { stationCall } from "../../lib/api.js";

export const api = (method, path, body, headers) => stationCall("convenience", method, path, body, headers);

export const stateNames = {
  pending: "待审核", confirmed: "已确认", rejected: "已拒绝", cancelled: "已取消",
  checked_in: "已签到", completed: "已完成", no_show: "未到",
};

// Every service, retired ones included (staff still run their remaining bookings); null on failure
// with the answer in `failed`.
export async function allServices() {
  const r = await api("GET", "/services?all=1");
  return r.status === 200 ? { items: r.data.items } : { items: null, failed: r };
}

// A resident as staff see them: name and resident number (the number residents see in the mini-program).
export function residentLabel(p) {
  if (!p) return "";
  return p.display_name ? `${p.display_name}（${p.user_id}）` : `居民 ${p.user_id}`;
}

// The labels of each service's intake form, { serviceId: { fieldName: label } }: bookings carry
// their answers by field name.
export async function formLabels(serviceIds) {
  const ids = [...new Set(serviceIds.map(String))];
  const details = await Promise.all(ids.map((id) => api("GET", `/services/${id}`)));
  return Object.fromEntries(ids.map((id, i) =>
    [id, Object.fromEntries((details[i].data?.form ?? []).map((f) => [f.name, f.label]))]));
}

// A booking's answers as lines "联系电话：138…" (text, never HTML: residents typed them).
export function answerLines(form, labels = {}) {
  return Object.entries(form ?? {}).map(([k, v]) => `${labels[k] ?? k}：${Array.isArray(v) ? v.join("、") : v}`);
}
