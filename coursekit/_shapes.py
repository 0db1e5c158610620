"""The generated "shapes" sets of coursekit.data: drawing in plain numpy, and the sets themselves.

Each shape is an implicit "inside" test in unit coordinates (every shape fits in the unit disk).
An object is that test, rotated, scaled to a radius in pixels and moved to a centre, sampled
SS x SS times per pixel: the mean is the pixel's coverage, which anti-aliases the edge when the
colour is blended over the textured background. A pixel belongs to an object's mask when that
object covers at least half of it and nothing drawn later does.
"""
from __future__ import annotations

import colorsys
import zlib

import numpy as np
import torch

SHAPE_CLASSES = ["circle", "square", "triangle", "cross", "ring",
                 "star", "diamond", "hexagon", "heart", "semicircle"]
SS = 4  # subsamples per pixel and axis
SPLITS = ("train", "val", "test")


def _regular(n: int, radius: float = 1.0, start: float = np.pi / 2) -> np.ndarray:
    angles = start + 2 * np.pi * np.arange(n) / n
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _star(points: int = 5, inner: float = 0.42) -> np.ndarray:
    radii = np.where(np.arange(2 * points) % 2 == 0, 1.0, inner)
    return radii[:, None] * _regular(2 * points)


POLYGONS = {  # vertices in unit coordinates, all within the unit disk
    "square": np.array([[-0.7, -0.7], [0.7, -0.7], [0.7, 0.7], [-0.7, 0.7]]),
    "triangle": _regular(3),
    "star": _star(),
    "diamond": np.array([[0.0, 1.0], [0.55, 0.0], [0.0, -1.0], [-0.55, 0.0]]),  # a rhombus, not a turned square
    "hexagon": _regular(6, start=0.0),
}


