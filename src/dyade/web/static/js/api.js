// Calls to the dyade REST API (same origin), with the optional read token.

const TOKEN_KEY = "dyade-token";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A query string from an object, skipping empty values; arrays repeat the key. */
export function query(params) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) out.append(key, String(item));
  }
  const text = out.toString();
  return text ? `?${text}` : "";
}

/** GET a JSON document from the API; a 401 shows the token form. */
export async function getJSON(path, params) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path + query(params), { headers });
  if (response.status === 401) showTokenForm();
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      message = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  return response.json();
}

function showTokenForm() {
  const form = document.getElementById("token-form");
  form.hidden = false;
  form.onsubmit = (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token-input").value);
    form.hidden = true;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  };
}

/** Show a short message in the header (errors in red). */
export function status(message, isError = false) {
  const node = document.getElementById("status");
  node.textContent = message || "";
  node.classList.toggle("error", Boolean(isError));
}
