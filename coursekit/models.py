"""coursekit.models: the course's own pretrained network, for the transfer-learning notebook.

    from coursekit import models
    net = models.pretrained_shapes_net()        # ShapesNet with its trained weights, in eval mode
    feats = net.body(x)                         # [B, 3, 32, 32] -> [B, 64] features
    logits = net(x)                             # [B, 7] scores for models.PRETRAIN_CLASSES

Nothing is downloaded. The weights are made by the course itself: `python -m coursekit.data build`
trains ShapesNet on 7 of the 10 shapes classes (PRETRAIN_CLASSES), deterministically from the data
seed, and stores them in the data dir as `shapes_pretrained.safetensors`, recorded in the manifest
with its sha256 like every dataset. The other 3 classes (NEW_CLASSES) are never seen in
pre-training: they are the new task of unit II's transfer-learning notebook.

The architecture is a plain VGG-style stack (conv-BN-ReLU, then max-pool, three times;
global average pool; a linear `head`). It is deliberately not a ResNet: the unit asks students to
write residual blocks themselves.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from ._shapes import SHAPE_CLASSES

__all__ = ["ShapesNet", "pretrained_shapes_net", "PRETRAIN_CLASSES", "NEW_CLASSES", "PRETRAIN",
           "WEIGHTS_SET", "build_pretrained"]

PRETRAIN_CLASSES = SHAPE_CLASSES[:7]   # circle .. diamond: what the network was trained on
NEW_CLASSES = SHAPE_CLASSES[7:]        # hexagon, heart, semicircle: never seen in pre-training
WIDTHS = (16, 32, 64)
# How the weights are trained; part of the recipe string, so changing it rebuilds them.
PRETRAIN = {"epochs": 30, "batch_size": 64, "lr": 3e-3, "weight_decay": 5e-4}
WEIGHTS_SET = "shapes_pretrained"      # the stored set's name in coursekit.data
META = "meta."                         # stored tensors that are not weights start with this


def _stage(c_in: int, c_out: int) -> list[nn.Module]:
    # One conv per stage, not VGG's two: a third of the compute, so pre-training fits the build budget.
    return [nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
            nn.MaxPool2d(2)]


class ShapesNet(nn.Module):
    """VGG-style classifier for 32x32 RGB images in [0, 1].

    body: [B, 3, 32, 32] -> [B, 64] (three stages of a 3x3 conv-BN-ReLU and a 2x2 max-pool:
    32 -> 16 -> 8 -> 4 pixels, then the global average over the 4x4 positions).
    head: nn.Linear(64, n_classes), the only layer that knows the classes.
    """

    def __init__(self, n_classes: int = len(PRETRAIN_CLASSES), widths: tuple[int, ...] = WIDTHS):
        super().__init__()
        layers, c_in = [], 3
        for c_out in widths:
            layers += _stage(c_in, c_out)
            c_in = c_out
        self.body = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())   # -> [B, widths[-1]]
        self.head = nn.Linear(c_in, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))                                              # [B, n_classes]


def pretrained_shapes_net(root=None) -> ShapesNet:
    """ShapesNet with the course's pretrained weights (7 classes: PRETRAIN_CLASSES), on CPU, in eval mode.

    Every call returns a new model (change it freely). The weights file is checked against the
    manifest, and built when missing (about a minute on 2 cores) where the data dir is writable.
    """
    from . import data

    stored = data._load(WEIGHTS_SET, root)
    model = ShapesNet()
    model.load_state_dict({k: v.clone() for k, v in stored.items() if not k.startswith(META)})
    return model.eval()


def pretrain_report(root=None) -> dict:
    """What the pre-training reached: {"val_accuracy": float, "epochs": int} (on PRETRAIN_CLASSES' val images)."""
    from . import data

    stored = data._load(WEIGHTS_SET, root)
    return {"val_accuracy": stored[META + "val_accuracy"].item(), "epochs": int(stored[META + "epochs"].item())}


def _subset(x: torch.Tensor, y: torch.Tensor, classes: list[str]):
    keep = torch.isin(y, torch.tensor([SHAPE_CLASSES.index(c) for c in classes]))
    return x[keep], y[keep]   # labels of PRETRAIN_CLASSES are 0..6 already (they are the first 7)


def build_pretrained(seed: int, classification: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Train ShapesNet on PRETRAIN_CLASSES of the shapes classification set; return its weights.

    classification: the stored shapes_classification tensors ({split}_x uint8, {split}_y int64).
    Deterministic: initialisation and batch order come from `seed` (the global RNG is restored
    afterwards), and it runs on one CPU thread, so the same torch build gives the same bits.
    About a minute of one core (58 s of CPU time measured for 30 epochs).
    """
    assert PRETRAIN_CLASSES == SHAPE_CLASSES[:len(PRETRAIN_CLASSES)], "labels 0..6 must be the pre-training classes"
    x_tr, y_tr = _subset(classification["train_x"], classification["train_y"], PRETRAIN_CLASSES)
    x_va, y_va = _subset(classification["val_x"], classification["val_y"], PRETRAIN_CLASSES)
    x_tr, x_va = x_tr.float() / 255, x_va.float() / 255
    epochs, batch_size = PRETRAIN["epochs"], PRETRAIN["batch_size"]
    threads = torch.get_num_threads()
    # One thread: the order of float reductions, hence the bytes, no longer depends on the core count,
    # and a busy shared machine (CI, a class's grading host) loses less to threads waiting on each other.
    torch.set_num_threads(1)
    try:
        return _train(seed, x_tr, y_tr, x_va, y_va, epochs, batch_size)
    finally:
        torch.set_num_threads(threads)


def _train(seed, x_tr, y_tr, x_va, y_va, epochs, batch_size) -> dict[str, torch.Tensor]:
    with torch.random.fork_rng(devices=[]):      # never disturb the caller's global RNG
        torch.manual_seed(seed)
        model = ShapesNet()
        gen = torch.Generator().manual_seed(seed)
        opt = torch.optim.AdamW(model.parameters(), lr=PRETRAIN["lr"], weight_decay=PRETRAIN["weight_decay"])
        steps = epochs * max(1, -(-len(y_tr) // batch_size))
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=PRETRAIN["lr"], total_steps=steps)
        model.train()
        for _ in range(epochs):
            order = torch.randperm(len(y_tr), generator=gen)
            for i in range(0, len(y_tr), batch_size):
                idx = order[i:i + batch_size]
                xb = x_tr[idx]
                flip = torch.rand(len(idx), generator=gen) < 0.5       # mirror images: still the same shapes
                xb = torch.where(flip[:, None, None, None], xb.flip(-1), xb)
                loss = F.cross_entropy(model(xb), y_tr[idx])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                sched.step()
        model.eval()
        with torch.no_grad():
            val_acc = (model(x_va).argmax(1) == y_va).float().mean() if len(y_va) else torch.tensor(float("nan"))
    out = {k: v.detach().contiguous().clone() for k, v in model.state_dict().items()}
    out[META + "val_accuracy"] = val_acc.reshape(1).float()
    out[META + "epochs"] = torch.tensor([epochs], dtype=torch.int64)
    return out
