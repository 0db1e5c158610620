"""coursekit: the small helper package every course notebook imports.

    import coursekit
    run = coursekit.setup(seed=SEED, smoke=SMOKE, device=DEVICE)   # after the parameters cell
    device = run.device

It seeds everything, resolves the device, applies the environment overrides that the grader,
papermill and CI use (COURSE_SMOKE, COURSE_DEVICE, COURSE_SEED), sets plotting defaults, and
offers `report_metric` (what a notebook promises) and `explore` (an interactive figure that
falls back to a static one when no frontend is attached).
"""
from __future__ import annotations

import os
import random
from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["setup", "resolve_device", "report_metric", "explore", "cuda_graphed", "Run", "METRIC_MIME"]

METRIC_MIME = "application/vnd.coursekit.metric+json"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Run:
    """What `setup` decided, after environment overrides."""
    seed: int
    smoke: bool
    device: torch.device
    grading: bool  # True inside the autograder's sandbox


_current: Run | None = None


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value is None or value == "" else value.strip().lower() in _TRUE


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """"auto" -> cuda, then mps, then cpu; anything else is passed to torch.device."""
    if str(device) != "auto":
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def setup(seed: int = 0, smoke: bool = False, device: str = "auto", plots: bool = True) -> Run:
    """Seed python/numpy/torch, pick the device and set plotting defaults.

    Environment variables win over the notebook's parameters, so nbgrader, check, pytest and
    papermill runs all get the same switch: COURSE_SMOKE=1, COURSE_DEVICE=cpu, COURSE_SEED=3.
    """
    global _current
    env_smoke = _env_flag("COURSE_SMOKE")
    smoke = bool(smoke) if env_smoke is None else env_smoke
    device = os.environ.get("COURSE_DEVICE") or device
    seed = int(os.environ.get("COURSE_SEED") or seed)
    seed_everything(seed)
    if plots:
        _plot_defaults()
    _current = Run(seed=seed, smoke=smoke, device=resolve_device(device),
                   grading=bool(_env_flag("COURSE_GRADING")))
    return _current


def current() -> Run:
    """The Run of the last `setup` call (a default CPU run if setup was never called)."""
    return _current or Run(seed=0, smoke=bool(_env_flag("COURSE_SMOKE")), device=torch.device("cpu"),
                           grading=bool(_env_flag("COURSE_GRADING")))


def _plot_defaults() -> None:
    import matplotlib as mpl
    mpl.rcParams.update({
        "figure.figsize": (6.0, 4.0),
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "image.cmap": "viridis",
    })


def report_metric(name: str, value: float, target: float | None = None, direction: str = "max") -> bool:
    """Report a metric the notebook promises, e.g. report_metric("test_accuracy", acc, 0.97).

    direction="max" means value >= target is a pass, "min" means value <= target. The metric is
    displayed with a machine-readable MIME type that `autograder execute` collects into
    metrics.json. A missed target never stops the notebook, so every later figure and metric
    still runs; `autograder execute` gives a full-mode run with a missed target the status
    "missed_target", naming every metric that missed. Returns whether the target was met.
    """
    if direction not in ("max", "min"):
        raise ValueError(f"direction must be 'max' or 'min', got {direction!r}")
    value = float(value)
    passed = target is None or (value >= target if direction == "max" else value <= target)
    run = current()
    record = {"name": name, "value": value, "target": target, "direction": direction,
              "passed": passed, "smoke": run.smoke}
    op = ">=" if direction == "max" else "<="
    text = f"{name} = {value:.4g}" + ("" if target is None else f" (target {op} {target}: {'met' if passed else 'MISSED'})")
    try:
        from IPython.display import display
        display({METRIC_MIME: record, "text/plain": text}, raw=True)
    except ImportError:  # plain python: still say it
        print(text)
    return passed


def frontend_attached() -> bool:
    """False in headless runs (papermill, nbgrader, CI), which set COURSE_HEADLESS=1 or COURSE_GRADING=1."""
    return not (_env_flag("COURSE_HEADLESS") or _env_flag("COURSE_GRADING"))


def explore(plot, **controls) -> None:
    """An interactive explorer: `plot(**values)` redrawn as ipywidgets controls move.

    Each control is an ipywidgets widget or abbreviation accepted by `ipywidgets.interact`
    (e.g. shift=(-5.0, 5.0, 0.1)). With a frontend, the figure is a plain output of the cell
    (a display that each move of a control updates in place), so a saved notebook keeps the last
    figure as an image even where the widgets are gone; the controls are a widget above it.
    Without a frontend (headless runs) or without ipywidgets the figure is drawn once,
    statically, at the controls' initial values. Returns None, so the cell prints nothing else.
    """
    if frontend_attached():
        try:
            import ipywidgets
        except ImportError:
            ipywidgets = None
        if ipywidgets is not None:
            _explore_live(ipywidgets, plot, controls)
            return None
    defaults = {}
    for key, control in controls.items():
        if hasattr(control, "value"):
            defaults[key] = control.value
        elif isinstance(control, tuple):  # (min, max[, step]) -> the middle, as interact does
            lo, hi = control[0], control[1]
            defaults[key] = type(lo)((lo + hi) / 2) if isinstance(lo, int) and isinstance(hi, int) else (lo + hi) / 2
        elif isinstance(control, (list, dict)):
            defaults[key] = list(control.values() if isinstance(control, dict) else control)[0]
        else:
            defaults[key] = control
    plot(**defaults)
    return None


def _explore_live(ipywidgets, plot, controls: dict) -> None:
    from IPython.display import display
    from IPython.utils.capture import capture_output
    from ipywidgets.widgets.interaction import show_inline_matplotlib_plots

    figure = {"handle": None, "bundle": None}

    def draw(**values):
        # Catch what plot shows (plt.show() under the inline backend displays the figure) and put
        # its last rich output into the cell's own display instead of interact's Output widget.
        with capture_output(stdout=False, stderr=False) as shown:
            plot(**values)
            show_inline_matplotlib_plots()  # a figure plot made but did not show
        if not shown.outputs:
            return
        bundle = (shown.outputs[-1].data, shown.outputs[-1].metadata)
        if figure["handle"] is None:
            figure["bundle"] = bundle  # the first draw runs while the widget is built: shown below
        else:
            figure["handle"].update(bundle[0], metadata=bundle[1], raw=True)

    # interactive (not interact) builds the controls the same way and is not printed as a function.
    # Errors in plot still show, inside the widget.
    widget = ipywidgets.interactive(draw, **controls)
    display(widget)
    if figure["bundle"] is not None:
        data, metadata = figure["bundle"]
        figure["handle"] = display(data, metadata=metadata, raw=True, display_id=True)


from coursekit.graphs import cuda_graphed  # noqa: E402 (a public helper of its own module)
