"""`autograder mutate`: prove by machine that each exercise's graded tests reject wrong solutions.

Hand-written WRONG answers prove the mistakes someone thought of; mutation testing proves the
rest. Every solution cell is parsed with `ast`; each node inside its `### BEGIN SOLUTION` ...
`### END SOLUTION` lines is offered to a list of operator families (one function per family,
below): arithmetic and comparison operators swapped, constants nudged, `dim=` changed,
`keepdim=True` dropped, reductions swapped, statements deleted, `.clone()`/`.detach()` removed or
added, call arguments swapped, `train()`/`eval()` swapped, `with torch.no_grad():` removed. Each
mutant is the whole cell with exactly one change: the top-level function or class holding the
change is re-written with `ast.unparse` (so its comments go) and the rest of the cell is kept.
Mutants identical to the original or to an earlier mutant, and mutants that do not compile,
are dropped. A mutant's key, `<family>@<line>:<col>#<n>` (line and column of the changed node
in the original cell, n-th change of that family there), is stable while the cell is unchanged.

The runner executes the solution notebook on CPU in smoke mode, parameterised by papermill as
`check` does, in one kernel (`check._Kernel`). Right after an exercise's graded test cells have
run, each mutant is defined in a scratch cell and the exercise's graded cells are run against it
in order, stopping at the first that fails (the mutant is killed); a mutant that passes them all
survives; then the real solution cell is run again. A mutant whose definition raises, that times
out or that kills the kernel counts as killed; after a dead kernel a fresh one replays the
notebook up to that exercise. The same pass runs each WRONG answer of the `.answers.py` file
against the *visible* part of the graded cells only (hidden tests removed), for `check`.

Why not mutmut or cosmic-ray: their operators are the generic Python ones (no `dim`, `keepdim`,
reductions, `detach`, `no_grad`, `train`/`eval`), and their runners mutate files on disk and run
a test command per mutant. Here the code lives in notebook cells and the tests are the graded
cells that follow it, and the only fast way to run them is inside a live notebook kernel that
has already done the expensive setup (data, models), re-defining one function at a time. A
small `ast.NodeTransformer` generator plus that runner is less code than adapting either tool.

Reviewed survivors: `EQUIVALENT = {grade_id: {mutant_key: "one-line reason"}}` in the answers
file marks a surviving mutant as equivalent to the solution; a listed key that matches no
surviving mutant is stale and reported.
"""
from __future__ import annotations

import ast
import copy
import difflib
import math
import re
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from nbclient.exceptions import DeadKernelError
from nbgrader.utils import is_grade, is_solution
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from . import check
from .bridge import CheckerError, is_graded_test
from .course import Course

HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n?", re.S)


# ---------------------------------------------------------------- the operator families
# Each family takes a node of the original cell and its parent map and returns
# [(description, replacement)]: the replacement (a node, or a list of statements) takes the
# node's place in one mutant. Replacements may share children with the original tree: they
# are deep-copied into the mutant.

ARITHMETIC = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
              ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.MatMult: ast.Mult}
# Each comparison gets its boundary twin (< vs <=) and its negation (< vs >=).
COMPARISON = {ast.Lt: (ast.LtE, ast.GtE), ast.LtE: (ast.Lt, ast.Gt), ast.Gt: (ast.GtE, ast.LtE),
              ast.GtE: (ast.Gt, ast.Lt), ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.Is: (ast.IsNot,),
              ast.IsNot: (ast.Is,), ast.In: (ast.NotIn,), ast.NotIn: (ast.In,)}
SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
          ast.MatMult: "@", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
          ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.And: "and", ast.Or: "or"}
REDUCTIONS = {"mean": "sum", "sum": "mean", "amax": "amin", "amin": "amax", "max": "min", "min": "max",
              "argmax": "argmin", "argmin": "argmax", "clamp_min": "clamp_max", "clamp_max": "clamp_min"}
