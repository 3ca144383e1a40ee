# onewindow — two commands: `make run` (demo on SQLite) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv run test test-sqlite test-postgres lint bench system-deps clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $(STAMP)

venv: $(STAMP)

# Serve the demo on the embedded default (SQLite, no service to install).
run: $(STAMP)
	@bash scripts/system-deps.sh font
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo
	@echo ""
	@echo "  一窗受理平台已启动： http://$(HOST):$(PORT)/   （配置管理： http://$(HOST):$(PORT)/admin/ ，接口文档： http://$(HOST):$(PORT)/api/v1/docs/）"
	@echo "  用上面任一演示账号登录；按 Ctrl+C 停止。"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite, then on PostgreSQL as well when DATABASE_URL names one.
test: $(STAMP) system-deps
	$(MAKE) --no-print-directory test-sqlite
	@case "$${DATABASE_URL:-}" in postgres*) $(MAKE) --no-print-directory test-postgres ;; \
	  *) echo "(DATABASE_URL 未指向 PostgreSQL：只在 SQLite 上运行。见 README)";; esac

test-sqlite: $(STAMP)
	@echo "== tests on SQLite =="
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL ($${DATABASE_URL%%@*}@…) =="
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run

# Chromium and a CJK font for browser journeys and PDFs (Debian packages; needs root).
system-deps:
	@bash scripts/system-deps.sh

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache
