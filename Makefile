# Two commands for a new machine: `make run` starts the app, `make test` runs every test suite.
# Both set everything up first (see scripts/setup.sh) and skip what is already up to date.
SHELL := /bin/bash
export PATH := $(CURDIR)/.venv/bin:$(PATH)
PY := .venv/bin/python
SCHEMA := shared-schema/contract.schema.json
TYPES := frontend/src/types/generated/contract.ts
PACKAGED := build/out/vdp/vdp

.PHONY: setup run serve test lint test-python test-frontend schema schema-check audit package bench soak clean

setup:
	@scripts/setup.sh

run: setup
	$(PY) -m vdp

serve: setup
	$(PY) -m vdp serve

test: setup schema-check lint test-frontend audit $(PACKAGED) test-python

# Style and types: ruff and mypy (configured in pyproject.toml), ESLint (frontend/eslint.config.js) and tsc. All
# run, so one report shows every problem; any of them failing fails the target.
lint:
	@status=0; \
	$(PY) -m ruff check backend tests bench build || status=1; \
	$(PY) -m mypy || status=1; \
	npm run lint --silent --workspace frontend || status=1; \
	npm run typecheck --silent --workspace frontend || status=1; \
	exit $$status

# Reported on every run; an advisory published upstream must not turn main red by itself, so it never fails `make
# test` (run `AUDIT_STRICT=1 scripts/audit.sh` to gate on it).
audit:
	-@scripts/audit.sh

test-frontend:
	npm test --silent

test-python:
	$(PY) -m pytest -q -p no:cacheprovider

schema:
	$(PY) -m vdp.contract.schema > $(SCHEMA)
	node shared-schema/generate.mjs

schema-check:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PY) -m vdp.contract.schema > "$$tmp/contract.schema.json" && \
	diff -u $(SCHEMA) "$$tmp/contract.schema.json" && \
	node shared-schema/generate.mjs --schema "$$tmp/contract.schema.json" --out "$$tmp" && \
	diff -u $(TYPES) "$$tmp/contract.ts" && echo "schema-check: contract, JSON Schema and TS types agree"

package: setup
	build/package.sh

# The one-folder app, rebuilt when the code or the UI changed; its smoke test runs with the Python tests.
$(PACKAGED): $(shell find backend -name '*.py') frontend/dist/index.html build/vdp.spec build/entry.py
	build/package.sh --no-smoke

bench: setup
	$(PY) -m bench.run

soak: setup
	$(PY) -m bench.soak

clean:
	rm -rf .stamps frontend/dist build/out
