// Every call the page makes goes through here: the API key from this tab's session storage as a Bearer header,
// errors as the API's own { error: { message, param, code } } body, and a 401 opens the key dialog.
const KEY_STORAGE = "svi.apiKey";

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `The server answered HTTP ${status}.`);
    this.status = status;
    this.param = error?.param ?? null;
    this.code = error?.code ?? null;
  }
}

let onUnauthorized = () => {};
// Server time minus this browser's time, from the Date header, so the ETA is right on a skewed client clock.
let clockOffsetMs = 0;

export const key = {
  get: () => sessionStorage.getItem(KEY_STORAGE),
  set: value => sessionStorage.setItem(KEY_STORAGE, value),
  forget: () => sessionStorage.removeItem(KEY_STORAGE),
  whenRefused: handler => { onUnauthorized = handler; },
};

export const serverNowSeconds = () => (Date.now() + clockOffsetMs) / 1000;

export async function call(path, init = {}) {
  const headers = new Headers(init.headers);
  const bearer = key.get();
  if (bearer) headers.set("Authorization", `Bearer ${bearer}`);
  const response = await fetch(path, { ...init, headers });
  const date = response.headers.get("Date");
  if (date) clockOffsetMs = Date.parse(date) - Date.now();
  if (response.ok) return response;
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: the status says enough */ }
  const error = new ApiError(response.status, body?.error);
  if (response.status === 401) onUnauthorized(error.message);
  throw error;
}

export const json = async (path, init) => (await call(path, init)).json();

export const postJson = (path, body) =>
  json(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

// Media behind the key cannot be a plain <video src>/<img src>: fetch it and hand back a blob: URL.
export async function blobUrl(path) {
  const response = await call(path);
  return { url: URL.createObjectURL(await response.blob()), partial: response.headers.get("X-Svi-Partial") === "true" };
}
