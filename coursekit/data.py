"""coursekit.data: every dataset the course uses, built offline and deterministically.

    from coursekit import data
    X, y = data.digits("train", size=16)          # real 8x8 handwritten digits (scikit-learn)
    X, y = data.toy2d("spirals", n=600, n_classes=3)

Nothing is downloaded. Stored sets are built from a fixed seed into `<repo>/data` (override with
the environment variable COURSE_DATA_DIR), one safetensors file per set, and recorded in
`data/manifest.json` with their sha256. A loader checks its file against the manifest once per
process: a missing or changed file is rebuilt, or, where the data dir is read-only (the grading
sandbox), a DataError names the file and says how to rebuild it. Same seed, same bytes.

The pretrained weights of the transfer-learning notebook (coursekit.models) are stored and
checked the same way: a network trained here, from the same seed, on part of the shapes classes.

CLI: python -m coursekit.data build [--force]
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file

from . import _shapes
from ._shapes import (COLOUR_NAMES, HELD_OUT_PAIRS, PIXEL_CLASS, POSITION_NAMES, SHAPE_CLASSES, SIZE_NAMES,
                      SPLITS, caption)

__all__ = ["build", "digits", "toy2d", "shapes_classification", "shapes_detection",
           "shapes_segmentation", "photos", "describe", "data_dir", "SHAPE_CLASSES", "DataError",
           "SEED", "SPLITS", "digit_task", "DIGIT_TASKS", "pydoc_text", "PYDOC_VOCAB", "captioned_shapes",
           "caption", "COLOUR_NAMES", "SIZE_NAMES", "POSITION_NAMES", "HELD_OUT_PAIRS"]

SEED = 0
ENV_DIR = "COURSE_DATA_DIR"
MANIFEST = "manifest.json"


class DataError(RuntimeError):
    """A stored set is missing or changed and cannot be rebuilt here."""


def data_dir(root: str | os.PathLike | None = None) -> Path:
    """`root`, else $COURSE_DATA_DIR, else `<repo>/data` (next to the coursekit package)."""
    if root is None:
        root = os.environ.get(ENV_DIR) or Path(__file__).resolve().parent.parent / "data"
    return Path(root)


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


# ---------------------------------------------------------------------------------------------
# Recipes: name -> (recipe string, builder). The recipe string is stored in the manifest, so
# changing how a set is made (bump its version) rebuilds it everywhere on the next load.
# A builder takes a seed and returns a flat dict of contiguous tensors.

def _stratified_split(labels: np.ndarray, rng: np.random.Generator, fractions=(0.7, 0.15, 0.15)):
    """Indices of train/val/test with every class split in the same proportions."""
    parts: list[list[np.ndarray]] = [[], [], []]
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_train = round(fractions[0] * len(idx))
        n_val = round(fractions[1] * len(idx))
        for part, chunk in zip(parts, np.split(idx, [n_train, n_train + n_val])):
            part.append(chunk)
    return [rng.permutation(np.concatenate(p)) for p in parts]  # shuffled, so classes interleave


def _build_digits(seed: int) -> dict[str, torch.Tensor]:
    from sklearn.datasets import load_digits  # ships inside scikit-learn, no download

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]  # pixel values are 0..16
    labels = digits.target.astype(np.int64)
    out = {}
    for split, idx in zip(SPLITS, _stratified_split(labels, np.random.default_rng(seed))):
        out[f"{split}_x"] = torch.from_numpy(np.ascontiguousarray(images[idx]))
        out[f"{split}_y"] = torch.from_numpy(labels[idx])
    return out


PHOTOS = ("astronaut", "camera", "chelsea", "coffee", "coins", "rocket")  # all ship inside scikit-image


def _build_photos(seed: int) -> dict[str, torch.Tensor]:
    import skimage.data

    out = {}
    for name in PHOTOS:
        image = np.asarray(getattr(skimage.data, name)(), dtype=np.uint8)
        image = image[None] if image.ndim == 2 else image.transpose(2, 0, 1)  # -> [C, H, W]
        out[name] = torch.from_numpy(np.ascontiguousarray(image))
    return out


def _build_pretrained(seed: int) -> dict[str, torch.Tensor]:
    # The pretrained network of unit II's transfer-learning notebook, trained on the classification
    # set regenerated from the same seed (identical to the stored one, and independent of it on disk).
    from . import models

    return models.build_pretrained(seed, _shapes.build_classification(seed))


def _build_judge(kind: str):
    # A judge of unit IV, trained on its stored set regenerated from the same seed (as the pretrained net).
    def build(seed: int) -> dict[str, torch.Tensor]:
        from . import models

        if kind == "digits":
            stored = _build_digits(seed)
            splits = {s: (F.interpolate(stored[f"{s}_x"], size=(16, 16), mode="bilinear", align_corners=False)
                          .clamp_(0, 1), stored[f"{s}_y"]) for s in SPLITS}
        else:  # both sets of single shapes: the judge must know the captioned ones' sizes and colours too
            one, named = _shapes.build_classification(seed), _shapes.build_captioned(seed)
            splits = {s: (torch.cat([one[f"{s}_x"], named[f"{s}_x"]]).float() / 255,
                          torch.cat([one[f"{s}_y"], named[f"{s}_shape"]])) for s in SPLITS}
        return models.build_judge(kind, seed, splits)
    return build


def _recipes() -> dict:
    # A function, so the recipe strings always describe the current sizes.
    from . import models

    classification = f"shapes_classification-v1 {_shapes.CLASSIFICATION_SIZES}"
    captions = (f"shapes_captions-v2 {_shapes.CAPTION_SIZES} colours={','.join(COLOUR_NAMES)} "
                f"radii={_shapes.SIZE_RADII} margin={_shapes.POSITION_MARGIN} held_out={HELD_OUT_PAIRS}")
    return {
        "digits": ("digits-v1 sklearn load_digits, stratified 70/15/15", _build_digits),
        "photos": (f"photos-v1 skimage.data {','.join(PHOTOS)}", _build_photos),
        "shapes_classification": (classification, _shapes.build_classification),
        "shapes_scenes": (f"shapes_scenes-v2 {_shapes.SCENE_SIZES} max_objects={_shapes.MAX_OBJECTS}",
                          _shapes.build_scenes),
        "shapes_captions": (captions, _shapes.build_captioned),
        # Last: the weights are trained on the shapes above. Their recipe names the data they saw.
        models.WEIGHTS_SET: (f"{models.WEIGHTS_SET}-v1 ShapesNet{models.WIDTHS} on {','.join(models.PRETRAIN_CLASSES)} "
                             f"{models.PRETRAIN} data={classification}",
                             _build_pretrained),
        **{spec["set"]: (f"{spec['set']}-v1 ShapesNet{models.WIDTHS} in_channels={spec['channels']} size={spec['size']} "
                         f"{spec['train']} data={'digits-v1' if kind == 'digits' else classification + ' + ' + captions}", _build_judge(kind))
           for kind, spec in models.JUDGES.items()},
    }


# ---------------------------------------------------------------------------------------------
# Store: safetensors files, the manifest, and an in-process cache.

# (root, name) -> ((file's stat, recipe) when verified, its tensors). A changed stat means a
# changed file: it is verified again, so a file replaced or corrupted while a notebook runs is
# still caught, and so is a changed recipe.
_cache: dict[tuple[str, str], tuple[tuple, dict[str, torch.Tensor]]] = {}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_manifest(root: Path) -> dict:
    try:
        return json.loads((root / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {"seed": SEED, "sets": {}}


def _stat(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)  # readers see the old or the new file, never half of one


@contextlib.contextmanager
def _lock(root: Path):
    """Serialise builds between processes (parallel notebooks in CI); no-op where fcntl is absent."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    with open(root / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _problem(root: Path, name: str) -> str | None:
    """Why the stored set `name` cannot be used as is, or None when it is fine."""
    recipe, _ = _recipes()[name]
    entry = _read_manifest(root)["sets"].get(name)
    path = root / f"{name}.safetensors"
    if entry is None:
        return f"{path} is not recorded in {root / MANIFEST}"
    if entry.get("recipe") != recipe:
        return f"{path} was built by an older recipe"
    if not path.exists():
        return f"{path} is missing"
    if _sha256(path) != entry["sha256"]:
        return f"{path} does not match the sha256 in {root / MANIFEST}"
    return None


