"""The test-helper module every graded test cell uses: the plumbing, so a test says only what it checks.

    from coursekit.testing import assert_close, checked, forbid, unchanged, cases

    f = checked(pairwise_sq_dists, forbid=["torch.cdist"])      # guard + inputs-unchanged
    out = f(x, y)
    assert_close(out, torch.cdist(x, y) ** 2, what="pairwise_sq_dists(x, y)")

One source, two places. In a student's kernel (Validate, `autograder check`) everything runs
here. When a notebook is graded, test cells run in the checker process (autograder/checker.py)
and the student's names are proxies into the student's kernel: then `forbid` and `rng_untouched`
do not watch this process (no student code runs here) but travel with every call as probe specs,
and coursekit/probe.py applies them around the student's code with `apply_probes`. What a probe
sees comes back as data and is judged here. `REMOTE` says which place this is.

What the helpers check, and why:
- `forbid(*names)`: off-limits calls caught on the operation actually called. A
  TorchFunctionMode sees every torch function and Tensor method by name (aliases, in-place twins
  `x.tanh_()`, `from torch import X as Y`), a TorchDispatchMode sees the ATen operator that runs
  (another API reaching the same kernel: `torch.special.expit`, `nn.Sigmoid`, `torch.func`), and
  pure-Python functions (torchvision.ops, numpy, scipy) are replaced wherever a module holds them
  and have their code swapped (the function inside a decorated one too), so a saved alias raises
  too. PyTorch's own Python versions of a forbidden operator (torch._refs, torch._decomp and
  their private helpers) are swapped out as well: they run only other operators, so neither mode
  would see them; naming one that the installed PyTorch lacks is no error (they come and go
  between releases), while any other unknown name is. A class (`torch.nn.MultiheadAttention`) has its own `__init__`, `forward` and
  `__call__` swapped: making one (or a subclass), or running one made before the call, is caught.
  `forbid("torch.autograd")` forbids autograd itself: no operation may record a graph, however
  grad mode was switched on. A violation is recorded even if the student's code catches the
  exception.
- `only_ops(names)` / `checked(..., only=ELEMENTARY)`: an allow-list of ATen operators, for
  from-scratch exercises where the routes to a library answer are too many to name.
- `unchanged(*tensors)` / `checked(..., inputs_unchanged=True)`: values and version counters
  (an in-place change that is undone still bumps the version), gradients left alone, and the
  lists and dicts passed in keep their entries (`targets[0]["boxes"] = ...` changes the caller's).
- `assert_close`: dtype-aware default tolerances tight enough to tell a float32 computation from
  a float64 one; messages that say what differs (shape, dtype, device, nan, the worst element).
- `cases`: inputs students forget: extremes in both signs past float32 overflow, empty, one
  element, non-contiguous views, float32 and float64.
- `on_meta`: a function that keeps tensors on the input's device runs on `meta` inputs (the meta
  device stands in for CUDA on a CPU-only machine; coursekit.valued_meta gives it values).
- `check_backward`: gradients through the student's function or module equal a reference's.
"""
from __future__ import annotations

import contextlib
import functools
import importlib
import math
import random
import sys
import types
import warnings

import numpy as np
import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from .valued_meta import ValuedMeta, device_rng_state

__all__ = ["REMOTE", "forbid", "rng_untouched", "grad_mode_kept", "defaults_kept", "max_ops", "only_ops", "ELEMENTARY", "apply_probes",
           "active_probes", "manual_seed", "OffLimits",
           "unchanged", "checked", "assert_close", "assert_equal", "cases", "on_meta", "no_shared_memory", "refilled",
           "check_backward",
           "raises", "partial_credit", "Partial"]

REMOTE = False            # True in the grading checker (set by autograder.checker)
_probe_stack: list[dict] = []   # probe specs active in the checker, sent with every call
_pending_seed: list[int] = []   # manual_seed in the checker: sent with the next call only


class OffLimits(AssertionError):
    """Raised when the student's code reaches a call the exercise forbids."""


# --------------------------------------------------------------------------------------------
# Off-limits guard
# --------------------------------------------------------------------------------------------

# ATen operators a library function runs under another name (the dispatch-level view). Names
# the guard finds by itself (torch.sigmoid -> aten::sigmoid) need no entry.
ATEN_ALIASES = {
    "cdist": ["_cdist_forward", "_euclidean_dist"],
    "softmax": ["_softmax"],
    "log_softmax": ["_log_softmax"],
    "cross_entropy": ["cross_entropy_loss", "nll_loss_forward", "nll_loss2d_forward"],  # composite: its kernels
    "nll_loss": ["nll_loss_forward", "nll_loss2d_forward", "nll_loss_nd"],
    # every route to the convolution kernels: the public ops, the backends torch._C._nn exposes
    # (slow_conv_dilated2d runs a plain conv when dilation is 1), conv_tbc, and the backward op
    # that torch.nn.grad.conv2d_input/_weight call
    "conv2d": ["convolution", "_convolution", "_convolution_mode", "mkldnn_convolution", "_slow_conv2d_forward",
               "_nnpack_spatial_convolution", "conv2d", "slow_conv_dilated2d", "slow_conv_dilated3d",
               "slow_conv3d", "slow_conv3d_forward", "slow_conv_transpose2d", "slow_conv_transpose3d",
               "thnn_conv2d", "conv_tbc", "convolution_backward", "cudnn_convolution", "miopen_convolution"],
    "conv_transpose2d": ["convolution", "_convolution", "slow_conv_transpose2d", "mkldnn_convolution",
                         "convolution_backward"],
    # _scaled_dot_product_attention_math is composite (no kernel of its own): only its name shows
    "scaled_dot_product_attention": ["_scaled_dot_product_flash_attention_for_cpu",
                                     "_scaled_dot_product_efficient_attention",
                                     "_scaled_dot_product_attention_math", "_fused_sdp_choice",
                                     "_scaled_dot_product_flash_attention", "_scaled_dot_product_cudnn_attention"],
    "layer_norm": ["native_layer_norm"],
    "batch_norm": ["native_batch_norm", "_native_batch_norm_legit", "_native_batch_norm_legit_no_training",
                   "_batch_norm_impl_index", "_native_batch_norm_legit_functional"],
    "dropout": ["native_dropout"],   # not bernoulli: a hand-written dropout draws its mask with it
    "unfold": ["im2col"],
    "max_pool2d": ["max_pool2d_with_indices", "max_pool2d"],
    "nms": ["nms"],
    "binary_cross_entropy_with_logits": ["binary_cross_entropy_with_logits"],
    "mse_loss": ["mse_loss"],
    "sigmoid_focal_loss": [],
}


_PRIVATE_TWIN_PREFIXES = ("torch._refs.", "torch._decomp.")


