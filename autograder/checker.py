"""The grading checker: runs a notebook's graded test cells in a process that never runs student code.

    python -m autograder.checker SOCKET        # started by the grader (bridge.py), sandboxed

The grader sends {"kind": "run", "source": ...} for each graded test cell, in notebook order, and
relays every other frame between this process and the student's kernel (coursekit/probe.py). A
cell runs here with plain `exec` in a namespace whose missing names are looked up in the
student's kernel: data the student's notebook defines arrives as a copy (coursekit.wire), anything
else (a function, a class, a model) as a `StudentHandle` that forwards calls, attributes, items
and iteration. What the checker passes along (tensors, a model or an optimizer the test built)
travels pickled, and what the call changed in it comes back and is applied here, so in-place
updates look as they would in one kernel. A tensor the student returns with an autograd graph is
tied to that graph by `_RemoteGraph`, so `out.sum().backward()` here runs the student's backward
there and fills `.grad` here. The reply to the grader is {"kind": "done", "status", "ename",
"evalue", "traceback", "stdout", "partial"}: only a `coursekit.testing.Partial` made by the test
counts as partial credit.

Names the test cells assign stay the checker's for the rest of the notebook (a student who
later binds the same name, e.g. a no-op `assert_close`, reaches nothing), and so do the usual
module names (TRUSTED_NAMES); every other name is looked up in the student's kernel.
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import importlib
import io
import random
import socket
import sys
import traceback
import types

import numpy as np
import torch

import coursekit.testing as testing
from coursekit import wire
from coursekit.probe import argument_tensors, graph_inputs, mutable_leaves

CELL_FILENAME = "<test cell>"
MAX_STDOUT = 64 * 1024


class StudentError(RuntimeError):
    """An exception raised by the student's code whose type is not a Python builtin."""


def _plain(value, depth: int = 0) -> bool:
    """Numbers, strings, None, and short tuples and lists of them: data a test's function may carry."""
    if value is None or type(value) in (bool, int, float, str):
        return True
    return type(value) in (tuple, list) and depth < 2 and len(value) <= 64 and all(_plain(v, depth + 1) for v in value)


def _student_exception(error: dict) -> BaseException:
    kind = error.get("type") if isinstance(error, dict) else None
    message = str(error.get("message", "")) if isinstance(error, dict) else "the student's kernel failed"
    where = str(error.get("traceback", "")) if isinstance(error, dict) else ""
    unanswered = kind == "NotImplementedError" and not message
    if unanswered:
        message = "not answered yet: replace `raise NotImplementedError()` with your code"
    text = message + (f"\n(raised in your code:\n{where[-1500:]})" if where else "")
    if kind == "OffLimits":
        return testing.OffLimits(message)
    cls = getattr(builtins, kind, None) if isinstance(kind, str) else None
    args = error.get("args") if isinstance(error, dict) else None
    if (isinstance(cls, type) and issubclass(cls, Exception) and cls is not StopIteration and not unanswered
            and isinstance(args, list) and all(a is None or type(a) in (bool, int, float, str) for a in args)):
        # The same args as in one kernel, so str(e) and e.args match there (str(KeyError("b")) is
        # "'b'"); where it was raised goes in a note, which the cell's traceback shows.
        try:
            exc = cls(*args)
            if where:
                exc.add_note(f"(raised in your code:\n{where[-1500:]})")
            return exc
        except Exception:  # noqa: BLE001 (exceptions with other signatures)
            pass
    if isinstance(cls, type) and issubclass(cls, Exception) and cls not in (StopIteration,):
        try:
            return cls(text)
        except Exception:  # noqa: BLE001 (exceptions with other signatures)
            pass
    return StudentError(f"{kind}: {text}")


