"""Grading integrity: tampering from inside the student's kernel never changes how a result is judged.

Graded test cells run in the checker, a separate sandboxed process that never runs student code
(autograder/checker.py, bridge.py). One module-scoped run grades, in one batch with the honest
class (each honest submission also graded alone), every attack twice: attached to wrong answers
(it must score 0) and attached to the right answers (it must keep full marks) where the attack
leaves the student's own kernel able to answer at all. Attacks on the protocol itself (a lying or
broken probe) can only be tried with wrong answers: they must get nothing and crash nothing.
"""
from __future__ import annotations

import base64
import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import sandbox as sb
from autograder.bridge import is_graded_test
from autograder.course import Course
from conftest import course_files_hash
from autograder.examples import make_examples, with_extra_cell
from autograder.feedback import feedback
from autograder.grade import grade_unit

FIXTURE = Path(__file__).parent / "fixture_course"
UNIT, NB = "1-fixture", "01-fixture.ipynb"
HONEST = ("perfect", "partial", "unanswered")
FULL = 3.0

pytestmark = pytest.mark.skipif(sb.bwrap_path() is None, reason="bubblewrap (bwrap) is not installed")

LIMITS = sb.Limits(memory_gib=2.0, timeout_cell=30, timeout_notebook=90, nproc=128, file_gib=0.25, disk_gib=0.5)

WRONG_ADD = "def add(a, b):\n    return np.asarray(a) - np.asarray(b)\n"
WRONG_MEAN_SQUARE = "def mean_square(x):\n    return float(np.mean(np.asarray(x, dtype=float))) ** 2\n"

# Attacks that leave the kernel able to answer: with wrong answers 0, with right answers full marks.
ATTACKS = {
    "patched-comparisons": (
        "import numpy as _np, torch as _t\n"
        "_np.testing.assert_allclose = lambda *a, **k: None\n"
        "_np.allclose = lambda *a, **k: True\n"
        "_t.testing.assert_close = lambda *a, **k: None\n"
        "_t.allclose = lambda *a, **k: True\n"),
    "run-cell-hooks": (
        "ip = get_ipython()\n"
        "ip.events.register('pre_run_cell', lambda info: None)\n"
        "def _ok(result):\n"
        "    result.error_in_exec = None\n"
        "ip.events.register('post_run_cell', _ok)\n"),
    "input-transformers": (
        "import ast\n"
        "class _NoAsserts(ast.NodeTransformer):\n"
        "    def visit_Assert(self, node):\n"
        "        return ast.Pass()\n"
        "ip = get_ipython()\n"
        "ip.ast_transformers.append(_NoAsserts())\n"
        "ip.input_transformers_cleanup.append(lambda lines: [l.replace('assert ', 'pass # ') for l in lines])\n"
        "ip.input_transformers_post.append(lambda lines: [l.replace('np.testing', 'None and np.testing') for l in lines])\n"),
    "replaced-run-cell": (
        "ip = get_ipython()\n"
        "_orig = ip.run_cell\n"
        "def _run_cell(raw_cell, *a, **k):\n"
        "    return _orig('pass' if 'assert' in raw_cell else raw_cell, *a, **k)\n"
        "ip.run_cell = _run_cell\n"),
    "settrace": (
        "import sys, threading\n"
        "def _tracer(frame, event, arg):\n"
        "    if event == 'line' and 'assert' in (frame.f_code.co_name or ''):\n"
        "        return None\n"
        "    return _tracer\n"
        "sys.settrace(_tracer)\n"
        "threading.settrace(_tracer)\n"),
    "guard-off": (
        "import coursekit.testing as _ct\n"
        "_ct.Guard.__enter__ = lambda self: self\n"
        "_ct.Guard.__exit__ = lambda self, *exc: True\n"
        "_ct.apply_probes = lambda *a, **k: __import__('contextlib').nullcontext()\n"),
    "redefined-helpers": (
        "import numpy as _real\n"
        "class _FakeNumpy:\n"
        "    class testing:\n"
        "        @staticmethod\n"
        "        def assert_allclose(*a, **k):\n"
        "            return None\n"
        "    def __getattr__(self, name):\n"
        "        return getattr(_real, name)\n"
        "np = _FakeNumpy()\n"
        "assert_close = assert_allclose = lambda *a, **k: None\n"),
    "nan-result": (
        "from IPython.display import display\n"
        "get_ipython().events.register('post_run_cell', lambda r: display(float('nan')))\n"),
    "score-above-points": (
        "from IPython.display import display\n"
        "get_ipython().events.register('post_run_cell', lambda r: display(1e9))\n"
        "get_ipython().events.register('post_execute', lambda: display(''))\n"),
    "source-leak": (
        "import base64\n"
        "def _leak(info):\n"
        "    src = info.raw_cell\n"
        "    print('B64', base64.b64encode(src.encode()).decode())\n"
        "    print('REV', src[::-1])\n"
        "    print(src)\n"
        "get_ipython().events.register('pre_run_cell', _leak)\n"),
    "output-floods": (
        "from IPython.display import display\n"
        "for _ in range(40):\n"
        "    display({'text/plain': 'x'}, metadata={'pad': 'y' * 2 ** 20}, raw=True)\n"
        "import ipywidgets\n"
        "_w = [ipywidgets.IntSlider(description='z' * 2000) for _ in range(3000)]\n"
        "try:\n"
        "    raise ValueError('e' * 2 ** 23)\n"
        "except ValueError:\n"
        "    get_ipython().showtraceback()\n"),
    # A daemon that outlives the kernel (double fork, new session, signals ignored) and then
    # hammers the slot's probe socket, where the next student graded in this slot connects,
    # with lying replies. The box (pid namespace, the slot uid's kill) must end it.
    "lingering-saboteur": (
        "import os, time, socket, struct, json, signal\n"
        "_kpid = os.getpid()\n"
        "_path = os.path.join(os.path.dirname(os.getcwd()), 'kernel', 'probe.sock')\n"
        "def _frame(header):\n"
        "    head = json.dumps(header).encode()\n"
        "    return struct.pack('<I', len(head)) + head + struct.pack('<I', 0)\n"
        "def _saboteur():\n"
        "    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):\n"
        "        signal.signal(sig, signal.SIG_IGN)\n"
        "    while True:\n"
        "        try:\n"
        "            os.kill(_kpid, 0)\n"
        "        except ProcessLookupError:\n"
        "            break\n"
        "        except OSError:\n"
        "            pass\n"
        "        time.sleep(0.2)\n"
        "    end = time.time() + 150\n"
        "    while time.time() < end:\n"
        "        try:\n"
        "            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
        "            c.settimeout(5)\n"
        "            c.connect(_path)\n"
        "            for seq in range(1, 50):\n"
        "                c.sendall(_frame({'kind': 'reply', 'seq': seq, 'ok': True, 'value': 3}))\n"
        "        except OSError:\n"
        "            time.sleep(0.05)\n"
        "if os.fork() == 0:\n"
        "    try:\n"
        "        os.setsid()\n"
        "        if os.fork() == 0:\n"
        "            _saboteur()\n"
        "    finally:\n"
        "        os._exit(0)\n"
        "os.wait()\n"),
    # Round 4. The kernel's own JSON carries a lone surrogate ("\\ud800", which UTF-8 cannot
    # encode) into an output: writing the graded notebook raised in the grader's main thread and
    # stopped the whole batch.
    "lone-surrogates": (
        "import json\n"
        "from jupyter_client.jsonutil import json_default\n"
        "_s = get_ipython().kernel.session\n"
        "_s.pack = lambda obj: json.dumps(obj, default=json_default, ensure_ascii=True).encode()\n"
        "print('\\ud800 lone')\n"),
    # Output that nbclient stores outside GradingClient.output and its caps: an update of a display
    # id rewrites every earlier output with that id (100 one-character displays, then 1 MiB each),
    # and a widget's binary buffers go into the notebook's metadata.
    "display-update-bomb": (
        "from IPython.display import display, update_display\n"
        "for _ in range(100):\n"
        "    display({'text/plain': 'x'}, raw=True, display_id='d')\n"
        "update_display({'text/plain': 'y' * 2 ** 20}, raw=True, display_id='d')\n"),
    "widget-buffer-bomb": (
        "from ipykernel.comm import Comm\n"
        "_c = Comm(target_name='jupyter.widget',\n"
        "          data={'state': {'_model_module': 'm', '_model_module_version': '1', '_model_name': 'n'},\n"
        "                'buffer_paths': []})\n"
        "for _k in range(5):\n"
        "    _c.send(data={'method': 'update', 'state': {'v': _k}, 'buffer_paths': [['b%d' % _k]]},\n"
        "            buffers=[b'z' * 2 ** 24])\n"),
}

