# The two commands of the README: `make demo` and `make test`. Both start from a fresh machine:
# they make their own virtualenv, install the Python and npm packages, and build the static assets.

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_WORKERS ?= 50000
DEMO_SEED ?= 2018
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test install assets chromium fonts lint test-sqlite test-postgres services bench messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

VENDOR := src/workforce/static/vendor
assets: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js

# Debian's Chromium for the Playwright tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Chinese fonts from Debian embedded in the reports' PDF: WenQuanYi (fallback) and Noto Serif CJK, which
# stands in for 小标宋/仿宋 in the documents in official form (core/official.py, GB/T 9704).
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null)
	@test -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null)

# Compiled translations (.mo) are built, not committed; GNU gettext comes from Debian when missing.
messages: install
	@command -v msgfmt >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)
	$(BIN)/python scripts/check_translations.py
	cd src/workforce && ../../$(BIN)/django-admin compilemessages >/dev/null

lint: install
	$(BIN)/ruff check src bench scripts
	$(BIN)/mypy
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

test-sqlite: install assets messages chromium fonts
	$(BIN)/python -m pytest -q

test-postgres: install assets messages chromium fonts services
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q

# The two suites run side by side on the two cores: the set-up they share first, one step after another
# (apt-get takes one lock), then SQLite and PostgreSQL together, each one's output printed whole when it ends
# (without pytest's cache, which both would write).
test: lint assets messages chromium fonts services
	PYTEST_ADDOPTS="-p no:cacheprovider" $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

demo: install assets messages fonts
	$(BIN)/workforce migrate --noinput -v 0
	$(BIN)/workforce setup
	$(BIN)/workforce demo --workers $(DEMO_WORKERS) --seed $(DEMO_SEED) --replace
	@echo
	@echo "Panzhihua Industrial Workforce Platform: http://$(HOST):$(PORT)/"
	@$(BIN)/workforce demo-users --list
	@echo "Background jobs (roster imports) run in a huey consumer started beside the server; its log is var/huey.log."
	REQUIRE_TWO_FACTOR_FOR_STAFF=false $(BIN)/workforce run_huey --workers 2 > var/huey.log 2>&1 & huey=$$!; \
	  trap 'kill $$huey 2>/dev/null' EXIT INT TERM; \
	  REQUIRE_TWO_FACTOR_FOR_STAFF=false $(BIN)/workforce runserver $(HOST):$(PORT)

bench: install services
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python bench/registry/run.py
	$(BIN)/python bench/import/run.py
	$(BIN)/python bench/indicators/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var staticfiles
