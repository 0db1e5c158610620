# The course's front door. `make demo` and `make test` work from a fresh clone: they create
# .venv when it is missing and install the pinned packages into it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lab data release check system-deps clean

# (Re)install when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

# Debian packages the harness needs: bubblewrap (grading sandbox) and PostgreSQL (gradebook
# tests). Installed only when missing; needs root (CI runs as root), otherwise prints the command.
system-deps:
	@missing=""; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
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

test: system-deps $(STAMP)
	$(PY) -m pytest

# JupyterLab on the student notebooks, with nbgrader's student extensions only (Validate,
# assignment list); the instructor extensions (create assignment, formgrader) are switched off.
lab: $(STAMP) data
	$(VENV)/bin/jupyter labextension disable --level=sys_prefix nbgrader:create-assignment nbgrader:formgrader nbgrader:course-list >/dev/null
	$(VENV)/bin/jupyter labextension enable --level=sys_prefix nbgrader:validate-assignment nbgrader:assignment-list >/dev/null
	cd units && ../$(VENV)/bin/jupyter lab

clean:
	rm -rf $(VENV) executed grading