# Attacks on the protocol: the student's side of it is replaced. Tried with wrong answers only.
PROTOCOL_ATTACKS = {
    "lying-probe": (
        "import coursekit.probe as _p\n"
        "_orig_handle = _p.handle\n"
        "def _lie(header, buffers):\n"
        "    return {'ok': True, 'value': 3}, []\n"
        "_p.handle = _lie\n"),
    "garbage-probe": (
        "import coursekit.probe as _p, socket as _s\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    c.sendall(b'\\xff' * 64 + b'{not json')\n"
        "    c.close()\n"
        "_p.serve = _serve\n"),
    "huge-frame-claim": (
        "import coursekit.probe as _p, socket as _s, struct as _st\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    c.recv(4096)\n"
        "    c.sendall(_st.pack('<I', 2 ** 31))\n"
        "    import time; time.sleep(2)\n"
        "_p.serve = _serve\n"),
    "forged-tags": (
        "import coursekit.probe as _p\n"
        "def _forge(header, buffers):\n"
        "    return {'ok': True, 'value': {'$t': 'module', 'name': 'antigravity'}}, []\n"
        "_p.handle = _forge\n"),
    "no-serve": "import coursekit.probe as _p\n_p.serve = lambda path, ns: None\n",
    # A handle whose claimed classes are numpy/torch/float types, that is truthy, claims an
    # astronomical len, and answers every later request with itself.
    "forged-handle-classes": (
        "import coursekit.probe as _p\n"
        "_tag = {'$t': 'handle', 'id': 1, 'type': 'numpy.ndarray', 'callable': True, 'name': 'add',\n"
        "        'mro': ['numpy.ndarray', 'torch.Tensor', 'numpy.float64', 'torch.nn.Module', 'builtins.float']}\n"
        "def _forge(header, buffers):\n"
        "    op = _p._load(buffers)[0][0]\n"
        "    if op == 'len':\n"
        "        return {'ok': True, 'value': {'$t': 'int', 'v': str(10 ** 30)}}, []\n"
        "    if op == 'bool':\n"
        "        return {'ok': True, 'value': True}, []\n"
        "    if op == 'repr':\n"
        "        return {'ok': True, 'value': 'array([ 3.])'}, []\n"
        "    return {'ok': True, 'value': _tag}, []\n"
        "_p.handle = _forge\n"),
    # Error replies naming control-flow exceptions (the checker must not exit, stop iterating
    # or close a generator on the student's word) and one with a 20 MB message.
    "hostile-error-replies": (
        "import coursekit.probe as _p, itertools as _it\n"
        "_kinds = _it.cycle(['SystemExit', 'KeyboardInterrupt', 'GeneratorExit', 'StopIteration',\n"
        "                    'StopAsyncIteration', 'BaseExceptionGroup', 'OffLimits', 'MemoryError'])\n"
        "_calls = _it.count()\n"
        "def _fail(header, buffers):\n"
        "    n = next(_calls)\n"
        "    message = 'm' * (20 * 2 ** 20) if n == 1 else 'nope'\n"
        "    return {'ok': False, 'error': {'type': next(_kinds), 'message': message, 'traceback': 't' * 10 ** 6}}, []\n"
        "_p.handle = _fail\n"),
    # Values the decoder must refuse or rebuild as plain data, one per request: a meta tensor
    # of 2**29 elements, a shape whose product overflows, negative dims, object arrays, a
    # 5000-digit int, a view/arg/callback tag with nothing sent, a bfloat16 tensor with too few
    # bytes, a deeply nested list, a module.
    "hostile-values": (
        "import coursekit.probe as _p, itertools as _it\n"
        "_values = _it.cycle([\n"
        "    {'$t': 'tensor', 'dtype': 'float32', 'shape': [2 ** 29], 'device': 'meta'},\n"
        "    {'$t': 'tensor', 'dtype': 'float32', 'shape': [2 ** 39, 2 ** 39, 2 ** 39], 'device': 'cpu', 'buf': 0},\n"
        "    {'$t': 'tensor', 'dtype': 'float32', 'shape': [-1, 4], 'device': 'cpu', 'buf': 0},\n"
        "    {'$t': 'ndarray', 'dtype': '|O', 'shape': [1], 'buf': 0},\n"
        "    {'$t': 'npscalar', 'dtype': '|O', 'buf': 0},\n"
        "    {'$t': 'int', 'v': '9' * 4999},\n"
        "    {'$t': 'view', 'k': 0, 'size': [2 ** 40], 'stride': [0], 'offset': 0},\n"
        "    {'$t': 'arg', 'k': 0}, {'$t': 'callback', 'id': 0},\n"
        "    {'$t': 'tensor', 'dtype': 'bfloat16', 'shape': [4], 'device': 'cpu', 'buf': 0},\n"
        "    {'$t': 'tensor', 'dtype': 'qint8', 'shape': [1], 'device': 'cpu', 'buf': 0},\n"
        "    {'$t': 'complex', 're': 'x', 'im': []},\n"
        "    {'$t': 'module', 'name': 'os'},\n"
        "])\n"
        "def _nested(depth):\n"
        "    v = 3\n"
        "    for _ in range(depth):\n"
        "        v = {'$t': 'list', 'items': [v]}\n"
        "    return v\n"
        "_calls = _it.count()\n"
        "def _forge(header, buffers):\n"
        "    n = next(_calls)\n"
        "    value = _nested(500) if n % 7 == 6 else next(_values)\n"
        "    return {'ok': True, 'value': value}, [b'\\x00' * 4]\n"
        "_p.handle = _forge\n"),
    # A set of big ints that all hash to 0 (multiples of 2**61 - 1): decoding it is quadratic.
    # The per-cell time limit must stop the checker, and the next notebook must get a fresh one.
    "hash-collision-set": (
        "import coursekit.probe as _p\n"
        "_bomb = {'$t': 'set', 'items': [{'$t': 'int', 'v': str(k * (2 ** 61 - 1))} for k in range(1, 300001)]}\n"
        "def _forge(header, buffers):\n"
        "    return {'ok': True, 'value': _bomb}, []\n"
        "_p.handle = _forge\n"),
    # The relay (bridge.relay_cell) parses the student's frame headers with json.loads: a header
    # nested 200000 deep raises RecursionError there. It is sent right after a reply that takes
    # the checker a moment to decode, so the checker finishes its cell after the relay is gone:
    # its "done" must not be left for the next notebook graded by this checker.
    "checker-desync": (
        "import coursekit.probe as _p, socket as _s, struct as _st, time as _t\n"
        "from coursekit import wire as _w\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    h, _ = _w.recv_frame(c)\n"
        "    _w.send_frame(c, {'kind': 'reply', 'seq': h.get('seq'), 'ok': True,\n"
        "                      'value': {'$t': 'list', 'items': list(range(900000))}})\n"
        "    head = b'[' * 200000 + b']' * 200000\n"
        "    c.sendall(_st.pack('<I', len(head)) + head + _st.pack('<I', 0))\n"
        "    _t.sleep(2)\n"
        "    c.close()\n"
        "_p.serve = _serve\n"),
    # Slow-loris: a reply frame whose length prefix promises 4000 bytes, then one byte a second.
    # The relay reads a frame to its end before it looks at the cell's deadline again, so this
    # holds the worker until the whole-notebook limit kills the box: 0 points, a time-out, and
    # the other students in the batch graded as usual.
    "slow-loris": (
        "import coursekit.probe as _p, socket as _s, struct as _st, time as _t\n"
        "from coursekit import wire as _w\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    h, _ = _w.recv_frame(c)\n"
        "    c.sendall(_st.pack('<I', 4000))\n"
        "    for _ in range(400):\n"
        "        c.sendall(b' ')\n"
        "        _t.sleep(1)\n"
        "_p.serve = _serve\n"),
    # Round 5. A reply that keeps the checker busy (the colliding set above), then 1 MiB request
    # frames without end: the relay forwarded each with a plain sendall to the checker, which
    # reads nothing while it decodes, so the relay blocked there, past the per-cell limit, and the
    # whole-notebook limit (which kills the student's box, not the checker) could not free it:
    # the worker, and the batch, waited for the checker's decode (many minutes).
    "busy-checker-flood": (
        "import coursekit.probe as _p, socket as _s, json as _j\n"
        "from coursekit import wire as _w\n"
        "_bomb = {'$t': 'set', 'items': [{'$t': 'int', 'v': str(k * (2 ** 61 - 1))} for k in range(1, 300001)]}\n"
        "def _serve(path, ns):\n"
        "    c = _s.socket(_s.AF_UNIX, _s.SOCK_STREAM); c.connect(path)\n"
        "    h, _ = _w.recv_frame(c)\n"
        "    _w.send_frame(c, {'kind': 'reply', 'seq': h.get('seq'), 'ok': True, 'value': _bomb})\n"
        "    frame = _w.pack_raw(_j.dumps({'kind': 'request', 'seq': 1, 'op': 'callback', 'cb': 0}).encode(),\n"
        "                        [b'x' * 2 ** 20])\n"
        "    try:\n"
        "        while True:\n"
        "            c.sendall(frame)\n"
        "    except OSError:\n"
        "        pass\n"
        "_p.serve = _serve\n"),
    # The real probe answers, but every reply is rewritten to mislead the checker's decoding:
    # the value becomes a reference to the test's own argument ("arg"), a "same" reference to an
    # earlier place, a "target"/"view" of a tensor that was never sent (the arguments here are
    # arrays and lists), and a sync record that replaces the test's list with [3.0, 3.0].
    "misleading-references": (
        "import coursekit.probe as _p, itertools as _it\n"
        "_orig = _p.handle\n"
        "_n = _it.count()\n"
        "def _mislead(header, buffers):\n"
        "    h, b = _orig(header, buffers)\n"
        "    if not (isinstance(h, dict) and h.get('ok') and 'value' in h) or 'sync' not in h:\n"
        "        return h, b\n"
        "    n = next(_n) % 5\n"
        "    if n == 0:\n"
        "        h['value'] = {'$t': 'arg', 'k': 0}\n"
        "    elif n == 1:\n"
        "        h['value'] = {'$t': 'tuple', 'items': [h['value'], {'$t': 'same', 'i': 0}]}\n"
        "    elif n == 2:\n"
        "        h['value'] = {'$t': 'target', 'k': 0}\n"
        "    elif n == 3:\n"
        "        h['value'] = {'$t': 'view', 'k': 0, 'size': [0], 'stride': [0], 'offset': 10 ** 12}\n"
        "    else:\n"
        "        h['sync'] = [{'k': 0, 'items': [3.0, 3.0]}]\n"
        "        h['value'] = {'$t': 'arg', 'k': 0}\n"
        "    return h, b\n"
        "_p.handle = _mislead\n"),
}