def _writable(root: Path) -> bool:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(root, os.W_OK)


def _build_one(root: Path, name: str) -> float:
    """Run the recipe, store the file and record it in the manifest; returns seconds taken."""
    recipe, builder = _recipes()[name]
    start = time.perf_counter()
    tensors = builder(SEED)
    path = root / f"{name}.safetensors"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    save_file(tensors, str(tmp))  # safetensors bytes depend only on the tensors: same seed, same bytes
    # save_file creates the file 0600; the grading sandbox reads it as another uid, so make it public.
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    manifest = _read_manifest(root)
    manifest["sets"][name] = {"file": path.name, "sha256": _sha256(path),
                              "bytes": path.stat().st_size, "recipe": recipe}
    manifest["sets"] = dict(sorted(manifest["sets"].items()))
    _write_atomic(root / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    _cache.pop((str(root), name), None)
    return time.perf_counter() - start


def _ensure(root: Path, name: str, force: bool = False, say_why: bool = False) -> float | None:
    """Make sure the stored set is valid; rebuild it when needed. Returns build seconds or None.

    say_why: print why it is rebuilt (a loader does, so a slow first load explains itself).
    """
    problem = None if force else _problem(root, name)
    if not force and problem is None:
        return None
    if not _writable(root):
        raise DataError(f"{problem or name} and {root} is read-only, so it cannot be rebuilt "
                        f"here. Run `python -m coursekit.data build` where the data dir is writable "
                        f"(or point {ENV_DIR} at a writable folder).")
    with _lock(root):
        if not force and _problem(root, name) is None:  # another process built it meanwhile
            return None
        if say_why:
            print(f"coursekit.data: {problem}; building {name!r}", file=sys.stderr)
        return _build_one(root, name)


def _load(name: str, root=None) -> dict[str, torch.Tensor]:
    """The stored tensors of set `name`, verified once per process and then cached.

    Callers must not modify the returned tensors in place: they convert or copy them first.
    """
    root = data_dir(root)
    key, path = (str(root), name), root / f"{name}.safetensors"
    recipe, _ = _recipes()[name]
    cached = _cache.get(key)
    if cached is None or cached[0] != (_stat(path), recipe):
        _ensure(root, name, say_why=True)
        _cache[key] = ((_stat(path), recipe), load_file(str(path)))
    return _cache[key][1]


def build(root=None, force: bool = False) -> dict[str, Path]:
    """Build every stored set that is missing or changed (all of them with force=True).

    Returns {set name: path of its file}. The manifest lies next to them.
    """
    root = data_dir(root)
    paths = {}
    for name in _recipes():
        _ensure(root, name, force)
        paths[name] = root / f"{name}.safetensors"
    return paths


_CONTENTS = {  # what the loaders of each stored set return
    "digits": "digits(): X [N,1,8,8] float32 in [0,1] (size=16, 28 resizes), y [N] int64 0..9",
    "photos": "photos(): {name: [C,H,W] float32 in [0,1]}",
    "shapes_classification": "shapes_classification(): X [N,3,32,32] float32, y [N] int64 0..C-1",
    "shapes_pretrained": "coursekit.models.pretrained_shapes_net(): ShapesNet trained on 7 shapes classes",
    "digits_classifier": "coursekit.models.course_classifier('digits'): judge of 10 digit classes, 16x16",
    "shapes_classifier": "coursekit.models.course_classifier('shapes'): judge of 10 shapes classes, 32x32",
    "shapes_captions": "captioned_shapes(): X [N,3,32,32] float32, attrs {shape, colour, size, position, "
                       "held_out} [N], captions [N] str",
    "shapes_scenes": "shapes_detection(): images [N,3,64,64] float32, targets [{boxes [K,4], labels [K] 1..C}]; "
                     "shapes_segmentation(): masks [N,64,64] int64",
}


def describe(root=None) -> str:
    """A short text table of the sets: name, size on disk, train/val/test sizes, what loads."""
    root = data_dir(root)
    rows = [f"{'set':<22} {'on disk':>8}  {'train/val/test':<15} returns"]
    for name in _recipes():
        stored = _load(name, root)
        size = (root / f"{name}.safetensors").stat().st_size / 1e6
        if name in ("shapes_pretrained", "digits_classifier", "shapes_classifier"):
            params = sum(v.numel() for k, v in stored.items() if not k.startswith("meta."))
            rows.append(f"{name:<22} {size:5.1f} MB  {'-':<15} {_CONTENTS[name]} ({params} numbers)")
            continue
        if name == "photos":
            splits = ", ".join(f"{k} {'x'.join(map(str, v.shape))}" for k, v in stored.items())
            rows.append(f"{name:<22} {size:5.1f} MB  {'-':<15} {_CONTENTS[name]}: {splits}")
            continue
        count_key = next(k for k in ("y", "counts", "shape") if f"train_{k}" in stored)
        splits = "/".join(str(len(stored[f"{s}_{count_key}"])) for s in SPLITS)
        rows.append(f"{name:<22} {size:5.1f} MB  {splits:<15} {_CONTENTS[name]}")
    rows.append(f"{'toy2d':<22} {'-':>8}  {'on the fly':<15} toy2d(): X [n,2] float32, y [n] int64"
                f" (blobs, moons, circles, spirals)")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# Public loaders.

def _to_float(images: torch.Tensor) -> torch.Tensor:
    """uint8 0..255 -> a new float32 tensor in [0, 1], in one pass."""
    return torch.from_numpy(np.multiply(images.numpy(), np.float32(1 / 255), dtype=np.float32))


def digits(split: str = "train", size: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    """Real 8x8 handwritten digits (UCI via scikit-learn): X float32 [N,1,size,size] in [0,1], y int64 [N].

    1797 images, split 70/15/15 per class from a fixed seed. size != 8 resizes bilinearly
    (16 or 28 px for models that expect bigger inputs); the values stay in [0, 1].
    """
    _check_split(split)
    if int(size) != size or size < 1:
        raise ValueError(f"size must be a positive number of pixels, got {size!r}")
    stored = _load("digits")
    x, y = stored[f"{split}_x"], stored[f"{split}_y"]
    if size == 8:
        x = x.clone()
    else:
        x = F.interpolate(x, size=(int(size), int(size)), mode="bilinear", align_corners=False).clamp_(0, 1)
    return x, y.clone()


_TOY_NOISE = {"blobs": 1.0, "moons": 0.1, "circles": 0.05, "spirals": 0.2}


def toy2d(name: str = "spirals", n: int = 600, n_classes: int = 3, noise: float | None = None,
          seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """A 2-D toy set, generated on the fly from `seed`: X float32 [n, 2], y int64 [n] in 0..n_classes-1.

    name: "blobs" (Gaussian clusters; noise = cluster std), "spirals" (arms of a spiral; noise =
    angle jitter in radians), "moons" and "circles" (two classes only; noise = std of Gaussian
    jitter). noise=None takes the set's default. Classes are balanced (counts differ by <= 1),
    and the rows are shuffled.
    """
    from sklearn.datasets import make_blobs, make_circles, make_moons

    if name not in _TOY_NOISE:
        raise ValueError(f"name must be one of {sorted(_TOY_NOISE)}, got {name!r}")
    if name in ("moons", "circles") and n_classes != 2:
        raise ValueError(f"{name} has exactly 2 classes; pass n_classes=2")
    noise = _TOY_NOISE[name] if noise is None else float(noise)
    rng = np.random.default_rng(seed)
    per_class = [n // n_classes + (c < n % n_classes) for c in range(n_classes)]
    if name == "blobs":
        angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(n_classes) / n_classes
        centers = 5.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)  # evenly spaced on a circle
        X, y = make_blobs(per_class, centers=centers, cluster_std=noise, random_state=seed, shuffle=False)
    elif name == "moons":
        X, y = make_moons(tuple(per_class), noise=noise, random_state=seed, shuffle=False)
    elif name == "circles":
        X, y = make_circles(tuple(per_class[::-1]), noise=noise, factor=0.5, random_state=seed,
                            shuffle=False)  # sklearn lists (outer, inner); label 0 is the outer ring
    else:  # spirals, as in CS231n: arm c starts at angle 2*pi*c/K and turns as the radius grows
        X, y = [], []
        for c, m in enumerate(per_class):
            r = np.linspace(0.05, 1.0, m)
            theta = 2 * np.pi * c / n_classes + 4.0 * r + noise * rng.standard_normal(m)
            X.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
            y.append(np.full(m, c))
        X, y = np.concatenate(X), np.concatenate(y)
    order = rng.permutation(n)
    return (torch.from_numpy(np.asarray(X, dtype=np.float32)[order]),
            torch.from_numpy(np.asarray(y, dtype=np.int64)[order]))


def shapes_classification(split: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
    """Generated shapes, one per image: X float32 [N,3,32,32] in [0,1], y int64 [N] in 0..C-1.

    y indexes SHAPE_CLASSES. Objects vary in colour, size, rotation and position on textured
    backgrounds; classes are balanced (counts differ by at most one). N: 5000/1000/1000.
    """
    _check_split(split)
    stored = _load("shapes_classification")
    return _to_float(stored[f"{split}_x"]), stored[f"{split}_y"].clone()


def shapes_detection(split: str = "train", masks: bool = False) -> tuple[torch.Tensor, list[dict]]:
    """Generated scenes of 1-6 shapes: images float32 [N,3,64,64] in [0,1] and one target dict per image.

    A target is {"boxes": float32 [K,4], "labels": int64 [K]}, as torchvision detection models
    and torchmetrics' MeanAveragePrecision take them. Boxes are xyxy in pixel edges (pixel
    column j spans [j, j+1)), the tight box of the object's visible mask. Labels are 1..C with
    0 kept for background: label i+1 is SHAPE_CLASSES[i]. masks=True adds "masks": uint8
    [K,64,64], each object's visible mask (the Mask R-CNN format). N: 2000/300/300.
    """
    _check_split(split)
    stored = _load("shapes_scenes")
    counts = stored[f"{split}_counts"].tolist()
    boxes = stored[f"{split}_boxes"].split(counts)
    labels = stored[f"{split}_labels"].split(counts)
    targets = [{"boxes": b.clone(), "labels": l.clone()} for b, l in zip(boxes, labels)]
    if masks:
        for target, pixels, k in zip(targets, stored[f"{split}_pixels"], counts):
            numbers = torch.arange(1, k + 1, dtype=torch.uint8)[:, None, None]
            target["masks"] = ((pixels % PIXEL_CLASS)[None] == numbers).to(torch.uint8)
    return _to_float(stored[f"{split}_images"]), targets


def shapes_segmentation(split: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
    """The same scenes as shapes_detection: images float32 [N,3,64,64], masks int64 [N,64,64].

    masks[n, y, x] is the class of the object visible at that pixel: 0 background, else
    label i+1 = SHAPE_CLASSES[i], the same labels as the detection targets of scene n.
    """
    _check_split(split)
    stored = _load("shapes_scenes")
    masks = torch.div(stored[f"{split}_pixels"], PIXEL_CLASS, rounding_mode="floor").long()
    return _to_float(stored[f"{split}_images"]), masks


def captioned_shapes(split: str = "train") -> tuple[torch.Tensor, dict[str, torch.Tensor], list[str]]:
    """One named shape per image, and its caption: X float32 [N,3,32,32] in [0,1], attrs, captions.

    attrs: int64 [N] tensors "shape" (into SHAPE_CLASSES), "colour" (COLOUR_NAMES), "size"
    (SIZE_NAMES) and "position" (POSITION_NAMES: the quadrant of the object's centre), drawn
    uniformly; and "held_out", bool [N]: the (shape, colour) pair is one of HELD_OUT_PAIRS,
    which "train" never contains (about 1 in 6 of val and test). captions: caption(...) of each,
    e.g. "a small red circle at the top left". N: 6000/1000/1000.
    """
    _check_split(split)
    stored = _load("shapes_captions")
    attrs = {key: stored[f"{split}_{key}"].clone() for key in ("shape", "colour", "size", "position")}
    held = torch.tensor(HELD_OUT_PAIRS)
    attrs["held_out"] = ((attrs["shape"][:, None] == held[:, 0]) & (attrs["colour"][:, None] == held[:, 1])).any(1)
    keys = zip(*(attrs[k].tolist() for k in ("shape", "colour", "size", "position")))
    return _to_float(stored[f"{split}_x"]), attrs, [caption(*k) for k in keys]


def photos() -> dict[str, torch.Tensor]:
    """scikit-image's sample photos as float32 [C,H,W] in [0,1] (C = 3, or 1 for grey ones)."""
    return {name: _to_float(image) for name, image in _load("photos").items()}


# ---------------------------------------------------------------------------------------------
# Sequence data, generated on the fly (no file, nothing stored): digit-string tasks and text

DIGIT_TASKS = ("reverse", "sort", "add")


def digit_task(name: str = "reverse", n: int = 1000, lengths: tuple[int, int] = (1, 8),
               seed: int = 0) -> tuple[list[str], list[str]]:
    """n (source, target) pairs of digit strings, generated from `seed` (numpy's default_rng).

    name: "reverse" ("3141" -> "1413"), "sort" ("3141" -> "1134"), or "add" ("123+45" -> "168": each
    operand has a length in `lengths`, no leading zeros, the sum written in decimal). lengths: (lo, hi),
    every length from lo to hi inclusive equally likely (lo >= 1). Same arguments, same pairs; draw
    train and test sets from different seeds.
    """
    if name not in DIGIT_TASKS:
        raise ValueError(f"name must be one of {DIGIT_TASKS}, got {name!r}")
    lo, hi = int(lengths[0]), int(lengths[1])
    if not 1 <= lo <= hi:
        raise ValueError(f"lengths must be (lo, hi) with 1 <= lo <= hi, got {lengths!r}")
    rng = np.random.default_rng(seed)

    def number(length: int) -> str:
        digits = rng.integers(0, 10, length)
        if length > 1 and name == "add":
            digits[0] = rng.integers(1, 10)
        return "".join(str(d) for d in digits)

    sources, targets = [], []
    for _ in range(int(n)):
        if name == "add":
            a, b = number(int(rng.integers(lo, hi + 1))), number(int(rng.integers(lo, hi + 1)))
            sources.append(f"{a}+{b}")
            targets.append(str(int(a) + int(b)))
        else:
            s = number(int(rng.integers(lo, hi + 1)))
            sources.append(s)
            targets.append(s[::-1] if name == "reverse" else "".join(sorted(s)))
    return sources, targets


PYDOC_VOCAB = "\n" + "".join(chr(c) for c in range(32, 127))   # newline and printable ASCII: 96 characters
_PYDOC_ASCII = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...",
                              "\u2014": "--", "\u2013": "-", "\u00df": "ss", "\u00b0": " degrees"})
_PYDOC_SPLITS = ("train", "val")


@functools.lru_cache(maxsize=1)
def _pydoc_all() -> str:
    from pydoc_data.topics import topics   # the text of Python's help() topics, shipped with the stdlib

    text = "\n\n".join(topics[key].strip("\n") for key in sorted(topics)).translate(_PYDOC_ASCII)
    keep = set(PYDOC_VOCAB)
    return "".join(ch for ch in text if ch in keep)


def pydoc_text(split: str = "train") -> str:
    """English text that every Python installation holds: the help() topics of the Python docs
    (`pydoc_data.topics.topics`, a dict of strings, in sorted key order), written in PYDOC_VOCAB only
    (typographic quotes and dashes made ASCII). split: "train" (the first 90 % of the characters) or
    "val" (the last 10 %, from the first blank line after the 90 % mark). No download; the text
    is that of the running Python version (this course pins Python 3.11).
    """
    if split not in _PYDOC_SPLITS:
        raise ValueError(f"split must be one of {_PYDOC_SPLITS}, got {split!r}")
    text = _pydoc_all()
    cut = text.find("\n\n", int(0.9 * len(text))) + 2     # the next paragraph after 90 %
    return text[:cut] if split == "train" else text[cut:]


# ---------------------------------------------------------------------------------------------
# CLI

def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m coursekit.data", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every missing or changed set into the data dir")
    b.add_argument("--force", action="store_true", help="rebuild every set")
    b.add_argument("--root", default=None, help=f"data dir (default: ${ENV_DIR} or <repo>/data)")
    d = sub.add_parser("describe", help="print the stored sets")
    d.add_argument("--root", default=None)
    args = parser.parse_args(argv)
    root = data_dir(args.root)
    if args.command == "describe":
        print(describe(root))
        return 0
    start = time.perf_counter()
    total = 0
    for name in _recipes():
        seconds = _ensure(root, name, args.force)
        size = (root / f"{name}.safetensors").stat().st_size
        total += size
        state = "built" if seconds is not None else "up to date"
        print(f"{name:<22} {size / 1e6:6.2f} MB  {state:<10}" + (f" {seconds:5.1f} s" if seconds else ""))
    print(f"{total / 1e6:.1f} MB in {root} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
