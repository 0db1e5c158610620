"""Host time of DETR's set loss per training step (unit III, 04-detr-and-clip), two ways of writing it.

    python benchmarks/detr_set_loss.py [--repeats 30]

Each DETR training step runs `set_loss` on the CPU for the 3 decoder blocks of a batch of 16 scenes
(8 queries, 10 classes + "no object", 1 to 6 objects per scene), forward and backward. The host is
what bounds a step of this small model on a GPU, so these milliseconds are a floor under the step
time on any device. Compared: the solution (one `matching_cost` call for the whole batch, as DETR's
HungarianMatcher does) and the per-image loop (the answers file's RIGHT variant). One thread, as
the host side of a GPU step; both give the same loss and gradients (checked here).
"""
from __future__ import annotations

import argparse
import json
import runpy
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "solutions/3-attention-transformers/04-detr-and-clip.ipynb"
ANSWERS = NOTEBOOK.with_suffix(".answers.py")
LOOP = "a loop over the images: matching_cost and hungarian_match per image"


def namespace() -> dict:
    """The notebook's imports and its solutions of matching_cost, hungarian_match and set_loss."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    ns: dict = {}
    exec("".join(cells[1]["source"]), ns)                     # the imports cell
    for cell in cells:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") in ("matching_cost", "hungarian_match", "set_loss"):
            exec("".join(cell["source"]), ns)
    return ns


def batch(gen: torch.Generator, B: int = 16, Q: int = 8, K1: int = 11):
    """Predictions of the 3 decoder blocks [3, B, Q, K1 + 4] and B targets of 1 to 6 objects."""
    sizes = torch.randint(1, 7, (B,), generator=gen).tolist()
    targets = [{"labels": torch.randint(1, K1, (G,), generator=gen),
                "boxes": torch.cat([torch.rand(G, 2, generator=gen) * 0.6 + 0.2, torch.rand(G, 2, generator=gen) * 0.3 + 0.05], 1)}
               for G in sizes]
    logits = torch.randn(3, B, Q, K1, generator=gen) * 2
    boxes = torch.rand(3, B, Q, 4, generator=gen) * 0.5 + 0.1
    return logits, boxes, targets


def step(set_loss, logits, boxes, targets):
    """The loss of all 3 blocks, forward and backward; returns (loss, grad of logits, grad of boxes)."""
    logits, boxes = logits.clone().requires_grad_(), boxes.clone().requires_grad_()
    loss = sum(set_loss(logits[k], boxes[k], targets) for k in range(len(logits)))
    loss.backward()
    return loss.detach(), logits.grad, boxes.grad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="training steps timed per variant (default 30)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    ns = namespace()
    solution = ns["set_loss"]
    loop_ns = dict(ns)
    exec(runpy.run_path(str(ANSWERS))["RIGHT"]["set_loss"][LOOP], loop_ns)
    variants = {"solution (one matching_cost per block)": solution, "loop (matching_cost per image)": loop_ns["set_loss"]}
    gen = torch.Generator().manual_seed(0)
    batches = [batch(gen) for _ in range(args.repeats)]
    results = [[step(fn, *b) for b in batches[:3]] for fn in variants.values()]
    for a, b in zip(*results):
        assert all(torch.equal(x, y) for x, y in zip(a, b)), "the two set losses disagree"
    print(f"set_loss of 3 decoder blocks x 16 scenes, forward + backward, torch {torch.__version__}, 1 thread:")
    for name, fn in variants.items():
        step(fn, *batches[0])                                   # warm-up
        start = time.perf_counter()
        for b in batches:
            step(fn, *b)
        print(f"  {name:42s} {(time.perf_counter() - start) / len(batches) * 1000:6.2f} ms per training step")


if __name__ == "__main__":
    main()