# Wrong answers crafted against the comparisons (the rest of the notebook is `_wrong`'s): each
# keeps the visible tests right (scalars) and must still score 0. name -> {grade_id: source}.
WRONG_VARIANTS = {
    # add changes the test's own input arrays in place (numpy in-place changes come back to the
    # checker, as in one kernel), so `a + b`, computed after the call, is what add returned.
    "inputs-changed-in-place": {"add": (
        "def add(a, b):\n"
        "    if np.ndim(a) == 0 and np.ndim(b) == 0:\n"
        "        return a + b\n"
        "    for x in (a, b):\n"
        "        if isinstance(x, np.ndarray):\n"
        "            x[...] = 0.0\n"
        "    return np.zeros(np.shape(a))\n")},
    # ... or sets them to nan and returns nan (np.testing.assert_allclose has equal_nan=True).
    "inputs-set-to-nan": {"add": (
        "def add(a, b):\n"
        "    if np.ndim(a) == 0 and np.ndim(b) == 0:\n"
        "        return a + b\n"
        "    for x in (a, b):\n"
        "        if isinstance(x, np.ndarray):\n"
        "            x[...] = np.nan\n"
        "    return np.full(np.shape(a), np.nan)\n")},
    "nan-and-inf": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else np.full(np.shape(a), np.nan)\n",
        "mean_square": "def mean_square(x):\n    return 9.0 if list(x) == [3.0] else float('nan')\n"},
    "empty-results": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else np.empty((0,))\n",
        "mean_square": "def mean_square(x):\n    return 9.0 if list(x) == [3.0] else np.empty((0,))\n"},
    "zero-size-huge-shape": {
        "add": "import torch\ndef add(a, b):\n    return a + b if np.ndim(a) == 0 else torch.empty((0, 2 ** 39))\n",
        "mean_square": "import torch\ndef mean_square(x):\n    return 9.0 if list(x) == [3.0] else torch.empty((2 ** 39, 0))\n"},
    "0d-bool-complex": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else np.asarray(np.sum(a + b))\n",
        "mean_square": "def mean_square(x):\n    return 9.0 if list(x) == [3.0] else complex(2.0, 1.0)\n"},
    "bool-and-negative-zero": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else (np.asarray(a) + np.asarray(b)) > 0\n",
        "mean_square": "def mean_square(x):\n    return 9.0 if list(x) == [3.0] else -0.0\n"},
    "one-element-arrays": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else np.asarray(a)[:1] + np.asarray(b)[:1]\n",
        "mean_square": "import torch\ndef mean_square(x):\n    return 9.0 if list(x) == [3.0] else torch.tensor([2.0, 5.0])[1:]\n"},
    # A 40 MB string the test's own message quotes (`f"... got {add(1, 2)}"`): the checker's
    # traceback must not carry it into the graded notebook (see test_checker_messages_are_capped).
    "huge-strings": {
        "add": "def add(a, b):\n    return 'x' * (40 * 2 ** 20)\n",
        "mean_square": "def mean_square(x):\n    return 'y' * (40 * 2 ** 20)\n"},
    "returns-an-iterator-and-a-class": {
        "add": "def add(a, b):\n    return a + b if np.ndim(a) == 0 else iter([a + b])\n",
        "mean_square": "class _Two(float):\n    def __sub__(self, o):\n        return 0.0\ndef mean_square(x):\n    return 9.0 if list(x) == [3.0] else _Two(7.0)\n"},
    # A lone surrogate quoted by the test's message (`f"... got {add(1, 2)}"`) reached the graded
    # notebook through the checker's verdict: writing it stopped the batch (see "lone-surrogates").
    "lone-surrogates": {
        "add": "def add(a, b):\n    return '\\ud800 \\udcff'\n",
        "mean_square": "def mean_square(x):\n    return '\\udcff'\n"},
}


