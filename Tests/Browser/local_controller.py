"""A real Tack controller on the local runtime for the browser test, set up as scripts/demo.sh does.

A temporary TACK_HOME, four lora-train versions imported from a staged image root (v3 answers 30%
of requests with 500), the test's pipelines, `tack controller` on a free 127.0.0.1 port, and the
demo's load generator. `stop()` ends all of it (the load, the controller with SIGTERM, then
`tack down`) and removes the home, also after a failure.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

APP = "lora-demo"

# The images: name -> extra environment.
VERSIONS = {
    "v1": {},
    "v2": {},
    "v3": {"LORA_FAULT_ERROR_RATE": "0.3"},
    "v4": {},
}

# The canary steps of each pipeline. Short, so that a rollout takes well under a minute; `pause: {}`
# waits for a person, so that the page's promote and abort buttons have something to act on.
STEPS = {
    "v1": ["setWeight: 50", "setWeight: 100"],  # the first version is deployed at once anyway
    "v2": ["setWeight: 20", "pause: 4s", "analysis: {count: 2, interval: 2s}", "setWeight: 50", "pause: {}", "setWeight: 100"],
    "v3": ["setWeight: 20", "pause: 10s", "analysis: {count: 3, interval: 2s}", "setWeight: 50", "pause: 10s", "setWeight: 100"],
    "v4": ["setWeight: 20", "pause: {}", "setWeight: 100"],
}

# How many failed measurements each version's monitor tolerates: v3's three let its charts show a
# few rounds of the canary above the limit before the rollback.
FAILURE_LIMITS = {"v3": 3}

# pipelines/local-demo.yaml with each version's image and steps, and a shorter scale-down delay.
PIPELINE = """\
application: {app}
pipeline:
  description: The web page's browser test (pipelines/local-demo.yaml with shorter steps).
  stages:
    - type: deploy
      name: roll out lora-train
      clusters:
        - account: aws-eu-central-1
          container: lora-train:{version}
          targetSize: 3
          strategy: canary
          canary:
            steps:
{steps}
        - account: gcp-us-west1
          container: lora-train:{version}
          targetSize: 2
          strategy: bluegreen
          bluegreen:
            previewReplicas: 1
            autoPromote: true
            scaleDownDelay: 4s
    - type: monitor
      metricsAccount: prometheus-prod
      scopes: [aws, gcp]
      interval: 2s
      window: 10s
      failureLimit: {failure_limit}
      metrics:
        - errorRate
        - latency.p95
        - name: queueDepth
          query: max(lora_queue_depth{{app="{{{{app}}}}", account="{{{{account}}}}", version="{{{{version}}}}"}})
          unit: number
    - type: rollback
      trigger: automatic
      conditions: ["errorRate > 5%", "latency > 2s", "queueDepth > 50"]
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalController:
    """The controller, its runtime and the load; every method raises on failure with what it saw."""

    def __init__(self, tack, stage, repository):
        self.tack = os.path.abspath(tack)
        self.stage = os.path.abspath(stage)
        self.repository = repository
        self.home = tempfile.mkdtemp(prefix="tack-browser-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, TACK_HOME=self.home, TACK_CONTROLLER=self.url)
        for name in ("no_proxy", "NO_PROXY"):
            self.env[name] = "127.0.0.1,localhost" + ("," + os.environ[name] if os.environ.get(name) else "")
        self.controller = None
        self.load = None
        self.log_path = os.path.join(self.home, "controller.log")
        self.load_log_path = os.path.join(self.home, "load.log")

    # MARK: - Setting up

    def run_tack(self, *arguments, timeout=120, check=True):
        result = subprocess.run([self.tack, *arguments], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"tack {' '.join(arguments)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result

    def import_images(self):
        for version, environment in VERSIONS.items():
            options = [f"--env=LORA_RELEASE={version}"] + [f"--env={key}={value}" for key, value in environment.items()]
            self.run_tack("image", "import", self.stage, "--tag", f"lora-train:{version}", *options)

    def write_pipelines(self):
        folder = os.path.join(self.home, "pipelines")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(self.repository, "pipelines", "tack.yaml"), os.path.join(folder, "tack.yaml"))
        for version, steps in STEPS.items():
            text = PIPELINE.format(app=APP, version=version, failure_limit=FAILURE_LIMITS.get(version, 0),
                                   steps="\n".join(f"              - {step}" for step in steps))
            with open(os.path.join(folder, f"{version}.yaml"), "w") as file:
                file.write(text)

    def start(self):
        self.import_images()
        self.write_pipelines()
        log = open(self.log_path, "w")
        self.controller = subprocess.Popen(
            [self.tack, "controller", "--listen", f"127.0.0.1:{self.port}"], env=self.env,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.controller.poll() is not None:
                raise RuntimeError(f"tack controller exited {self.controller.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"tack controller was not ready within 60 s:\n{self.log_tail()}")

    def token(self):
        with open(os.path.join(self.home, "controller.token")) as file:
            return file.read().strip()

    def apply(self, version, watch=False):
        """Applies the version's pipeline; returns the new execution's id."""
        arguments = ["apply", "-f", os.path.join(self.home, "pipelines", f"{version}.yaml"), "-o", "json"]
        result = self.run_tack(*arguments, timeout=60)
        execution = json.loads(result.stdout)["execution"]["id"]
        if watch:
            self.run_tack("watch", APP, timeout=180)
        return execution

    def start_load(self):
        log = open(self.load_log_path, "w")
        self.load = subprocess.Popen(
            [sys.executable, os.path.join(self.repository, "scripts", "loadgen.py"), "--home", self.home, "--app", APP,
             "--duration", "900", "--clients", "2", "--job-every", "20"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def dashboard_url(self):
        return self.run_tack("dashboard", "--print-url", timeout=30).stdout.strip().splitlines()[-1]

    # MARK: - The API without the browser

    def request(self, method, path, token=None, body=None):
        """(status, headers, parsed JSON or text) of a request to the controller."""
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, decode(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.headers, decode(error.read())

    def latest(self):
        status, _, body = self.request("GET", f"/v1/applications/{APP}", token=self.token())
        return body if status == 200 else None

    # MARK: - Tearing down

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as file:
                return "".join(file.readlines()[-lines:])
        except OSError:
            return "(no controller log)"

    def stop(self, keep=False):
        if self.load and self.load.poll() is None:
            self.load.terminate()
            try:
                self.load.wait(10)
            except subprocess.TimeoutExpired:
                self.load.kill()
        if self.controller and self.controller.poll() is None:
            self.controller.send_signal(signal.SIGTERM)
            try:
                self.controller.wait(30)
            except subprocess.TimeoutExpired:
                self.controller.kill()
                self.controller.wait()
        try:
            self.run_tack("down", timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            print(f"warning: tack down failed: {error}", file=sys.stderr)
        if keep:
            print(f"kept {self.home}")
        else:
            shutil.rmtree(self.home, ignore_errors=True)


def decode(data):
    text = data.decode(errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