DIM_KEYWORDS = ("dim", "axis")
# Methods whose first positional argument is a dimension.
DIM_METHODS = {"sum", "mean", "amax", "amin", "max", "min", "argmax", "argmin", "softmax", "log_softmax",
               "logsumexp", "cumsum", "prod", "std", "var", "gather", "flatten", "squeeze", "unsqueeze", "all", "any"}
SCALAR_CASTS = {"float", "int", "bool", "len", "str"}


def _number(node) -> int | float | None:
    """The value of a numeric literal (`3`, `-1`, `1e-8`), else None; booleans are not numbers here."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _number(node.operand)
        return None if value is None else -value
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _literal(value: int | float) -> ast.expr:
    # A negative literal as unary minus, so that ast.unparse adds brackets where needed.
    return ast.UnaryOp(ast.USub(), ast.Constant(-value)) if value < 0 else ast.Constant(value)


def _plus(node, amount: int) -> ast.expr:
    return ast.BinOp(node, ast.Add() if amount > 0 else ast.Sub(), ast.Constant(abs(amount)))


def arithmetic(node, parents):
    """`+` <-> `-`, `*` <-> `/`, `//` -> `/`, `%` -> `//`, `**` -> `*`, `@` -> `*`, also in `x += y`;
    a unary minus dropped."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in ARITHMETIC:
        new_op = ARITHMETIC[type(node.op)]
        changed = copy.copy(node)
        changed.op = new_op()
        return [(f"{SYMBOL[type(node.op)]} -> {SYMBOL[new_op]}", changed)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _number(node) is None:
        return [("unary - dropped", node.operand)]
    return []


def comparison(node, parents):
    """`<` -> `<=` / `>=` and the like, `==` <-> `!=`, `is` <-> `is not`, `and` <-> `or`, `not` dropped."""
    found = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            for new_op in COMPARISON.get(type(op), ()):
                changed = copy.copy(node)
                changed.ops = [*node.ops[:i], new_op(), *node.ops[i + 1:]]
                found.append((f"{SYMBOL[type(op)]} -> {SYMBOL[new_op]}", changed))
    elif isinstance(node, ast.BoolOp):
        new_op = ast.Or if isinstance(node.op, ast.And) else ast.And
        found.append((f"{SYMBOL[type(node.op)]} -> {SYMBOL[new_op]}", ast.BoolOp(new_op(), node.values)))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        found.append(("not dropped", node.operand))
    return found


def constant(node, parents):
    """Numbers nudged: an int n -> n + 1, n - 1, 0; an eps-like float (|v| < 1e-3) -> 0 and v * 1000;
    another float v -> 0 and 2 v (0.0 -> 1.0)."""
    value = _number(node)
    parent = parents.get(node)
    if value is None or (isinstance(node, ast.Constant) and isinstance(parent, ast.UnaryOp)):
        return []  # not a number, or the inner part of `-n` (the UnaryOp is mutated instead)
    if isinstance(parent, ast.keyword) and parent.arg in DIM_KEYWORDS:
        return []  # the dim family changes dimensions
    if isinstance(value, int):
        new_values = sorted({value + 1, value - 1, 0} - {value})
    elif value == 0:
        new_values = [1.0]
    elif abs(value) < 1e-3:
        new_values = [0.0, value * 1e3]
    else:
        new_values = [0.0, 2 * value]
    return [(f"{value!r} -> {new!r}", _literal(new)) for new in new_values]


def off_by_one(node, parents):
    """A computed slice bound or `range` argument moved by one (literal ones are the constant family's)."""
    parent = parents.get(node)
    is_bound = isinstance(parent, ast.Slice) and node in (parent.lower, parent.upper)
    is_range_arg = (isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "range"
                    and node in parent.args)
    if not (is_bound or is_range_arg) or _number(node) is not None:
        return []
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and _number(node.right) is not None:
        return []  # `i + 2`: nudging the 2 (constant family) already moves it by one
    return [("+ 1", _plus(node, 1)), ("- 1", _plus(node, -1))]


def _other_dims(value) -> list[int]:
    if not isinstance(value, int):
        return [-1]  # `dim=dim` -> `dim=-1`: does the solution honour its argument?
    return {0: [1, -1], 1: [0, -1], -1: [-2, 0]}.get(value, [value - 1 if value > 0 else value + 1])


def dim_argument(node, parents):
    """`dim=1` -> `dim=0` / `dim=-1`, `dim=-1` -> `dim=-2` / `dim=0`; also the positional dim of
    `x.sum(1)`, `x.argmax(1)`, `x.gather(1, i)`, ...; `dim=name` -> `dim=-1`."""
    parent = parents.get(node)
    if isinstance(node, ast.keyword) and node.arg in DIM_KEYWORDS:
        if isinstance(node.value, (ast.Tuple, ast.List)):
            return []
        value = _number(node.value)
        return [(f"{node.arg}={ast.unparse(node.value)} -> {node.arg}={new}", ast.keyword(node.arg, _literal(new)))
                for new in _other_dims(value)]
    if (isinstance(parent, ast.Call) and parent.args and parent.args[0] is node and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in DIM_METHODS and isinstance(_number(node), int)):
        return [(f"dim {_number(node)} -> {new}", _literal(new)) for new in _other_dims(_number(node))]
    return []


def keepdim_dropped(node, parents):
    """`keepdim=True` removed from a call."""
    if isinstance(node, ast.Call):
        kept = [k for k in node.keywords if not (k.arg == "keepdim" and isinstance(k.value, ast.Constant)
                                                  and k.value.value is True)]
        if len(kept) < len(node.keywords):
            return [("keepdim=True dropped", ast.Call(node.func, node.args, kept))]
    return []


def reduction_swapped(node, parents):
    """`.mean` <-> `.sum`, `.amax` <-> `.amin`, `.max` <-> `.min`, `.argmax` <-> `.argmin`,
    `.clamp_min` <-> `.clamp_max`; the builtins `max` <-> `min`."""
    if isinstance(node, ast.Attribute) and node.attr in REDUCTIONS:
        return [(f".{node.attr} -> .{REDUCTIONS[node.attr]}", ast.Attribute(node.value, REDUCTIONS[node.attr], node.ctx))]
    parent = parents.get(node)
    if (isinstance(node, ast.Name) and node.id in ("max", "min") and isinstance(parent, ast.Call)
            and parent.func is node):
        return [(f"{node.id} -> {REDUCTIONS[node.id]}", ast.Name(REDUCTIONS[node.id], node.ctx))]
    return []


def statement_deleted(node, parents):
    """A statement replaced by `pass` (not a `pass`, a docstring or a nested def)."""
    if not isinstance(node, ast.stmt) or isinstance(node, (ast.Pass, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
        return []
    return [(f"line deleted: {ast.unparse(node).splitlines()[0][:60]}", ast.Pass())]


def clone_detach(node, parents):
    """`.clone()` / `.detach()` removed; `.clone()` put before an in-place method (`p.clone().sub_(d)`,
    so the update is lost); `.detach()` added to a returned value."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr
        if method in ("clone", "detach"):
            return [(f".{method}() removed", node.func.value)]
        if method.endswith("_") and not method.startswith("_"):
            receiver = ast.Call(ast.Attribute(node.func.value, "clone", ast.Load()), [], [])
            return [(f".clone() before .{method}", ast.Call(ast.Attribute(receiver, method, ast.Load()), node.args,
                                                            node.keywords))]
    if isinstance(node, ast.Return) and node.value is not None and not isinstance(node.value, (ast.Tuple, ast.Constant)):
        scalar = (isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                  and node.value.func.id in SCALAR_CASTS)
        if not scalar:  # a Python scalar has no .detach(): that mutant would only prove an AttributeError
            detached = ast.Call(ast.Attribute(node.value, "detach", ast.Load()), [], [])
            return [(".detach() added to the returned value", ast.Return(detached))]
    return []


def arguments_swapped(node, parents):
    """Two neighbouring positional arguments of a call swapped."""
    if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
        return []
    found = []
    for i in range(len(node.args) - 1):
        first, second = node.args[i], node.args[i + 1]
        if ast.unparse(first) != ast.unparse(second):
            args = [*node.args[:i], second, first, *node.args[i + 2:]]
            found.append((f"arguments {i + 1} and {i + 2} swapped", ast.Call(node.func, args, node.keywords)))
    return found


def train_eval_swapped(node, parents):
    """`model.train()` <-> `model.eval()`."""
    parent = parents.get(node)
    if isinstance(node, ast.Attribute) and node.attr in ("train", "eval") and isinstance(parent, ast.Call) \
            and parent.func is node:
        other = "eval" if node.attr == "train" else "train"
        return [(f".{node.attr}() -> .{other}()", ast.Attribute(node.value, other, node.ctx))]
    return []


def no_grad_removed(node, parents):
    """`with torch.no_grad():` removed, its body kept."""
    if isinstance(node, ast.With):
        items = [i for i in node.items if not ast.unparse(i.context_expr).endswith(("no_grad()", "inference_mode()"))]
        if len(items) < len(node.items):
            return [("with torch.no_grad() removed", ast.With(items, node.body) if items else node.body)]
    return []


# Family name (the first part of a mutant key) -> function. Torch-specific families first: when
# two families make the same mutant, the first one's key is kept.
FAMILIES = {
    "dim": dim_argument, "keepdim": keepdim_dropped, "reduce": reduction_swapped, "clone": clone_detach,
    "mode": train_eval_swapped, "nograd": no_grad_removed, "args": arguments_swapped, "arith": arithmetic,
    "compare": comparison, "const": constant, "offbyone": off_by_one, "delete": statement_deleted,
}


# ---------------------------------------------------------------- making the mutants of a cell

@dataclass(frozen=True)
class Mutant:
    key: str           # "reduce@14:18#0": family @ line:column of the changed node in the cell # n-th there
    description: str   # ".sum -> .mean"
    source: str        # the whole solution cell with this one change
    diff: str          # unified diff of the changed function or class (unparsed, so without comments)


class _Replace(ast.NodeTransformer):
    """Put `replacement` (a node or a list of statements) in the place of `target` (found by identity)."""

    def __init__(self, target, replacement):
        self.target, self.replacement = target, replacement

    def visit(self, node):
        return self.replacement if node is self.target else self.generic_visit(node)


def solution_regions(source: str) -> list[tuple[int, int]]:
    """(begin, end) line numbers (1-based) of each `### BEGIN SOLUTION` / `### END SOLUTION` pair."""
    regions, begin = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        if "### BEGIN SOLUTION" in line:
            begin = number
        elif "### END SOLUTION" in line and begin is not None:
            regions.append((begin, number))
            begin = None
    return regions


def mutants(source: str, name: str = "solution") -> list[Mutant]:
    """Every mutant of a solution cell's source: one change each, inside its solution lines only."""
    tree = check.parse_source(source)
    regions = solution_regions(source)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    lines = source.splitlines(keepends=True)
    found, seen = [], set()
    for top in tree.body:
        original = ast.unparse(top)
        first_line = min([top.lineno] + [d.lineno for d in getattr(top, "decorator_list", [])])
        nodes = list(ast.walk(top))
        per_position = Counter()
        for index, node in enumerate(nodes):
            if not hasattr(node, "end_lineno") or not any(b < node.lineno and node.end_lineno < e for b, e in regions):
                continue
            for family, make in FAMILIES.items():
                for description, replacement in make(node, parents):
                    position = f"{node.lineno}:{node.col_offset}"
                    key = f"{family}@{position}#{per_position[family, position]}"
                    per_position[family, position] += 1
                    # Mutate a copy of the top-level statement; ast.walk visits the copy in the same order.
                    mutated_top = copy.deepcopy(top)
                    target = list(ast.walk(mutated_top))[index]
                    mutated = _Replace(target, copy.deepcopy(replacement)).visit(mutated_top)
                    if isinstance(mutated, list):
                        mutated = ast.Module(body=mutated, type_ignores=[])
                    text = ast.unparse(mutated)
                    if text == original or text in seen:
                        continue
                    seen.add(text)
                    cell = "".join(lines[:first_line - 1]) + text + "\n" + "".join(lines[top.end_lineno:])
                    try:
                        compile(cell, f"<mutant {key}>", "exec")
                    except SyntaxError:
                        continue
                    diff = "\n".join(difflib.unified_diff(original.splitlines(), text.splitlines(), name,
                                                          f"{name} [{key}]", n=1, lineterm=""))
                    found.append(Mutant(key, description, cell, diff))
    return found


# ---------------------------------------------------------------- running them in the kernel

@dataclass
class Outcome:
    status: str        # "killed", "survived" or "not run"
    detail: str = ""   # for killed: which graded cell and its error, or "invalid: ...", "timed out ...", "kernel died"


@dataclass
class ExerciseResult:
    grade_id: str
    mutants: list[Mutant] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)      # mutant key -> outcome
    equivalent: dict[str, str] = field(default_factory=dict)       # reviewed key -> reason (from EQUIVALENT)
    visible_caught: dict[str, bool] = field(default_factory=dict)  # WRONG name -> the visible tests catch it

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes.values())

    @property
    def survivors(self) -> list[Mutant]:
        return [m for m in self.mutants if self.outcomes.get(m.key, Outcome("not run")).status == "survived"]

    @property
    def unreviewed(self) -> list[Mutant]:
        return [m for m in self.survivors if m.key not in self.equivalent]

    @property
    def stale_keys(self) -> list[str]:
        surviving = {m.key for m in self.survivors}
        return sorted(k for k in self.equivalent if k not in surviving)


@dataclass
class NotebookResult:
    name: str
    exercises: list[ExerciseResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not about survivors: stale keys, broken runs, ...
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(e.count(status) for e in self.exercises)

    @property
    def total(self) -> int:
        return sum(len(e.mutants) for e in self.exercises)

    @property
    def equivalent(self) -> int:
        return sum(len(e.survivors) - len(e.unreviewed) for e in self.exercises)

    @property
    def unreviewed(self) -> list[tuple[str, Mutant]]:
        return [(e.grade_id, m) for e in self.exercises for m in e.unreviewed]

    @property
    def failures(self) -> list[str]:
        """Everything that makes this notebook fail: unreviewed survivors, stale keys, other problems."""
        found = [f"mutant {key_line(grade_id, m)} survives every graded test of its exercise: kill it with a test, "
                 f"or list it in EQUIVALENT[{grade_id!r}] with a reason\n{_indent(m.diff)}"
                 for grade_id, m in self.unreviewed]
        found += [f"EQUIVALENT[{e.grade_id!r}][{key!r}] is stale: no surviving mutant has that key"
                  for e in self.exercises for key in e.stale_keys]
        return found + self.problems


def key_line(grade_id: str, mutant: Mutant) -> str:
    return f"{grade_id} {mutant.key} ({mutant.description})"


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def visible_part(test_source: str) -> str:
    """A graded cell as students see it: the hidden-tests block removed."""
    return HIDDEN_TESTS.sub("", test_source)


class _KernelLost(Exception):
    """The kernel died, the checker failed, or a graded cell timed out (the kernel may still be busy
    with it): the session has to start over."""


class _Session:
    """The solution notebook running in a check kernel, graded cells in its checker as `check`
    runs them; after a lost kernel it starts over in a fresh one and replays the notebook up to
    where it was (the checker's state is rebuilt by the graded cells replayed)."""

    def __init__(self, nb, workdir: str, cell_timeout: int, watcher=None):
        self.nb, self.workdir, self.cell_timeout, self.watcher = nb, workdir, cell_timeout, watcher
        self.kernel, self.done, self.starts = None, 0, 0   # cells [0, done) have run in this kernel
        self.errors: dict[int, str] = {}                   # notebook cell index -> its error
        self.reported = 0                                  # cells [0, reported) were shown to the watcher

    def close(self) -> None:
        if self.kernel is not None:
            kernel, self.kernel = self.kernel, None
            kernel.__exit__(None, None, None)

    def run_to(self, stop: int) -> None:
        """Run the notebook's code cells before index `stop` that have not run in this kernel yet."""
        if self.kernel is None:
            self.starts += 1
            # A folder per kernel: a dead kernel's sockets never collide with the next one's.
            folder = Path(self.workdir) / f"kernel-{self.starts}"
            folder.mkdir()
            self.kernel, self.done = check._Kernel(self.nb, str(folder), self.cell_timeout, checker=True).__enter__(), 0
        for index in range(self.done, stop):
            cell = self.nb.cells[index]
            if cell.cell_type == "code":
                started = time.monotonic()
                error = self.kernel.run(cell, index)
                if error:
                    self.errors[index] = error
                # The first run of each cell, not its replays after a lost kernel.
                if self.watcher is not None and index >= self.reported:
                    self.watcher.cell_ran(self.kernel, index, cell, error, time.monotonic() - started)
            self.done = index + 1
            self.reported = max(self.reported, self.done)

    def restart(self, stop: int) -> None:
        self.close()
        self.run_to(stop)

    def run_cell(self, cell, timeout: int) -> str | None:
        """Run a cell that is not part of the notebook (a graded one in the checker) within `timeout`
        seconds; its error or None. Raises _KernelLost."""
        kernel = self.kernel
        kernel.client.timeout = kernel.cell_timeout = timeout
        try:
            error = kernel.run(cell, -1)
        except (DeadKernelError, CheckerError) as exc:
            raise _KernelLost("kernel died" if isinstance(exc, DeadKernelError) else f"checker failed: {exc}") from exc
        finally:
            kernel.client.timeout = kernel.cell_timeout = self.cell_timeout
        if error and error.startswith("KeyboardInterrupt"):  # interrupt_on_timeout stopped a plain cell
            return f"timed out after {timeout} s"
        if error and error.startswith("timed out") and is_graded_test(cell):
            raise _KernelLost(f"timed out after {timeout} s")
        return error

    def run_source(self, source: str, timeout: int) -> str | None:
        return self.run_cell(check._scratch_cell(source), timeout)


def _exercises(nb) -> list[tuple[int, list[int]]]:
    """(solution cell index, indices of the graded cells that follow it) per exercise."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_solution(cell):
            found.append((index, []))
        elif is_grade(cell) and found:
            found[-1][1].append(index)
    return found


def _first_failure(session: _Session, tests: list, timeout: int) -> str | None:
    """Run the graded cells (copies: the notebook's own keep their outputs) in order; 'grade_id: error'
    of the first that fails, else None."""
    for test in tests:
        error = session.run_cell(copy.deepcopy(test), timeout)
        if error:
            return f"{test.metadata['nbgrader']['grade_id']}: {error}"
    return None


def analyse_notebook(path: Path, name: str, wrong: dict | None = None, equivalent: dict | None = None,
                     cell_timeout: int = 150, mutant_timeout: int = 10, watcher=None,
                     make_mutants: bool = True) -> NotebookResult:
    """Mutation analysis of one solution notebook (and the visible-part check of its WRONG answers).

    `watcher` (check's step 3) shares this run instead of executing the notebook once more:
    `watcher.cell_ran(kernel, index, cell, error, seconds)` after the first run of each code cell,
    `watcher.exercise_passed(kernel, grade_id, solution_cell, tests)` once an exercise's graded
    cells pass (before its mutants), and with a watcher the cells after the last exercise run too.
    """
    start = time.monotonic()
    result = NotebookResult(name)
    # make_mutants=False (`check --no-mutants`, a quick run while writing answers): the WRONG
    # answers still run, no mutant does, so no EQUIVALENT key can be judged stale either.
    wrong, equivalent = wrong or {}, (equivalent or {}) if make_mutants else {}
    nb = parameterize_notebook(load_notebook_node(str(path)), {"SMOKE": True, "DEVICE": "cpu"},
                               kernel_name="python3", language="python")
    exercises = _exercises(nb)
    known = {nb.cells[s].metadata["nbgrader"]["grade_id"] for s, _ in exercises}
    result.problems += [f"EQUIVALENT: no solution cell with grade_id {g!r}" for g in sorted(set(equivalent) - known)]
    with tempfile.TemporaryDirectory(prefix="mutate-") as workdir:
        session = _Session(nb, workdir, cell_timeout, watcher)
        try:
            for solution_index, test_indices in exercises:
                solution = nb.cells[solution_index]
                grade_id = solution.metadata["nbgrader"]["grade_id"]
                exercise = ExerciseResult(grade_id, equivalent=dict(equivalent.get(grade_id, {})))
                result.exercises.append(exercise)
                try:
                    exercise.mutants = mutants(solution.source, grade_id) if make_mutants else []
                except SyntaxError as exc:
                    result.problems.append(f"{grade_id}: the solution cell does not parse: {exc}")
                exercise.outcomes = {m.key: Outcome("not run") for m in exercise.mutants}
                try:
                    _run_exercise(session, exercise, solution_index, test_indices, wrong.get(grade_id, {}),
                                  mutant_timeout, result)
                except (DeadKernelError, CheckerError, _KernelLost) as exc:  # in the notebook itself: stop here
                    result.problems.append(f"{grade_id}: the kernel died running the notebook ({exc}); "
                                           "the mutants of this and later exercises were not run")
                    break
                except check.StopNotebook:
                    break
            else:
                if watcher is not None:  # the demos and figures after the last exercise
                    try:
                        session.run_to(len(nb.cells))
                    except (DeadKernelError, CheckerError) as exc:
                        result.problems.append(f"the kernel died running the cells after the last exercise ({exc})")
                    except check.StopNotebook:
                        pass
        finally:
            session.close()
    result.seconds = time.monotonic() - start
    return result


def _run_exercise(session: _Session, exercise: ExerciseResult, solution_index: int, test_indices: list[int],
                  wrong: dict, mutant_timeout: int, result: NotebookResult) -> None:
    """Run the notebook through this exercise's graded cells, then its mutants and WRONG answers."""
    if not test_indices:
        session.run_to(solution_index + 1)
        result.problems.append(f"{exercise.grade_id}: no graded test cell, so no mutant can be killed")
        return
    nb = session.nb
    solution_source = nb.cells[solution_index].source
    tests = [nb.cells[i] for i in test_indices]
    after = test_indices[-1] + 1
    session.run_to(after)
    failing = [(nb.cells[i].metadata["nbgrader"]["grade_id"], session.errors[i]) for i in test_indices if i in session.errors]
    # The graded cells once more, as the mutants will run them: timed (the first run paid for
    # starting the checker), and proof that they pass when run again.
    started = time.monotonic()
    again = None if failing else _first_failure(session, tests, session.cell_timeout)
    if failing or again:
        why = f"{failing[0][0]} ({failing[0][1]})" if failing else f"{again} when run a second time"
        result.problems.append(f"{exercise.grade_id}: the solution fails its own graded cell {why}, "
                               "so its mutants were not run")
        return
    save_error = session.run_source(check.SAVE, session.cell_timeout)
    if save_error:
        result.problems.append(f"{exercise.grade_id}: saving the kernel's state before the variants raised {save_error}")
        return
    if session.watcher is not None:
        session.watcher.exercise_passed(session.kernel, exercise.grade_id, nb.cells[solution_index], tests)
    # A mutant may be a few times slower than the solution before it counts as hanging.
    timeout = min(max(mutant_timeout, math.ceil(5 * (time.monotonic() - started))), session.cell_timeout)
    visible_tests = [copy.deepcopy(t) for t in tests]
    for test in visible_tests:
        test.source = visible_part(test.source)
    probes = [(m.key, m.source, tests) for m in exercise.mutants]
    probes += [(("WRONG", name), source, visible_tests) for name, source in wrong.items()]
    for key, source, against in probes:
        killed_by = None
        try:
            error = session.run_source(check.replacing(solution_source, source), timeout)
            killed_by = f"invalid: {error}" if error else _first_failure(session, against, timeout)
            restore_error = session.run_source(check.RESTORE + solution_source, timeout)
            if restore_error:
                result.problems.append(f"{exercise.grade_id}: re-running the solution after {key} raised {restore_error}")
        except _KernelLost as lost:
            killed_by = killed_by or str(lost)
            session.restart(after)
            session.run_source(check.SAVE, session.cell_timeout)  # a fresh kernel: its own state to put back
        if isinstance(key, tuple):
            exercise.visible_caught[key[1]] = killed_by is not None
        else:
            exercise.outcomes[key] = Outcome("killed", killed_by) if killed_by else Outcome("survived")
    # A mutant could have changed state the tests share (a global tensor changed in place): the
    # real solution must still pass its tests, or this exercise's results are not to be trusted.
    try:
        broken = _first_failure(session, tests, session.cell_timeout)
    except _KernelLost as lost:
        broken = str(lost)
        session.restart(after)
    if broken:
        result.problems.append(f"{exercise.grade_id}: after its mutants ran, the solution fails {broken} "
                               "(a mutant changed shared state): these results are unreliable")


# ---------------------------------------------------------------- the command

def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def format_result(result: NotebookResult) -> str:
    """Score per exercise and for the notebook, then every unreviewed survivor with its key and diff."""
    lines = [f"{result.name}  ({result.seconds:.1f} s)"]
    width = max([len(e.grade_id) for e in result.exercises] + [8])
    for e in result.exercises:
        killed, total = e.count("killed"), len(e.mutants)
        extra = f", {len(e.survivors) - len(e.unreviewed)} equivalent" if len(e.survivors) > len(e.unreviewed) else ""
        not_run = f", {e.count('not run')} not run" if e.count("not run") else ""
        lines.append(f"  {e.grade_id.ljust(width)}  {killed}/{total} killed ({_percent(killed, total)}), "
                     f"{len(e.unreviewed)} survived{extra}{not_run}")
    killed, total = result.count("killed"), result.total
    lines.append(f"  {'notebook'.ljust(width)}  {killed}/{total} killed ({_percent(killed, total)}), "
                 f"{len(result.unreviewed)} survived, {result.equivalent} equivalent")
    for grade_id, m in result.unreviewed:
        lines.append(f"\n  SURVIVED {key_line(grade_id, m)}\n{_indent(m.diff, '    ')}")
    lines += [f"\n  PROBLEM {p}" for p in result.failures[len(result.unreviewed):]]
    return "\n".join(lines)


def run(course: Course, unit_key: str | None = None, notebook: str | None = None, jobs: int = 1,
        mutant_timeout: int = 10) -> list[NotebookResult]:
    paths = [(unit, name) for unit in course.select_units(unit_key)
             for name in course.select_notebooks(unit, notebook)]

    def one(unit_and_name):
        unit, name = unit_and_name
        path = course.solutions / unit / name
        _, _, equivalent = check.load_answers(path.with_name(path.stem + ".answers.py"), "EQUIVALENT")
        return analyse_notebook(path, f"{unit}/{name}", {}, equivalent, mutant_timeout=mutant_timeout)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, paths))


def main(course: Course, args) -> int:
    results = run(course, args.unit, args.notebook, args.jobs, args.timeout)
    if not results:
        print("no notebooks match")
        return 1
    for result in results:
        print(format_result(result) + "\n")
    failed = [r for r in results if r.failures]
    killed, total = sum(r.count("killed") for r in results), sum(r.total for r in results)
    print(f"mutation score: {killed}/{total} killed ({_percent(killed, total)}); "
          f"{len(results) - len(failed)}/{len(results)} notebooks without unreviewed survivors or problems")
    return 1 if failed else 0
