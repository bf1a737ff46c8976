// The page's views, built as DOM nodes from the API's JSON: the login form, the applications
// table, an execution's summary, account cards (strategy, traffic, replicas per track, steps,
// charts), the event timeline, the history table, and the confirmation dialog. Text always goes
// in through textContent: names and messages are user data. Every phase is an icon and a word,
// never a colour alone.

import { formatClock, metricChart } from "./chart.js";

/// An element with attributes ("class", "data-…", "aria-…", …; `on` maps events to handlers)
/// and children (nodes or strings; null and false are skipped).
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "on") {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === "class") {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

const phases = {
  pending: ["◌", "pending", "neutral"],
  deploying: ["⟳", "deploying", "active"],
  progressing: ["⟳", "progressing", "active"],
  promoting: ["⇧", "promoting", "active"],
  succeeded: ["✔", "succeeded", "good"],
  rollingBack: ["↺", "rolling back", "bad"],
  rolledBack: ["✖", "rolled back", "bad"],
  paused: ["‖", "paused", "warn"],
  aborted: ["■", "aborted", "bad"],
  failed: ["⚠", "failed", "bad"],
  superseded: ["⤼", "superseded", "neutral"],
  skipped: ["–", "skipped", "neutral"],
};

const terminalPhases = new Set(["succeeded", "rolledBack", "aborted", "failed", "superseded"]);

/// Whether an execution in `phase` has ended.
export function isTerminal(phase) {
  return terminalPhases.has(phase);
}

/// A phase as an icon and its words, in a span whose class gives the colour.
export function phaseBadge(phase, attributes = {}) {
  const [icon, text, tone] = phases[phase] || ["•", String(phase), "neutral"];
  return h("span", { class: `phase tone-${tone}`, "data-phase": phase, ...attributes },
    h("span", { class: "icon", "aria-hidden": "true" }, icon), ` ${text}`);
}

/// 12 s, 3 min 4 s, 1 h 2 min.
export function formatDuration(milliseconds) {
  if (!Number.isFinite(milliseconds) || milliseconds < 0) return "—";
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/// A date for people, in a <time> element with the ISO date as its datetime.
export function timeElement(iso, { withDate = false } = {}) {
  if (!iso) return h("span", {}, "—");
  const date = new Date(iso);
  const text = withDate
    ? `${date.toLocaleDateString([], { month: "short", day: "numeric" })} ${formatClock(date)}`
    : formatClock(date);
  return h("time", { datetime: iso, title: date.toLocaleString() }, text);
}

/// The duration of an execution: to its last change once ended, to now while it runs.
export function executionDuration(view) {
  const end = isTerminal(view.phase) ? Date.parse(view.updatedAt) : Date.now();
  return formatDuration(end - Date.parse(view.createdAt));
}

/// Why an execution rolled back, paused or ended, in one line.
export function reasonOf(view) {
  if (view.cause) return `${view.cause.condition} in ${view.cause.account}: ${view.cause.reason}`;
  return view.pauseReason || view.message || "";
}

// MARK: - Login

/// The login form: the token field, where to find the token, and the last refusal.
export function loginView({ message, onSubmit }) {
  const input = h("input", { id: "token", name: "token", type: "password", autocomplete: "current-password", required: true, spellcheck: "false" });
  const form = h("form", { class: "login", "data-testid": "login", "aria-labelledby": "login-title" },
    h("h2", { id: "login-title", tabindex: "-1" }, "Sign in to the controller"),
    h("p", {},
      "The page needs the controller's token. It is in ", h("code", {}, "$TACK_HOME/controller.token"),
      ", or run ", h("code", {}, "tack dashboard"), " to open this page signed in (",
      h("code", {}, "tack dashboard --print-url"), " prints a one-time link instead)."),
    h("label", { for: "token" }, "Controller token"),
    input,
    message ? h("p", { class: "error", role: "alert", "data-testid": "login-error" }, h("span", { "aria-hidden": "true" }, "✖ "), message) : null,
    h("button", { type: "submit", class: "primary" }, "Sign in"),
    h("p", { class: "hint" }, "The token is kept for this browser tab only (session storage)."));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token) onSubmit(token);
  });
  return form;
}

// MARK: - Applications