def _resolve(name: str):
    """'torch.nn.functional.conv2d' -> the object (the longest importable module prefix, then attributes)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            if not hasattr(obj, attr) and name.startswith(_PRIVATE_TWIN_PREFIXES):
                # PyTorch's private Python versions of operators come and go between releases
                # (torch 2.11 has no decompositions._max_pool_nd_with_indices): nothing to swap out
                return None
            obj = getattr(obj, attr)
        return obj
    raise ValueError(f"forbid: cannot find {name!r}")


def _base(name: str) -> str:
    """'aten::sigmoid_.out' -> 'sigmoid'; 'sigmoid_' -> 'sigmoid'."""
    short = name.split("::")[-1].split(".")[0]
    return short[:-1] if short.endswith("_") and not short.endswith("__") else short


class Guard:
    """Watches one call for off-limits operations (see the module docstring)."""

    def __init__(self, names, where: str = "this exercise"):
        self.names, self.where = list(names), where
        self.objects = [_resolve(n) for n in self.names]
        # A built-in of another library (math.sin, numpy.sin) is swapped out where it is held (see
        # __enter__); its short name must not forbid torch's operator of that name (torch.sin) too.
        self.short = {_base(n.split(".")[-1]) for n, obj in zip(self.names, self.objects)
                      if _is_torch(obj) or not isinstance(obj, (types.BuiltinFunctionType, np.ufunc))}
        self.aten = set(self.short)
        for s in self.short:
            self.aten.update(ATEN_ALIASES.get(s, []))
        # "torch.autograd" forbids autograd itself: no operation may record a graph, whichever
        # API turns it on (enable_grad, torch._C, the engine called directly)
        self.no_graph = "torch.autograd" in self.names
        self.twins = _python_twins(frozenset(self.aten))
        for name, obj in zip(self.names, self.objects):
            if isinstance(obj, type) and not obj.__flags__ & (1 << 9):  # not a heap type: written in C
                raise ValueError(f"forbid: {name} is a built-in class, whose methods cannot be swapped; "
                                 f"forbid the functions that use it")
        self.violations: list[str] = []
        self._undo: list = []

    def _hit(self, what: str):
        message = f"{what} is off limits in {self.where} (forbidden here: {', '.join(self.names)})"
        self.violations.append(message)
        return OffLimits(message)

    def __enter__(self):
        # Pure-Python functions (torchvision.ops, numpy, scipy): swap their code and replace them
        # in every module that holds them, so aliases made before the call raise as well.
        _ACTIVE_GUARDS.append(self)
        self._undo.append(_ACTIVE_GUARDS.pop)
        for name, obj in zip(self.names, self.objects):
            if isinstance(obj, types.FunctionType) and not obj.__code__.co_freevars:
                self._swap_code(obj, name)
            elif isinstance(obj, type):
                self._forbid_class(name, obj)
            elif callable(obj) and not _is_torch(obj):
                self._replace_everywhere(obj, self._wrapper(name))
            inner = getattr(obj, "__wrapped__", None)
            while isinstance(inner, types.FunctionType):  # a decorated function: the one inside, reached directly
                if not inner.__code__.co_freevars:
                    self._swap_code(inner, name)
                inner = getattr(inner, "__wrapped__", None)
        for twin in self.twins:  # PyTorch's own Python versions of the forbidden operators
            self._swap_code(twin, f"{twin.__module__}.{twin.__qualname__}")
        self._modes = [_FunctionMode(self), _DispatchMode(self)]
        for mode in self._modes:
            mode.__enter__()
        return self

    def __exit__(self, *exc):
        for mode in reversed(self._modes):
            mode.__exit__(None, None, None)
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()
        if self.violations and not isinstance(exc[1], OffLimits):
            raise OffLimits(self.violations[0])  # even when the student's code caught it, or torch wrapped it
        return False

    def _swap_code(self, fn, name: str) -> None:
        self._undo.append(_swap_in(fn, _off_limits_stub, name))

    def _wrapper(self, name):
        guard = self

        def off_limits(*args, **kwargs):
            raise guard._hit(name)
        return off_limits

    def _forbid_class(self, name, cls) -> None:
        # A class (nn.MultiheadAttention): making one, or running one made earlier, is off limits;
        # a subclass reaches the same methods through super().
        for attr in ("__init__", "forward", "__call__"):
            if attr != "__init__" and attr not in vars(cls):
                continue  # inherited: swapping it on the parent would reach other classes too
            had, original = attr in vars(cls), vars(cls).get(attr)
            setattr(cls, attr, self._wrapper(f"{name}.{attr}"))
            self._undo.append(lambda a=attr, had=had, v=original: setattr(cls, a, v) if had else delattr(cls, a))

    def _replace_everywhere(self, obj, replacement) -> None:
        # The student's namespace and the modules of the function's own package (numpy.*, scipy.*):
        # where an alias of a C function or a closure can be held.
        package = (getattr(obj, "__module__", None) or type(obj).__module__ or "").split(".")[0]
        modules = [m for name, m in list(sys.modules.items())
                   if name == "__main__" or name.split(".")[0] == package]
        for module in modules:
            namespace = getattr(module, "__dict__", None)
            if not isinstance(namespace, dict):
                continue
            for key, value in list(namespace.items()):
                if value is obj:
                    namespace[key] = replacement
                    self._undo.append(lambda ns=namespace, k=key, v=obj: ns.__setitem__(k, v))


class _FunctionMode(TorchFunctionMode):
    """Every torch function and Tensor method called, by name (aliases, methods, in-place twins)."""

    def __init__(self, guard: Guard):
        super().__init__()
        self.guard = guard

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        # by name, the forbidden names and their ATen aliases: a composite backend called directly
        # (torch._scaled_dot_product_attention_math) decomposes before the dispatch mode sees it
        if func in self.guard.objects or _base(name) in self.guard.aten:
            qualname = getattr(func, "__qualname__", None) or name
            raise self.guard._hit(name if "pybind11" in qualname else qualname)  # torch.ops' qualname is garbled
        return func(*args, **(kwargs or {}))


# The Python entry points of torch's higher-order operators (the modules that define them)
_HIGHER_ORDER_ENTRIES = ("torch.nn.attention.flex_attention.flex_attention", "torch._higher_order_ops.cond.cond",
                         "torch._higher_order_ops.while_loop.while_loop", "torch._higher_order_ops.scan.scan",
                         "torch._higher_order_ops.associative_scan.associative_scan", "torch._higher_order_ops.map.map")


def _higher_order_stub(*args, **kwargs):
    # Runs as the code of a higher-order operator's entry point while a watch is on: its own name is in its code object.
    raise __import__("coursekit.testing", fromlist=["OffLimits"]).OffLimits(
        f"torch's higher-order operator {__import__('sys')._getframe().f_code.co_name} runs operations out of the "
        f"checks' sight: write it with plain tensor operations")


class _WatchMode(TorchDispatchMode):
    """A dispatch mode that watches the student's code: the base of the guards below. A violation
    fails the block even when the student's code caught it, or torch wrapped it in an error of its
    own (flex_attention runs under torch.compile's tracer, which reports a raise as "Unsupported")."""

    # A higher-order operator (flex_attention, torch.cond) runs other operators out of the mode's sight:
    # the mode takes it, to fail it by name, not with torch's "no rule registered" NotImplementedError.
    supports_higher_order_operators = True

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False  # torch would otherwise import torch._dynamo (seconds) on the first guarded call

    def __init__(self):
        super().__init__()
        self.violations = []
        self._undo = []

    def __enter__(self):
        # flex_attention and torch.cond run their operator under torch.compile's tracer, which would
        # trace this mode's refusal instead of running it: their Python entry points refuse first.
        for name in _HIGHER_ORDER_ENTRIES:
            module, _, attr = name.rpartition(".")
            fn = getattr(sys.modules.get(module), attr, None)  # imported already: importing costs a second
            if isinstance(fn, types.FunctionType) and fn.__code__ is not _higher_order_stub.__code__:
                self._undo.append(_swap_in(fn, _higher_order_stub, attr))
        return super().__enter__()

    def fail(self, message: str) -> OffLimits:
        self.violations.append(message)
        return OffLimits(message)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        while self._undo:
            self._undo.pop()()
        if self.violations and not isinstance(exc[1], OffLimits):
            raise OffLimits(self.violations[0])
        return False


class _DispatchMode(_WatchMode):
    """Every ATen operator that runs, whichever API reached it."""

    def __init__(self, guard: Guard):
        super().__init__()
        self.guard = guard

    def __torch_dispatch__(self, func, types_, args=(), kwargs=None):
        if isinstance(func, torch._ops.HigherOrderOperator):
            raise self.guard._hit(f"torch's higher-order operator {func.name()} (its inner operations cannot be watched)")
        if _base(func.name()) in self.guard.aten:
            raise self.guard._hit(f"{func.name()} (reached through another API)")
        if self.guard.no_graph and torch.is_grad_enabled() and any(
                isinstance(a, torch.Tensor) and a.requires_grad for a in torch.utils._pytree.tree_leaves((args, kwargs))):
            raise self.guard._hit(f"autograd (a graph recorded through {func.name()})")
        return func(*args, **(kwargs or {}))


_ACTIVE_GUARDS: list[Guard] = []


def _off_limits_stub(*args, **kwargs):
    # Runs as the code of a forbidden function, inside that function's own module: it finds the
    # guard through the import system, and its own name in its code object.
    testing = __import__("coursekit.testing", fromlist=["_ACTIVE_GUARDS"])
    raise testing._ACTIVE_GUARDS[-1]._hit(__import__("sys")._getframe().f_code.co_name)


# Where PyTorch keeps Python implementations of ATen operators (references and decompositions):
# plain functions built from other operators, so neither mode sees the forbidden name run.
_TWIN_MODULES = ("torch._refs", "torch._refs.nn.functional", "torch._refs.special", "torch._refs.linalg",
                 "torch._decomp.decompositions")


@functools.lru_cache(maxsize=64)
def _python_twins(aten: frozenset) -> tuple:
    """The Python implementations of these operators and of their private helpers
    (`_nll_loss_forward`, `native_batch_norm_helper`), unwrapped from their decorators."""
    from torch._decomp import decomposition_table

    def named(name: str) -> bool:
        base = _base(name).lstrip("_")
        return any(base == a or base.startswith(a + "_") for a in aten)

    found = [fn for op, fn in decomposition_table.items() if named(op.name())]
    for module in filter(None, map(sys.modules.get, _TWIN_MODULES)):
        found += [fn for attr, fn in vars(module).items() if callable(fn) and named(attr)]
    twins = {}
    for fn in found:
        while fn is not None:  # a decorated function: the wrapper is a closure, the function inside is plain
            if isinstance(fn, types.FunctionType) and not fn.__code__.co_freevars:
                twins[id(fn)] = fn
            fn = getattr(fn, "__wrapped__", None)
    return tuple(twins.values())


def _restore_function(obj, saved) -> None:
    obj.__code__, obj.__defaults__, obj.__kwdefaults__ = saved


def _swap_in(fn, stub, name: str):
    """`fn` runs `stub`'s code, under `name`, until the returned undo is called. Swapping the code
    reaches every alias of the function object: no search needed."""
    saved = (fn.__code__, fn.__defaults__, fn.__kwdefaults__)
    fn.__code__ = stub.__code__.replace(co_name=name)
    fn.__defaults__ = fn.__kwdefaults__ = None
    return lambda: _restore_function(fn, saved)


def _is_torch(obj) -> bool:
    """A torch callable: the function and dispatch modes see it (torchvision's Python code is not)."""
    module = getattr(obj, "__module__", None) or type(obj).__module__ or ""
    return module.split(".")[0] == "torch"


@contextlib.contextmanager
def _probe(spec: dict, local):
    """In the checker, `spec` travels with every call into the student's kernel (apply_probes runs
    it there); elsewhere the block runs inside `local()`."""
    if REMOTE:
        _probe_stack.append(spec)
        try:
            yield
        finally:
            _probe_stack.pop()
    else:
        with local():
            yield


def forbid(*names: str, where: str = "the exercise"):
    """Off limits while the block runs: `with forbid("torch.cdist"): out = pairwise_sq_dists(x, y)`."""
    return _probe({"forbid": list(names), "where": where}, lambda: Guard(names, where))


class _RngWatch:
    def __init__(self, where):
        self.where = where

    @staticmethod
    def _numpy_state() -> tuple:
        # the whole state: the key array changes only every 624 words, the position at every draw
        name, keys, position, has_gauss, cached = np.random.get_state()
        return name, keys.copy(), position, has_gauss, cached

    def __enter__(self):
        self.state = (torch.get_rng_state(), self._numpy_state(), random.getstate(), device_rng_state())
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            t, n, r, d = self.state
            n_now = self._numpy_state()
            same_numpy = np.array_equal(n[1], n_now[1]) and (n[0], *n[2:]) == (n_now[0], *n_now[2:])
            same_device = torch.equal(d, device_rng_state())   # the stand-in device's generator (on_meta)
            if not (torch.equal(t, torch.get_rng_state()) and same_numpy and r == random.getstate() and same_device):
                raise AssertionError(f"{self.where} used the global random number generator: draw from the "
                                     f"`generator` argument instead (torch.rand(..., generator=generator))")
        return False


def rng_untouched(where: str = "the exercise"):
    """The block must not draw from torch's, numpy's or python's global random generator."""
    return _probe({"rng": True, "where": where}, lambda: _RngWatch(where))


class _GradModeWatch:
    """Autograd's on/off switch is global: a function that flips it (`torch.set_grad_enabled(False)`
    as a plain call) leaves every later cell of the notebook without gradients."""

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        self.before = torch.is_grad_enabled()
        return self

    def __exit__(self, *exc):
        after = torch.is_grad_enabled()
        if after != self.before:
            torch.set_grad_enabled(self.before)  # put back, so what runs next is not hurt as well
            if exc[0] is None:
                raise AssertionError(f"{self.where} left autograd switched {'on' if after else 'off'} after it returned: "
                                     f"use `with torch.no_grad():` (or a decorator), which restores the mode, "
                                     f"not torch.set_grad_enabled(...) as a plain call")
        return False


def grad_mode_kept(where: str = "the exercise"):
    """The block must leave autograd's global on/off switch as it found it (checked() always checks)."""
    return _probe({"grad_mode": True, "where": where}, lambda: _GradModeWatch(where))


def flush_denormal_enabled() -> bool:
    """Whether torch.set_flush_denormal(True) is in force; torch has no getter, but a CPU that flushes
    subnormal floats reads the smallest float64 one (5e-324) as 0."""
    return not bool(torch.tensor(5e-324, dtype=torch.float64, device="cpu") > 0)


# Once code sets one of torch.backends' per-backend float32 precisions (torch >= 2.9:
# `torch.backends.mkldnn.matmul.fp32_precision = "bf16"`), the older getter raises ("a mix of the legacy
# and new APIs"): that state reads as a value of its own, and the per-backend settings are watched too.
_MIXED_PRECISION = "mixed with torch.backends' fp32_precision settings"


def _float32_matmul_precision() -> str:
    try:
        return torch.get_float32_matmul_precision()
    except RuntimeError:
        return _MIXED_PRECISION


def _set_float32_matmul_precision(value: str) -> None:
    if value != _MIXED_PRECISION:
        torch.set_float32_matmul_precision(value)


def _backend_precisions() -> list:
    """(name, get, set) for every `fp32_precision` this torch has under torch.backends."""
    found = []
    for path in ("", "mkldnn", "mkldnn.matmul", "mkldnn.conv", "mkldnn.rnn", "cuda.matmul", "cudnn", "cudnn.conv",
                 "cudnn.rnn"):
        owner = torch.backends
        for part in filter(None, path.split(".")):
            owner = getattr(owner, part, None)
        if owner is not None and hasattr(owner, "fp32_precision"):
            found.append((f"float32 precision of torch.backends{'.' + path if path else ''}",
                          lambda owner=owner: owner.fp32_precision,
                          lambda value, owner=owner: setattr(owner, "fp32_precision", value)))
    return found


def _backend_flags():
    """cuDNN's and oneDNN's switches (`torch.backends.cudnn.benchmark = True` in a model's __init__):
    plain module attributes, read and set on a CPU-only build too."""
    for module, flag in (("cudnn", "benchmark"), ("cudnn", "deterministic"), ("cudnn", "enabled"), ("mkldnn", "enabled")):
        backend = getattr(torch.backends, module)
        yield (f"backends.{module}.{flag}", lambda b=backend, f=flag: getattr(b, f),
               lambda v, b=backend, f=flag: setattr(b, f, v))


# torch's other process-wide numeric switches: (what it is, how to read it, how to set it back), put
# back in this order (the legacy matmul setter also changes two per-backend settings)
_SWITCHES = (
    ("float32 matmul precision", _float32_matmul_precision, _set_float32_matmul_precision),
    *_backend_precisions(),
    ("anomaly detection", torch.is_anomaly_enabled, torch.set_anomaly_enabled),
    ("deterministic algorithms", torch.are_deterministic_algorithms_enabled, torch.use_deterministic_algorithms),
    ("flush of subnormal floats to zero", flush_denormal_enabled, torch.set_flush_denormal),
    ("number of CPU threads", torch.get_num_threads, torch.set_num_threads),
    *_backend_flags(),
)


class _DefaultsWatch:
    """torch's default dtype and device are global too: a function that leaves
    `torch.set_default_dtype(torch.float64)` set changes every tensor the notebook makes after it; so
    are the float32 matmul precision, anomaly detection, deterministic algorithms and the flush of
    subnormal floats (a sigmoid's far tail then reads 0), and Python's warnings filters."""

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        self.before = (torch.get_default_dtype(), torch.get_default_device())
        self.switches = [get() for _, get, _ in _SWITCHES]
        # Python's warnings filters too: `warnings.simplefilter("ignore")` as a plain call silences every
        # later warning of the notebook
        self.filters, self.modules = list(warnings.filters), len(sys.modules)
        return self

    def _ignore_filters_added(self) -> bool:
        """An "ignore" filter was added: for every message of every module of a built-in category
        (`warnings.simplefilter("ignore"[, UserWarning])`), or any at all when the call imported no
        module. Libraries add filters of their own when first imported (sympy's, torch.jit's,
        SciPy's), for a message, a module or a category of their own: those stay."""
        imported = len(sys.modules) != self.modules
        added = [f for f in warnings.filters if f not in self.filters and f[0] == "ignore"]
        if not any(not imported or (f[1] is None and f[3] is None and getattr(f[2], "__module__", None) == "builtins")
                   for f in added):
            return False
        warnings.filters[:] = self.filters  # put back, so what runs next is not hurt as well
        getattr(warnings, "_filters_mutated", lambda: None)()
        return True

    def __exit__(self, *exc):
        filters_changed = self._ignore_filters_added()
        dtype, device = self.before
        now_dtype, now_device = torch.get_default_dtype(), torch.get_default_device()
        changed = [(name, was, now) for (name, get, _), was in zip(_SWITCHES, self.switches) if (now := get()) != was]
        for (_, get, put), was in zip(_SWITCHES, self.switches):
            if get() != was:                # read again: putting one back may change another
                put(was)                    # put back, so what runs next is not hurt as well
        if (now_dtype, now_device) != (dtype, device):
            torch.set_default_dtype(dtype)  # put back, so what runs next is not hurt as well
            torch.set_default_device(None if device == torch.device("cpu") else device)
            if exc[0] is None:
                what = (f"the default dtype {now_dtype} (it was {dtype})" if now_dtype != dtype
                        else f"the default device {now_device} (it was {device})")
                raise AssertionError(f"{self.where} left {what} after it returned: pass dtype= and device= to the "
                                     f"tensors you make (torch.zeros(n, dtype=x.dtype, device=x.device)), not "
                                     f"torch.set_default_dtype / torch.set_default_device")
        if changed and exc[0] is None:  # named by the setting the code changed, not by the legacy getter's view of it
            name, was, now = next((c for c in changed if c[2] != _MIXED_PRECISION), changed[0])
            raise AssertionError(f"{self.where} left torch's {name} set to {now!r} (it was {was!r}) after it returned: "
                                 f"a function must not change torch's global settings for the rest of the notebook")
        if filters_changed and exc[0] is None:
            raise AssertionError(f"{self.where} left Python's warnings filters changed after it returned "
                                 f"(warnings.simplefilter / filterwarnings as a plain call), which silences or "
                                 f"changes every later warning of the notebook: put them inside "
                                 f"`with warnings.catch_warnings():`, which restores the filters")
        return False


class _FilledMemory:
    """`torch.empty`'s memory holds whatever was there before: a function that reads it before writing
    would pass or fail by luck. Inside, new memory reads as NaN (the largest integer, True for bool):
    PyTorch's `fill_uninitialized_memory`, which acts only with deterministic algorithms on (warn_only,
    and their warnings silenced: nothing is refused). Put back as found, unless the code itself
    changed the setting (the defaults watch around this one then reports it)."""

    QUIET = ("ignore", ".*deterministic")

    def __enter__(self):
        self.before = (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled(),
                       torch.utils.deterministic.fill_uninitialized_memory)
        warnings.filterwarnings(*self.QUIET)
        self.quiet = warnings.filters[0]
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.utils.deterministic.fill_uninitialized_memory = True
        return self

    def __exit__(self, *exc):
        if torch.are_deterministic_algorithms_enabled() and torch.is_deterministic_algorithms_warn_only_enabled():
            torch.use_deterministic_algorithms(self.before[0], warn_only=self.before[1])
        torch.utils.deterministic.fill_uninitialized_memory = self.before[2]
        if self.quiet in warnings.filters:
            warnings.filters.remove(self.quiet)
            getattr(warnings, "_filters_mutated", lambda: None)()
        return False


def filled_memory():
    """Uninitialised memory (`torch.empty`) reads as NaN inside the block (checked() always does this)."""
    return _probe({"filled_memory": True}, _FilledMemory)


class _UnsortedTopk(TorchFunctionMode):
    """`topk(..., sorted=False)` promises no order: a GPU returns another than the CPU, which sorts
    anyway, so code that reads "the last of the k" as the k-th largest passes on the CPU only.
    Inside, the k come reversed (the order the CPU could give), and such code fails here too."""

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if func in (torch.topk, torch.Tensor.topk) and "out" not in kwargs:
            given = {**dict(zip(("input", "k", "dim", "largest", "sorted"), args)), **kwargs}
            if not given.get("sorted", True):
                dim = given.get("dim", -1)
                return torch.return_types.topk((out.values.flip(dim), out.indices.flip(dim)))
        return out


def unsorted_topk():
    """`topk(..., sorted=False)` returns its k in reverse order inside the block (checked() always does this)."""
    return _probe({"unsorted_topk": True}, _UnsortedTopk)


def defaults_kept(where: str = "the exercise"):
    """The block must leave torch's default dtype and device as it found them (checked() always checks)."""
    return _probe({"defaults": True, "where": where}, lambda: _DefaultsWatch(where))


class _OpCounter(_WatchMode):
    """Counts the ATen operators a block runs: a Python loop over positions runs them per position."""

    def __init__(self, limit: int, where: str):
        super().__init__()
        self.limit, self.where, self.count = limit, where, 0

    def __torch_dispatch__(self, func, types_, args=(), kwargs=None):
        if isinstance(func, torch._ops.HigherOrderOperator):  # its inner operations are not counted
            raise self.fail(f"{self.where} runs torch's higher-order operator {func.name()}, whose inner "
                            f"operations cannot be counted: write it with plain tensor operations")
        self.count += 1
        return func(*args, **(kwargs or {}))

    def __exit__(self, *exc):
        super().__exit__(*exc)
        if exc[0] is None and self.count > self.limit:
            raise AssertionError(f"{self.where} ran {self.count} tensor operations on this input; a vectorised "
                                 f"version needs at most {self.limit}, whatever the input's size: replace the "
                                 f"Python loop over positions by a few whole-tensor operations")
        return False


def max_ops(limit: int, where: str = "the exercise"):
    """The block may run at most `limit` ATen operators (tensor ops; a vectorisation check, not a timing)."""
    return _probe({"max_ops": int(limit), "where": where}, lambda: _OpCounter(int(limit), where))


# What a from-scratch elementwise exercise (a sigmoid, a tanh) may run: arithmetic, exp and log,
# comparisons and selection. An allow-list ends the hunt for library routes (a softmax over (0, z)
# is a sigmoid, so is exp(-BCE-with-logits)): whatever the route, it runs an operator not listed.
ELEMENTARY = ["add", "sub", "rsub", "mul", "div", "neg", "reciprocal", "pow", "square", "sqrt", "rsqrt",
              "exp", "expm1", "exp2", "log", "log1p", "log2", "abs", "sign", "sgn", "signbit", "copysign",
              "where", "clamp", "clamp_min", "clamp_max", "maximum", "minimum", "fmax", "fmin", "heaviside",
              "lt", "le", "gt", "ge", "eq", "ne", "logical_not", "logical_and", "logical_or", "bitwise_not",
              "masked_fill", "masked_scatter", "index_put", "isnan", "isinf", "isfinite", "nan_to_num",
              "floor", "ceil", "round", "trunc", "addcmul", "addcdiv", "lerp"]   # the last three: fused arithmetic
# Making, copying and viewing tensors: any exercise may do it.
_PLUMBING = {"empty", "empty_like", "empty_strided", "new_empty", "new_empty_strided", "zeros", "zeros_like",
             "ones", "ones_like", "full", "full_like", "new_zeros", "new_ones", "new_full", "fill", "zero",
             "scalar_tensor", "lift_fresh", "lift_fresh_copy", "_to_copy", "to", "copy", "clone", "detach", "alias",
             "view", "_unsafe_view", "reshape", "expand", "expand_as", "contiguous", "unsqueeze", "squeeze", "t",
             "transpose", "permute", "select", "slice", "index", "index_select", "flatten", "unbind", "split",
             "stack", "cat", "_local_scalar_dense", "item", "resolve_conj", "resolve_neg", "as_strided",
             "is_nonzero", "is_same_size", "_has_compatible_shallow_copy_type", "set", "result_type", "tensor"}


class _OnlyOps(_WatchMode):
    """Every ATen operator the block runs must be one of `allowed` (or plumbing: making, copying, viewing)."""

    def __init__(self, allowed, where: str):
        super().__init__()
        self.allowed, self.where = set(allowed) | _PLUMBING, where

    def __torch_dispatch__(self, func, types_, args=(), kwargs=None):
        if _base(func.name()) not in self.allowed:  # a higher-order operator (flex_attention) as well
            raise self.fail(f"{self.where} runs {func.name()}, which this exercise does not need: build it from "
                            f"elementary operations (arithmetic, exp and log, abs, comparisons, torch.where)")
        return func(*args, **(kwargs or {}))


def only_ops(allowed, where: str = "the exercise"):
    """The block may run only these ATen operators (by name, e.g. ELEMENTARY) besides plumbing."""
    return _probe({"only_ops": list(allowed), "where": where}, lambda: _OnlyOps(allowed, where))


def manual_seed(seed: int) -> None:
    """`torch.manual_seed(seed)` for the generator the exercise's code draws from: here, or when graded
    in the student's kernel, just before the next call into it, or as the cell ends if no call follows
    (the checker's own generator is not the one the student's code uses). For tests of code that
    draws from the global generator."""
    if REMOTE:
        _pending_seed[:] = [int(seed)]
    else:
        torch.manual_seed(seed)


def active_probes() -> list[dict]:
    specs = [dict(p) for p in _probe_stack]
    if torch.is_inference_mode_enabled():  # a test's `with torch.inference_mode():` reaches the student's code
        specs.insert(0, {"inference_mode": True})  # (its grad mode travels with every call anyway)
    if _pending_seed:  # first, so the watches below it see the seeded state as their start
        specs.insert(0, {"seed": _pending_seed.pop()})
    return specs


@contextlib.contextmanager
def apply_probes(specs: list[dict], function_name: str = "the function"):
    """Run probe specs around the student's code (in the student's kernel, when graded)."""
    with contextlib.ExitStack() as stack:
        for spec in specs or []:
            where = spec.get("where") or function_name
            if spec.get("seed") is not None:
                torch.manual_seed(spec["seed"])
            if spec.get("inference_mode"):
                stack.enter_context(torch.inference_mode())
            if spec.get("forbid"):
                stack.enter_context(Guard(spec["forbid"], where))
            if spec.get("rng"):
                stack.enter_context(_RngWatch(where))
            if spec.get("grad_mode"):
                stack.enter_context(_GradModeWatch(where))
            if spec.get("defaults"):
                stack.enter_context(_DefaultsWatch(where))
            if spec.get("filled_memory"):
                stack.enter_context(_FilledMemory())
            if spec.get("unsorted_topk"):
                stack.enter_context(_UnsortedTopk())
            if spec.get("max_ops") is not None:
                stack.enter_context(_OpCounter(int(spec["max_ops"]), where))
            if spec.get("only_ops") is not None:
                stack.enter_context(_OnlyOps(spec["only_ops"], where))
        yield


# --------------------------------------------------------------------------------------------
# Inputs unchanged, checked calls
# --------------------------------------------------------------------------------------------

def _tensors(obj, out=None):
    out = [] if out is None else out
    if isinstance(obj, torch.Tensor):
        out.append(obj)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _tensors(v, out)
    elif isinstance(obj, dict):
        for v in obj.values():
            _tensors(v, out)
    return out


def _containers(obj, out=None):
    """The lists and dicts in `obj` (inside lists, tuples and dicts too), each with its entries now."""
    out = [] if out is None else out
    if isinstance(obj, (list, tuple)):
        if type(obj) is list:
            out.append((obj, list(obj)))
        for v in obj:
            _containers(v, out)
    elif isinstance(obj, dict):
        if type(obj) is dict:
            out.append((obj, list(obj.items())))
        for v in obj.values():
            _containers(v, out)
    return out


def _same_entry(a, b) -> bool:
    """The same object, or equal data that came back as a copy (a tensor must be the same object)."""
    if a is b:
        return True
    if type(a) is not type(b) or isinstance(a, torch.Tensor):
        return False
    if isinstance(a, tuple):  # a dict's (key, value) pair, or a tuple inside a list
        return len(a) == len(b) and all(_same_entry(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 (an object whose == does not give one truth value)
        return False


def same_values(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Same shape, dtype and elements, nan equal to nan (torch.equal calls an input holding nan
    changed, and float32 ones equal to float64 ones)."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if torch.equal(a, b):
        return True
    if not (a.is_floating_point() or a.is_complex()):
        return False
    return bool(torch.isclose(a, b, rtol=0, atol=0, equal_nan=True).all())


class unchanged:  # noqa: N801 (used like a function: `with unchanged(x, y, where=...)`)
    """The block must leave these tensors' values, version counters, gradients and requires_grad flags alone, and the
    lists and dicts they sit in as they were (no entry added, removed or replaced)."""

    def __init__(self, *tensors, where: str = "the function", names: list[str] | None = None):
        self.tensors = _tensors(list(tensors))
        self.where, self.names = where, names
        self.inputs = tensors

    def __enter__(self):
        self.before = [(t.detach().clone(), t._version, t.grad, t.requires_grad) for t in self.tensors]
        self.containers = _containers(self.inputs)
        return self

    def __exit__(self, *exc):
        if exc[0] is not None:
            return False
        for i, (t, (value, version, grad, requires_grad)) in enumerate(zip(self.tensors, self.before)):
            name = self.names[i] if self.names and i < len(self.names) else f"input {i}"
            same = t.shape == value.shape and same_values(t.detach(), value) if t.device.type != "meta" else True
            if not same or t._version != version:
                raise AssertionError(f"{self.where} modified its {name} in place; work on a copy "
                                     f"(e.g. x = x.clone(), or out-of-place ops like x + 1 instead of x += 1)")
            if t.grad is not grad:
                raise AssertionError(f"{self.where} changed the .grad of its {name}; leave gradients alone")
            if t.requires_grad != requires_grad:
                raise AssertionError(f"{self.where} switched requires_grad of its {name} {'on' if t.requires_grad else 'off'}: "
                                     f"leave the caller's tensors as they are and work on a copy "
                                     f"(x = x.detach().clone().requires_grad_(), or x.detach())")
        for box, entries in self.containers:
            now = list(box) if type(box) is list else list(box.items())
            if len(now) != len(entries) or not all(_same_entry(a, b) for a, b in zip(now, entries)):
                raise AssertionError(f"{self.where} changed a {type(box).__name__} it was given (an entry added, "
                                     f"removed or replaced); leave the caller's containers alone and build new ones")
        return False


def checked(fn, forbid: list[str] | tuple = (), inputs_unchanged: bool = True, rng: bool = False,
            name: str | None = None, ops: int | None = None, only: list[str] | None = None):
    """`fn` wrapped in the guards an exercise needs: `checked(f, forbid=["torch.cdist"])(x, y)`;
    `ops`: the most ATen operators one call may run (a vectorised exercise: see max_ops);
    `only`: the ATen operators it may run at all (a from-scratch exercise: see only_ops, ELEMENTARY)."""
    label = name or getattr(fn, "__name__", None) or "the function"
    forbidden = list(forbid)

    def call(*args, **kwargs):
        with contextlib.ExitStack() as stack:
            stack.enter_context(grad_mode_kept(where=label))
            stack.enter_context(defaults_kept(where=label))
            stack.enter_context(filled_memory())
            stack.enter_context(unsorted_topk())
            if inputs_unchanged:
                stack.enter_context(unchanged(*args, *kwargs.values(), where=label))
            if forbidden:
                stack.enter_context(globals()["forbid"](*forbidden, where=label))
            if rng:
                stack.enter_context(rng_untouched(where=label))
            if ops is not None:
                stack.enter_context(max_ops(ops, where=label))
            if only is not None:
                stack.enter_context(only_ops(only, where=label))
            return fn(*args, **kwargs)
    call.__name__ = label
    return call


# --------------------------------------------------------------------------------------------
# Comparisons with messages that teach
# --------------------------------------------------------------------------------------------

DEFAULT_TOLERANCES = {  # (rtol, atol): float64 tight enough to tell a float32 computation apart
    torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5),
    torch.float32: (1.3e-6, 1e-5), torch.float64: (1e-9, 1e-12),
    torch.complex64: (1.3e-6, 1e-5), torch.complex128: (1e-9, 1e-12),
}


def _fmt(t: torch.Tensor, limit: int = 6) -> str:
    flat = t.detach().reshape(-1)
    items = ", ".join(f"{v:.6g}" for v in flat[:limit].tolist())
    return f"[{items}{', ...' if flat.numel() > limit else ''}]"


def assert_close(actual, expected, *, rtol: float | None = None, atol: float | None = None, what: str = "the result",
                 hint: str = "", check_dtype: bool = True, check_device: bool = True, equal_nan: bool = False):
    """Like torch.testing.assert_close, but the message says what differs and how to fix it."""
    prefix = f"{what}: "
    if isinstance(expected, torch.Tensor):
        if not issubclass(type(actual), torch.Tensor):  # type(), not isinstance: no stand-in passes
            raise AssertionError(f"{prefix}expected a torch.Tensor, got {type(actual).__name__}")
        if tuple(actual.shape) != tuple(expected.shape):
            raise AssertionError(f"{prefix}expected shape {tuple(expected.shape)}, got {tuple(actual.shape)}. {hint}".strip())
        if check_dtype and actual.dtype != expected.dtype:
            raise AssertionError(f"{prefix}expected dtype {expected.dtype}, got {actual.dtype} "
                                 f"(do not hard-code a dtype: follow what the docstring says). {hint}".strip())
        if check_device and actual.device != expected.device:
            raise AssertionError(f"{prefix}expected device {expected.device}, got {actual.device} "
                                 f"(create new tensors with device=x.device). {hint}".strip())
        if actual.device.type == "meta":
            return
        default_rtol, default_atol = DEFAULT_TOLERANCES.get(expected.dtype, (0.0, 0.0))
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        a, e = actual.detach().to(expected.dtype), expected.detach()
        if a.is_floating_point() or a.is_complex():
            bad_nan = torch.isnan(a) != torch.isnan(e) if not equal_nan else torch.zeros_like(a, dtype=torch.bool)
            if not equal_nan and (torch.isnan(a) & torch.isnan(e)).any():
                bad_nan = bad_nan | (torch.isnan(a) & torch.isnan(e))
            if bad_nan.any():
                idx = tuple(int(i) for i in bad_nan.nonzero()[0])
                raise AssertionError(f"{prefix}nan where {e[idx].item():.6g} was expected at index {idx} "
                                     f"(overflow? 0/0? log of 0?). {hint}".strip())
            bad_inf = (torch.isinf(a) | torch.isinf(e)) & (a != e)
            if bad_inf.any():
                idx = tuple(int(i) for i in bad_inf.nonzero()[0])
                raise AssertionError(f"{prefix}expected {e[idx].item():.6g} at index {idx}, got {a[idx].item():.6g} "
                                     f"(exp of a large number overflows: rewrite the formula to avoid it). {hint}".strip())
        try:
            torch.testing.assert_close(a, e, rtol=rtol, atol=atol, equal_nan=True, check_dtype=False)
        except AssertionError:
            diff = (a.double() - e.double()).abs() if not a.is_complex() else (a - e).abs().double()
            diff = torch.nan_to_num(diff, nan=0.0)
            worst = int(diff.reshape(-1).argmax()) if diff.numel() else 0
            idx = tuple(int(i) for i in np.unravel_index(worst, tuple(a.shape))) if a.dim() else ()
            raise AssertionError(
                f"{prefix}values differ: at index {idx} expected {e[idx].item():.10g}, got {a[idx].item():.10g} "
                f"(largest difference {diff.max().item():.3g}; allowed {atol:g} + {rtol:g} * |expected|). "
                f"Expected {_fmt(e)}, got {_fmt(a)}. {hint}".strip()) from None
        return
    if isinstance(expected, (int, float, np.floating, np.integer)) and not isinstance(expected, bool):
        if isinstance(actual, torch.Tensor) and actual.numel() == 1:
            actual = actual.item()
        if not isinstance(actual, (int, float, np.floating, np.integer)) or isinstance(actual, bool):
            raise AssertionError(f"{prefix}expected a number, got {type(actual).__name__}")
        rtol = 1e-9 if rtol is None else rtol
        atol = 1e-12 if atol is None else atol
        if not (math.isclose(float(actual), float(expected), rel_tol=rtol, abs_tol=atol)
                or (equal_nan and math.isnan(actual) and math.isnan(expected))):
            raise AssertionError(f"{prefix}expected {float(expected):.10g}, got {float(actual):.10g}. {hint}".strip())
        return
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)) or len(actual) != len(expected):
            raise AssertionError(f"{prefix}expected a sequence of {len(expected)} items, got {actual!r:.80}")
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, rtol=rtol, atol=atol, what=f"{what}[{i}]", hint=hint, check_dtype=check_dtype,
                         check_device=check_device, equal_nan=equal_nan)
        return
    assert_equal(actual, expected, what=what, hint=hint)