# Attacks on the submitted file itself: name -> (transform(notebook) -> notebook or raw text,
# whether the attack still lets right answers keep full marks).
def _meta(nb, gid):
    return nb.cells[_cell(nb, gid)].metadata


def _forged_metadata(nb):
    """Points raised, a verdict of the checker's written in advance, skip tags, a bonus graded cell
    and a duplicate copy of a test (a no-op) placed before the real one."""
    for gid in ("test_add", "test_mean_square"):
        meta = _meta(nb, gid)
        meta.nbgrader["points"] = 100
        meta["autograder"] = {"checker": True, "status": "ok", "partial": 1.0}
        meta["tags"] = ["skip-execution", "raises-exception"]
    for gid in ("add", "mean_square"):
        _meta(nb, gid)["autograder"] = {"checker": True, "status": "ok", "partial": 1.0}
    bonus = nbformat.v4.new_code_cell("pass")
    bonus.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "locked": True, "points": 100,
                                  "solution": False, "schema_version": 3}
    bonus.metadata["autograder"] = {"checker": True, "status": "ok"}
    nb.cells.append(bonus)
    fake = nbformat.v4.new_code_cell("pass")
    fake.metadata["nbgrader"] = {"grade": True, "grade_id": "test_mean_square", "locked": False, "points": 2,
                                 "solution": False, "schema_version": 3}
    fake.metadata["autograder"] = {"checker": True, "status": "ok"}
    nb.cells.insert(_cell(nb, "test_mean_square"), fake)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"same-id"  # duplicate cell ids
    return nb


