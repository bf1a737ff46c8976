#!/usr/bin/env python3
"""The web page's browser test: Debian's Chromium, driven by Selenium, against a real controller on
the local runtime (as scripts/demo.sh sets it up), with the demo's load running.

  1. Requests without the token are refused (401, 403); the page asks for the token and shows the
     controller's refusal of a wrong one; the page's stream parser reads a stream split anywhere.
  2. v1 rolls out; `tack dashboard --print-url`'s one-time link signs the browser in (a second use
     is refused); the applications list shows revision, phase per account and last verdict.
  3. v2 (healthy) rolls out: the execution view shows the canary's weight, replicas per track and
     step; the charts gain points; at `pause: {}` the promote button, used with the keyboard only,
     promotes it and the result is shown; it succeeds.
  4. v4 pauses: abort (confirmed) rolls it back and ends it aborted; roll back (Escape cancels it
     first) creates a new revision and says so.
  5. v3 (30% errors) rolls back by itself: the same page, never reloaded, shows the rollback on the
     timeline with its reason, the chart's rollback marker, and "✖ rolled back".
  6. The history lists every execution with verdict, duration and the rollback's reason.
  7. At 390 px nothing scrolls sideways, and every phase carries words, not only a colour.

Usage: dashboard_test.py --tack PATH --stage DIR [--screenshots DIR] [--keep]
Prints `==> …` per step; exits 1 with what was expected and what was seen.
"""
import argparse
import json
import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the test in the repository
from local_controller import APP, LocalController  # noqa: E402

os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never reach the network

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class Failure(Exception):
    """A check that did not hold: what was expected, and what was seen."""


def step(text):
    print(f"==> {text}", flush=True)


def expect(condition, expected, seen):
    if not condition:
        raise Failure(f"expected {expected}; saw {seen}")


# What the page shows, in brief, for failure messages.
PAGE_STATE = """
const text = (selector) => document.querySelector(selector)?.textContent.trim() ?? null;
return {
  hash: location.hash,
  login: !!document.querySelector('[data-testid=login]'),
  loginError: text('[data-testid=login-error]'),
  error: text('[data-testid=error]'),
  execution: document.querySelector('[data-testid=execution-summary]')?.dataset.execution ?? null,
  phase: document.querySelector('[data-testid=execution-phase]')?.dataset.phase ?? null,
  accounts: [...document.querySelectorAll('[data-testid=account]')].map((card) =>
    `${card.dataset.account} ${card.dataset.phase} weight ${card.dataset.weight}`),
  live: text('[data-testid=live-status]'),
  result: text('[data-testid=action-result]'),
  events: document.querySelectorAll('[data-testid=event]').length,
  lastEvent: text('[data-testid=event]'),
};
"""


# Feeds the page's own EventStreamParser (api.js) a stream in three chunks split at every pair of
# positions, with CRLF line ends, a heartbeat and a message of two data lines.
STREAM_PARSER_CHECK = r"""
const done = arguments[arguments.length - 1];
import("/assets/api.js").then(({ EventStreamParser }) => {
  const text = ': heartbeat\n\nevent: state\ndata: {"type":"state","execution":{"id":1}}\n\n'
    + 'event: event\r\ndata: {"type":"event",\r\ndata: "x":1}\r\n\r\n';
  const expected = JSON.stringify([
    { event: "comment", data: "heartbeat" },
    { event: "state", data: '{"type":"state","execution":{"id":1}}' },
    { event: "event", data: '{"type":"event",\n"x":1}' },
  ]);
  for (let i = 0; i <= text.length; i++) {
    for (let j = i; j <= text.length; j++) {
      const parser = new EventStreamParser();
      const got = JSON.stringify([...parser.push(text.slice(0, i)), ...parser.push(text.slice(i, j)), ...parser.push(text.slice(j))]);
      if (got !== expected) return done(`split at ${i} and ${j}: ${got}`);
    }
  }
  done("ok");
}).catch((error) => done(String(error)));
"""


