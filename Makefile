# The course's front door. `make demo` and `make test` work from a fresh clone: they create
# .venv when it is missing and install the pinned packages into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lab update-work data release check system-deps clean

# (Re)install when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# Debian packages the harness needs: bubblewrap (grading sandbox), PostgreSQL (gradebook
# tests), Chromium and its driver (the JupyterLab browser test). Installed only when missing;
# needs root (CI runs as root), otherwise prints the command.
system-deps:
	@missing=""; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/bin/chromedriver || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "missing Debian packages:$$missing -- run: sudo apt-get install$$missing"; fi; \
	fi

data: $(STAMP)
	$(PY) -m coursekit.data build

release: $(STAMP)
	$(VENV)/bin/autograder release

check: $(STAMP) data
	$(VENV)/bin/autograder check

demo: system-deps $(STAMP) data
	$(VENV)/bin/autograder demo

# Two test files at a time (pytest-xdist, one file per worker so module fixtures are built once):
# most files run one kernel at a time or wait on purpose (hangs, time limits, a browser), so one
# process alone leaves a core idle. conftest.py puts the longest files first.
test: system-deps $(STAMP)
	$(PY) -m pytest -n 2 --dist loadfile

# JupyterLab for students, on work/: a git-ignored copy of units/ made on the first run, so
# units/ stays as released and `git pull` never conflicts. Only nbgrader's Validate is on (see
# autograder/workspace.py); 127.0.0.1 with a token; --allow-root when run as root.
lab: $(STAMP) data
	$(PY) -m autograder.workspace lab

# After a course fix is pulled: take the changed release notebooks into work/, keeping your
# answers (your previous file is backed up beside it first).
update-work: $(STAMP)
	$(PY) -m autograder.workspace update

clean:
	rm -rf $(VENV) executed grading