# A graded test cell whose "grade" flag the student turned off: nbgrader's OverwriteCells puts the
# instructor's source (hidden tests included) into the cell before it finds the checksum still
# wrong; the grader then drops the cell's nbgrader metadata and adds the test back. A hook copies
# any cell source that shows hidden tests, prints it encoded, and, when the student's own
# mean_square is wrong anyway, makes mean_square return it so the failing test's message (shown
# in the feedback) carries it out.
LEAK_HOOK = (
    "import base64\n"
    "_leaks = []\n"
    "def _enc(text):\n"
    "    return ' '.join(base64.b64encode(l.strip().encode()).decode() + ' ' + l.strip()[::-1]\n"
    "                    for l in text.splitlines() if l.strip())\n"
    "def _grab(info):\n"
    "    src = info.raw_cell or ''\n"
    "    if 'HIDDEN' + ' TESTS' in src:\n"
    "        _leaks.append(src)\n"
    "        print('LEAKED', _enc(src))\n"
    "get_ipython().events.register('pre_run_cell', _grab)\n"
    "def _swap(result):\n"
    "    ns = get_ipython().user_ns\n"
    "    f = ns.get('mean_square')\n"
    "    if not _leaks or not callable(f) or getattr(f, '_swapped', False):\n"
    "        return\n"
    "    try:\n"
    "        ok = abs(f([1.0, -1.0, 2.0]) - 2.0) < 1e-12\n"
    "    except Exception:\n"
    "        ok = False\n"
    "    if not ok:\n"
    "        text = _enc(''.join(_leaks))\n"
    "        g = lambda x: text\n"
    "        g._swapped = True\n"
    "        ns['mean_square'] = g\n"
    "get_ipython().events.register('post_run_cell', _swap)\n")


def _hidden_markers_flood(nb):
    """A locked test cell whose source the student replaced by 1 MB of `### BEGIN HIDDEN TESTS`
    lines and no END: the grader's comparison of the student's source with the restored one took
    quadratic time (hours) in the main thread, before any notebook of the batch was graded."""
    nb.cells[_cell(nb, "test_add")].source = "### BEGIN HIDDEN TESTS\n" * 45000
    return nb


def _cell_flood(nb):
    """20000 cells with damaged nbgrader metadata: each cost the grader's main thread nbgrader's
    validator and a gradebook query (~10 ms) before any notebook was graded; 1.3 million such cells
    fit in the 100 MB a submission may have (hours)."""
    nb.cells += [nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade": True, "grade_id": 5}})
                 for _ in range(20000)]
    return nb


def _ungraded_test_leak(nb):
    _meta(nb, "test_add").nbgrader["grade"] = False
    return with_extra_cell(nb, LEAK_HOOK)


def _solution_flag_leak(nb):
    _meta(nb, "test_add").nbgrader["solution"] = True
    return with_extra_cell(nb, LEAK_HOOK)


NOTEBOOK_ATTACKS = {
    "forged-metadata": (_forged_metadata, True),
    "test-cell-ungraded-leak": (_ungraded_test_leak, True),
    "test-cell-solution-flag-leak": (_solution_flag_leak, True),
    "nbformat-v3": (lambda nb: nbformat.writes(nbformat.convert(nb, 3)), False),
    "not-json": (lambda nb: nbformat.writes(nb)[:-40] + "\x00\udcff", False),
    "cells-not-a-list": (lambda nb: json.dumps({**json.loads(nbformat.writes(nb)), "cells": {"0": "x"}}), False),
    "hidden-markers-flood": (_hidden_markers_flood, True),
    "cell-flood": (_cell_flood, False),
    # a lone surrogate in the submitted source itself (JSON may escape one): the graded notebook
    # holding it could not be written, which stopped the batch (see the "lone-surrogates" attack)
    "lone-surrogate-source": (lambda nb: nbformat.writes(with_extra_cell(nb, "x = 'SURR'")).replace("SURR", "\\ud800"),
                              False),
    # a 16 MB kernelspec name went whole into the record's notes
    "huge-kernelspec": (lambda nb: (nb.metadata.update(kernelspec={"name": "k" * 2 ** 24, "language": "python",
                                                                   "display_name": "K"}), nb)[1], False),
}


def _cell(nb, gid):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == gid)


def _wrong(perfect):
    nb = copy.deepcopy(perfect)
    nb.cells[_cell(nb, "add")].source = WRONG_ADD
    nb.cells[_cell(nb, "mean_square")].source = WRONG_MEAN_SQUARE
    return nb


def _submit(course: Course, student: str, nb) -> None:
    folder = course.workspace / "submitted" / student / UNIT
    folder.mkdir(parents=True, exist_ok=True)
    text = nb if isinstance(nb, str) else nbformat.writes(nb)
    (folder / NB).write_bytes(text.encode("utf-8", "surrogateescape"))


