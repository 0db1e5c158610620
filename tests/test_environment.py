"""The two ways to install the course (pip: pyproject.toml, conda: environment.yml) stay in step."""
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def pyproject_pins() -> dict[str, str]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    return dict(re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", d).groups() for d in deps)


def environment_pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "environment.yml").read_text().splitlines():
        m = re.match(r"\s*-\s*([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        if m:
            pins[m.group(1)] = m.group(2)
    return pins


def test_every_dependency_is_pinned_exactly():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]


def test_environment_yml_lists_the_same_packages_and_versions():
    assert environment_pins() == pyproject_pins()


def test_required_pins():
    pins = pyproject_pins()
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"
    for name in ("jupyterlab", "nbgrader", "papermill", "ipywidgets", "matplotlib", "scikit-learn",
                 "scikit-image", "tqdm", "torchmetrics", "pycocotools", "scipy", "diffusers", "safetensors"):
        assert name in pins, f"{name} must be pinned"
