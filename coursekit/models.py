"""coursekit.models: the course's own trained networks: unit II's pretrained ShapesNet, unit IV's judges.

    from coursekit import models
    net = models.pretrained_shapes_net()        # ShapesNet with its trained weights, in eval mode
    feats = net.body(x)                         # [B, 3, 32, 32] -> [B, 64] features
    logits = net(x)                             # [B, 7] scores for models.PRETRAIN_CLASSES

Nothing is downloaded. The weights are made by the course itself: `python -m coursekit.data build`
trains ShapesNet on 7 of the 10 shapes classes (PRETRAIN_CLASSES), deterministically from the data
seed, and stores them in the data dir as `shapes_pretrained.safetensors`, recorded in the manifest
with its sha256 like every dataset. The other 3 classes (NEW_CLASSES) are never seen in
pre-training: they are the new task of unit II's transfer-learning notebook.

The judges of unit IV's generated images are trained and stored the same way: a classifier of
all 10 digit classes and one of all 10 shapes classes, frozen, with their penultimate features
for Frechet distances:

    judge = models.course_classifier("digits")  # [N, 1, H, W] in [0, 1] -> [N, 10] logits
    feats = judge.features(x)                   # [N, 64]

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
           "WEIGHTS_SET", "build_pretrained", "CourseClassifier", "course_classifier",
           "course_classifier_report", "JUDGES", "build_judge"]

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

    def __init__(self, n_classes: int = len(PRETRAIN_CLASSES), widths: tuple[int, ...] = WIDTHS,
                 in_channels: int = 3):
        super().__init__()
        layers, c_in = [], in_channels
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
        return _train(seed, ShapesNet, x_tr, y_tr, x_va, y_va, PRETRAIN, _mirror)
    finally:
        torch.set_num_threads(threads)


def _mirror(xb: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    flip = torch.rand(len(xb), generator=gen) < 0.5       # mirror images: still the same shapes
    return torch.where(flip[:, None, None, None], xb.flip(-1), xb)


def _shift(xb: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    # Move each image by up to one pixel each way (digits are not mirror-symmetric; a shift keeps them digits).
    padded = F.pad(xb, (1, 1, 1, 1))
    dy, dx = torch.randint(0, 3, (2,), generator=gen).tolist()   # one shift per batch: one cheap slice
    return padded[..., dy:dy + xb.shape[-2], dx:dx + xb.shape[-1]]


def _train(seed, make_model, x_tr, y_tr, x_va, y_va, config, augment) -> dict[str, torch.Tensor]:
    epochs, batch_size = config["epochs"], config["batch_size"]
    with torch.random.fork_rng(devices=[]):      # never disturb the caller's global RNG
        torch.manual_seed(seed)
        model = make_model()
        gen = torch.Generator().manual_seed(seed)
        opt = torch.optim.AdamW(model.parameters(), lr=config["lr"], weight_decay=config["weight_decay"])
        steps = epochs * max(1, -(-len(y_tr) // batch_size))
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config["lr"], total_steps=steps)
        model.train()
        for _ in range(epochs):
            order = torch.randperm(len(y_tr), generator=gen)
            for i in range(0, len(y_tr), batch_size):
                idx = order[i:i + batch_size]
                xb = augment(x_tr[idx], gen)
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


# ---------------------------------------------------------------------------------------------
# Judges: classifiers of all 10 classes that score generated images (unit IV).

# kind -> (stored set, input channels, input size, how it is trained). Part of the recipe strings.
JUDGES = {
    "digits": {"set": "digits_classifier", "channels": 1, "size": 16,
               "train": {"epochs": 40, "batch_size": 64, "lr": 3e-3, "weight_decay": 5e-4}},
    "shapes": {"set": "shapes_classifier", "channels": 3, "size": 32,
               "train": {"epochs": 20, "batch_size": 64, "lr": 3e-3, "weight_decay": 5e-4}},
}


class CourseClassifier(nn.Module):
    """A frozen ShapesNet-style classifier of 10 classes that takes images of any size in [0, 1].

    forward(x [N, C, H, W]) -> logits [N, 10]; features(x) -> [N, 64], the penultimate layer
    (what Frechet distances compare). Inputs of another size are resized bilinearly (with
    antialiasing when shrinking) to the size it was trained at. Gradients flow to x, not to it.
    """

    def __init__(self, kind: str):
        super().__init__()
        spec = JUDGES[kind]
        self.kind, self.size = kind, spec["size"]
        self.net = ShapesNet(n_classes=10, in_channels=spec["channels"])

    def _resize(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-2:] == (self.size, self.size):
            return x
        shrink = x.shape[-1] > self.size
        return F.interpolate(x, size=(self.size, self.size), mode="bilinear", align_corners=False, antialias=shrink)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.net.body(self._resize(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net.head(self.features(x))


def course_classifier(kind: str, root=None) -> CourseClassifier:
    """The course's judge of `kind` ("digits" or "shapes"): frozen, in eval mode, on CPU.

    Trained by `python -m coursekit.data build` on the train split of data.digits(size=16) or
    data.shapes_classification (all 10 classes) and checked against the manifest like every set.
    """
    from . import data

    if kind not in JUDGES:
        raise ValueError(f"kind must be one of {sorted(JUDGES)}, got {kind!r}")
    stored = data._load(JUDGES[kind]["set"], root)
    model = CourseClassifier(kind)
    model.net.load_state_dict({k: v.clone() for k, v in stored.items() if not k.startswith(META)})
    return model.eval().requires_grad_(False)


def course_classifier_report(kind: str, root=None) -> dict:
    """How good the judge is: {"val_accuracy", "test_accuracy", "epochs"} on real images."""
    from . import data

    if kind not in JUDGES:
        raise ValueError(f"kind must be one of {sorted(JUDGES)}, got {kind!r}")
    stored = data._load(JUDGES[kind]["set"], root)
    return {"val_accuracy": stored[META + "val_accuracy"].item(), "test_accuracy": stored[META + "test_accuracy"].item(),
            "epochs": int(stored[META + "epochs"].item())}


def build_judge(kind: str, seed: int, splits: dict[str, tuple[torch.Tensor, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Train the judge of `kind` on splits["train"]; return its weights and val/test accuracy.

    splits: {"train" | "val" | "test": (X float [N, C, size, size] in [0, 1], y int64 [N])}.
    Deterministic like build_pretrained (seeded, one thread).
    """
    spec = JUDGES[kind]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        (x_tr, y_tr), (x_va, y_va) = splits["train"], splits["val"]
        out = _train(seed, lambda: ShapesNet(n_classes=10, in_channels=spec["channels"]), x_tr, y_tr, x_va, y_va,
                     spec["train"], _shift if kind == "digits" else _mirror)
        with torch.random.fork_rng(devices=[]):   # building a model draws its initial weights
            model = ShapesNet(n_classes=10, in_channels=spec["channels"])
        model.load_state_dict({k: v for k, v in out.items() if not k.startswith(META)})
        x_te, y_te = splits["test"]
        with torch.no_grad():
            out[META + "test_accuracy"] = (model.eval()(x_te).argmax(1) == y_te).float().mean().reshape(1)
    finally:
        torch.set_num_threads(threads)
    return out
