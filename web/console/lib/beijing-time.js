// Times as the API speaks them (ISO 8601 at +08:00) and as <input type="datetime-local"> shows
// them. The console's users sit in Beijing, but their PC's zone is not trusted:
// nothing here goes through the browser's time zone.

// "2026-03-07T09:00" (an input's value) → "2026-03-07T09:00:00+08:00"; "" stays "".
export function isoFromInput(value) {
  return value ? `${value.slice(0, 16)}:00+08:00` : "";
}

// "2026-03-07T09:00:00+08:00" → "2026-03-07T09:00" for an input; null → "".
export function inputFromIso(iso) {
  return iso ? iso.slice(0, 16) : "";
}
