"""Runs in the solution notebook's kernel during `autograder check` and `autograder mutate`: the
global state an answer variant or a mutant could change, saved once an exercise's tests pass and
put back after each variant, so that one variant cannot change how the next one, or the rest of
the notebook, runs. Without it a wrong answer that patches a library function (`np.asarray = ...`,
`torch.Tensor.sum = ...`), leaves a helper name behind, reseeds the RNG or changes torch's
defaults would reach every later variant and cell of that kernel.

What is put back: the kernel's global names (rebinding, not the objects' contents: a global tensor
changed in place stays changed, which mutate's final re-run of the tests reports); the attributes
of the libraries' modules and of torch's tensor, module and optimizer classes; the torch, NumPy
and Python random generators; torch's default dtype and device, grad mode, thread count,
deterministic-algorithms flag, float32 matmul precision, anomaly detection and flush of subnormal floats;
PyTorch's global module hooks.
"""
from __future__ import annotations

import importlib
import inspect
import random
import re
import sys

import numpy
import torch
from torch import nn

from coursekit.testing import flush_denormal_enabled

# Modules whose attributes are saved (those imported when the snapshot is taken).
MODULES = ("torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.linalg",
           "torch.special", "torch.fft", "torch.autograd", "torch.optim", "torch.utils.data", "numpy",
           "numpy.linalg", "numpy.random", "math", "random", "scipy.optimize", "scipy.special", "torchvision.ops",
           "coursekit", "coursekit.data", "coursekit.testing")
# IPython's own history names: rebound by every cell, never the variant's doing.
_IPYTHON = re.compile(r"_|__|___|_i+|_i?\d+|_[ido]h|In|Out|exit|quit|get_ipython")

_saved: dict | None = None
_MISSING = object()


def _classes() -> list[type]:
    found = [torch.Tensor, torch._C.TensorBase, nn.Module, torch.optim.Optimizer]
    for module in (nn, torch.optim):
        found += [c for c in vars(module).values() if inspect.isclass(c) and c not in found]
    return found


def _hook_dicts() -> list[dict]:
    module = importlib.import_module("torch.nn.modules.module")
    return [v for k, v in vars(module).items() if k.startswith("_global_") and isinstance(v, dict)]


def save(namespace: dict) -> None:
    """Remember the current state (call once the exercise's own tests have passed)."""
    global _saved
    owners = [sys.modules[name] for name in MODULES if name in sys.modules] + _classes()
    _saved = {
        "namespace": dict(namespace),
        "attributes": [(owner, dict(vars(owner))) for owner in owners],
        "hooks": [(d, dict(d)) for d in _hook_dicts()],
        "rng": (torch.get_rng_state(), numpy.random.get_state(), random.getstate()),
        "torch": (torch.get_default_dtype(), torch.get_default_device(), torch.is_grad_enabled(),
                  torch.get_num_threads(), torch.are_deterministic_algorithms_enabled(),
                  torch.get_float32_matmul_precision(), torch.is_anomaly_enabled(), flush_denormal_enabled()),
    }


def _put_back(current: dict, saved: dict, set_item, del_item, keep=lambda name, value: False) -> None:
    """Make `current` (through set_item / del_item) what `saved` was: names added since are deleted
    unless `keep`, names rebound since are bound again to the saved objects."""
    for name in [n for n in current if n not in saved and not keep(n, current[n])]:
        del_item(name)
    for name, value in saved.items():
        if current.get(name, _MISSING) is not value:
            set_item(name, value)



def restore(namespace: dict) -> None:
    """Put back what `save` remembered; with nothing saved, just switch autograd back on."""
    if _saved is None:
        torch.set_grad_enabled(True)
        return
    ipython = lambda name, value: _IPYTHON.fullmatch(name) is not None  # noqa: E731
    _put_back(namespace, {k: v for k, v in _saved["namespace"].items() if not ipython(k, v)},
              namespace.__setitem__, namespace.__delitem__, keep=ipython)
    for owner, attributes in _saved["attributes"]:
        current = dict(vars(owner))
        # A submodule imported since stays: its parent's attribute is how `import a.b` finds it again.
        _put_back(current, attributes, lambda k, v, o=owner: setattr(o, k, v), lambda k, o=owner: delattr(o, k),
                  keep=lambda name, value: inspect.ismodule(value))
    for hooks, entries in _saved["hooks"]:
        hooks.clear()
        hooks.update(entries)
    torch_rng, numpy_rng, python_rng = _saved["rng"]
    torch.set_rng_state(torch_rng)
    numpy.random.set_state(numpy_rng)
    random.setstate(python_rng)
    dtype, device, grad, threads, deterministic, matmul_precision, anomaly, flush = _saved["torch"]
    if torch.get_default_dtype() != dtype:
        torch.set_default_dtype(dtype)
    if torch.get_default_device() != device:
        torch.set_default_device(None if device == torch.device("cpu") else device)
    torch.set_grad_enabled(grad)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    if torch.are_deterministic_algorithms_enabled() != deterministic:
        torch.use_deterministic_algorithms(deterministic)
    torch.set_float32_matmul_precision(matmul_precision)
    torch.set_anomaly_enabled(anomaly)
    if flush_denormal_enabled() != flush:
        torch.set_flush_denormal(flush)