/// The table of applications: revision, phase per account, last verdict.
export function applicationsTable(summaries) {
  if (summaries.length === 0) {
    return h("p", { class: "empty", "data-testid": "no-apps" }, "No application yet. Apply a pipeline with ", h("code", {}, "tack apply -f PIPELINE"), ".");
  }
  const rows = [...summaries].sort((a, b) => a.app.localeCompare(b.app)).map((summary) => {
    const href = `#/apps/${encodeURIComponent(summary.app)}`;
    return h("tr", { "data-testid": "app-row", "data-app": summary.app, "data-phase": summary.phase },
      h("th", { scope: "row", "data-label": "Application" }, h("a", { href }, summary.app)),
      h("td", { "data-label": "Revision", "data-testid": "app-revision" }, String(summary.revision)),
      h("td", { "data-label": "Phase" }, phaseBadge(summary.phase)),
      h("td", { "data-label": "Accounts" }, h("ul", { class: "plain" }, summary.accounts.map((account) =>
        h("li", { "data-testid": "app-account", "data-account": account.account },
          h("span", { class: "account-name" }, account.account), " ", phaseBadge(account.phase))))),
      h("td", { "data-label": "Last verdict", "data-testid": "last-verdict" }, verdictCell(summary.lastVerdict)),
      h("td", { "data-label": "Updated" }, timeElement(summary.updatedAt, { withDate: true })),
      h("td", { "data-label": "History" }, h("a", { href: `${href}/history`, "aria-label": `History of ${summary.app}` }, "History")));
  });
  return h("div", { class: "table-box" },
    h("table", { class: "stack", "data-testid": "apps" },
      h("caption", { class: "visually-hidden" }, "Applications and their latest execution"),
      h("thead", {}, h("tr", {}, ["Application", "Revision", "Phase", "Accounts", "Last verdict", "Updated", "History"]
        .map((title) => h("th", { scope: "col" }, title)))),
      h("tbody", {}, rows)));
}

function verdictCell(verdict) {
  if (!verdict) return h("span", { class: "muted" }, "none yet");
  return h("span", {},
    phaseBadge(verdict.phase), " ",
    h("a", { href: `#/executions/${verdict.execution}` }, `#${verdict.execution}`),
    `, revision ${verdict.revision}`,
    verdict.finishedAt ? [", ", timeElement(verdict.finishedAt, { withDate: true })] : null,
    verdict.reason ? h("span", { class: "reason" }, verdict.reason) : null);
}

// MARK: - An execution

/// The execution's heading block: phase, stage, times, and why it paused or rolled back.
export function executionSummary(view) {
  const items = [
    ["Phase", phaseBadge(view.phase, { "data-testid": "execution-phase" })],
    ["Revision", String(view.revision)],
    ["Stage", view.stages ? `${view.stage} of ${view.stages}` : String(view.stage)],
    ["Started", timeElement(view.createdAt, { withDate: true })],
    [isTerminal(view.phase) ? "Took" : "Running for", executionDuration(view)],
  ];
  const facts = h("dl", { class: "facts inline" }, items.map(([term, detail]) => [h("dt", {}, term), h("dd", {}, detail)]));
  let note = null;
  if (view.phase === "paused" || view.pauseReason) {
    note = h("p", { class: "note tone-warn", "data-testid": "pause-reason" },
      h("span", { "aria-hidden": "true" }, "‖ "), `Paused: ${(view.pauseReason || view.message || "").replace(/\.$/, "")}.`,
      isTerminal(view.phase) ? null : " Promote to go on, or abort to roll back.");
  } else if (view.cause) {
    note = h("p", { class: "note tone-bad", "data-testid": "cause" },
      h("span", { "aria-hidden": "true" }, "✖ "), `${view.phase === "rollingBack" ? "Rolling back" : "Rolled back"} because ${reasonOf(view)}`);
  } else if (view.message) {
    note = h("p", { class: "note", "data-testid": "execution-message" }, view.message);
  }
  return h("div", { class: "summary", "data-testid": "execution-summary", "data-phase": view.phase, "data-execution": view.id }, facts, note);
}

/// The labels of the two series of an account's charts.
function seriesLabels(account) {
  return account.strategy === "bluegreen" ? { value: "preview (new)", stable: "active" } : { value: "canary (new)", stable: "stable" };
}

