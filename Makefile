# Two commands from a fresh clone: `make demo` and `make test`.
# Other interpreters and versions get their own virtualenv, for example:
#   make PYTHON=python3.13 VENV=.venv313 demo-data
#   make PYTHON=python3.11 VENV=.venv-lowest PIP_ARGS='"wagtail==7.0.*" "django==5.2.*"' test
PYTHON ?= python3
VENV ?= .venv
PIP_ARGS ?=
PYTEST_ARGS ?=
BIN := $(VENV)/bin
MANAGE := $(BIN)/python example_site/manage.py
STAMP := $(VENV)/.installed

.PHONY: demo demo-data serve test test-fast lint format docs messages bench bench-smoke screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,docs]" $(PIP_ARGS)
	touch $(STAMP)

demo: demo-data serve

demo-data: $(STAMP)
	$(MANAGE) check
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

serve: $(STAMP)
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir $(VENV)/site

# The package's translation catalogues, extracted from the code and compiled (GNU gettext).
messages: $(STAMP)
	cd wagtail_tagfeed && PYTHONPATH=.. DJANGO_SETTINGS_MODULE=example_site.settings \
	  $(abspath $(BIN))/django-admin makemessages --all --no-obsolete && \
	  PYTHONPATH=.. DJANGO_SETTINGS_MODULE=example_site.settings \
	  $(abspath $(BIN))/django-admin compilemessages

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks

bench-smoke: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks --smoke

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) example_site/db.sqlite3 example_site/media build dist *.egg-info