def assert_equal(actual, expected, *, what: str = "the result", hint: str = ""):
    """Exact equality (tensors: same shape, dtype and values)."""
    if isinstance(expected, torch.Tensor):
        assert_close(actual, expected, rtol=0, atol=0, what=what, hint=hint)
        return
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}. {hint}".strip())


def raises(exc_type, fn, *args, what: str | None = None, **kwargs):
    """`fn(*args, **kwargs)` must raise `exc_type` (the student's exception arrives as the same type)."""
    label = what or f"{getattr(fn, '__name__', 'the function')}(...)"
    try:
        fn(*args, **kwargs)
    except exc_type:
        return
    except Exception as e:  # noqa: BLE001 (a different error is a finding)
        raise AssertionError(f"{label} should raise {exc_type.__name__}, raised {type(e).__name__}: {e}") from None
    raise AssertionError(f"{label} should raise {exc_type.__name__}, but returned normally")


# --------------------------------------------------------------------------------------------
# Cases students forget
# --------------------------------------------------------------------------------------------

class cases:  # noqa: N801 (a namespace)
    """Input generators; every one takes an explicit seed, so tests are reproducible."""

    @staticmethod
    def randn(*shape, seed: int, dtype=torch.float32, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
        """randn(2, 3, seed=0), randn((2, 3), seed=0) and randn(seed=0) (a 0-d tensor) all work."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list, torch.Size)):
            shape = tuple(shape[0])
        g = torch.Generator().manual_seed(seed)
        return torch.randn(tuple(shape), generator=g, dtype=dtype) * scale + shift

    @staticmethod
    def extremes(dtype=torch.float32) -> torch.Tensor:
        """Both signs past where exp overflows float32 (|z| > 88.7) and float64 (|z| > 709.8)."""
        values = [-1e4, -1000.0, -750.0, -100.0, -89.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 89.0, 100.0,
                  750.0, 1000.0, 1e4]
        return torch.tensor(values, dtype=dtype)

    @staticmethod
    def noncontiguous(t: torch.Tensor) -> torch.Tensor:
        """The same values in a non-contiguous view (every other element of a wider tensor)."""
        if t.dim() == 0:
            return t.clone()
        wide = torch.zeros(*t.shape[:-1], 2 * t.shape[-1], dtype=t.dtype, device=t.device)
        wide[..., ::2] = t
        out = wide[..., ::2]
        if t.shape[-1] > 1:
            assert not out.is_contiguous()
        return out.requires_grad_(t.requires_grad) if t.is_leaf and (t.is_floating_point() or t.is_complex()) else out

    @staticmethod
    def transposed(t: torch.Tensor) -> torch.Tensor:
        """The same values with the last two dimensions stored column-major (t.mT.contiguous().mT),
        for tensors of 2 or more dimensions: unlike `noncontiguous`, `.view` cannot merge those two."""
        if t.dim() < 2:
            raise ValueError(f"cases.transposed needs 2 or more dimensions, got {t.dim()}")
        return t.mT.contiguous().mT

    @staticmethod
    def empty(*shape, dtype=torch.float32) -> torch.Tensor:
        return torch.empty(*shape, dtype=dtype)


def _memory_of(obj, out=None) -> list:
    """The tensors in obj, a module's parameters and buffers included, that hold memory of their own."""
    out = [] if out is None else out
    if isinstance(obj, torch.Tensor):
        if obj.device.type != "meta" and obj.numel():
            out.append(obj)
    elif isinstance(obj, torch.nn.Module):
        _memory_of(list(obj.state_dict(keep_vars=True).values()), out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _memory_of(v, out)
    elif isinstance(obj, dict):
        _memory_of(list(obj.values()), out)
    return out


def _storages(obj) -> set:
    return {t.untyped_storage().data_ptr() for t in _memory_of(obj)}


def call_without_shared_memory(where: str, fn, args, kwargs):
    """fn(*args, **kwargs), called twice (see no_shared_memory); the first result."""
    out = fn(*args, **kwargs)
    given = _storages((args, kwargs))
    for t in _memory_of(out):
        if t.untyped_storage().data_ptr() in given:
            raise AssertionError(f"{where} returned a tensor of shape {list(t.shape)} that shares memory with a tensor "
                                 f"it was given (a view, or `.data` / `.detach()` of it): changing one changes the "
                                 f"other; copy the values (`.clone()`, `new.weight.copy_(...)`)")
    first, boxes = _storages(out), _containers(out)
    again = fn(*args, **kwargs)
    for t in _memory_of(again):
        if t.untyped_storage().data_ptr() in first:
            raise AssertionError(f"{where} returned the same tensor of shape {list(t.shape)} at two calls (a cache: "
                                 f"`functools.lru_cache`, a dict of results): a caller that changes its result in "
                                 f"place changes every later one; return a new tensor at every call")
    kept = {id(box) for box, _ in boxes}
    for box, entries in boxes:
        now = list(box) if type(box) is list else list(box.items())
        if (len(now) != len(entries) or not all(_same_entry(a, b) for a, b in zip(now, entries))
                or any(id(b) in kept for b, _ in _containers(again))):
            raise AssertionError(f"{where} returned a {type(box).__name__} that the next call changed or returned "
                                 f"again (one kept on the object and refilled): what a caller kept from one call "
                                 f"changes with the next; return a new {type(box).__name__} at every call")
    return out


def no_shared_memory(fn, *args, what: str | None = None, **kwargs):
    """Call `fn` twice with the same arguments and return the first result: no tensor it returns, nor
    a parameter or buffer of a module it returns, may share memory with a tensor it was given (or
    with a module's), nor with what the other call returned (a cache). For functions that build a new
    tensor or object and draw nothing at random. In the checker both calls and the comparison run in
    the student's kernel (probe spec "no_shared_memory"), where the memory is still shared."""
    label = what or getattr(fn, "__name__", "the function")
    if REMOTE:
        _probe_stack.append({"no_shared_memory": True, "where": label})
        try:
            return fn(*args, **kwargs)
        finally:
            _probe_stack.pop()
    return call_without_shared_memory(label, fn, args, kwargs)


def call_refilled(fn, args, kwargs, refill: dict):
    """fn twice with the same tensor objects, refilled in place between the calls (see refilled)."""
    args = list(args)
    for i in refill:  # private copies: the caller's own tensors stay as they are
        args[i] = args[i].detach().clone().requires_grad_(args[i].requires_grad)
    first = fn(*args, **kwargs)
    with torch.no_grad():
        for i, values in refill.items():
            args[i].copy_(values)
    return first, fn(*args, **kwargs)


def refilled(fn, *args, refill: dict, what: str | None = None, **kwargs):
    """Call `fn` twice with the same tensor objects, as a caller that reuses its tensors does (k-means
    updating its centres in place between steps): positional argument i is a copy of args[i] at the
    first call, refilled in place with refill[i] (the same shape) before the second. Returns both
    results; the test compares the second with the reference on the refilled values, where anything
    kept by `id()` or by the tensor object (a norm, a mask) is stale. The test's tensors are left as
    they are. In the checker the copies, both calls and the refill run in the student's kernel
    (probe spec "refilled"), where the objects are the same at both calls."""
    label = what or getattr(fn, "__name__", "the function")
    for i, values in refill.items():
        if not isinstance(args[i], torch.Tensor) or tuple(values.shape) != tuple(args[i].shape):
            raise ValueError(f"refilled({label}): argument {i} must be a tensor of the refill's shape")
    if REMOTE:
        _probe_stack.append({"refilled": [[i, v] for i, v in refill.items()], "where": label})
        try:
            return tuple(fn(*args, **kwargs))
        finally:
            _probe_stack.pop()
    return call_refilled(fn, args, kwargs, refill)


def on_meta(fn, *args, what: str | None = None, generators_on_device: bool = False, **kwargs):
    """Call `fn` with every tensor argument moved to the `meta` device; every tensor it returns must
    be on `meta` too (a stand-in for CUDA: outputs made with torch.zeros(n) land on the CPU).
    The meta tensors carry values (coursekit.valued_meta), so code that needs them (`.item()`, a
    boolean mask, `bincount`, `.cpu().numpy()` for SciPy) runs as on a GPU; a device mix-up (a CPU
    tensor meeting a meta one, a CPU generator for a meta draw, NumPy on a meta tensor) fails with a
    message. With `generators_on_device`, the torch.Generators among the arguments stand on the
    device too (as `torch.Generator(device="cuda")` does): a draw moved to the CPU then fails.
    In the checker the conversion and the mode run in the student's kernel, around each call of the
    student's code (probe spec "on_meta")."""
    label = what or f"{getattr(fn, '__name__', 'the function')}"
    try:
        if REMOTE:
            _probe_stack.append({"on_meta": True, "generators": generators_on_device})
            try:
                out = fn(*args, **kwargs)
            finally:
                _probe_stack.pop()
        else:
            mode = ValuedMeta(generators=generators_on_device)
            args, kwargs = mode.lift((args, kwargs))
            with mode:
                out = fn(*args, **kwargs)
    except (RuntimeError, NotImplementedError, TypeError) as e:
        text = str(e)
        if "meta" not in text.lower() and "device" not in text.lower():
            raise
        raise AssertionError(f"{label} failed for inputs on another device ('meta', a stand-in for a GPU): "
                             f"{text.splitlines()[0][:200]}. Make new tensors on the input's device "
                             f"(device=x.device, torch.zeros_like(x)) and stay in torch (no NumPy)") from None
    for t in _tensors(out if isinstance(out, (list, tuple, dict)) else [out]):
        if t.device.type != "meta":
            raise AssertionError(f"{label} returned a tensor on {t.device} for inputs on another device: create new "
                                 f"tensors on the input's device (torch.zeros(..., device=x.device) or torch.zeros_like(x))")
    return out


def check_backward(fn, reference, *inputs, seed: int = 0, rtol: float | None = None, atol: float | None = None,
                   what: str | None = None):
    """Gradients of a random projection of fn(*inputs) w.r.t. the float inputs equal the reference's."""
    label = what or getattr(fn, "__name__", "the function")
    mine = [x.detach().clone().requires_grad_(True) if isinstance(x, torch.Tensor) and x.is_floating_point() else x
            for x in inputs]
    ref = [x.detach().clone().requires_grad_(True) if isinstance(x, torch.Tensor) and x.is_floating_point() else x
           for x in inputs]
    out, expected = fn(*mine), reference(*ref)
    outs, exps = _tensors([out]), _tensors([expected])
    if len(outs) != len(exps):
        raise AssertionError(f"{label}: expected {len(exps)} tensor output(s), got {len(outs)}")
    g = torch.Generator().manual_seed(seed)
    weights = [torch.randn(e.shape, generator=g, dtype=e.dtype) for e in exps]
    loss_mine = sum((o * w).sum() for o, w in zip(outs, weights) if o.requires_grad)
    if not isinstance(loss_mine, torch.Tensor):
        raise AssertionError(f"{label}: the output does not require grad: no gradient can flow back "
                             f"(do not detach, use .item() or go through numpy inside)")
    loss_ref = sum((e * w).sum() for e, w in zip(exps, weights))
    mine_t = [x for x in mine if isinstance(x, torch.Tensor) and x.requires_grad]
    ref_t = [x for x in ref if isinstance(x, torch.Tensor) and x.requires_grad]
    grads_mine = torch.autograd.grad(loss_mine, mine_t, allow_unused=True)
    grads_ref = torch.autograd.grad(loss_ref, ref_t, allow_unused=True)
    for i, (gm, gr) in enumerate(zip(grads_mine, grads_ref)):
        gr = torch.zeros_like(ref_t[i]) if gr is None else gr
        if gm is None:
            raise AssertionError(f"{label}: no gradient reaches input {i} (is it detached somewhere?)")
        assert_close(gm, gr, rtol=rtol, atol=atol, what=f"gradient of {label} w.r.t. input {i}")


class Partial(float):
    """A partial score returned by a test cell (the cell's last expression): a fraction in [0, 1]."""


def partial_credit(fraction: float) -> Partial:
    """End a graded cell with `partial_credit(k / n)` to award that fraction of its points.
    Only a value made here counts: a number the student's code returns never does."""
    fraction = float(fraction)
    if not (0.0 <= fraction <= 1.0):
        raise ValueError(f"partial_credit takes a fraction in [0, 1], got {fraction}")
    return Partial(fraction)