def _hidden_lines(course: Course) -> list[str]:
    nb = nbformat.read(course.solutions / UNIT / NB, as_version=4)
    lines = []
    for cell in nb.cells:
        if "### BEGIN HIDDEN TESTS" in cell.source:
            hidden = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            lines += [l.strip() for l in hidden.splitlines() if len(l.strip()) >= 12]
    assert lines, "the fixture has hidden tests"
    return lines


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("integrity")
    alone = Course.at(shutil.copytree(FIXTURE, base / "alone"))
    batch = Course.at(shutil.copytree(FIXTURE, base / "batch"))
    examples = make_examples(alone, UNIT, base / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    for student in HONEST:
        nb = nbformat.read(examples[student] / NB, as_version=4)
        _submit(alone, student, nb)
        _submit(batch, student, nb)
    wrong = _wrong(perfect)
    _submit(batch, "wrong-plain", wrong)
    for name, source in ATTACKS.items():
        _submit(batch, f"{name}-wrong", with_extra_cell(wrong, source))
        _submit(batch, f"{name}-right", with_extra_cell(perfect, source))
    for name, source in PROTOCOL_ATTACKS.items():
        _submit(batch, f"{name}-wrong", with_extra_cell(wrong, source))
    for name, sources in WRONG_VARIANTS.items():
        nb = copy.deepcopy(wrong)
        for gid, source in sources.items():
            nb.cells[_cell(nb, gid)].source = source
        _submit(batch, f"variant-{name}-wrong", nb)
    for name, (transform, keeps_right) in NOTEBOOK_ATTACKS.items():
        _submit(batch, f"{name}-wrong", transform(copy.deepcopy(wrong)))
        if keeps_right:
            _submit(batch, f"{name}-right", transform(copy.deepcopy(perfect)))
    alone_records = grade_unit(alone, UNIT, workers=1, limits=LIMITS, progress=False)
    before = course_files_hash(batch.root)
    batch_records = grade_unit(batch, UNIT, workers=2, limits=LIMITS, progress=False)
    feedback(batch, UNIT)
    return {"alone": {r["student"]: r for r in alone_records}, "batch": {r["student"]: r for r in batch_records},
            "course": batch, "before": before, "after": course_files_hash(batch.root)}


def test_honest_grades_equal_their_solo_grades(runs):
    for student in HONEST:
        assert runs["batch"][student]["scores"] == runs["alone"][student]["scores"], student
    assert [runs["batch"][s]["total"] for s in HONEST] == [FULL, 1.0, 0.0]


def test_wrong_answers_alone_score_zero(runs):
    assert runs["batch"]["wrong-plain"]["total"] == 0.0


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_with_wrong_answers_scores_zero(runs, attack):
    r = runs["batch"][f"{attack}-wrong"]
    assert r["total"] == 0.0, r


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_with_right_answers_keeps_full_marks(runs, attack):
    r = runs["batch"][f"{attack}-right"]
    assert r["state"] == "graded" and r["total"] == FULL, r


@pytest.mark.parametrize("attack", sorted(NOTEBOOK_ATTACKS))
def test_notebook_attack_with_wrong_answers_scores_zero(runs, attack):
    r = runs["batch"][f"{attack}-wrong"]
    assert r["total"] == 0.0, r
    assert all(not s["passed"] for s in r["scores"].values()), r


@pytest.mark.parametrize("attack", sorted(a for a, (_, keeps) in NOTEBOOK_ATTACKS.items() if keeps))
def test_notebook_attack_with_right_answers_keeps_full_marks(runs, attack):
    r = runs["batch"][f"{attack}-right"]
    assert r["state"] == "graded" and r["total"] == FULL and r["max_total"] == FULL, r


@pytest.mark.parametrize("attack", sorted(PROTOCOL_ATTACKS))
def test_protocol_attack_gets_nothing_and_crashes_nothing(runs, attack):
    r = runs["batch"][f"{attack}-wrong"]
    assert r["total"] == 0.0, r
    assert all(not s["passed"] for s in r["scores"].values()), r


@pytest.mark.parametrize("variant", sorted(WRONG_VARIANTS))
def test_wrong_answer_variant_scores_zero(runs, variant):
    r = runs["batch"][f"variant-{variant}-wrong"]
    assert r["total"] == 0.0, r
    assert all(not s["passed"] for s in r["scores"].values()), r


def test_slow_loris_is_stopped_and_starves_nobody(runs):
    r = runs["batch"]["slow-loris-wrong"]
    assert r["state"] in ("timed_out", "graded") and r["total"] == 0.0, r
    # stopped by the per-cell limit, not only by the whole notebook's
    assert r["state"] == "timed_out" and "per-cell limit" in r["reason"], r
    for student in HONEST:
        assert runs["batch"][student]["scores"] == runs["alone"][student]["scores"], student


def test_a_student_flooding_a_busy_checker_is_stopped_at_the_cell_limit(runs):
    r = runs["batch"]["busy-checker-flood-wrong"]
    # Which comes first depends on how fast the checker decodes the colliding set: the per-cell limit, or
    # the checker's own refusal of the flood's bogus requests once it reads them. Either stops the
    # notebook with no points; what must never happen is the batch waiting on the decode.
    stopped = ((r["state"] == "timed_out" and "per-cell limit" in r["reason"])
               or (r["state"] == "crashed" and r["reason"].startswith("grader error: the checker failed")))
    assert stopped and r["total"] == 0.0, (r["state"], r["reason"], r.get("notes"))
    for student in HONEST:
        assert runs["batch"][student]["scores"] == runs["alone"][student]["scores"], student


def test_the_relay_never_blocks_on_a_peer_that_does_not_read(tmp_path):
    """The same as "busy-checker-flood", on the relay alone: a checker that reads nothing."""
    import socket
    import threading
    import time
    from nbclient.exceptions import CellTimeoutError
    from autograder import bridge
    from coursekit import wire
    listener = bridge.StudentListener(tmp_path / "probe.sock")
    checker = type("BusyChecker", (), {})()
    checker.sock, busy = socket.socketpair()

    def student():
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(str(listener.path))
        frame = wire.pack_raw(json.dumps({"kind": "request", "seq": 1, "op": "callback", "cb": 0}).encode(),
                              [b"x" * 2 ** 20])
        try:
            for _ in range(200):
                c.sendall(frame)
        except OSError:
            pass

    threading.Thread(target=student, daemon=True).start()
    outcome = {}

    def relay():
        try:
            bridge.relay_cell(checker, listener, "pass", time.monotonic() + 3, threading.Event())
        except BaseException as e:  # noqa: BLE001
            outcome["error"] = e

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the relay was still blocked 120 s after its 3 s cell deadline"
    assert isinstance(outcome.get("error"), CellTimeoutError), outcome
    listener.close()

def test_every_submission_has_one_record(runs):
    expected = (len(HONEST) + 1 + 2 * len(ATTACKS) + len(PROTOCOL_ATTACKS) + len(WRONG_VARIANTS)
                + sum(1 + keeps for _, keeps in NOTEBOOK_ATTACKS.values()))
    assert len(runs["batch"]) == expected
    assert all(r["state"] in ("graded", "timed_out", "crashed", "invalid") for r in runs["batch"].values())


def test_course_files_unchanged(runs):
    assert runs["after"] == runs["before"]


def test_no_hidden_test_line_reaches_feedback_or_the_students_outputs(runs):
    course = runs["course"]
    hidden = _hidden_lines(course)
    encoded = hidden + [base64.b64encode(l.encode()).decode()[:16] for l in hidden] + [l[::-1] for l in hidden]
    feedback = "".join(p.read_text(errors="replace") for p in (course.workspace / "feedback").rglob("*.html"))
    assert "source-leak" in feedback or (course.workspace / "feedback" / "source-leak-right").exists()
    for text in encoded:
        assert text not in feedback, text
    # The student's own outputs (everything but the checker's test cells) never saw a test cell.
    for path in sorted((course.workspace / "autograded").glob(f"*/{UNIT}/{NB}")):
        nb = nbformat.read(path, as_version=4)
        student_text = "".join(json.dumps(c.get("outputs", [])) for c in nb.cells
                               if c.cell_type == "code" and not c.metadata.get("autograder", {}).get("checker"))
        for text in encoded:
            assert text not in student_text, (path.parts[-3], text)
    # ... and no test's source ever ran in the student's kernel: a cell that is not a graded test
    # (those only ever run in the checker, or not at all after a time-out) holds no hidden test.
    for path in sorted((course.workspace / "autograded").glob(f"*/{UNIT}/{NB}")):
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code" and not is_graded_test(c):
                assert "### BEGIN HIDDEN TESTS" not in c.source, (path.parts[-3], c.source[:200])


def test_output_floods_are_capped(runs):
    path = runs["course"].workspace / "autograded" / "output-floods-right" / UNIT / NB
    assert path.stat().st_size < 20 * 2 ** 20, path.stat().st_size
    assert "output truncated" in " ".join(runs["batch"]["output-floods-right"]["notes"])


def test_checker_messages_are_capped(runs):
    path = runs["course"].workspace / "autograded" / "variant-huge-strings-wrong" / UNIT / NB
    assert path.stat().st_size < 2 ** 20, path.stat().st_size


def test_display_updates_and_widget_buffers_are_capped(runs):
    for attack in ("display-update-bomb", "widget-buffer-bomb"):
        for side in ("wrong", "right"):
            path = runs["course"].workspace / "autograded" / f"{attack}-{side}" / UNIT / NB
            assert path.stat().st_size < 20 * 2 ** 20, (attack, side, path.stat().st_size)
        assert "output truncated" in " ".join(runs["batch"][f"{attack}-right"]["notes"])


def test_lone_surrogates_are_written_replaced(runs):
    for student in ("lone-surrogates-right", "variant-lone-surrogates-wrong"):
        path = runs["course"].workspace / "autograded" / student / UNIT / NB
        nbformat.read(path, as_version=4)   # valid UTF-8 and JSON
    errors = " ".join(s["error"] for s in runs["batch"]["variant-lone-surrogates-wrong"]["scores"].values())
    assert "?" in errors and "\ud800" not in errors, errors


def test_hidden_marker_floods_take_linear_time():
    """(grade._visible, on 50000 BEGIN lines without an END: with the old regex, about an hour)"""
    import subprocess
    import sys
    code = "from autograder.grade import _visible; _visible('### BEGIN HIDDEN TESTS\\n' * 50000 + 'x')"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=90)