def _without_suggestions(exc: BaseException) -> None:
    """Python's traceback module (3.12+) ends a NameError's or AttributeError's last line with
    "Did you mean: 'x'?", x picked from the failing frame's names: here the test cells' namespace,
    which holds the hidden tests' own names (a student who renames `mean_square` would be shown a
    hidden `mean_squares`). No suggestion is made for an exception whose `name` is None."""
    todo, seen = [exc], set()
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, (NameError, AttributeError)):
            try:
                e.name = None
            except (AttributeError, TypeError):
                pass
        todo += [e.__cause__, e.__context__, *getattr(e, "exceptions", ())]


class StudentHandle:
    """An object that lives in the student's kernel (see the module docstring)."""
    _is_student_handle = True
    __slots__ = ("_session", "_id", "_info", "__weakref__")

    def __init__(self, session, hid: int, info: dict):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_id", hid)
        object.__setattr__(self, "_info", info)

    def __call__(self, *args, **kwargs):
        return self._session.call(self, args, kwargs)

    def __getattr__(self, name):
        if name in ("__name__", "__qualname__") and self._info.get("name"):
            return self._info["name"]  # messages name the student's function
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._session.op("getattr", self, name)

    def __setattr__(self, name, value):
        self._session.op("setattr", self, name, value)

    def __getitem__(self, key):
        return self._session.op("getitem", self, key)

    def __setitem__(self, key, value):
        self._session.op("setitem", self, key, value)

    def __delitem__(self, key):
        self._session.op("delitem", self, key)

    def __len__(self):
        n = self._session.op("len", self)
        if type(n) is not int or n < 0:
            raise TypeError("len() of the student's object is not a non-negative int")
        return n

    def __iter__(self):
        return _StudentIterator(self._session, self._session.op("iter", self))

    def __next__(self):  # next(it) on an iterator the student's code returned, as in one kernel
        return self._session.next(self)

    def __contains__(self, item):
        return bool(self._session.op("contains", self, item) is True)

    def __bool__(self):
        return self._session.op("bool", self) is True

    def __repr__(self):
        text = self._session.op("repr", self)
        return f"<student's {self._info.get('type', 'object')}: {str(text)[:200]}>"

    @property
    def __class__(self):
        # isinstance(handle, nn.Module) works for a student's module: the first class of its
        # type's MRO that the checker can import from a library stands in for it.
        # The names are the student's to choose (a class can call itself torch.Tensor), so a data
        # type never stands in: real tensors, arrays and numbers always cross as data, and a handle
        # claiming to be one is lying. Only a class defined under the name claimed counts (torch
        # re-exports builtins: `torch.types._bool` is `bool`, a module's `OrderedDict` is a dict),
        # and only from a module this process has already imported (importing is running code).
        for qualname in self._info.get("mro", []):
            module, _, name = qualname.rpartition(".")
            if module and not module.startswith("__") and module.split(".")[0] in ("torch", "torchvision", "numpy"):
                cls = getattr(sys.modules.get(module), name, None)
                if (isinstance(cls, type) and cls.__module__ == module and cls.__qualname__ == name
                        and not issubclass(cls, _DATA_TYPES)):
                    return cls
        return StudentHandle


# What always crosses as data: a handle claiming one of these (or a subclass) is lying.
_DATA_TYPES = (torch.Tensor, np.ndarray, np.generic, torch.Size, torch.dtype, torch.device,
               bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset, slice)


class _StudentIterator:
    def __init__(self, session, handle):
        self.session, self.handle = session, handle

    def __iter__(self):
        return self

    def __next__(self):
        return self.session.next(self.handle)


# torch.autograd.grad(...) here must not fill the .grad of the student's parameters there, as
# in one kernel (only .backward() accumulates); the student's side is told which one runs.
_grad_calls = []
_autograd_grad = torch.autograd.grad


@functools.wraps(_autograd_grad)
def _grad_without_accumulating(*args, **kwargs):
    _grad_calls.append(True)
    try:
        return _autograd_grad(*args, **kwargs)
    finally:
        _grad_calls.pop()