class DashboardTest:
    def __init__(self, controller, driver, screenshots):
        self.controller = controller
        self.driver = driver
        self.screenshots = screenshots
        self.base = controller.url

    # MARK: - Helpers

    def state(self):
        try:
            return json.dumps(self.driver.execute_script(PAGE_STATE), ensure_ascii=False)
        except WebDriverException as error:
            return f"(page state unavailable: {error.msg})"

    def wait_for(self, what, check, timeout):
        """Polls check() until it returns something truthy, which it returns; fails after timeout seconds."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            try:
                value = check()
                if value:
                    return value
            except WebDriverException as error:
                last_error = error.msg
            time.sleep(0.25)
        raise Failure(f"timed out after {timeout} s waiting for {what}; the page shows {self.state()}"
                      + (f" (last error: {last_error})" if last_error else ""))

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def find(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def text(self, selector):
        """The rendered text of the first match, read in one step: live views replace their nodes."""
        return self.js("return document.querySelector(arguments[0])?.innerText ?? ''", selector)

    def screenshot(self, name):
        if not self.screenshots:
            return
        os.makedirs(self.screenshots, exist_ok=True)
        path = os.path.join(self.screenshots, name)
        # Tall enough for the summary, the buttons and the first charts of both accounts.
        self.driver.set_window_size(1280, 1500)
        self.js("document.activeElement?.blur(); window.scrollTo(0, 0)")
        time.sleep(0.5)
        self.driver.save_screenshot(path)
        self.driver.set_window_size(1280, 900)
        print(f"    screenshot {path}")

    def wait_for_execution(self, execution, phases, timeout, what):
        """Waits until the page shows `execution` in one of `phases`."""
        def shown():
            summary = self.find(f'[data-testid=execution-summary][data-execution="{execution}"]')
            return summary and summary[0].get_attribute("data-phase") in phases
        self.wait_for(f"execution {execution} {what} ({' or '.join(phases)})", shown, timeout)

    def point_count(self, account, metric):
        return self.js(
            "return document.querySelector(`[data-testid=chart][data-account='${arguments[0]}'][data-metric='${arguments[1]}']`)"
            "?.querySelectorAll('[data-point]').length ?? 0", account, metric)

    def confirm_dialog(self, by_keyboard):
        dialog = self.wait_for("the confirmation dialog", lambda: [d for d in self.find("[data-testid=confirm-dialog]") if d.get_attribute("open") is not None], 5)[0]
        focused = self.driver.switch_to.active_element
        expect(focused.get_attribute("data-testid") == "confirm", "the dialog's confirm button to have the focus",
               f"focus on <{focused.tag_name} {focused.get_attribute('data-testid')}>")
        if by_keyboard:
            ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        else:
            dialog.find_element(By.CSS_SELECTOR, "[data-testid=confirm]").click()
        self.wait_for("the dialog to close", lambda: self.find("[data-testid=confirm-dialog]")[0].get_attribute("open") is None, 5)

    def clear_result(self):
        """Forgets the last action's result, so that the next one is told apart from it."""
        self.js("document.querySelector('[data-testid=action-result]')?.removeAttribute('data-result')")

    def action_result(self, outcome, timeout=15):
        def settled():
            region = self.find("[data-testid=action-result]")
            return region and region[0].get_attribute("data-result") not in (None, "pending") and region[0]
        region = self.wait_for("the action's result", settled, timeout)
        seen = region.get_attribute("data-result")
        expect(seen == outcome, f"the action's result to be {outcome}", f"{seen}: {region.text!r}")
        expect(region.get_attribute("aria-live") == "polite", "the result region to be aria-live=polite", region.get_attribute("aria-live"))
        return region.text

    def assert_not_reloaded(self):
        sentinel = self.js("return window.tackTestSentinel ?? null")
        expect(sentinel == "set before the rollouts", "the page never to reload (the sentinel survives)", f"sentinel {sentinel!r}")

    # MARK: - 1. Refusals

    def refusals(self):
        step("Requests without the token are refused; the page asks for it")
        status, headers, body = self.controller.request("GET", "/v1/applications")
        expect(status == 401, "GET /v1/applications without a token to be refused with 401", f"{status} {body}")
        status, _, body = self.controller.request("GET", "/v1/applications", token="not-the-token")
        expect(status == 403, "GET /v1/applications with a wrong token to be refused with 403", f"{status} {body}")
        refusal = body["message"]
        status, headers, _ = self.controller.request("GET", "/")
        policy = headers.get("Content-Security-Policy", "")
        expect(status == 200 and "script-src 'self'" in policy, "the page to be served with its Content-Security-Policy", f"{status} {policy!r}")

        self.driver.get(self.base + "/")
        form = self.wait_for("the login form", lambda: self.find("[data-testid=login]"), 15)[0]
        field = form.find_element(By.CSS_SELECTOR, "input")
        label = form.find_element(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']").text
        expect(label == "Controller token" and field.get_attribute("type") == "password",
               "a password field labelled 'Controller token'", f"{label!r}, type {field.get_attribute('type')}")
        expect("controller.token" in form.text and "tack dashboard" in form.text,
               "the form to say where the token is", repr(form.text))
        field.send_keys("not-the-token", Keys.ENTER)
        error = self.wait_for("the refusal of a wrong token", lambda: self.text("[data-testid=login-error]"), 15)
        expect(refusal in error, f"the form to show the controller's refusal {refusal!r}", repr(error))
        expect(self.js("return sessionStorage.getItem('tack.token')") is None, "a refused token not to be kept", "it was kept")

    def stream_parser(self):
        step("The page's event-stream parser takes chunks split anywhere")
        outcome = self.driver.execute_async_script(STREAM_PARSER_CHECK)
        expect(outcome == "ok", "the same messages from every split of the stream", outcome)

    # MARK: - 2. The first version, the one-time link and the applications list

    def sign_in_with_link(self):
        step("v1 rolls out; the one-time link signs the browser in")
        self.controller.apply("v1", watch=True)
        self.controller.start_load()
        url = self.controller.dashboard_url()
        expect(re.match(rf"^{re.escape(self.base)}/#login=\S+$", url), f"a one-time link {self.base}/#login=CODE", repr(url))
        self.driver.get(url)
        self.wait_for("the applications list after signing in", lambda: self.find(f"[data-testid=app-row][data-app='{APP}']"), 15)
        expect(self.js("return location.hash") == "#/", "the code to leave the address bar (#/)", self.js("return location.hash"))
        session = self.js("return sessionStorage.getItem('tack.token')")
        expect(session and session != self.controller.token(), "a session token of its own, not the controller's", repr(session)[:20])

        row = self.find(f"[data-testid=app-row][data-app='{APP}']")[0]
        revision = row.find_element(By.CSS_SELECTOR, "[data-testid=app-revision]").text
        accounts = {item.get_attribute("data-account"): item.text for item in row.find_elements(By.CSS_SELECTOR, "[data-testid=app-account]")}
        verdict = row.find_element(By.CSS_SELECTOR, "[data-testid=last-verdict]").text
        expect(revision == "1", "revision 1 in the list", revision)
        expect(set(accounts) == {"aws-eu-central-1", "gcp-us-west1"} and all("✔ succeeded" in text for text in accounts.values()),
               "each account with ✔ succeeded", accounts)
        expect("succeeded" in verdict and "#" in verdict, "the last verdict (succeeded, with its execution)", repr(verdict))

        step("A second use of the same link is refused")
        original = self.driver.current_window_handle
        self.driver.switch_to.new_window("tab")
        try:
            self.driver.get(url)
            error = self.wait_for("the refusal of a used link", lambda: self.text("[data-testid=login-error]"), 15)
            expect("used" in error or "expired" in error, "the page to say the link was used", repr(error))
            expect(self.js("return sessionStorage.getItem('tack.token')") is None, "no session from a used link", "a session")
        finally:
            self.driver.close()
            self.driver.switch_to.window(original)

    # MARK: - 3. A healthy canary, promoted with the keyboard

    def canary_promoted_by_keyboard(self):
        step("v2 rolls out: the execution view shows the canary's progress, live")
        self.find(f"[data-testid=app-row][data-app='{APP}'] a")[0].click()
        self.wait_for("the application's execution view", lambda: self.find("[data-testid=execution-summary]"), 15)
        self.js("window.tackTestSentinel = 'set before the rollouts'")
        execution = self.controller.apply("v2")
        self.wait_for_execution(execution, {"deploying", "progressing"}, 20, "followed without reloading")

        aws = "[data-testid=account][data-account='aws-eu-central-1']"
        self.wait_for("the canary to take traffic (weight > 0)", lambda: int(self.find(aws)[0].get_attribute("data-weight") or 0) > 0, 60)
        strategy = self.text(f"{aws} [data-testid=strategy]")
        expect(strategy == "canary", "strategy canary", repr(strategy))
        tracks = f"return Object.fromEntries([...document.querySelectorAll(\"{aws} [data-testid=track]\")].map((row) => [row.dataset.track, row.innerText]))"
        ready = self.wait_for("replicas on the stable and canary tracks", lambda: (lambda seen: set(seen) >= {"stable", "canary"} and seen)(self.js(tracks)), 30)
        expect(all(re.search(r"\d+/\d+ ready", text) for text in ready.values()), "replicas ready per track (n/m ready)", ready)
        current = self.text(f"{aws} [data-testid=current-step]")
        expect(re.match(r"\d+ of \d+: ", current), "the current step (k of n: …)", repr(current))

        step("The charts gain points while the rollout runs")
        self.wait_for("a first point on the errorRate chart", lambda: self.point_count("aws-eu-central-1", "errorRate") > 0, 60)
        first = self.point_count("aws-eu-central-1", "errorRate")
        more = self.wait_for("more points on the errorRate chart", lambda: (lambda n: n > first and n)(self.point_count("aws-eu-central-1", "errorRate")), 30)
        print(f"    errorRate points in aws-eu-central-1: {first} → {more}")
        expect(len(self.find("[data-testid=chart] line.limit")) > 0, "the limit drawn as a line", "no limit line")
        summary = self.text(f"{aws} .chart-summary")
        expect("limit 5%" in summary, "a text summary with the limit beside the chart", repr(summary))
        if self.screenshots:
            # A few more rounds (both tracks' points), so that the picture shows both lines.
            self.wait_for("more points for the screenshot", lambda: self.point_count("aws-eu-central-1", "errorRate") >= 12
                          or self.find("[data-testid=execution-phase][data-phase=paused]"), 60)
            self.screenshot("dashboard-canary.png")

        step("At pause: {} the promote button, with the keyboard only, promotes it")
        self.wait_for_execution(execution, {"paused"}, 120, "waiting at pause: {}")
        expect("Paused" in self.text("[data-testid=pause-reason]"), "the pause's reason", self.state())
        promote = self.find("[data-testid=promote]")[0]
        for _ in range(60):
            if self.driver.switch_to.active_element == promote:
                break
            ActionChains(self.driver).send_keys(Keys.TAB).perform()
        expect(self.driver.switch_to.active_element == promote, "Tab to reach the promote button", "it never got the focus")
        self.clear_result()
        ActionChains(self.driver).send_keys(Keys.ENTER).perform()
        self.confirm_dialog(by_keyboard=True)
        result = self.action_result("ok")
        expect("Promote asked" in result, "the result to say the promote was asked", repr(result))
        self.wait_for_execution(execution, {"succeeded"}, 120, "promoted")
        self.wait_for("the promotion marked on the charts", lambda: self.find(
            "[data-testid=chart][data-account='aws-eu-central-1'] [data-marker=promotion]"), 10)
        self.assert_not_reloaded()

    # MARK: - 4. Abort and roll back

    def abort_and_roll_back(self):
        step("v4 pauses: abort, confirmed, rolls it back")
        execution = self.controller.apply("v4")
        self.wait_for_execution(execution, {"paused"}, 90, "waiting at pause: {}")
        self.clear_result()
        self.find("[data-testid=abort]")[0].click()
        self.confirm_dialog(by_keyboard=False)
        result = self.action_result("ok")
        expect("Abort asked" in result, "the result to say the abort was asked", repr(result))
        self.wait_for_execution(execution, {"aborted", "rolledBack"}, 90, "aborted")
        phase = self.text("[data-testid=execution-phase]")
        expect(re.search(r"■ aborted|✖ rolled back", phase), "the phase as icon and words", repr(phase))
        self.wait_for("the abort on the timeline", lambda: self.find("[data-testid=event][data-kind=judgment]"), 10)

        step("Roll back: Escape cancels; confirmed, it creates a new revision")
        self.clear_result()
        self.find("[data-testid=rollback]")[0].click()
        self.wait_for("the confirmation dialog", lambda: self.find("[data-testid=confirm-dialog][open]"), 5)
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()
        self.wait_for("Escape to close the dialog", lambda: not self.find("[data-testid=confirm-dialog][open]"), 5)
        self.action_result("cancelled")
        self.clear_result()
        self.find("[data-testid=rollback]")[0].click()
        self.confirm_dialog(by_keyboard=False)
        result = self.action_result("ok")
        latest = self.controller.latest()
        expect(re.search(rf"Revision {latest['revision']} created, rolling back to .*lora-train:v2", result),
               f"the result to name the new revision {latest['revision']} and v2", repr(result))
        self.wait_for_execution(latest["id"], {"succeeded"}, 90, "(the rollback to v2's files) succeeded")
        self.assert_not_reloaded()

    # MARK: - 5. An automatic rollback

    def automatic_rollback(self):
        step("v3 fails 30% of requests: the page shows the automatic rollback, without reloading")
        execution = self.controller.apply("v3")
        self.wait_for_execution(execution, {"rolledBack"}, 120, "rolled back")
        rollback = self.wait_for("the rollback on the timeline", lambda: self.find("[data-testid=event][data-kind=rollbackStarted]"), 10)[0]
        expect(re.search(r"errorRate .*> 5%", rollback.text), "the rollback's reason (errorRate … > 5%) on the timeline", repr(rollback.text))
        phase = self.text("[data-testid=execution-phase]")
        expect("✖ rolled back" in phase, "the phase as ✖ rolled back", repr(phase))
        cause = self.text("[data-testid=cause]")
        expect("errorRate > 5%" in cause, "the cause beside the phase", repr(cause))
        self.wait_for("the rollback marker on a chart", lambda: self.find("[data-testid=chart] [data-marker=rollback]"), 10)
        self.assert_not_reloaded()
        self.screenshot("dashboard-rollback.png")

    # MARK: - 6. History

    def history(self):
        step("The history lists the executions with verdicts, durations and reasons")
        self.find("a[href$='/history']")[0].click()
        rows = self.wait_for("the history rows", lambda: (lambda rows: len(rows) >= 5 and rows)(self.find("[data-testid=history-row]")), 15)
        seen = {row.get_attribute("data-execution"): (row.get_attribute("data-phase"), row.text) for row in rows}
        phases = [phase for phase, _ in seen.values()]
        expect(phases.count("succeeded") >= 3 and "rolledBack" in phases and ("aborted" in phases or phases.count("rolledBack") >= 2),
               "succeeded, aborted and rolled back executions", phases)
        for row in rows:
            duration = row.find_element(By.CSS_SELECTOR, "[data-testid=duration]").text
            expect(re.match(r"\d+ (s|min)", duration), "a duration in each row", f"{row.get_attribute('data-execution')}: {duration!r}")
        rolled_back = [row for row in rows if row.get_attribute("data-phase") == "rolledBack"][0]
        reason = rolled_back.find_element(By.CSS_SELECTOR, "[data-testid=reason]").text
        expect("errorRate > 5%" in reason, "the rollback's reason in its row", repr(reason))
        ids = [int(row.get_attribute("data-execution")) for row in rows]
        expect(ids == sorted(ids, reverse=True), "newest first", ids)

        step("A past execution opens from the history, with its timeline")
        execution = rolled_back.get_attribute("data-execution")
        rolled_back.find_element(By.CSS_SELECTOR, "a").click()
        self.wait_for_execution(execution, {"rolledBack"}, 15, "opened by id")
        self.wait_for("its rollback on the timeline", lambda: self.find("[data-testid=event][data-kind=rollbackStarted]"), 10)
        self.driver.back()
        self.wait_for("the history again (Back)", lambda: self.find("[data-testid=history-row]"), 10)

    # MARK: - 7. A narrow screen

    def narrow_screen(self):
        step("At 390 px nothing scrolls sideways; every phase has words")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        try:
            for route, ready in (("#/", "[data-testid=app-row]"), (f"#/apps/{APP}", "[data-testid=account]"),
                                 (f"#/apps/{APP}/history", "[data-testid=history-row]")):
                self.js("location.hash = arguments[0]", route)
                self.wait_for(f"{route} at 390 px", lambda: self.find(ready), 15)
                time.sleep(0.5)
                width, inner = self.js("return [document.documentElement.scrollWidth, window.innerWidth]")
                expect(inner == 390 and width <= inner, f"no horizontal scroll on {route} (scrollWidth <= 390)", f"scrollWidth {width}, innerWidth {inner}")
                wordless = self.js("return [...document.querySelectorAll('.phase')].map((e) => e.textContent.trim()).filter((t) => !/[a-z]{4,}/.test(t))")
                expect(not wordless, f"every phase on {route} to carry words", wordless)
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # MARK: - Closing checks

    def page_hygiene(self):
        step("Nothing came from elsewhere, and the console has no errors; sign out forgets the session")
        resources = self.js("return performance.getEntriesByType('resource').map((entry) => entry.name)")
        foreign = [name for name in resources if not name.startswith(self.base)]
        expect(not foreign, "every resource from the controller", foreign)
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"
                  and "favicon" not in entry["message"] and "/v1/" not in entry["message"]]
        expect(not errors, "no errors in the console (CSP violations included)", errors)
        self.find("[data-testid=sign-out]")[0].click()
        self.wait_for("the login form after signing out", lambda: self.find("[data-testid=login]"), 10)
        expect(self.js("return sessionStorage.getItem('tack.token')") is None, "signing out to forget the token", "it is kept")

    def run(self):
        self.refusals()
        self.stream_parser()
        self.sign_in_with_link()
        self.canary_promoted_by_keyboard()
        self.abort_and_roll_back()
        self.automatic_rollback()
        self.history()
        self.narrow_screen()
        self.page_hygiene()


