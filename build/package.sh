#!/usr/bin/env bash
# Builds the one-folder app into build/out/vdp (entry: build/out/vdp/vdp) and smoke-tests it under Xvfb.
#   build/package.sh            build, then smoke test
#   build/package.sh --no-smoke build only
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=1
[[ "${1:-}" == "--no-smoke" ]] && smoke=0

[[ -x .venv/bin/pyinstaller ]] || { echo "package: .venv/bin/pyinstaller is missing (run make setup)" >&2; exit 1; }
[[ -f frontend/dist/index.html ]] || { echo "package: frontend/dist is not built (run make setup)" >&2; exit 1; }

started=$SECONDS
.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath build/out --workpath build/work build/vdp.spec
echo "package: built build/out/vdp in $((SECONDS - started)) s, $(du -sh build/out/vdp | cut -f1)"

(( smoke )) || exit 0

# A private X server unless one is already there; -displayfd reports the free display it picked, once ready.
if [[ -z "${DISPLAY:-}" ]]; then
  command -v Xvfb >/dev/null || { echo "package: no DISPLAY and no Xvfb for the smoke test" >&2; exit 1; }
  coproc XVFB { exec Xvfb -displayfd 1 -screen 0 1280x1024x24 -nolisten tcp 2>/dev/null; }
  xvfb_pid=$XVFB_PID
  read -r number <&"${XVFB[0]}"
  export DISPLAY=":$number"
fi
[[ $(id -u) == 0 ]] && export QTWEBENGINE_DISABLE_SANDBOX=1
export QT_QPA_PLATFORM=xcb

data=$(mktemp -d)
trap 'rm -rf "$data"; [[ -n "${xvfb_pid:-}" ]] && kill "$xvfb_pid" 2>/dev/null || true' EXIT
started=$EPOCHREALTIME
output=$(timeout 120 build/out/vdp/vdp --data-dir "$data" desktop --smoke-test 2>&1) || {
  echo "$output" >&2; echo "package: smoke test FAILED" >&2; exit 1; }
grep -q "smoke test: ok" <<<"$output" || { echo "$output" >&2; echo "package: smoke test FAILED" >&2; exit 1; }
echo "package: smoke test ok in $(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" \
  "(start, round trip, exit 0)"