class _RemoteGraph(torch.autograd.Function):
    """Ties tensors the student returned to the student's autograd graph (see the module docstring)."""

    @staticmethod
    def forward(ctx, session, gid, values, *inputs):
        ctx.session, ctx.gid = session, gid
        ctx.shapes = [(x.shape, x.dtype) for x in inputs]
        ctx.set_materialize_grads(False)
        return tuple(v.detach().clone() for v in values)

    @staticmethod
    def backward(ctx, *grads):
        result = ctx.session.backward(ctx.gid, list(grads), ctx.shapes)
        return (None, None, None, *result)


# Modules every test cell finds under their usual names, whatever the student's notebook binds
# to those names (a student's `np = FakeNumpy()` must not reach a test's np.testing).
TRUSTED_NAMES = {"torch": "torch", "nn": "torch.nn", "F": "torch.nn.functional", "np": "numpy",
                 "numpy": "numpy", "math": "math", "random": "random", "coursekit": "coursekit",
                 "testing": "coursekit.testing"}


class CheckerNamespace(dict):
    """The test cells' globals. A name the test cells assign, or a trusted module name, is the
    checker's for the rest of the notebook; any other name is looked up in the student's kernel."""

    def __init__(self, session):
        super().__init__({"__name__": "__checker__", "__builtins__": builtins})
        self.update({name: importlib.import_module(module) for name, module in TRUSTED_NAMES.items()})
        self.session = session

    def __missing__(self, name):
        if hasattr(builtins, name):
            raise KeyError(name)  # Python then looks in builtins
        return self.session.resolve(name)


