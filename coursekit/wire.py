"""The wire between the grading checker and a student's kernel: frames, and the data that may cross.

When a notebook is graded, its graded test cells run in a separate checker process that never
runs student code (autograder/checker.py); the student's kernel only answers requests
(coursekit/probe.py). This module is the part both sides share.

Frames. One frame = a JSON header plus binary buffers:

    [u32 header length][header JSON][u32 buffer count]([u64 length][bytes])*

read with hard limits (MAX_FRAME_BYTES in total, MAX_BUFFERS buffers), so a hostile peer cannot
make the reader allocate without bound.

The asymmetry is the point:
- checker -> student (`kind: "request"`, or a reply to a callback): a pickle, written with
  `dumps_trusted`. Loading the checker's own bytes in the student's kernel is safe (it can only
  hurt the student), and it lets a test hand over anything it built: a model, an optimizer, a
  generator, a non-contiguous view, a meta tensor.
- student -> checker (replies, callbacks): data only, written by `encode` and read back by
  `decode`, never unpickled: tensors and arrays as dtype, shape and bytes, rebuilt as plain
  `torch.Tensor` / `numpy.ndarray`; numbers, strings, None, bytes, dtypes, devices, slices, and
  lists, tuples, dicts and OrderedDicts (a state_dict) of those. Anything else (a module, a function, a class, an iterator)
  stays in the student's kernel and crosses as a handle: {"$t": "handle", "id": n, ...}.
  `decode` turns every such tag into a value through the callbacks the checker gives it, and
  checks every count, shape and length against the bytes it really received. A tensor or array
  that appears twice in one value crosses once; its other places are {"$t": "same", "i": n}, so
  the checker gets one object twice, as one kernel would.
"""
from __future__ import annotations

import collections
import io
import json
import math
import pickle
import socket
import struct

import numpy as np
import torch

MAX_FRAME_BYTES = 512 * 1024 ** 2     # one frame: the largest tensor a test may exchange, and more
MAX_HEADER_BYTES = 64 * 1024 ** 2
MAX_BUFFERS = 100_000
MAX_DEPTH = 64                        # nesting of lists/dicts in a reply
MAX_ITEMS = 1_000_000                 # items in one reply, all containers together

TENSOR_DTYPES = {str(d).removeprefix("torch."): d for d in (
    torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.complex64, torch.complex128,
    torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool)}
NUMPY_DTYPES = {np.dtype(t).str for t in (np.float16, np.float32, np.float64, np.complex64, np.complex128,
                                          np.uint8, np.int8, np.int16, np.int32, np.int64, np.uint16,
                                          np.uint32, np.uint64, np.bool_)}


class ProtocolError(Exception):
    """The peer broke the protocol: a malformed frame, a reply that is not data, a lie about sizes."""


# --------------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------------

def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:], n - got)
        if k == 0:
            raise ConnectionError("the other side closed the connection")
        got += k
    return bytes(buf)


def send_frame(sock: socket.socket, header: dict, buffers: list[bytes] = ()) -> None:
    head = json.dumps(header, allow_nan=True).encode()
    parts = [struct.pack("<I", len(head)), head, struct.pack("<I", len(buffers))]
    for b in buffers:
        parts += [struct.pack("<Q", len(b)), b]
    sock.sendall(b"".join(parts))


def recv_raw(sock: socket.socket, limit: int = MAX_FRAME_BYTES) -> tuple[bytes, list[bytes]]:
    """One frame as (header bytes, buffers), sizes checked before anything is allocated."""
    (n,) = struct.unpack("<I", _recv_exact(sock, 4))
    if n > min(limit, MAX_HEADER_BYTES):
        raise ProtocolError(f"frame header of {n} bytes is over the limit")
    head = _recv_exact(sock, n)
    (count,) = struct.unpack("<I", _recv_exact(sock, 4))
    if count > MAX_BUFFERS:
        raise ProtocolError(f"{count} buffers in one frame is over the limit")
    total, buffers = n, []
    for _ in range(count):
        (size,) = struct.unpack("<Q", _recv_exact(sock, 8))
        total += size
        if total > limit:
            raise ProtocolError(f"frame of more than {limit // 1024 ** 2} MiB")
        buffers.append(_recv_exact(sock, size))
    return head, buffers


