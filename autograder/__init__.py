"""autograder: release, check, execute and grade the course's notebooks.

Small modules, one job each, behind the thin CLI in `autograder.cli`:
course (where things are), release (solutions/ -> units/), check (the release has teeth),
execute (papermill runs + metrics), collect / grade / feedback / export (a class's submissions).
"""

import os as _os
import sys as _sys

# nbgrader shells out to `alembic` and kernels are found through PATH: make this environment's
# bin/ come first even when `.venv/bin/autograder` is called without activating the venv.
_bin = _os.path.dirname(_sys.executable)
if _bin not in _os.environ.get("PATH", "").split(_os.pathsep):
    _os.environ["PATH"] = _bin + _os.pathsep + _os.environ.get("PATH", "")
