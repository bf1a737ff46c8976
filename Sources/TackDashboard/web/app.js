// The page's entry: signing in (token form or one-time link), hash routing between the
// applications list, an application's live execution, its history and one execution, and the
// promote, abort and roll-back actions. Each page returns a `dispose` that stops its requests
// and timers when the route changes.

import { api, exchangeLoginCode, forgetToken, storedToken, storeToken, watchApplication } from "./api.js";
import {
  accountCard, applicationsTable, confirmAction, executionSummary, h, historyTable, isTerminal,
  loginView, markersFrom, timelineItem,
} from "./views.js";

const main = document.getElementById("main");
const liveStatus = document.getElementById("live-status");
const signOutButton = document.getElementById("sign-out");
const dialog = document.getElementById("confirm-dialog");

let page = null;

function setLiveStatus(text) {
  if (liveStatus.textContent !== text) liveStatus.textContent = text;
}

/// Replaces the main content; moves the focus to its heading after a navigation.
function showContent(nodes, { focusHeading = false } = {}) {
  main.replaceChildren(...nodes);
  if (focusHeading) main.querySelector("h2")?.focus();
}

function errorBox(error) {
  return h("p", { class: "error", role: "alert", "data-testid": "error" },
    h("span", { "aria-hidden": "true" }, "✖ "), error.description || error.message);
}

/// Shows the login form, or the error where it is; nothing for a request the page cancelled.
function handleError(error, where = main) {
  if (error.name === "AbortError") return;
  if (error.isAuthentication) {
    forgetToken();
    showLogin(`The controller asks to sign in again: ${error.message}`);
    return;
  }
  where.replaceChildren(errorBox(error));
}

// MARK: - Signing in and out

function showLogin(message) {
  page?.dispose();
  page = null;
  setLiveStatus("");
  signOutButton.hidden = true;
  document.title = "Sign in — Tack";
  const form = loginView({ message, onSubmit: signIn });
  showContent([form]);
  form.querySelector("input").focus();
}

async function signIn(token) {
  storeToken(token);
  try {
    await api.applications();
  } catch (error) {
    forgetToken();
    showLogin(error.isAuthentication ? `The controller refused this token: ${error.message}` : error.description);
    return;
  }
  route({ focusHeading: true });
}

function signOut() {
  forgetToken();
  showLogin("Signed out.");
}

/// Exchanges the code of a one-time link (`#login=<code>`) for a session; false when refused.
async function signInWithLink() {
  const code = decodeURIComponent(location.hash.slice("#login=".length));
  // The code is single-use: it leaves the address bar and the history at once.
  history.replaceState(null, "", "#/");
  try {
    await exchangeLoginCode(code);
    return true;
  } catch (error) {
    showLogin(error.status ? `This sign-in link cannot be used: ${error.message}` : error.message);
    return false;
  }
}

// MARK: - Routing

async function route({ focusHeading = false } = {}) {
  page?.dispose();
  page = null;
  setLiveStatus("");
  if (location.hash.startsWith("#login=") && !(await signInWithLink())) return;
  if (!storedToken()) {
    showLogin();
    return;
  }
  signOutButton.hidden = false;
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "apps" && parts[1] && parts[2] === "history") page = historyPage(parts[1], focusHeading);
  else if (parts[0] === "apps" && parts[1]) page = executionPage({ app: parts[1], focusHeading });
  else if (parts[0] === "executions" && /^\d+$/.test(parts[1] || "")) page = executionPage({ id: Number(parts[1]), focusHeading });
  else page = applicationsPage(focusHeading);
}

// MARK: - Applications

function applicationsPage(focusHeading) {
  const controller = new AbortController();
  const box = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  document.title = "Applications — Tack";
  showContent([h("h2", { tabindex: "-1" }, "Applications"), h("p", { class: "hint" }, "Refreshed every 5 s."), box], { focusHeading });
  let shown = "";
  let timer = 0;
  const load = async () => {
    try {
      const summaries = await api.applications(controller.signal);
      const key = JSON.stringify(summaries);
      if (key !== shown) {
        shown = key;
        // Keep the keyboard focus on the same link across a refresh.
        const focused = box.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
        box.replaceChildren(applicationsTable(summaries));
        if (focused) box.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
      }
    } catch (error) {
      shown = "";
      handleError(error, box);
    }
    if (!controller.signal.aborted) timer = setTimeout(load, 5000);
  };
  load();
  return { dispose: () => { controller.abort(); clearTimeout(timer); } };
}

// MARK: - History