def pack_raw(head: bytes, buffers: list[bytes]) -> bytes:
    """The frame recv_raw read, as bytes again (the grader relays frames unchanged)."""
    parts = [struct.pack("<I", len(head)), head, struct.pack("<I", len(buffers))]
    for b in buffers:
        parts += [struct.pack("<Q", len(b)), b]
    return b"".join(parts)


def recv_frame(sock: socket.socket, limit: int = MAX_FRAME_BYTES) -> tuple[dict, list[bytes]]:
    head, buffers = recv_raw(sock, limit)
    try:
        header = json.loads(head)
    except ValueError as e:
        raise ProtocolError(f"frame header is not JSON: {e}") from None
    if not isinstance(header, dict):
        raise ProtocolError("frame header is not an object")
    return header, buffers


# --------------------------------------------------------------------------------------------
# checker -> student: a pickle, with persistent ids for what must stay where it lives
# --------------------------------------------------------------------------------------------

def dumps_trusted(obj, persistent_id) -> bytes:
    """Pickle `obj`; `persistent_id(o)` returns a JSON-able tag for objects that must not be copied
    (student handles, the checker's own functions) or None. A tensor's `.grad` travels with it
    (pickle alone drops it: a stale gradient the test set up must reach the student's code)."""
    buf = io.BytesIO()
    busy: set[int] = set()

    class _Pickler(pickle.Pickler):
        def persistent_id(self, o):  # noqa: D401 (pickle's hook)
            return persistent_id(o)

        def reducer_override(self, o):
            if isinstance(o, torch.Tensor) and o.is_leaf and o.grad is not None and id(o) not in busy:
                busy.add(id(o))  # the inner save of `o` takes pickle's own path
                return (with_grad, (o, o.grad))
            return NotImplemented

    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def with_grad(t: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    """Unpickling helper: the tensor with its gradient set again."""
    t.grad = grad
    return t


def tensors_in(obj, out: list | None = None) -> list:
    """The tensors in nested lists, tuples and dict values, depth first. A callback's arguments are
    walked the same way on both sides, so position k names the same argument in each."""
    out = [] if out is None else out
    if isinstance(obj, torch.Tensor):
        out.append(obj)
    elif type(obj) in (list, tuple):
        for v in obj:
            tensors_in(v, out)
    elif type(obj) is dict:
        for v in obj.values():
            tensors_in(v, out)
    return out


def argument_view(t: torch.Tensor, arguments: list):
    """The tag of a tensor a callback returns that shares memory with one of its tensor arguments
    (`t[1]`, `t.view(...)`, `t` itself), or None. The argument arrived as a contiguous copy, so
    size, stride and offset are relative to the argument's first element in row-major order."""
    if t.device.type == "meta" or t.numel() == 0:
        return None
    for k, a in enumerate(arguments):
        if a.numel() and a.dtype == t.dtype and a.untyped_storage().data_ptr() == t.untyped_storage().data_ptr():
            copy = t.detach().clone().requires_grad_(t.requires_grad and t.is_floating_point())
            return ("argview", k, list(t.shape), list(t.stride()), t.storage_offset() - a.storage_offset(),
                    t.requires_grad, copy)
    return None


def view_of_argument(tag, arguments: list) -> torch.Tensor:
    """The student's side of argument_view: that view of the student's own argument when it is
    contiguous (as in one kernel), else the copy that came with the tag."""
    _, k, size, stride, offset, requires_grad, copy = tag
    if not (type(k) is int and 0 <= k < len(arguments)):
        return copy
    a = arguments[k]
    last = offset + sum((n - 1) * s for n, s in zip(size, stride))
    if not (a.is_contiguous() and a.dtype == copy.dtype and 0 <= offset and min(stride, default=0) >= 0
            and last < a.numel() and list(copy.shape) == list(size)):
        return copy
    base = a if requires_grad else a.detach()
    return base.as_strided(size, stride, a.storage_offset() + offset)


def loads_trusted(data: bytes, persistent_load):
    """Only ever called in the student's kernel, on the checker's bytes."""

    class _Unpickler(pickle.Unpickler):
        def persistent_load(self, pid):
            return persistent_load(pid)

    return _Unpickler(io.BytesIO(data)).load()


# --------------------------------------------------------------------------------------------
# student -> checker: data only
# --------------------------------------------------------------------------------------------

def tensor_bytes(t: torch.Tensor) -> bytes:
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: ship the raw 16-bit words
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes() if t.numel() else b""


class Encoder:
    """Turns a student-side value into JSON + buffers. `other(obj)` returns the tag for anything
    that is not data (a handle, a reference to an argument); it is tried first for every object,
    so identity (the same tensor the checker sent) wins over a copy."""

    def __init__(self, other):
        self.other = other
        self.buffers: list[bytes] = []
        self.items = 0
        self.memo: dict[int, int] = {}   # id(tensor or array) -> its index among those sent in one value

    def buffer(self, b: bytes) -> int:
        self.buffers.append(b)
        return len(self.buffers) - 1

    def encode(self, obj, depth: int = 0):
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise ProtocolError("value too deeply nested or too large to send")
        if depth == 0:
            self.memo = {}
        if isinstance(obj, (torch.Tensor, np.ndarray)):
            # The same tensor twice in one value (`return y, y`) arrives as one object twice, as in
            # one kernel: its second place is a reference to the first.
            if id(obj) in self.memo:
                return {"$t": "same", "i": self.memo[id(obj)]}
            tag = self.other(obj)
            tag = self.array(obj) if tag is None and isinstance(obj, np.ndarray) else tag
            tag = self.tensor(obj) if tag is None and isinstance(obj, torch.Tensor) else tag
            if isinstance(tag, dict):
                self.memo[id(obj)] = len(self.memo)
                tag = {**tag, "memo": self.memo[id(obj)]}
            return tag
        tag = self.other(obj)
        if tag is not None:
            return tag
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return obj if abs(obj) < 2 ** 53 else {"$t": "int", "v": str(obj)}
        if isinstance(obj, float):
            return obj if math.isfinite(obj) else {"$t": "float", "v": repr(obj)}
        if isinstance(obj, complex):
            return {"$t": "complex", "re": self.encode(obj.real), "im": self.encode(obj.imag)}
        if isinstance(obj, torch.Tensor):
            return self.tensor(obj)
        if isinstance(obj, np.generic) and np.dtype(type(obj)).str in NUMPY_DTYPES:
            return {"$t": "npscalar", "dtype": np.dtype(type(obj)).str, "buf": self.buffer(obj.tobytes())}
        if isinstance(obj, torch.dtype):
            return {"$t": "dtype", "v": str(obj).removeprefix("torch.")}
        if isinstance(obj, torch.device):
            return {"$t": "device", "v": str(obj)}
        if isinstance(obj, torch.Size):
            return {"$t": "size", "items": [int(v) for v in obj]}
        if isinstance(obj, bytes):
            return {"$t": "bytes", "buf": self.buffer(obj)}
        if isinstance(obj, slice):
            return {"$t": "slice", "items": [self.encode(v, depth + 1) for v in (obj.start, obj.stop, obj.step)]}
        if obj is Ellipsis:
            return {"$t": "ellipsis"}
        if type(obj) in (list, tuple):
            return {"$t": type(obj).__name__, "items": [self.encode(v, depth + 1) for v in obj]}
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a namedtuple (torch.return_types too)
            return {"$t": "tuple", "items": [self.encode(v, depth + 1) for v in obj]}
        if type(obj) in (dict, collections.OrderedDict):  # OrderedDict: what Module.state_dict() returns
            return {"$t": "dict" if type(obj) is dict else "odict",
                    "items": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in obj.items()]}
        if type(obj) in (set, frozenset):
            return {"$t": type(obj).__name__, "items": [self.encode(v, depth + 1) for v in obj]}
        return None  # not data: the caller makes it a handle

    def array(self, a: np.ndarray) -> dict | None:
        if a.dtype.str not in NUMPY_DTYPES:
            return None
        return {"$t": "ndarray", "dtype": a.dtype.str, "shape": list(a.shape),
                "buf": self.buffer(np.ascontiguousarray(a).tobytes())}

    def tensor(self, t: torch.Tensor) -> dict:
        dtype = str(t.dtype).removeprefix("torch.")
        if dtype not in TENSOR_DTYPES:
            raise ProtocolError(f"tensors of dtype {t.dtype} cannot be sent")
        out = {"$t": "tensor", "dtype": dtype, "shape": list(t.shape), "device": t.device.type,
               "requires_grad": bool(t.requires_grad)}
        if t.device.type != "meta":
            out["buf"] = self.buffer(tensor_bytes(t))
        if isinstance(t, torch.nn.Parameter):
            out["parameter"] = True
        if t.is_leaf and t.grad is not None and t.grad is not t:  # a parameter's gradient comes along
            out["grad"] = self.tensor(t.grad)
        return out