def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--disable-dev-shm-usage",
                     "--lang=en-US", "--force-prefers-reduced-motion"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tack", required=True, help="the tack binary")
    parser.add_argument("--stage", required=True, help="a staged lora-train image root (manifests/images/lora-train/stage.sh)")
    parser.add_argument("--screenshots", help="write dashboard-canary.png and dashboard-rollback.png here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary TACK_HOME (the runtime is stopped all the same)")
    args = parser.parse_args()
    # A SIGTERM (a CI timeout) unwinds through the finally below, which stops the controller and runtime.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started = time.monotonic()
    controller = LocalController(args.tack, args.stage, REPOSITORY)
    driver = None
    test = None
    status = 1
    try:
        step(f"A controller on the local runtime at {controller.url} (TACK_HOME {controller.home})")
        controller.start()
        step("Chromium (headless) through chromedriver")
        driver = start_browser()
        test = DashboardTest(controller, driver, args.screenshots)
        test.run()
        status = 0
        step(f"passed in {time.monotonic() - started:.0f} s")
    except (Failure, RuntimeError, WebDriverException, OSError) as error:
        print(f"\nFAIL: {error}", file=sys.stderr)
        if driver is not None:
            path = os.path.join(controller.home if args.keep else "/tmp", "tack-browser-failure.png")
            try:
                driver.save_screenshot(path)
                print(f"the page at the failure: {path}", file=sys.stderr)
            except WebDriverException:
                pass
        print(f"\nthe controller's log (last lines):\n{controller.log_tail()}", file=sys.stderr)
        print(f"failed after {time.monotonic() - started:.0f} s", file=sys.stderr)
    finally:
        if driver is not None:
            try:
                driver.quit()
            except WebDriverException:
                pass
        controller.stop(keep=args.keep)
    return status


if __name__ == "__main__":
    sys.exit(main())