/// An image reference with its digest shortened to 12 digits; the whole reference in the title.
export function imageName(reference, { digest = true } = {}) {
  const short = String(reference).replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, digest ? "@$1…" : "");
  return h("span", { class: digest ? "image" : "image tag", title: reference }, short);
}

/// One account's card: strategy, traffic, images, step, replicas per track, charts and steps.
export function accountCard(account, markers) {
  const done = account.step >= account.steps.length;
  const stepText = account.steps.length === 0 ? "—"
    : done ? `all ${account.steps.length} done`
      : `${account.step + 1} of ${account.steps.length}: ${account.steps[account.step]}`;
  const facts = [
    ["Strategy", h("span", { "data-testid": "strategy" }, account.strategy === "bluegreen" ? "blue-green" : account.strategy)],
    ["New version's traffic", h("span", { class: "weight", "data-testid": "weight", "data-weight": account.weight },
      h("progress", { max: "100", value: String(account.weight), "aria-hidden": "true" }), ` ${account.weight}%`)],
    ["Image", account.previousImage
      ? [imageName(account.previousImage), " → ", imageName(account.image)]
      : imageName(account.image)],
    ["Step", h("span", { "data-testid": "current-step", "data-step": account.step }, stepText)],
    account.waitingFor ? ["Waiting for", account.waitingFor] : null,
    account.error ? ["Error", h("span", { class: "tone-bad" }, h("span", { "aria-hidden": "true" }, "⚠ "), account.error)] : null,
  ].filter(Boolean);
  return h("article", { class: "account", "data-testid": "account", "data-account": account.account, "data-phase": account.phase, "data-weight": account.weight },
    h("h3", {}, h("span", { class: "account-name" }, account.account), " ", phaseBadge(account.phase)),
    h("dl", { class: "facts" }, facts.map(([term, detail]) => [h("dt", {}, term), h("dd", {}, detail)])),
    tracksTable(account),
    h("div", { class: "charts" }, account.metrics.length === 0
      ? h("p", { class: "muted" }, "No metric measured here yet.")
      : account.metrics.map((metric) => metricChart(metric, { account: account.account, labels: seriesLabels(account), markers: markers(account.account) }))),
    stepsList(account));
}