function historyPage(app, focusHeading) {
  const controller = new AbortController();
  const box = h("div", {}, h("p", { class: "muted" }, "Loading…"));
  const appLink = `#/apps/${encodeURIComponent(app)}`;
  document.title = `History of ${app} — Tack`;
  showContent([
    breadcrumbs([["Applications", "#/"], [app, appLink], ["History", null]]),
    h("h2", { tabindex: "-1" }, `History of ${app}`),
    h("p", {}, h("a", { href: appLink }, "Latest execution, live")),
    box,
  ], { focusHeading });
  api.history(app, controller.signal)
    .then((executions) => box.replaceChildren(historyTable(executions)))
    .catch((error) => handleError(error, box));
  return { dispose: () => controller.abort() };
}

function breadcrumbs(items) {
  return h("nav", { class: "breadcrumbs", "aria-label": "Breadcrumbs" }, h("ol", {}, items.map(([text, href]) =>
    h("li", {}, href ? h("a", { href }, text) : h("span", { "aria-current": "page" }, text)))));
}

// MARK: - An execution

/// An execution, live: the application's latest (following the watch stream, and the next
/// execution when one is applied) or one execution by id (polled while it runs).
function executionPage({ app, id, focusHeading }) {
  const controller = new AbortController();
  const screen = new ExecutionScreen(app, controller.signal);
  showContent(screen.nodes(), { focusHeading });
  document.title = `${app || `Execution ${id}`} — Tack`;
  if (app) followApplication(app, screen, controller.signal);
  else pollExecution(id, screen, controller.signal);
  return { dispose: () => { controller.abort(); screen.dispose(); } };
}

async function followApplication(app, screen, signal) {
  try {
    screen.show(await api.latestExecution(app, signal));
  } catch (error) {
    if (error.isAuthentication || error.name === "AbortError") return handleError(error);
    // No execution yet (404), or no controller: the watch below waits for one.
    screen.showProblem(error);
  }
  setLiveStatus("connecting…");
  watchApplication(app, signal, {
    onMessage: (message) => {
      if (message.type === "state") screen.show(message.execution);
      else screen.addEvents([message.event]);
    },
    onStatus: (status, detail) => setLiveStatus(status === "live" ? "● live" : `↻ reconnecting…${detail ? ` (${detail})` : ""}`),
    onError: (error) => handleError(error),
  });
}

