# Shared by scripts/run, scripts/test and scripts/bench: installs what capsim needs.
# Sourced, not run. Every install is skipped when the thing is already there.

capsim_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

apt_install() {
  # apt_install PKG... : installs missing Debian packages (apt-get update once per call).
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

ensure_gsl() {
  if ! pkg-config --exists gsl 2>/dev/null; then apt_install libgsl-dev pkg-config; fi
}

ensure_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    echo "error: the Swift toolchain (6.1 or newer) is not on PATH; install it from swift.org and retry" >&2
    exit 1
  fi
}

# A Python virtual environment under .venv with the given pip packages.
ensure_venv() {
  local root; root=$(capsim_root)
  if [ ! -x "$root/.venv/bin/python" ]; then
    python3 -m venv "$root/.venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$root/.venv"; }
  fi
  local need=()
  for spec in "$@"; do
    local name=${spec%%[=<>]*}
    "$root/.venv/bin/python" -m pip show "$name" >/dev/null 2>&1 || need+=("$spec")
  done
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing pip packages into .venv: ${need[*]}" >&2
    "$root/.venv/bin/python" -m pip install -q "${need[@]}" >&2
  fi
}