function tracksTable(account) {
  if (account.tracks.length === 0) return h("p", { class: "muted", "data-testid": "no-tracks" }, "No replicas observed yet.");
  const hasNotes = account.tracks.some((track) => track.failure || track.message);
  const columns = ["Track", "Ready", "Updated", "Restarts", "Image", hasNotes ? "Note" : null].filter(Boolean);
  return h("div", { class: "table-box" }, h("table", { class: "stack tracks" },
    h("caption", {}, "Replicas per track"),
    h("thead", {}, h("tr", {}, columns.map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, account.tracks.map((track) => {
      const ready = track.ready >= track.desired && track.desired > 0;
      return h("tr", { "data-testid": "track", "data-track": track.track, "data-ready": track.ready, "data-desired": track.desired },
        h("th", { scope: "row", "data-label": "Track" }, track.track),
        h("td", { "data-label": "Ready", title: `${track.available} available` }, h("span", { "aria-hidden": "true" }, ready ? "✔ " : "… "), `${track.ready}/${track.desired} ready`),
        h("td", { "data-label": "Updated" }, String(track.updated)),
        h("td", { "data-label": "Restarts" }, String(track.restarts)),
        h("td", { "data-label": "Image" }, imageName(track.image, { digest: false })),
        hasNotes ? h("td", { "data-label": "Note" }, track.failure ? h("span", { class: "tone-bad" }, `⚠ ${track.failure}`) : track.message || "") : null);
    }))));
}

function stepsList(account) {
  if (account.steps.length === 0) return null;
  return h("div", { class: "steps" }, h("h4", {}, "Steps"), h("ol", {}, account.steps.map((step, index) => {
    const state = index < account.step ? "done" : index === account.step ? "current" : "next";
    const icon = { done: "✔", current: "▶", next: "○" }[state];
    const words = { done: "done", current: "now", next: "to do" }[state];
    return h("li", { class: `step step-${state}`, "aria-current": state === "current" ? "step" : null },
      h("span", { class: "icon", "aria-hidden": "true" }, `${icon} `), step, h("span", { class: "visually-hidden" }, ` (${words})`));
  })));
}

// MARK: - Events

const eventKinds = {
  created: ["✚", "created"],
  stageStarted: ["▸", "stage"],
  stepStarted: ["▶", "step started"],
  stepCompleted: ["✔", "step done"],
  phaseChanged: ["⇄", "phase"],
  analysisEnded: ["◆", "analysis"],
  rollbackStarted: ["↺", "rollback"],
  judgment: ["⚖", "judgment"],
  driverError: ["⚠", "driver error"],
};

/// One entry of the timeline.
export function timelineItem(event) {
  const [icon, words] = eventKinds[event.kind] || ["•", event.kind];
  const tone = event.kind === "rollbackStarted" || event.kind === "driverError" ? "bad" : event.kind === "judgment" ? "warn" : "neutral";
  return h("li", { class: `event event-${event.kind}`, "data-testid": "event", "data-kind": event.kind, "data-sequence": event.sequence },
    timeElement(event.time),
    h("span", { class: `event-kind tone-${tone}` }, h("span", { "aria-hidden": "true" }, `${icon} `), words),
    h("span", { class: "account-name" }, event.account || ""),
    h("span", { class: "event-message" }, event.message));
}

/// The chart markers in `events` for `account`: promotions and rollbacks.
export function markersFrom(events, account) {
  const markers = [];
  for (const event of events) {
    const time = Date.parse(event.time);
    const message = event.message || "";
    if (event.kind === "rollbackStarted") {
      markers.push({ time, kind: "rollback", label: "↺ rollback" });
    } else if (event.kind === "judgment" && /^promoted/.test(message)) {
      markers.push({ time, kind: "promotion", label: "⚖ promoted by a user" });
    } else if (event.kind === "stepStarted" && event.account === account && /promote the canary|switch traffic/.test(message)) {
      markers.push({ time, kind: "promotion", label: "⇧ promotion" });
    } else if (event.kind === "phaseChanged" && /→ succeeded/.test(message)) {
      markers.push({ time, kind: "promotion", label: "✔ succeeded" });
    }
  }
  return markers;
}

// MARK: - History

/// The table of an application's executions, newest first: verdict, duration, reason.
export function historyTable(executions) {
  const rows = [...executions].sort((a, b) => b.id - a.id).map((view) =>
    h("tr", { "data-testid": "history-row", "data-execution": view.id, "data-phase": view.phase },
      h("th", { scope: "row", "data-label": "Execution" }, h("a", { href: `#/executions/${view.id}` }, `#${view.id}`)),
      h("td", { "data-label": "Revision" }, String(view.revision)),
      h("td", { "data-label": "Verdict" }, phaseBadge(view.phase)),
      h("td", { "data-label": "Started" }, timeElement(view.createdAt, { withDate: true })),
      h("td", { "data-label": "Duration", "data-testid": "duration" }, executionDuration(view)),
      h("td", { "data-label": "Images" }, h("ul", { class: "plain" }, view.accounts.map((account) =>
        h("li", {}, h("span", { class: "account-name" }, account.account), " ", imageName(account.image, { digest: false }))))),
      h("td", { "data-label": "Reason", "data-testid": "reason" }, reasonOf(view) || "—")));
  return h("div", { class: "table-box" }, h("table", { class: "stack", "data-testid": "history" },
    h("caption", { class: "visually-hidden" }, "Executions, newest first"),
    h("thead", {}, h("tr", {}, ["Execution", "Revision", "Verdict", "Started", "Duration", "Images", "Reason"].map((title) => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows)));
}

// MARK: - Confirmation

/// Asks in the page's <dialog> whether to go on; resolves true for the confirm button, false for
/// Cancel or Escape. The confirm button has the focus.
export function confirmAction(dialog, { title, text, confirmLabel }) {
  dialog.querySelector("[data-dialog-title]").textContent = title;
  dialog.querySelector("[data-dialog-text]").textContent = text;
  const confirm = dialog.querySelector("[data-testid=confirm]");
  const cancel = dialog.querySelector("[data-testid=cancel]");
  confirm.textContent = confirmLabel;
  return new Promise((resolve) => {
    const finish = (answer) => {
      confirm.removeEventListener("click", onConfirm);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("close", onClose);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const onConfirm = () => finish(true);
    const onCancel = () => finish(false);
    const onClose = () => finish(false); // Escape
    confirm.addEventListener("click", onConfirm);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("close", onClose);
    dialog.showModal();
    confirm.focus();
  });
}
