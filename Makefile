# Two commands: `make run` and `make test`. Everything else here is what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The suite runs on every core, one test file per worker at a time.
PYTEST_ARGS ?= -n auto --dist loadfile
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The PDFs are set in Noto Sans and Noto Sans Arabic (survey/core/pdf.py); the app refuses to
# start without them.
FONTS := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf

.PHONY: run test

run: $(VENV)/.installed $(FONTS)
	$(BIN)/pybabel compile -d translations
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app demo
	$(BIN)/flask --app app run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-test node_modules/axe-core/axe.min.js /usr/bin/chromium /usr/sbin/nginx \
		$(FONTS) /usr/bin/pdftotext
	$(BIN)/pybabel compile -d translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq chromium

# The two-server test (tests/deploy) runs nginx as the balancer, as the README's set-up does.
/usr/sbin/nginx:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq nginx

# Debian's Noto fonts: Noto Sans (Latin, Turkish, Polish) and Noto Sans Arabic, in this folder.
/usr/share/fonts/truetype/noto/%.ttf:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq fonts-noto-core

# The PDF tests read the text back as a screen reader or a search would (tests/web/test_pdf_scripts.py).
/usr/bin/pdftotext:
	$(SUDO) apt-get update -qq
	$(SUDO) apt-get install -y -qq poppler-utils