def test_a_flood_of_cells_is_refused_before_any_work(runs):
    r = runs["batch"]["cell-flood-wrong"]
    assert r["state"] == "invalid" and "cells" in r["reason"] and r["seconds"] < 10, r


def test_student_strings_in_notes_are_capped(runs):
    notes = runs["batch"]["huge-kernelspec-wrong"]["notes"]
    assert any("kernelspec" in n for n in notes) and len(json.dumps(notes)) < 4000, len(json.dumps(notes))


def test_protocol_failures_are_explained(runs):
    errors = " ".join(s["error"] for s in runs["batch"]["garbage-probe-wrong"]["scores"].values())
    assert "protocol" in errors or "did not answer" in errors, errors


# A student's class that names itself torch.Tensor (`__module__ = "torch"`, `__qualname__ =
# "Tensor"`) crosses as a handle whose claimed MRO makes `isinstance(handle, torch.Tensor)` true
# in the checker; its `.device` answers "cpu" the first time (the device check) and "meta" the
# second (coursekit.testing.assert_close then returns before comparing any value). Run here with
# the real checker Session and the real, unmodified probe, connected by a socket.
FAKE_TENSOR_STUDENT = '''
import torch
class Tensor:
    pass
Tensor.__module__ = "torch"
Tensor.__qualname__ = "Tensor"
class _Fake(Tensor):
    _n = 0
    shape = torch.Size([3])
    dtype = torch.float32
    @property
    def device(self):
        _Fake._n += 1
        return torch.device("cpu" if _Fake._n % 2 else "meta")
def double(x):
    return _Fake()
'''
FAKE_TENSOR_TEST = '''
import torch
from coursekit.testing import assert_close
x = torch.tensor([1.0, 2.0, 3.0])
out = double(x)
assert isinstance(out, torch.Tensor)
assert_close(out, x * 2)
'''


def _checker_run_in_process(student_src: str, test_src: str, tmp_path) -> dict:
    import os
    import socket
    import threading
    import coursekit.probe as probe
    from autograder import checker
    from coursekit import wire
    ns: dict = {}
    exec(student_src, ns)
    path = str(tmp_path / "p.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    thread = threading.Thread(target=probe.serve, args=(path, ns), daemon=True)
    thread.start()
    conn, _ = listener.accept()
    try:
        return checker.Session(conn).run_cell(test_src)
    finally:
        wire.send_frame(conn, {"kind": "end"})
        thread.join(5)
        conn.close()
        listener.close()


def test_a_class_named_torch_tensor_is_not_a_tensor_in_the_checker(tmp_path):
    result = _checker_run_in_process(FAKE_TENSOR_STUDENT, FAKE_TENSOR_TEST, tmp_path)
    assert result["status"] == "error", result


# An autograded-answer cell (nbgrader grade + solution, unlocked: OverwriteCells keeps the student's
# source) whose `solution` flag the student turned off looks like a graded test cell, and would run
# in the checker: student code in the process that judges this notebook and the next ones graded by
# the same worker. Here it makes the checker's run_cell pass everything; two students, one worker.
ANSWER_CELL_HIJACK = (
    "import sys\n"
    "sys.modules['__main__'].Session.run_cell = lambda self, source: {'status': 'ok', 'partial': None, 'stdout': ''}\n")


def test_an_answer_cell_flagged_as_a_test_never_runs_in_the_checker(tmp_path):
    course = Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))
    path = course.solutions / UNIT / NB
    nb = nbformat.read(path, as_version=4)
    answer = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 1\n### END SOLUTION")
    answer.metadata["nbgrader"] = {"grade": True, "solution": True, "locked": False, "points": 1,
                                   "grade_id": "answer", "schema_version": 3}
    nb.cells.insert(2, answer)
    nbformat.write(nb, path)
    (course.root / "units" / UNIT / NB).unlink()  # a release with the answer cell
    examples = make_examples(course, UNIT, tmp_path / "examples")
    perfect = nbformat.read(examples["perfect"] / NB, as_version=4)
    wrong = _wrong(perfect)
    hijack = copy.deepcopy(wrong)
    cell = hijack.cells[_cell(hijack, "answer")]
    cell.metadata.nbgrader["solution"] = False
    cell.source = ANSWER_CELL_HIJACK
    _submit(course, "a-hijack", hijack)        # graded first by the only worker ...
    _submit(course, "b-wrong-plain", wrong)    # ... whose checker then grades these
    _submit(course, "c-perfect", perfect)
    records = {r["student"]: r for r in grade_unit(course, UNIT, workers=1, limits=LIMITS, progress=False)}
    assert records["a-hijack"]["total"] == 0.0, records["a-hijack"]
    assert records["b-wrong-plain"]["total"] == 0.0, records["b-wrong-plain"]
    assert records["c-perfect"]["total"] == FULL, records["c-perfect"]
    graded = nbformat.read(course.workspace / "autograded" / "a-hijack" / UNIT / NB, as_version=4)
    assert not any(c.metadata.get("autograder", {}).get("checker") and "Session" in c.source for c in graded.cells)


