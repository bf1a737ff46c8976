// The controller's API as the page uses it: the session's bearer token, JSON requests with the
// server's error messages, the exchange of a one-time login code, and the watch of an
// application as server-sent events read from a streaming fetch (EventSource cannot send the
// Authorization header), reconnecting with back-off.

const tokenKey = "tack.token";

/// The bearer token of this browser session, or null.
export function storedToken() {
  return sessionStorage.getItem(tokenKey);
}

export function storeToken(token) {
  sessionStorage.setItem(tokenKey, token);
}

export function forgetToken() {
  sessionStorage.removeItem(tokenKey);
}

/// A refused or failed request: the HTTP status (0 when the controller could not be reached) and
/// the server's own message.
export class ApiError extends Error {
  constructor(status, reason, message, details) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.details = details || [];
  }

  /// Whether the token is missing or wrong, so that the page should ask for one.
  get isAuthentication() {
    return this.status === 401 || this.status === 403;
  }

  /// "409 Conflict: execution 3 has ended", for people.
  get description() {
    const head = this.status ? `${this.status} ${this.reason || ""}`.trim() + ": " : "";
    return head + this.message + (this.details.length ? ` (${this.details.join("; ")})` : "");
  }
}

/// The ApiError of a non-2xx response, from its JSON error body when it has one.
async function errorOf(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: the status alone.
  }
  const message = body && typeof body.message === "string" ? body.message : response.statusText || "request failed";
  return new ApiError(response.status, body && body.reason, message, body && body.details);
}

/// Sends a request with the session's token and returns its JSON answer (null for an empty one).
export async function requestJSON(method, path, { body, signal } = {}) {
  const headers = { Accept: "application/json" };
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers, signal, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "", `the controller cannot be reached (${error.message})`);
  }
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/// Exchanges a one-time login code for a session token and stores it. Throws an ApiError with
/// the server's message when the code was used, has expired or is unknown.
export async function exchangeLoginCode(code) {
  let response;
  try {
    response = await fetch("/v1/dashboard/session", {
      method: "POST", cache: "no-store",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    });
  } catch (error) {
    throw new ApiError(0, "", `the controller cannot be reached (${error.message})`);
  }
  if (!response.ok) throw await errorOf(response);
  const session = await response.json();
  storeToken(session.token);
  return session;
}

const path = (app) => `/v1/applications/${encodeURIComponent(app)}`;

export const api = {
  applications: (signal) => requestJSON("GET", "/v1/applications", { signal }),
  latestExecution: (app, signal) => requestJSON("GET", path(app), { signal }),
  history: (app, signal) => requestJSON("GET", `${path(app)}/history`, { signal }),
  execution: (id, signal) => requestJSON("GET", `/v1/executions/${encodeURIComponent(id)}`, { signal }),
  events: (id, after, signal) => requestJSON("GET", `/v1/executions/${encodeURIComponent(id)}/events?after=${after}`, { signal }),
  promote: (app) => requestJSON("POST", `${path(app)}/promote`),
  abort: (app) => requestJSON("POST", `${path(app)}/abort`),
  rollBack: (app) => requestJSON("POST", `${path(app)}/rollback`),
};

/// Splits a server-sent event stream into messages. Feed it text as it arrives, split anywhere;
/// `push` returns the complete messages ({event, data}) the text finished. Comments (heartbeats)
/// yield a message with event "comment".
export class EventStreamParser {
  constructor() {
    this.buffer = "";
    this.event = "";
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    const messages = [];
    let newline;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone \r at the end may be the first half of \r\n: wait for more text.
      if (this.buffer[newline] === "\r" && newline === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      const message = this.takeLine(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  takeLine(line) {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return { event: "comment", data: line.slice(1).trim() };
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return null;
  }
}

/// Follows `/v1/applications/<app>/watch?follow=true` until `signal` aborts. Calls
/// onMessage({type: "state", execution} | {type: "event", event}) for each message,
/// onStatus("live" | "reconnecting", detail) when the connection changes, and onError(ApiError)
/// for a refused token (401, 403), after which it stops. Anything else (a 404 before the first
/// execution, a controller restart, a dropped connection) is retried after 1 s, doubling to 15 s.
export async function watchApplication(app, signal, { onMessage, onStatus, onError }) {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      const headers = { Accept: "text/event-stream" };
      const token = storedToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      const response = await fetch(`${path(app)}/watch?follow=true`, { headers, signal, cache: "no-store" });
      if (!response.ok) {
        const error = await errorOf(response);
        if (error.isAuthentication) {
          onError(error);
          return;
        }
        throw error;
      }
      onStatus("live");
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new EventStreamParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          delay = 1000; // a working stream resets the back-off
          if (message.event === "comment") continue;
          let payload;
          try {
            payload = JSON.parse(message.data);
          } catch {
            continue;
          }
          if (payload.type === "state" || payload.type === "event") onMessage(payload);
        }
      }
    } catch (error) {
      if (signal.aborted || error.name === "AbortError") return;
      onStatus("reconnecting", error instanceof ApiError ? error.description : "the controller cannot be reached");
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 15000);
      continue;
    }
    if (signal.aborted) return;
    onStatus("reconnecting", "the stream ended");
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 15000);
  }
}

/// Resolves after `ms`, or at once when `signal` aborts.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
