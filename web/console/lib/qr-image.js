// A QR code image of any short text, drawn by the core (GET /console/qr.svg, staff only). The
// route needs the session's Authorization header, which an <img src> cannot send, so the SVG is
// fetched here and handed back as a data: URL (the console's CSP allows data: images).
import { apiBase, session } from "./api.js";

// Answers { status, src } (src a data:image/svg+xml;base64 URL) or { status, data } on refusal.
export async function qrImageSrc(text) {
  const token = session.token;
  const res = await fetch(`${apiBase}/console/qr.svg?text=${encodeURIComponent(text)}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    cache: "no-store",
  });
  if (!res.ok) {
    const data = res.headers.get("Content-Type")?.includes("json") ? await res.json() : null;
    return { status: res.status, data };
  }
  const blob = new Blob([await res.blob()], { type: "image/svg+xml" });
  const src = await new Promise((done, fail) => {
    const reader = new FileReader();
    reader.onload = () => done(reader.result);
    reader.onerror = () => fail(reader.error);
    reader.readAsDataURL(blob);
  });
  return { status: res.status, src };
}
