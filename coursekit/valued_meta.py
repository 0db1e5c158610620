"""Meta tensors that have values: a second device on a CPU-only machine, for device tests.

A test asks "does this function keep its tensors on the input's device?" by giving it inputs on
another device. The machines that grade have no GPU, so `coursekit.testing.on_meta` uses the
`meta` device: any tensor made on the CPU by mistake (`torch.zeros(n)` instead of
`torch.zeros(n, device=x.device)`) then meets a meta tensor and fails as it would on CUDA. Plain
meta tensors have no values, though, and code that needs them (`.item()`, a boolean mask,
`torch.bincount`, a loop that stops when every sequence is done, `.cpu().numpy()` for SciPy) cannot
run on them, so such code got no verdict.

`ValuedMeta` is a TorchDispatchMode that keeps, for every meta storage, a CPU twin holding its
bytes. Every operator on meta tensors runs on the twins (so values, views and in-place updates
are real), and its outputs are meta tensors over twin storages again. What the mode enforces is
what CUDA does: tensors of one operator on one device, except 0-dim CPU inputs (Python-number
like; never what an operator writes into) and CPU index tensors in indexing; `.to(...)`/`.copy_`
cross devices; a random operator that makes meta tensors refuses a CPU generator, and with no generator
draws from the device's own (`device_generator()`: a stream of its own, as CUDA's is); `.numpy()` of a
meta tensor fails (torch itself refuses it). A meta tensor made outside the mode (`model.to("meta")`
before the test) reads as zeros, and so does an empty tensor made on meta. `torch.tensor(data,
device=...)` and its kin make their tensor below the dispatcher, so a companion TorchFunctionMode
(`_FromData`) builds those on the CPU and moves them.
"""
from __future__ import annotations

import types

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_flatten, tree_map

aten = torch.ops.aten
CPU = torch.device("cpu")

# Operators that move data between devices (the only ones that may mix them freely).
CROSSING = {aten._to_copy.default, aten.copy_.default}
# Uninitialised memory reads as zeros, so a run is the same every time.
EMPTY = {aten.empty.memory_format, aten.empty_strided.default, aten.empty_like.default, aten.new_empty.default,
         aten.new_empty_strided.default}
# fill_ reads a 0-dim value tensor from any device (with .item()): the one operator that may write a
# meta value into a CPU tensor. Every other operator writes only into tensors on its own device.
FILLS = {aten.fill_.Tensor}
# Indexing takes CPU index tensors on any device (CUDA moves them over).
INDEXING = {aten.index.Tensor, aten.index_put.default, aten.index_put_.default, aten._index_put_impl_.default}


# The stand-in device's default generator. On a GPU, torch.manual_seed(s) seeds the CPU's generator
# and the GPU's, and a draw on the GPU with no generator gives other numbers than the same draw on the
# CPU: so a "drawn on the CPU, then moved" contract can be tested here too. torch.manual_seed seeds a
# custom device through torch.<privateuse1 backend name>.manual_seed_all (torch.random._seed_custom_device):
# a module with just that registers the stand-in device for seeding, and nothing else.
_device_generator = torch.Generator()


def _seed_device(seed: int) -> None:
    _device_generator.manual_seed((int(seed) ^ 0x5EED_DE7) % 2**63)   # from the seed, not with it: another stream


def _register_seeding() -> None:
    name = torch._C._get_privateuse1_backend_name()
    if hasattr(torch, name):   # a real custom backend: its seeding stays; the device's stream just goes on
        return
    seeding = types.ModuleType(f"coursekit.valued_meta.{name}")
    seeding._is_in_bad_fork = lambda: False
    seeding.manual_seed_all = _seed_device
    torch._register_device_module(name, seeding)


_seed_device(torch.initial_seed())
_register_seeding()


def device_generator() -> torch.Generator:
    """The generator a random operator on the stand-in device draws from when given none."""
    return _device_generator


def device_rng_state() -> torch.Tensor:
    """The state of the stand-in device's generator (what it has drawn since it was seeded)."""
    return _device_generator.get_state()


def _is_meta(device) -> bool:
    return device is not None and torch.device(device).type == "meta"


def _written(func, args, kwargs) -> list:
    """The tensors an operator writes into (in place, or out=), as its schema says."""
    written = []
    for i, arg in enumerate(func._schema.arguments):
        if arg.alias_info is not None and arg.alias_info.is_write:
            value = args[i] if i < len(args) else kwargs.get(arg.name)
            written += [t for t in tree_flatten(value)[0] if isinstance(t, torch.Tensor)]
    return written