class Decoder:
    """Rebuilds what an Encoder wrote, trusting nothing: every tag, dtype, shape and length is
    checked, and a tag it does not know is a ProtocolError. `special(tag)` resolves the non-data
    tags (handles, argument references); it returns NotImplemented for tags it does not know."""

    def __init__(self, buffers: list[bytes], special):
        self.buffers, self.special, self.items = buffers, special, 0
        self.memo: list = []

    def buffer(self, index) -> bytes:
        if not isinstance(index, int) or not 0 <= index < len(self.buffers):
            raise ProtocolError(f"reference to a buffer that was not sent: {index!r}")
        return self.buffers[index]

    def decode(self, obj, depth: int = 0):
        if depth == 0:
            self.memo = []
        if isinstance(obj, dict) and obj.get("$t") == "same":  # the Encoder's reference to an earlier place
            i = obj.get("i")
            if type(i) is not int or not 0 <= i < len(self.memo):
                raise ProtocolError("reference to a value that was not sent")
            return self.memo[i]
        value = self.value(obj, depth)
        if isinstance(obj, dict) and "memo" in obj:
            if obj["memo"] != len(self.memo) or not isinstance(value, (torch.Tensor, np.ndarray)):
                raise ProtocolError("a repeated value out of order")
            self.memo.append(value)
        return value

    def value(self, obj, depth: int):
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise ProtocolError("value too deeply nested or too large")
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if not isinstance(obj, dict) or not isinstance(obj.get("$t"), str):
            raise ProtocolError(f"not a value: {str(obj)[:80]}")
        t = obj["$t"]
        items = obj.get("items")
        if t in ("list", "tuple", "set", "frozenset", "size", "slice"):
            if not isinstance(items, list):
                raise ProtocolError(f"{t} without items")
            values = [self.decode(v, depth + 1) for v in items]
            if t == "slice":
                if len(values) != 3:
                    raise ProtocolError("a slice has three parts")
                return slice(*values)
            if t == "size":
                if not all(type(v) is int for v in values):
                    raise ProtocolError("a torch.Size holds ints")
                return torch.Size(values)
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[t](values)
        if t in ("dict", "odict"):
            if not isinstance(items, list) or not all(isinstance(kv, list) and len(kv) == 2 for kv in items):
                raise ProtocolError("dict without key-value pairs")
            out = {} if t == "dict" else collections.OrderedDict()
            for k, v in items:
                key = self.decode(k, depth + 1)
                try:
                    hash(key)
                except TypeError:
                    raise ProtocolError("unhashable dict key") from None
                out[key] = self.decode(v, depth + 1)
            return out
        if t == "tensor":
            return self.tensor(obj)
        if t == "ndarray":
            dtype, shape = obj.get("dtype"), _shape(obj.get("shape"))
            if dtype not in NUMPY_DTYPES:
                raise ProtocolError(f"array dtype {dtype!r} not accepted")
            data = self.buffer(obj.get("buf"))
            if len(data) != math.prod(shape) * np.dtype(dtype).itemsize:
                raise ProtocolError("array bytes do not match its shape")
            return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        if t == "npscalar":
            dtype = obj.get("dtype")
            if dtype not in NUMPY_DTYPES:
                raise ProtocolError(f"scalar dtype {dtype!r} not accepted")
            data = self.buffer(obj.get("buf"))
            if len(data) != np.dtype(dtype).itemsize:
                raise ProtocolError("scalar bytes do not match its dtype")
            return np.frombuffer(data, dtype=dtype)[0]
        if t == "int":
            v = obj.get("v")
            if not isinstance(v, str) or len(v) > 5000:
                raise ProtocolError("bad big int")
            return int(v)
        if t == "float":
            if obj.get("v") not in ("nan", "inf", "-inf"):
                raise ProtocolError("bad float")
            return float(obj["v"])
        if t == "complex":
            re, im = self.decode(obj.get("re"), depth + 1), self.decode(obj.get("im"), depth + 1)
            if not all(isinstance(v, float) for v in (re, im)):
                raise ProtocolError("bad complex")
            return complex(re, im)
        if t == "dtype":
            if obj.get("v") not in TENSOR_DTYPES:
                raise ProtocolError(f"unknown dtype {obj.get('v')!r}")
            return TENSOR_DTYPES[obj["v"]]
        if t == "device":
            v = obj.get("v")
            if not isinstance(v, str) or len(v) > 32:
                raise ProtocolError("bad device")
            try:
                return torch.device(v)
            except RuntimeError:
                raise ProtocolError(f"bad device {v!r}") from None
        if t == "bytes":
            return self.buffer(obj.get("buf"))
        if t == "ellipsis":
            return Ellipsis
        value = self.special(obj)
        if value is NotImplemented:
            raise ProtocolError(f"unknown value tag {t!r}")
        return value

    def tensor(self, obj: dict) -> torch.Tensor:
        dtype_name, shape, device = obj.get("dtype"), _shape(obj.get("shape")), obj.get("device")
        if dtype_name not in TENSOR_DTYPES:
            raise ProtocolError(f"tensor dtype {dtype_name!r} not accepted")
        dtype = TENSOR_DTYPES[dtype_name]
        if device == "meta":
            t = torch.empty(shape, dtype=dtype, device="meta")
        elif device in ("cpu", "cuda", "mps"):  # every real device arrives on the CPU
            data = self.buffer(obj.get("buf"))
            itemsize = torch.empty((), dtype=dtype).element_size()
            if len(data) != math.prod(shape) * itemsize:
                raise ProtocolError("tensor bytes do not match its shape and dtype")
            if not data:
                t = torch.empty(shape, dtype=dtype)
            elif dtype == torch.bfloat16:
                t = torch.frombuffer(bytearray(data), dtype=torch.int16).view(torch.bfloat16).reshape(shape)
            else:
                t = torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)
        else:
            raise ProtocolError(f"tensor device {device!r} not accepted")
        if obj.get("parameter"):
            t = torch.nn.Parameter(t, requires_grad=bool(obj.get("requires_grad")))
        elif obj.get("requires_grad") and (t.is_floating_point() or t.is_complex()):
            t.requires_grad_(True)
        if isinstance(obj.get("grad"), dict):
            grad = self.tensor(obj["grad"])
            if grad.shape == t.shape and grad.dtype == t.dtype:   # a frozen parameter keeps its last .grad too
                t.grad = grad
        return t


