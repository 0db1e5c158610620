"""ATen operators per training step of a notebook's training loops: what bounds a step of these small
models on a GPU, measured on the CPU.

    python benchmarks/ops_per_step.py 2-cnns-detection/05-segmentation 3-attention-transformers/03-vision-transformer ...

A GPU step of a small model costs the host's time to launch its kernels, not the GPU's time to run
them (the H200 measured II 05 at about 18 ms a step, alone or shared). The number of operators a
step dispatches is a count, the same on any machine, so it can be measured here: each notebook runs
in smoke mode (the full model, a few steps) under a dispatch mode that counts every operator that is
not a view, between one `optimizer.step()` and the next (forward, loss, backward, the next batch)
and inside it. Printed per cell that stepped an optimizer: its steps, the median count between two
steps (the first window also holds the cell's set-up, and one may hold an evaluation), and the
count inside a step. On CUDA, AdamW defaults to its foreach form (a few multi-tensor kernels per step), while
here it loops over the parameters, so the optimizer's count is shown apart and not used for a GPU
estimate; bf16 autocast adds casts on CUDA that the CPU run does not make. Work a notebook does on
the CPU in every mode is counted too (III 04's set losses, 766 of DETR's 1,251 operators a step):
it costs the host its time (benchmarks/detr_set_loss.py) but launches no GPU kernel.
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

ROOT = Path(__file__).resolve().parents[1]

COUNTER = r'''
import statistics
import torch
from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook
from torch.utils._python_dispatch import TorchDispatchMode

class _OpsPerStep(TorchDispatchMode):
    # Counts the operators that launch work (views and detach excluded): between one optimizer step
    # and the next (forward, loss, backward, the next batch), and inside optimizer.step().
    def __init__(self):
        super().__init__()
        self.window, self.windows, self.optimizer_ops, self.in_step = 0, [], 0, False
        self.cells = []
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        if not func.is_view and func.overloadpacket.__name__ not in ("detach", "alias", "lift_fresh"):
            if self.in_step:
                self.optimizer_ops += 1
            else:
                self.window += 1
        return func(*args, **(kwargs or {}))
    def before_step(self, opt, args, kwargs):
        self.windows.append(self.window)
        self.in_step = True
    def after_step(self, opt, args, kwargs):
        self.in_step, self.window = False, 0
    def cell_done(self, result):
        if self.windows:
            # the first window also holds the cell's set-up; a later one may hold an evaluation: the median
            between = self.windows[1:] or self.windows
            self.cells.append({"cell": result.info.raw_cell[:80], "steps": len(self.windows),
                               "ops": statistics.median(between), "optimizer_ops": self.optimizer_ops / len(self.windows)})
        self.window, self.windows, self.optimizer_ops = 0, [], 0

_ops_counter = _OpsPerStep()
register_optimizer_step_pre_hook(_ops_counter.before_step)
register_optimizer_step_post_hook(_ops_counter.after_step)
get_ipython().events.register("post_run_cell", _ops_counter.cell_done)
_ops_counter.__enter__()
'''


def count(notebook: str, timeout: int) -> list[dict]:
    path = ROOT / "solutions" / f"{notebook}.ipynb"
    nb = parameterize_notebook(load_notebook_node(str(path)), {"SMOKE": True, "DEVICE": "cpu"},
                               kernel_name="python3", language="python")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        nb.cells.insert(0, nbformat.v4.new_code_cell(COUNTER))
        nb.cells.append(nbformat.v4.new_code_cell(
            f"import json\n_ops_counter.__exit__(None, None, None)\n"
            f"json.dump(_ops_counter.cells, open({out.name!r}, 'w'))"))
        NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(nb.cells)
                  if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            print(f"{notebook}: errors while counting (counts of the other cells stand):", *errors, sep="\n  ")
        return json.loads(Path(out.name).read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help="unit folder/notebook stem, e.g. 3-attention-transformers/03-vision-transformer")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds per cell")
    args = parser.parse_args()
    print(f"{'notebook':42} {'cell':44} {'steps':>6} {'ops/step':>9} {'optimizer ops/step':>19}")
    for notebook in args.notebooks:
        for cell in count(notebook, args.timeout):
            first = cell["cell"].splitlines()[0] if cell["cell"] else ""
            print(f"{notebook:42} {first[:44]:44} {cell['steps']:6d} {cell['ops']:9.0f} {cell['optimizer_ops']:19.0f}")


if __name__ == "__main__":
    main()