async function pollExecution(id, screen, signal) {
  let after = 0;
  while (!signal.aborted) {
    try {
      const view = await api.execution(id, signal);
      const events = await api.events(id, after, signal);
      screen.show(view);
      screen.addEvents(events);
      if (events.length) after = events[events.length - 1].sequence;
      if (isTerminal(view.phase)) {
        setLiveStatus("");
        return;
      }
      setLiveStatus("● live (every 2 s)");
    } catch (error) {
      if (error.isAuthentication || error.name === "AbortError") return handleError(error);
      if (!screen.view) return screen.showProblem(error);
      setLiveStatus(`↻ reconnecting… (${error.description})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/// The DOM of one execution, updated in place: the heading and summary, the action buttons
/// (created once, so the keyboard focus stays on them), the account cards and the timeline.
class ExecutionScreen {
  constructor(app, signal) {
    this.app = app;
    this.signal = signal;
    this.view = null;
    this.events = new Map();
    this.renderTimer = 0;
    this.heading = h("h2", { tabindex: "-1", "data-testid": "execution-title" }, app ? `${app}: latest execution` : "Execution");
    this.crumbs = h("div");
    this.summary = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    this.result = h("p", { class: "action-result", "data-testid": "action-result", role: "status", "aria-live": "polite" });
    this.buttons = {
      promote: this.actionButton("promote", "Promote"),
      abort: this.actionButton("abort", "Abort"),
      rollback: this.actionButton("rollback", "Roll back"),
    };
    this.accounts = h("div", { class: "accounts", "data-testid": "accounts" });
    this.timeline = h("ol", { class: "timeline", "data-testid": "timeline" });
  }

  nodes() {
    return [
      this.crumbs,
      this.heading,
      this.summary,
      h("section", { class: "actions", "aria-label": "Actions" },
        h("div", { class: "buttons" }, this.buttons.promote, this.buttons.abort, this.buttons.rollback),
        this.result),
      h("section", { "aria-labelledby": "accounts-title" }, h("h2", { id: "accounts-title", class: "section-title" }, "Accounts"), this.accounts),
      h("section", { "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title", class: "section-title" }, "Timeline ", h("span", { class: "muted" }, "(newest first)")), this.timeline),
    ];
  }

  dispose() {
    clearTimeout(this.renderTimer);
  }

  actionButton(action, label) {
    return h("button", { type: "button", class: `action action-${action}`, "data-testid": action, disabled: true, on: { click: () => this.run(action) } }, label);
  }

  showProblem(error) {
    this.summary.replaceChildren(errorBox(error));
    if (this.app) this.buttons.rollback.disabled = false;
  }

  /// Shows `view`; a different execution (the application's next) starts a fresh timeline.
  show(view) {
    if (this.view && view.id !== this.view.id) {
      this.events.clear();
      this.timeline.replaceChildren();
    }
    const first = !this.view || view.id !== this.view.id;
    // A result about another execution would read as if it were about this one.
    if (first && this.resultExecution !== undefined && this.resultExecution !== view.id) this.report(null);
    this.view = view;
    this.app = view.app;
    if (first) {
      const appLink = `#/apps/${encodeURIComponent(view.app)}`;
      this.crumbs.replaceChildren(breadcrumbs([["Applications", "#/"], [view.app, appLink], [`Execution #${view.id}`, null]]));
      this.heading.textContent = `${view.app}: execution #${view.id}, revision ${view.revision}`;
      this.crumbs.querySelector("ol").append(h("li", {}, h("a", { href: `${appLink}/history` }, "History")));
    }
    this.scheduleRender();
  }

  addEvents(events) {
    let markersChanged = false;
    for (const event of events) {
      if (this.view && event.executionID !== this.view.id) continue;
      if (this.events.has(event.sequence)) continue;
      this.events.set(event.sequence, event);
      this.timeline.prepend(timelineItem(event));
      if (["rollbackStarted", "judgment", "stepStarted", "phaseChanged"].includes(event.kind)) markersChanged = true;
    }
    if (markersChanged) this.scheduleRender();
  }

  /// Renders the summary and the cards once for a burst of messages.
  scheduleRender() {
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = 0;
      this.render();
    }, 50);
  }

  render() {
    const view = this.view;
    if (!view) return;
    this.summary.replaceChildren(executionSummary(view));
    const events = [...this.events.values()].sort((a, b) => a.sequence - b.sequence);
    const markers = (account) => markersFrom(events, account);
    this.accounts.replaceChildren(...view.accounts.map((account) => accountCard(account, markers)));
    const ended = isTerminal(view.phase);
    this.buttons.promote.disabled = ended;
    this.buttons.abort.disabled = ended;
    this.buttons.rollback.disabled = false;
  }

  async run(action) {
    const view = this.view;
    const app = this.app;
    const questions = {
      promote: {
        title: `Promote ${app}?`,
        text: `Execution #${view?.id} goes on past where it waits${view?.pauseReason ? ` (${view.pauseReason})` : ""}.`,
        confirmLabel: "Promote",
      },
      abort: {
        title: `Abort the rollout of ${app}?`,
        text: `Execution #${view?.id} stops, and every account it touched rolls back to the version it ran before.`,
        confirmLabel: "Abort and roll back",
      },
      rollback: {
        title: `Roll ${app} back?`,
        text: "The previous revision's files are applied again as a new revision, which rolls out like any other.",
        confirmLabel: "Roll back",
      },
    };
    const names = { promote: "Promote", abort: "Abort", rollback: "Roll back" };
    if (!(await confirmAction(dialog, questions[action]))) {
      this.report("cancelled", `${names[action]} cancelled.`);
      return;
    }
    const button = this.buttons[action];
    button.setAttribute("aria-busy", "true");
    this.report("pending", `${names[action]}: asking the controller…`);
    try {
      if (action === "rollback") {
        const result = await api.rollBack(app);
        this.report("ok", rollbackText(result), result.execution?.id);
      } else {
        const answer = await (action === "promote" ? api.promote(app) : api.abort(app));
        this.report("ok", `${names[action]} asked for execution #${answer.id}; the controller applies it within seconds.`, answer.id);
      }
    } catch (error) {
      if (error.isAuthentication) return handleError(error);
      this.report("error", `${names[action]} refused: ${error.description}`, view?.id);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  /// Shows an action's outcome ("ok", "error", "cancelled", "pending"; null clears it) and the
  /// execution it concerns.
  report(outcome, text, execution = this.view?.id) {
    this.resultExecution = execution;
    if (!outcome) {
      delete this.result.dataset.result;
      this.result.className = "action-result";
      this.result.replaceChildren();
      return;
    }
    const icon = { ok: "✔", error: "✖", cancelled: "–", pending: "…" }[outcome];
    this.result.dataset.result = outcome;
    this.result.className = `action-result result-${outcome}`;
    this.result.replaceChildren(h("span", { "aria-hidden": "true" }, `${icon} `), text);
  }
}

/// "Revision 6 created, rolling back to lora-train:v2 (execution #7)."
function rollbackText(result) {
  const images = [...new Set((result.execution?.accounts || []).map((account) => account.image))].join(", ");
  const superseded = result.superseded?.length ? ` It superseded execution ${result.superseded.map((id) => `#${id}`).join(", ")}.` : "";
  if (!result.created) {
    return `Revision ${result.revision} already holds the previous files: execution #${result.execution?.id} rolls out ${images}.${superseded}`;
  }
  return `Revision ${result.revision} created, rolling back to ${images} (execution #${result.execution?.id}).${superseded}`;
}

// MARK: - Start

signOutButton.addEventListener("click", signOut);
window.addEventListener("hashchange", () => route({ focusHeading: true }));
route();