class Session:
    def __init__(self, sock: socket.socket):
        self.channel = wire.Channel(sock, self.handle_callback)
        self.reset()

    # ---------------------------------------------------------------- per submission, per cell

    def reset(self) -> None:
        """A new submission: nothing of the last one survives (names, handles, seeds, modes)."""
        self.ns = CheckerNamespace(self)
        self.cache: dict[str, object] = {}
        self.handles: dict[int, StudentHandle] = {}
        self.iterating: dict[int, list] = {}   # handle id of an iterator a call returned -> that call's arguments
        self.callbacks: list = []
        self.callback_errors: list[BaseException] = []
        testing._probe_stack.clear()
        testing._pending_seed.clear()
        torch.manual_seed(0)
        np.random.seed(0)
        random.seed(0)
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)

    def run_cell(self, source: str) -> dict:
        self.cache.clear()
        self.callback_errors.clear()
        testing._pending_seed.clear()
        # Each graded cell starts with autograd on: a grad mode a student's call left off lasts for
        # the rest of its cell only, so one exercise's wrong answer cannot fail another's tests
        # (the student's own kernel gets its mode back after every call too).
        torch.set_grad_enabled(True)
        out = io.StringIO()
        result = {"status": "ok", "partial": None}
        try:
            tree = ast.parse(source, CELL_FILENAME)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = ast.Expression(tree.body.pop().value)
            with contextlib.redirect_stdout(out):
                exec(compile(tree, CELL_FILENAME, "exec"), self.ns)
                value = eval(compile(last, CELL_FILENAME, "eval"), self.ns) if last is not None else None
            if self.callback_errors:  # the student's code swallowed a failing check of the test's
                raise self.callback_errors[0]
            if isinstance(value, testing.Partial):
                result["partial"] = float(value)
        except BaseException as exc:  # noqa: BLE001 (every failure of a test cell is a result)
            _without_suggestions(exc)
            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            keep = [lines[0]] + [l for l in lines[1:] if CELL_FILENAME in l or not l.startswith("  File")]
            # every line capped: the last one holds the whole message, which may quote a value of
            # the student's (`f"got {add(1, 2)}"` with a 40 MB string) into the graded notebook
            result.update(status="error", ename=type(exc).__name__, evalue=str(exc)[:4000],
                          traceback=[l.rstrip("\n")[:4000] for l in keep][-40:])
        result["stdout"] = out.getvalue()[:MAX_STDOUT]
        # a manual_seed no call took seeds the student's generator as the cell ends, as in one kernel
        # (not at the first call of a later cell, after the student's own cells have drawn from it)
        result["seed"] = testing._pending_seed.pop() if testing._pending_seed else None
        return result

    # ---------------------------------------------------------------- requests to the student

    def persistent_id(self, obj):
        if type(obj) is StudentHandle:
            return ("h", obj._id)
        if isinstance(obj, types.ModuleType):
            return ("mod", obj.__name__)
        if isinstance(obj, (types.FunctionType, types.MethodType)):
            func = getattr(obj, "__func__", obj)
            if getattr(func, "__module__", None) == "__checker__":
                return self._callback(obj)
            return None
        if type(obj).__module__ == "__checker__" and not isinstance(obj, type):
            if callable(obj):
                return self._callback(obj)
            raise TypeError(f"objects of {type(obj).__qualname__}, a class a test cell defines, cannot be "
                            f"passed to the student's code (build it from library classes)")
        return None

    def _callback(self, fn):
        self.callbacks.append(fn)
        # its plain data attributes travel with it (`model.block_size = 8` on a test's function),
        # so the student's `getattr(model, "block_size", None)` reads them as in one kernel
        func = getattr(fn, "__func__", fn)   # a bound method's attributes are its function's
        attrs = {k: v for k, v in getattr(func, "__dict__", {}).items() if not k.startswith("_") and _plain(v)}
        return ("cb", (len(self.callbacks) - 1, attrs))

    def request(self, payload) -> tuple[dict, list[bytes]]:
        data = wire.dumps_trusted(payload, self.persistent_id)
        header, buffers = self.channel.request({}, [data])
        if header.get("ok") is not True:
            if self.callback_errors:  # the test's own function failed inside the student's call: its message wins
                raise self.callback_errors[0]
            raise _student_exception(header.get("error") or {"type": "StudentKernelError",
                                                             "message": "no answer from the student's kernel"})
        return header, buffers

    def decode(self, value, buffers, leaves=()):
        graph_tensors: list = []
        session = self

        class _Decoder(wire.Decoder):
            def tensor(self, obj):
                t = super().tensor(obj)
                if "graph_index" in obj:
                    graph_tensors.append((obj["graph_index"], t))
                return t

        def special(tag):
            kind = tag["$t"]
            if kind == "handle":
                return session._handle(tag)
            if kind == "arg":
                k = tag.get("k")
                if type(k) is not int or not 0 <= k < len(leaves):
                    raise wire.ProtocolError("reference to an argument that was not sent")
                return leaves[k]
            if kind == "target":  # a tensor the checker sent, a sent module's parameter, or their .grad
                k, targets = tag.get("k"), argument_tensors(leaves)
                if type(k) is not int or not 0 <= k < len(targets) or not isinstance(targets[k], torch.Tensor):
                    raise wire.ProtocolError("reference to a tensor that was not sent")
                return targets[k]
            if kind == "view":  # a view of a tensor the checker sent: the same view of its own tensor
                k, size, stride, offset = tag.get("k"), tag.get("size"), tag.get("stride"), tag.get("offset")
                tensors = argument_tensors(leaves)  # its k counts these (see coursekit/probe.py)
                if (type(k) is not int or not 0 <= k < len(tensors) or not isinstance(tensors[k], torch.Tensor)
                        or not isinstance(size, list) or not isinstance(stride, list) or len(size) != len(stride)
                        or not all(type(v) is int and v >= 0 for v in [*size, *stride, offset])):
                    raise wire.ProtocolError("a view of an argument that was not sent")
                base = tensors[k] if tag.get("requires_grad") is True else tensors[k].detach()
                last = offset + sum((n - 1) * st for n, st in zip(size, stride)) if all(size) else offset
                if last >= base.untyped_storage().nbytes() // base.element_size():
                    raise wire.ProtocolError("a view that reaches past its argument's memory")
                if tag.get("leaf") is True and (base.is_floating_point() or base.is_complex()):  # `x.detach().requires_grad_()`: a leaf that shares x's memory
                    return torch.as_strided(tensors[k].detach(), size, stride, offset).requires_grad_(True)
                return torch.as_strided(base, size, stride, offset)
            if kind == "callback":
                k = tag.get("id")
                if type(k) is not int or not 0 <= k < len(session.callbacks):
                    raise wire.ProtocolError("reference to a function that was not sent")
                return session.callbacks[k]
            if kind == "module":  # only a module this process has already imported: importing is running code
                name = tag.get("name")
                if not isinstance(name, str) or name not in sys.modules or name.startswith("__"):
                    raise wire.ProtocolError(f"module {str(name)[:60]!r} is not one the tests use")
                return sys.modules[name]
            return NotImplemented

        decoder = _Decoder(buffers, special)
        return decoder.decode(value), graph_tensors

    def _handle(self, tag) -> StudentHandle:
        hid = tag.get("id")
        if type(hid) is not int:
            raise wire.ProtocolError("bad handle")
        info = {"type": str(tag.get("type", ""))[:200],
                "name": tag.get("name")[:100] if isinstance(tag.get("name"), str) else None,
                "mro": [str(m)[:200] for m in tag.get("mro", [])][:50] if isinstance(tag.get("mro"), list) else []}
        if hid not in self.handles:
            self.handles[hid] = StudentHandle(self, hid, info)
        return self.handles[hid]

    def op(self, name, *args):
        header, buffers = self.request((name, *args))
        value, _ = self.decode(header.get("value"), buffers)
        return value

    def next(self, handle):
        leaves = self.iterating.get(handle._id, [])
        header, buffers = self.request(("next", handle, testing.active_probes(), torch.is_grad_enabled()))
        self.apply_sync(header.get("sync", []), buffers, leaves)
        self._keep_grad_mode(header)
        if header.get("stop"):
            raise StopIteration
        value, graph_tensors = self.decode(header.get("value"), buffers, leaves)
        if self.callback_errors:
            raise self.callback_errors[0]
        return value

    def resolve(self, name: str):
        if name in self.cache:
            return self.cache[name]
        header, buffers = self.request(("resolve", name))
        if header.get("missing"):
            raise KeyError(name)
        value, _ = self.decode(header.get("value"), buffers)
        self.cache[name] = value
        return value

    def call(self, handle: StudentHandle, args: tuple, kwargs: dict):
        leaves = mutable_leaves((args, kwargs), set())
        inputs = graph_inputs(leaves)
        header, buffers = self.request(("call", handle, args, kwargs, testing.active_probes(), torch.is_grad_enabled()))
        self.apply_sync(header.get("sync", []), buffers, leaves)
        self._keep_grad_mode(header)
        value, graph_tensors = self.decode(header.get("value"), buffers, leaves)
        graph = header.get("graph")
        if graph_tensors and isinstance(graph, dict):
            value = self._attach_graph(value, graph_tensors, graph, inputs)
        if type(value) is StudentHandle:  # maybe a lazy function's iterator: its `next`s sync these
            self.iterating[value._id] = leaves
        if self.callback_errors:
            raise self.callback_errors[0]
        return value

    def _attach_graph(self, value, graph_tensors, graph, inputs):
        gid, n = graph.get("id"), graph.get("n")
        order = sorted(graph_tensors, key=lambda p: p[0])
        if [i for i, _ in order] != list(range(n if type(n) is int else -1)):
            raise wire.ProtocolError("graph outputs do not match")
        anchor = inputs or [torch.zeros((), requires_grad=True)]  # a node even when no input of ours needs grad
        # The student's code recorded a graph under the grad mode it chose (`torch.enable_grad()` inside a
        # caller's `no_grad`): so does its mirror here, as in one kernel.
        with torch.enable_grad():
            outs = _RemoteGraph.apply(self, gid, [t for _, t in order], *anchor)
        swap = {id(t): o for (_, t), o in zip(order, outs)}
        return _replace(value, swap)

    def backward(self, gid, grads, shapes):
        header, buffers = self.request(("backward", gid, [None if g is None else g.detach() for g in grads],
                                        not _grad_calls))
        result, _ = self.decode(header.get("value"), buffers)
        if not isinstance(result, list):
            raise wire.ProtocolError("backward did not return a list of gradients")
        if len(shapes) == 1 and not result:  # the anchor of a graph with no input of ours
            return [None]
        if len(result) != len(shapes):
            raise wire.ProtocolError("backward returned the wrong number of gradients")
        out = []
        for g, (shape, dtype) in zip(result, shapes):
            if g is not None and (not isinstance(g, torch.Tensor) or g.shape != shape):
                raise wire.ProtocolError("a gradient has the wrong shape")
            out.append(None if g is None else g.to(dtype))
        return out

    @staticmethod
    def _keep_grad_mode(header: dict) -> None:
        """Autograd's switch as the student's code left it: `torch.set_grad_enabled(False)` in a
        student function turns it off for the rest of the test cell, as in one kernel."""
        if type(header.get("grad")) is bool:
            torch.set_grad_enabled(header["grad"])

    def apply_sync(self, records, buffers, leaves) -> None:
        """Apply what the student's call changed in what we sent (see coursekit/probe.py)."""
        if not isinstance(records, list):
            raise wire.ProtocolError("bad sync records")
        for rec in records:
            k = rec.get("k") if isinstance(rec, dict) else None
            if type(k) is not int or not 0 <= k < len(leaves):
                raise wire.ProtocolError("sync record for an argument that was not sent")
            leaf = leaves[k]
            decode = lambda v: self.decode(v, buffers, leaves)[0]  # noqa: E731
            if isinstance(leaf, torch.Tensor):
                if "value" in rec:
                    new = decode(rec["value"])
                    if not isinstance(new, torch.Tensor) or new.dtype != leaf.dtype:
                        raise wire.ProtocolError("a changed tensor came back as something else")
                    if rec.get("rebound") is True:  # new memory, as there: views of the old one keep their values
                        leaf.data = new.clone()
                    else:
                        if new.shape != leaf.shape:
                            leaf.data = new.clone()
                        with torch.no_grad():
                            leaf.copy_(new)  # bumps the version counter, as the in-place change did
                if "grad" in rec:
                    grad = decode(rec["grad"]) if rec["grad"] is not None else None
                    leaf.grad = grad if grad is None or grad.shape == leaf.shape else None
                if "requires_grad" in rec:  # switched on the student's side: here too, as in one kernel
                    if type(rec["requires_grad"]) is not bool:
                        raise wire.ProtocolError("a requires_grad flag came back as something else")
                    if leaf.is_leaf and (leaf.is_floating_point() or leaf.is_complex()):
                        leaf.requires_grad_(rec["requires_grad"])
            elif isinstance(leaf, np.ndarray) and "array" in rec:  # changed in place (`a *= 2`)
                new = decode(rec["array"])
                if not isinstance(new, np.ndarray) or new.shape != leaf.shape or new.dtype != leaf.dtype:
                    raise wire.ProtocolError("a changed array came back as something else")
                leaf[...] = new
            elif type(leaf) is list and "items" in rec:
                leaf[:] = [decode(v) for v in rec["items"]]
            elif type(leaf) is dict and "items" in rec:
                pairs = [(decode(key), decode(v)) for key, v in rec["items"]]
                leaf.clear()
                leaf.update(pairs)
            elif isinstance(leaf, torch.nn.Module) and "module" in rec:
                self._sync_module(leaf, {key: decode(v) for key, v in rec["module"].items()})
            elif isinstance(leaf, torch.optim.Optimizer) and "optimizer" in rec:
                leaf.load_state_dict(decode(rec["optimizer"]))
            elif isinstance(leaf, torch.Generator) and "generator" in rec:
                leaf.set_state(decode(rec["generator"]))

    @staticmethod
    def _sync_module(module, record) -> None:
        state, grads, training = record.get("state", {}), record.get("grads", {}), record.get("training", {})
        requires_grad = record.get("requires_grad", {})
        mine = module.state_dict(keep_vars=True)
        if set(state) != set(mine):
            raise AssertionError(f"the student's code changed the structure of a module the test passed in "
                                 f"(parameters now {sorted(state)[:6]}...); the grader cannot mirror that")
        with torch.no_grad():
            for name, t in mine.items():
                new = state[name]
                if new.shape != t.shape or (new.device.type == "meta") != (t.device.type == "meta"):
                    t.data = new.clone()
                elif t.device.type == "meta":
                    continue  # no values to compare or copy (a module on 'meta' stands in for a GPU)
                elif not torch.equal(t, new.to(t.dtype)):
                    t.copy_(new)
        for name, p in module.named_parameters():
            g = grads.get(name)
            p.grad = g if isinstance(g, torch.Tensor) and g.shape == p.shape else None
        for name, t in mine.items():  # parameters frozen or unfrozen by the student's code, and buffers
            if isinstance(requires_grad.get(name), bool) and t.requires_grad != requires_grad[name]:
                t.requires_grad_(requires_grad[name])
        for name, m in module.named_modules():
            if isinstance(training.get(name), bool):
                m.training = training[name]

    # ---------------------------------------------------------------- callbacks from the student

    def handle_callback(self, header: dict, buffers: list[bytes]):
        cb = header.get("cb")
        if header.get("op") != "callback" or type(cb) is not int or not 0 <= cb < len(self.callbacks):
            return {"ok": False, "error": "unknown request"}, []
        try:
            args, _ = self.decode(header.get("args"), buffers)
            kwargs, _ = self.decode(header.get("kwargs"), buffers)
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise wire.ProtocolError("bad callback arguments")
            # the grad mode of the student's code at the call (torch.no_grad() around a model call shows)
            with torch.set_grad_enabled(header.get("grad") is not False):
                result = self.callbacks[cb](*args, **kwargs)
            arguments = wire.tensors_in([args, kwargs])
            # a view of an argument goes back as that view of the student's argument, as in one kernel
            return {"ok": True}, [wire.dumps_trusted(result, lambda o: (
                isinstance(o, torch.Tensor) and wire.argument_view(o, arguments)) or self.persistent_id(o))]
        except BaseException as exc:  # noqa: BLE001 (reported to the student, and re-raised after the call)
            self.callback_errors.append(exc)
            return {"ok": False, "error": f"{type(exc).__name__} in the test's function"}, []


def _replace(value, swap: dict):
    if isinstance(value, torch.Tensor):
        return swap.get(id(value), value)
    if type(value) in (list, tuple):
        return type(value)(_replace(v, swap) for v in value)
    if type(value) is dict:
        return {k: _replace(v, swap) for k, v in value.items()}
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    testing.REMOTE = True
    torch.autograd.grad = _grad_without_accumulating
    torch.set_num_threads(1)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(argv[0])
    session = Session(sock)
    wire.send_frame(sock, {"kind": "ready"})
    while True:
        try:
            header, _ = wire.recv_frame(sock)
        except ConnectionError:
            return 0
        kind, run_id = header.get("kind"), header.get("id")   # the id goes back with "done": no stale answers
        if kind == "reset":
            session.reset()
            wire.send_frame(sock, {"kind": "done", "status": "ok", "id": run_id})
        elif kind == "run":
            wire.send_frame(sock, {"kind": "done", **session.run_cell(str(header.get("source", ""))), "id": run_id})
        elif kind == "exit":
            return 0


if __name__ == "__main__":
    sys.exit(main())