# Collecting a class: a submission is any JSON the student wrote. One whose "cells" is not a list
# (null, a number) stopped `autograder collect` with a TypeError, for every student of the source.
@pytest.mark.parametrize("hostile", [b'{"cells": null}', b'{"cells": 5, "nbformat": 4}', b'[{"cells": []}]'])
def test_a_notebook_whose_cells_are_not_a_list_does_not_stop_collect(tmp_path, hostile):
    from autograder.collect import collect
    course = Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))
    honest = (FIXTURE / "units" / UNIT / NB).read_bytes()
    src = tmp_path / "class"
    for student, data in (("alice", honest), ("mallory", hostile)):
        (src / student).mkdir(parents=True)
        (src / student / NB).write_bytes(data)
    collect(course, UNIT, src)
    assert (course.workspace / "submitted" / "alice" / UNIT / NB).read_bytes() == honest
    assert (course.workspace / "submitted" / "mallory" / UNIT / NB).read_bytes() == hostile



# Round 5. collect's report printed the paths of a student's files raw ("new ... from <path>",
# "duplicate: kept <path>, not <path>"): a file named `\x1b]2;...\x07\x1b[2J01.ipynb` in a
# submission drove the instructor's terminal (title, clear screen), and a name that is not UTF-8
# (a lone surrogate once decoded) made printing the report raise after everything was written.
def test_collect_report_shows_no_control_character_of_a_file_name(tmp_path):
    import io
    import os
    from autograder.collect import collect
    course = Course.at(shutil.copytree(FIXTURE, tmp_path / "course"))
    honest = (FIXTURE / "units" / UNIT / NB).read_bytes()
    src = tmp_path / "class" / "alice"
    src.mkdir(parents=True)
    (src / "\x1b]2;owned\x07\x1b[2J\u202ehw.ipynb").write_bytes(honest)
    (src / os.fsdecode(b"\xff\x9b31mcopy.ipynb")).write_bytes(honest)
    report = collect(course, UNIT, tmp_path / "class")
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")   # a terminal's stdout
    report.print(out)
    out.flush()
    text = out.buffer.getvalue().decode("utf-8")
    assert "hw.ipynb" in text and "copy.ipynb" in text, text
    assert not any(c in text for c in "\x1b\x07\x9b\u202e"), text
    assert (course.workspace / "submitted" / "alice" / UNIT / NB).read_bytes() == honest

# Python 3.12+ ends a NameError's message with "Did you mean: 'x'?", x picked from the names of
# the frame that failed: in the checker, the test cells' namespace, which holds the hidden tests'
# names. A student who renames `mean_square` would read a hidden `_mean_squares` in the feedback.
# On 3.11 (whose traceback module makes no suggestion) the 3.12 rule is applied by hand.
SUGGESTION_STUDENT = "def mean_sq(x):\n    return 0.0\n"
SUGGESTION_TEST = "_mean_squares = [1.0, 4.0]   # a hidden test's own name\nassert mean_square(_mean_squares) == 2.5\n"


def test_a_name_error_suggests_no_hidden_name(tmp_path, monkeypatch):
    import difflib
    import sys
    import traceback
    if sys.version_info < (3, 12):
        real = traceback.format_exception

        def format_exception_312(exc_type, exc=None, tb=None, *a, **k):
            lines = real(exc_type, exc, tb, *a, **k)
            name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            if name and tb is not None:
                close = difflib.get_close_matches(name, list(tb.tb_frame.f_globals), n=1)
                if close:
                    lines[-1] = lines[-1].rstrip("\n") + f". Did you mean: {close[0]!r}?\n"
            return lines
        monkeypatch.setattr(traceback, "format_exception", format_exception_312)
    result = _checker_run_in_process(SUGGESTION_STUDENT, SUGGESTION_TEST, tmp_path)
    assert result["status"] == "error" and result["ename"] == "NameError", result
    assert "mean_square" in result["evalue"], result
    shown = result["evalue"] + "\n".join(result["traceback"])
    assert "_mean_squares" not in shown, shown


# Round 5. A handle's claimed classes are looked up by name in torch/numpy modules, and torch
# re-exports builtins under its own names (`torch.types._bool` is `bool`, a module's `OrderedDict`
# is `collections.OrderedDict`): a student's object of a class renamed so passed the checker's
# `isinstance(flag, bool)` and then `assert flag` on its own `__bool__`, where in one kernel the
# isinstance fails. A claim now counts only for a class defined under that very name, never a data
# type, and only from a module the checker already imported (a claim never makes it import one).
BUILTIN_ALIAS_STUDENT = '''
class _bool:
    def __bool__(self):
        return True
_bool.__module__ = "torch.types"
class OrderedDict:
    pass
OrderedDict.__module__ = "torch.nn.modules.module"
class TestCase:
    pass
TestCase.__module__ = "torch.utils.model_dump"
def is_positive(x):
    return _bool()
def counts(x):
    return OrderedDict()
def case(x):
    return TestCase()
'''
BUILTIN_ALIAS_TESTS = [
    "flag = is_positive(-1.0)\nassert isinstance(flag, bool)\nassert flag\n",
    "assert isinstance(counts([1, 2]), dict)\n",
    "import sys\nisinstance(case(0), torch.nn.Module)\nassert 'torch.utils.model_dump' in sys.modules\n",
]


@pytest.mark.parametrize("test_src", BUILTIN_ALIAS_TESTS)
def test_a_handle_never_passes_for_a_builtin_type_nor_imports_a_module(tmp_path, test_src):
    import sys
    if "torch.utils.model_dump" in sys.modules:
        pytest.skip("torch.utils.model_dump is already imported in this process")
    result = _checker_run_in_process(BUILTIN_ALIAS_STUDENT, test_src, tmp_path)
    assert result["status"] == "error", result
