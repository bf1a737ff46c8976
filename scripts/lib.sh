# Shared by demo.sh and test.sh: installs what Tack needs on Debian, or says how.
# shellcheck shell=bash

# The Debian packages every build needs (system libraries of the CCurl, CYAML and COpenBLAS shims,
# and SQLite for GRDB).
TACK_BUILD_PACKAGES=(pkg-config libcurl4-openssl-dev libyaml-dev libopenblas-dev libsqlite3-dev)
# What the tests need besides: a real Prometheus, nginx (HTTP/2 and the local router), runc (the
# local runtime's containers), openssl for test certificates, and a real OCI registry
# (docker-registry) for resolving image tags to digests.
TACK_TEST_PACKAGES=(prometheus nginx runc openssl python3 docker-registry)
# The web page's browser test (test.sh only): Chromium driven through Selenium, from PyPI.
TACK_BROWSER_TEST_PACKAGES=(chromium chromium-driver python3-pip)
TACK_TEST_PYTHON_REQUIREMENTS=Tests/Browser/requirements.txt

# Installs the named Debian packages that are missing: with apt-get when root, otherwise prints
# the exact command and exits 1.
ensure_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Tack needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as prometheus start a system service when installed; Tack starts its own
  # servers on free ports, so services are kept from starting (policy-rc.d exit 101).
  local policy=/usr/sbin/policy-rc.d had_policy=0
  [ -e "$policy" ] && had_policy=1
  [ $had_policy -eq 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ $had_policy -eq 1 ] || rm -f "$policy"
}

# Installs the Python packages a requirements file pins when an import of them fails, with pip for
# the user (outside Debian's own Python packages).
ensure_python_packages() {
  local requirements="$1" missing=()
  for package in $(grep -Eo '^[A-Za-z0-9_.-]+' "$requirements"); do
    python3 -c "import $package" 2>/dev/null || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Python packages from $requirements ..." >&2
  python3 -m pip install --quiet --disable-pip-version-check --break-system-packages -r "$requirements" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check -r "$requirements"
}

# Checks that a Swift 6 toolchain is on PATH (or at /opt/swift); exits 1 with advice otherwise.
ensure_swift() {
  if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  fi
  if ! command -v swift >/dev/null 2>&1; then
    echo "Tack needs Swift 6.2 or newer: install it from swift.org (Debian 12 toolchain) and put its usr/bin on PATH." >&2
    exit 1
  fi
}

# Changes to the repository root, whatever the caller's directory.
cd_repository() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
}