def _in_polygon(u: np.ndarray, v: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """Even-odd rule: a point is inside when a ray to +u crosses the outline an odd number of times."""
    inside = np.zeros(u.shape, dtype=bool)
    for (u1, v1), (u2, v2) in zip(vertices, np.roll(vertices, -1, axis=0)):
        if v1 == v2:
            continue  # a horizontal edge is never crossed by a horizontal ray
        crosses = ((v1 > v) != (v2 > v)) & (u < u1 + (v - v1) * (u2 - u1) / (v2 - v1))
        inside ^= crosses
    return inside


def inside(name: str, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Whether the points (u, v), in the shape's unit coordinates (v points up), lie inside it."""
    if name in POLYGONS:
        return _in_polygon(u, v, POLYGONS[name])
    r2 = u * u + v * v
    if name == "circle":
        return r2 <= 0.9 ** 2
    if name == "ring":
        return (r2 <= 0.95 ** 2) & (r2 >= 0.5 ** 2)
    if name == "cross":  # a plus sign with thick arms
        au, av = np.abs(u), np.abs(v)
        return ((au <= 0.3) & (av <= 0.95)) | ((av <= 0.3) & (au <= 0.95))
    if name == "heart":  # (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, scaled and centred into the unit disk
        x, y = u / 0.74, (v + 0.08) / 0.74
        return (x * x + y * y - 1) ** 3 - x * x * y ** 3 <= 0
    if name == "semicircle":  # the upper half of a disk of radius 0.89, moved down to centre it
        y = v + 0.445
        return (u * u + y * y <= 0.89 ** 2) & (y >= 0)
    raise ValueError(f"unknown shape {name!r}")


def coverage(name: str, cx: float, cy: float, radius: float, angle: float, height: int, width: int):
    """Coverage in [0, 1] of one object on a `height` x `width` image, as a full float32 array."""
    x0, x1 = max(int(cx - radius) - 1, 0), min(int(cx + radius) + 2, width)
    y0, y1 = max(int(cy - radius) - 1, 0), min(int(cy + radius) + 2, height)
    offsets = (np.arange(SS) + 0.5) / SS
    xs = (np.arange(x0, x1)[:, None] + offsets).ravel()
    ys = (np.arange(y0, y1)[:, None] + offsets).ravel()
    dx, dy = (xs[None, :] - cx) / radius, -(ys[:, None] - cy) / radius  # image rows grow downwards
    c, s = np.cos(angle), np.sin(angle)
    u, v = c * dx + s * dy, -s * dx + c * dy  # rotate the sample points by -angle
    hit = inside(name, u, v).reshape(y1 - y0, SS, x1 - x0, SS)
    out = np.zeros((height, width), dtype=np.float32)
    out[y0:y1, x0:x1] = hit.mean(axis=(1, 3))
    return out


def _rgb(h: float, s: float, v: float) -> np.ndarray:
    return np.array(colorsys.hsv_to_rgb(h, s, v), dtype=np.float32)


def background(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """A muted textured background [H, W, 3] in [0, 1]: noise, a gradient or stripes."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    base = _rgb(rng.random(), rng.uniform(0, 0.35), rng.uniform(0.15, 0.9))
    kind = rng.integers(3)
    if kind == 0:  # flat colour with strong grain
        image = base + rng.normal(0, rng.uniform(0.03, 0.08), (height, width, 3))
    elif kind == 1:  # linear gradient towards a second muted colour
        other = _rgb(rng.random(), rng.uniform(0, 0.35), rng.uniform(0.15, 0.9))
        phi = rng.uniform(0, 2 * np.pi)
        t = xs * np.cos(phi) + ys * np.sin(phi)
        t = ((t - t.min()) / (t.max() - t.min()))[..., None]
        image = (1 - t) * base + t * other
    else:  # low-contrast stripes at a random angle and period
        phi, period = rng.uniform(0, np.pi), rng.uniform(4, 12)
        wave = np.sin(2 * np.pi * (xs * np.cos(phi) + ys * np.sin(phi)) / period)
        image = base + rng.uniform(0.05, 0.15) * wave[..., None]
    return np.clip(image, 0, 1).astype(np.float32)


def object_colour(rng: np.random.Generator, behind: np.ndarray) -> np.ndarray:
    """A saturated colour that stands out from the mean background colour `behind`."""
    for _ in range(50):
        colour = _rgb(rng.random(), rng.uniform(0.55, 1.0), rng.uniform(0.5, 1.0))
        if np.abs(colour - behind).sum() >= 0.6:
            return colour
    return np.where(behind > 0.5, 0.0, 1.0).astype(np.float32)  # fallback: the opposite corner


def _finish(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Add sensor noise and quantise to uint8 [3, H, W]."""
    image = image + rng.normal(0, 0.015, image.shape)
    return np.ascontiguousarray(np.round(np.clip(image, 0, 1) * 255).astype(np.uint8).transpose(2, 0, 1))


def single(rng: np.random.Generator, label: int, size: int = 32) -> np.ndarray:
    """One object of class `label` on a textured background: uint8 [3, size, size]."""
    image = background(rng, size, size)
    radius = rng.uniform(0.25, 0.45) * size
    cx, cy = rng.uniform(radius, size - radius, 2)
    alpha = coverage(SHAPE_CLASSES[label], cx, cy, radius, rng.uniform(0, 2 * np.pi), size, size)
    colour = object_colour(rng, image.mean(axis=(0, 1)))
    return _finish(image * (1 - alpha[..., None]) + colour * alpha[..., None], rng)


def scene(rng: np.random.Generator, labels: list[int], size: int = 64, min_visible: float = 0.7,
          tries: int = 30):
    """Draw objects of the given classes, in order, without heavy occlusion.

    An object is placed at a random spot; the placement is rejected (and retried) when it would
    leave an earlier object with less than `min_visible` of its own area. An object that finds
    no place in `tries` is dropped. Returns
      image uint8 [3, size, size],
      instances uint8 [size, size]: 0 background, k = the k-th kept object (1-based),
      boxes float32 [K, 4] xyxy in pixel edges (the tight box of each visible mask),
      labels int64 [K]: shape class index 0..C-1 (the caller shifts them to 1..C).
    """
    image = background(rng, size, size)
    instances = np.zeros((size, size), dtype=np.uint8)
    areas, kept = [], []
    for label in labels:
        for _ in range(tries):
            radius = rng.uniform(0.08, 0.2) * size
            cx, cy = rng.uniform(radius, size - radius, 2)
            alpha = coverage(SHAPE_CLASSES[label], cx, cy, radius, rng.uniform(0, 2 * np.pi), size, size)
            mask = alpha >= 0.5
            visible_after = [np.sum((instances == k + 1) & ~mask) for k in range(len(kept))]
            if all(v >= min_visible * a for v, a in zip(visible_after, areas)):
                break
        else:
            continue
        colour = object_colour(rng, image[mask].mean(axis=0) if mask.any() else image.mean(axis=(0, 1)))
        image = image * (1 - alpha[..., None]) + colour * alpha[..., None]
        instances[mask] = len(kept) + 1
        areas.append(mask.sum())
        kept.append(label)
    boxes = np.zeros((len(kept), 4), dtype=np.float32)
    for k in range(len(kept)):
        rows, cols = np.nonzero(instances == k + 1)
        boxes[k] = [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]
    return _finish(image, rng), instances, boxes, np.array(kept, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# The stored sets: dicts of tensors for coursekit.data to save.

CLASSIFICATION_SIZES = {"train": 5000, "val": 1000, "test": 1000}  # 32x32, balanced classes
SCENE_SIZES = {"train": 2000, "val": 300, "test": 300}  # 64x64, shared by detection and segmentation
MAX_OBJECTS = 6
# A scene's pixel map packs both masks into one uint8 [H, W]: PIXEL_CLASS * class + instance,
# where class is 0 (background) or the label 1..C, and instance is 0 or the object's number 1..K
# in its target list. One small array serves segmentation (// PIXEL_CLASS) and instance masks
# (% PIXEL_CLASS).
PIXEL_CLASS = 8


def _split_rng(seed: int, set_name: str, split: str) -> np.random.Generator:
    # One independent stream per (set, split): resizing one split leaves the others unchanged.
    return np.random.default_rng([seed, zlib.crc32(set_name.encode()), SPLITS.index(split)])


def build_classification(seed: int) -> dict[str, torch.Tensor]:
    """{split}_x uint8 [N,3,32,32] and {split}_y int64 [N] (class index 0..C-1) per split."""
    out = {}
    for split, n in CLASSIFICATION_SIZES.items():
        rng = _split_rng(seed, "shapes_classification", split)
        labels = rng.permutation(np.arange(n) % len(SHAPE_CLASSES))  # balanced to within one
        out[f"{split}_x"] = torch.from_numpy(np.stack([single(rng, int(c)) for c in labels]))
        out[f"{split}_y"] = torch.from_numpy(labels.astype(np.int64))
    return out


def build_scenes(seed: int) -> dict[str, torch.Tensor]:
    """Per split: {split}_images uint8 [N,3,64,64], {split}_pixels uint8 [N,64,64] (see PIXEL_CLASS),
    and the targets flattened over all scenes: {split}_boxes float32 [M,4], {split}_labels int64 [M]
    (1..C), {split}_counts int64 [N] (objects per scene, to split them back).
    """
    out = {}
    n_classes = len(SHAPE_CLASSES)
    for split, n in SCENE_SIZES.items():
        rng = _split_rng(seed, "shapes_scenes", split)
        bag: list[int] = []  # classes are dealt from shuffled decks, so every class is about as frequent
        images, pixels, boxes, labels, counts = [], [], [], [], []
        for _ in range(n):
            wanted = []
            for _ in range(rng.integers(1, MAX_OBJECTS + 1)):
                bag = bag or list(rng.permutation(n_classes))
                wanted.append(int(bag.pop()))
            image, instances, box, label = scene(rng, wanted)
            label = label + 1  # 0 is the background class (torchvision convention)
            classes = np.concatenate([[0], label])[instances]
            images.append(image)
            pixels.append((PIXEL_CLASS * classes + instances).astype(np.uint8))
            boxes.append(box)
            labels.append(label)
            counts.append(len(label))
        out[f"{split}_images"] = torch.from_numpy(np.stack(images))
        out[f"{split}_pixels"] = torch.from_numpy(np.stack(pixels))
        out[f"{split}_boxes"] = torch.from_numpy(np.concatenate(boxes))
        out[f"{split}_labels"] = torch.from_numpy(np.concatenate(labels))
        out[f"{split}_counts"] = torch.tensor(counts, dtype=torch.int64)
    return out


# ---------------------------------------------------------------------------------------------
# Captioned shapes: one object whose colour, size and position have names, for learning from
# image-caption pairs (unit III's CLIP) and text-conditioned generation.

COLOUR_NAMES = ("red", "yellow", "green", "cyan", "blue", "magenta")   # hues 0, 60, .., 300 degrees
SIZE_NAMES = ("small", "large")
POSITION_NAMES = ("top left", "top right", "bottom left", "bottom right")   # the quadrant of the centre
SIZE_RADII = ((0.17, 0.25), (0.30, 0.36))      # radius / image size, per SIZE_NAMES
POSITION_MARGIN = 3     # pixels between the centre and the middle lines: the quadrant is never a coin toss
# (shape, colour) pairs never drawn in "train": a test of composition, e.g. a zero-shot "red star"
# after training on red things and stars of other colours. Every shape loses one colour, every
# colour one or two shapes.
HELD_OUT_PAIRS = [(s, s % len(COLOUR_NAMES)) for s in range(len(SHAPE_CLASSES))]
CAPTION_SIZES = {"train": 6000, "val": 1000, "test": 1000}   # 32x32


def caption(shape: int, colour: int, size: int, position: int) -> str:
    """The caption of one object from its attribute indices, e.g. "a small red circle at the top left"."""
    return f"a {SIZE_NAMES[size]} {COLOUR_NAMES[colour]} {SHAPE_CLASSES[shape]} at the {POSITION_NAMES[position]}"


def named_colour(rng: np.random.Generator, colour: int) -> np.ndarray:
    """A saturated, bright colour whose hue is within 15 degrees of COLOUR_NAMES[colour]'s."""
    hue = (colour / len(COLOUR_NAMES) + rng.uniform(-15, 15) / 360) % 1.0
    return _rgb(hue, rng.uniform(0.75, 1.0), rng.uniform(0.8, 1.0))


def captioned(rng: np.random.Generator, shape: int, colour: int, size: int, position: int,
              px: int = 32) -> np.ndarray:
    """One object with the given attribute indices on a muted textured background: uint8 [3, px, px]."""
    fill = named_colour(rng, colour)
    for _ in range(20):   # a background the object stands out from (all of them are muted)
        image = background(rng, px, px)
        if np.abs(fill - image.mean(axis=(0, 1))).sum() >= 0.6:
            break
    radius = rng.uniform(*SIZE_RADII[size]) * px
    near, far = px / 2 - POSITION_MARGIN, px / 2 + POSITION_MARGIN
    cx = rng.uniform(radius, near) if position % 2 == 0 else rng.uniform(far, px - radius)
    cy = rng.uniform(radius, near) if position < 2 else rng.uniform(far, px - radius)
    alpha = coverage(SHAPE_CLASSES[shape], cx, cy, radius, rng.uniform(0, 2 * np.pi), px, px)
    return _finish(image * (1 - alpha[..., None]) + fill * alpha[..., None], rng)


def build_captioned(seed: int) -> dict[str, torch.Tensor]:
    """Per split: {split}_x uint8 [N,3,32,32] and int64 [N] {split}_shape, _colour, _size, _position.

    Attributes are drawn uniformly and independently; "train" redraws any HELD_OUT_PAIRS pair.
    """
    held = set(HELD_OUT_PAIRS)
    out = {}
    for split, n in CAPTION_SIZES.items():
        rng = _split_rng(seed, "shapes_captions", split)
        attrs = np.zeros((n, 4), dtype=np.int64)
        images = []
        for i in range(n):
            while True:
                shape, colour = int(rng.integers(len(SHAPE_CLASSES))), int(rng.integers(len(COLOUR_NAMES)))
                if split != "train" or (shape, colour) not in held:
                    break
            size, position = int(rng.integers(len(SIZE_NAMES))), int(rng.integers(len(POSITION_NAMES)))
            attrs[i] = shape, colour, size, position
            images.append(captioned(rng, shape, colour, size, position))
        out[f"{split}_x"] = torch.from_numpy(np.stack(images))
        for j, key in enumerate(("shape", "colour", "size", "position")):
            out[f"{split}_{key}"] = torch.from_numpy(np.ascontiguousarray(attrs[:, j]))
    return out