def _shape(shape) -> list[int]:
    if not isinstance(shape, list) or len(shape) > 32 or not all(type(s) is int and 0 <= s < 2 ** 40 for s in shape):
        raise ProtocolError(f"bad shape {str(shape)[:80]}")
    if math.prod(shape) > MAX_FRAME_BYTES:
        raise ProtocolError("shape too large")
    return shape


# --------------------------------------------------------------------------------------------
# A channel: requests either way, nested (a callback may arrive while a request waits)
# --------------------------------------------------------------------------------------------

class Channel:
    """One side of the conversation. `request` sends and waits for the reply with its sequence
    number; a request from the other side that arrives meanwhile (a callback) is answered by
    `handle(header, buffers) -> (header, buffers)` first. Nesting is strictly last-in-first-out,
    so any other reply is a protocol error."""

    def __init__(self, sock: socket.socket, handle, limit: int = MAX_FRAME_BYTES):
        self.sock, self.handle, self.limit = sock, handle, limit
        self._seq = 0

    def request(self, header: dict, buffers: list[bytes] = ()) -> tuple[dict, list[bytes]]:
        self._seq += 1
        seq = self._seq
        send_frame(self.sock, {**header, "kind": "request", "seq": seq}, list(buffers))
        while True:
            h, b = recv_frame(self.sock, self.limit)
            kind = h.get("kind")
            if kind == "reply" and h.get("seq") == seq:
                return h, b
            if kind == "request":
                self.answer(h, b)
                continue
            raise ProtocolError(f"unexpected frame {kind!r} while waiting for reply {seq}")

    def answer(self, h: dict, b: list[bytes]) -> None:
        reply_h, reply_b = self.handle(h, b)
        send_frame(self.sock, {**reply_h, "kind": "reply", "seq": h.get("seq")}, list(reply_b))