class _FromData(TorchFunctionMode):
    """`torch.tensor([...], device=x.device)` and its kin build from Python data below the
    dispatcher, so no operator runs and ValuedMeta would never see the values: make them on the
    CPU, then move them (an operator ValuedMeta sees)."""

    FUNCTIONS = {torch.tensor, torch.as_tensor, torch.asarray, torch.Tensor.new_tensor}

    def __torch_function__(self, func, types_, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func is torch.Tensor.type and args and isinstance(args[0], torch.Tensor) and args[0].device.type == "meta":
            # `y.type(x.type())` works on CUDA ("torch.cuda.DoubleTensor"), but torch knows no meta tensor types
            name = args[1] if len(args) > 1 else kwargs.get("dtype")
            if isinstance(name, str) and name.startswith("torch.meta."):
                legacy = getattr(torch, name[len("torch.meta."):], None)
                if isinstance(getattr(legacy, "dtype", None), torch.dtype):
                    return args[0].to(legacy.dtype)
        if func in self.FUNCTIONS:
            self_tensor = args[0] if func is torch.Tensor.new_tensor else None
            data = args[1] if self_tensor is not None else (args[0] if args else kwargs.get("data"))
            device = kwargs.get("device", self_tensor.device if self_tensor is not None else None)
            if _is_meta(device) and not isinstance(data, torch.Tensor):
                grad = kwargs.pop("requires_grad", False)
                kwargs["device"] = CPU
                if self_tensor is not None:
                    kwargs.setdefault("dtype", self_tensor.dtype)
                    out = torch.tensor(data, **kwargs)
                else:
                    out = func(*args, **kwargs)
                return out.to("meta").requires_grad_(grad)
        return func(*args, **kwargs)


class ValuedMeta(TorchDispatchMode):
    """Run a block with meta tensors that carry values: `with ValuedMeta() as vm: f(*vm.lift(args))`."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False

    def __init__(self, generators: bool = False):
        super().__init__()
        self._generators = generators       # lift() puts the torch.Generators it is given on the device too
        # generators standing on the device, by _cdata: the dispatcher hands a mode a new Python object
        # for the same generator
        self._on_device: dict[int, torch.Generator] = {}
        self._from_data = _FromData()
        self._twins: dict[int, tuple] = {}   # meta storage _cdata -> (meta storage, CPU storage)
        self._meta_of: dict[int, object] = {}  # CPU storage _cdata -> its meta storage

    def __enter__(self):
        self._from_data.__enter__()
        return super().__enter__()

    def __exit__(self, *exc):
        try:
            return super().__exit__(*exc)
        finally:
            self._from_data.__exit__(*exc)

    # ---- moving values in and out ------------------------------------------------------------
    def lift(self, tree):
        """Every CPU tensor in `tree` (lists, tuples, dicts) as a meta tensor with its values; with
        `generators`, every torch.Generator as one on the device (the same object: its state is real)."""
        def one(t):
            if isinstance(t, torch.Generator) and self._generators:
                self._on_device[t._cdata] = t
                return t
            if not isinstance(t, torch.Tensor) or t.device.type != "cpu":
                return t
            with torch.utils._python_dispatch._disable_current_modes(), torch.no_grad():
                out = self._wrap(t.detach().clone())
            return out.requires_grad_(t.requires_grad) if t.requires_grad else out
        return tree_map(one, tree)

    def _value(self, meta: torch.Tensor) -> torch.Tensor:
        """The CPU tensor holding a meta tensor's values (same size, stride and offset)."""
        storage = meta.untyped_storage()
        entry = self._twins.get(storage._cdata)
        if entry is None:  # made outside the mode: no values were ever given, so zeros
            twin = torch.zeros(storage.nbytes(), dtype=torch.uint8).untyped_storage()
            entry = self._twins[storage._cdata] = (storage, twin)
            self._meta_of[twin._cdata] = storage
        return torch.empty(0, dtype=meta.dtype).set_(entry[1], meta.storage_offset(), meta.size(), meta.stride())

    def _wrap(self, cpu: torch.Tensor) -> torch.Tensor:
        """A meta tensor whose values are `cpu`'s; tensors sharing a CPU storage share a meta one."""
        twin = cpu.untyped_storage()
        storage = self._meta_of.get(twin._cdata)
        if storage is None:
            storage = torch.empty(twin.nbytes(), dtype=torch.uint8, device="meta").untyped_storage()
            self._twins[storage._cdata] = (storage, twin)
            self._meta_of[twin._cdata] = storage
        return torch.empty(0, dtype=cpu.dtype, device="meta").set_(storage, cpu.storage_offset(), cpu.size(),
                                                                   cpu.stride())

    # ---- the device rules -------------------------------------------------------------------
    def _check(self, func, args, kwargs, tensors) -> None:
        if func in CROSSING or func in FILLS:  # fill_'s value is 0-dim (PyTorch checks), read as a number
            return
        indices = set()
        if func in INDEXING and len(args) > 1:
            indices = {id(t) for t in tree_flatten(args[1])[0] if isinstance(t, torch.Tensor)}
        for t in tensors:
            if t.device.type != "meta" and t.dim() > 0 and id(t) not in indices:
                raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two "
                                   f"devices, meta and {t.device}! (in {func})")
        for t in _written(func, args, kwargs):
            if t.device.type != "meta":
                # CUDA takes a 0-dim CPU tensor as a number only as an input, never as the output
                raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two "
                                   f"devices, meta and {t.device}! (in {func}, writing into a {t.device} tensor)")
        generator = kwargs.get("generator")
        if generator is not None and generator.device.type != "meta" and generator._cdata not in self._on_device:
            raise RuntimeError(f"Expected a 'meta' device type for generator but found '{generator.device.type}' "
                               f"(in {func}: a generator draws on its own device)")

    def __torch_dispatch__(self, func, types_, args=(), kwargs=None):
        kwargs = kwargs or {}
        flat, _ = tree_flatten((args, kwargs))
        tensors = [t for t in flat if isinstance(t, torch.Tensor)]
        if not (_is_meta(kwargs.get("device")) or any(t.device.type == "meta" for t in tensors)):
            if getattr(kwargs.get("generator"), "_cdata", None) in self._on_device:   # as CUDA refuses a draw on the CPU with a GPU's generator
                raise RuntimeError(f"Expected a 'cpu' device type for generator but found 'meta' (in {func}: the "
                                   f"generator is on the device, the draw on the CPU)")
            return func(*args, **kwargs)  # nothing on the stand-in device: an ordinary CPU operator
        # Under inference mode `x.to(...)` reaches the mode whole (aten.to.device, its device an
        # argument): run its decomposition, whose parts (aten._to_copy) come back through this mode.
        if func.overloadpacket is aten.to:
            return self._to(func, args, kwargs)
        self._check(func, args, kwargs, tensors)
        # Twins and meta wrappers are made outside inference mode: under it, `set_` on a fresh tensor
        # fails ("Cannot set version_counter for inference tensor"), and a detect() written under
        # torch.inference_mode() is as valid as one under torch.no_grad().
        with torch.inference_mode(False):
            return self._run(func, args, kwargs, flat)

    @staticmethod
    def _draw(func, args, kwargs):
        """A random operator with no generator (randperm, dropout's mask) draws from the device's own:
        the CPU generator lends its place for the call (not every operator takes a generator)."""
        generator, cpu_state = device_generator(), torch.get_rng_state()
        torch.set_rng_state(generator.get_state())
        try:
            return func(*args, **kwargs)
        finally:
            generator.set_state(torch.get_rng_state())
            torch.set_rng_state(cpu_state)

    def _to(self, func, args, kwargs):
        """aten.to's overloads as ATen writes them: the tensor itself when nothing changes, else a _to_copy."""
        kw = {**dict(zip([a.name for a in func._schema.arguments], args)), **kwargs}
        x, other = kw["self"], kw.get("other")
        dtype = other.dtype if other is not None else kw.get("dtype") or x.dtype
        device = other.device if other is not None else torch.device(kw.get("device") or x.device)
        if dtype == x.dtype and device == x.device and not kw.get("copy"):
            return x
        with self:
            return aten._to_copy.default(x, dtype=dtype, device=device, memory_format=kw.get("memory_format"))

    def _run(self, func, args, kwargs, flat):
        cpu_args, cpu_kwargs = tree_map(
            lambda a: self._value(a) if isinstance(a, torch.Tensor) and a.device.type == "meta" else a, (args, kwargs))
        if _is_meta(cpu_kwargs.get("device")):
            cpu_kwargs["device"] = CPU
        if torch.Tag.nondeterministic_seeded in func.tags and cpu_kwargs.get("generator") is None:
            out = self._draw(func, cpu_args, cpu_kwargs)
        else:
            out = func(*cpu_args, **cpu_kwargs)
        if func in EMPTY:
            out.zero_()
        if func is aten._to_copy.default and "device" in kwargs and not _is_meta(kwargs["device"]):
            return out  # .cpu() / .to("cpu"): a real CPU tensor with the values
        # An operator that returns one of its arguments (in place, out=) returns that same tensor.
        same = {id(c): a for c, a in zip(tree_flatten((cpu_args, cpu_kwargs))[0], flat) if isinstance(c, torch.Tensor)}
        return tree_map(lambda o: (same[id(o)] if id(o) in same else self._wrap(o))
                        if isinstance(o, torch.Tensor) else o, out)
