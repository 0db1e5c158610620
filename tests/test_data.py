"""coursekit.data: determinism, the manifest, and the promises each set makes.

The real-size sets are the course's own (built first if missing, as every later test needs them),
copied into a temporary data dir (COURSE_DATA_DIR) that this module's loaders read; tests that
rebuild or corrupt files shrink the shapes sets first, so they take a second or two.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import torch

from coursekit import _shapes, data, models

ALL_SETS = ("digits", "photos", "shapes_classification", "shapes_scenes", "shapes_captions", "shapes_pretrained",
            "digits_classifier", "shapes_classifier")
DETECTION_LABEL_RATIO = 1.25  # most frequent / least frequent class among detection objects


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip_byte(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0xFF
    path.write_bytes(bytes(raw))


def row_hashes(images: torch.Tensor) -> set[bytes]:
    return {hashlib.sha1(image.numpy().tobytes()).digest() for image in images}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real sets in a temporary data dir that every loader in this module reads.

    They are the course's built sets, copied (building them again here would cost minutes of
    the suite's time for the same bytes: `test_same_seed_same_bytes` proves a build reproducible).
    Module scope: COURSE_DATA_DIR points there only while this module's tests run.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(data.ENV_DIR, raising=False)
        paths = data.build()  # the course's data dir: a no-op once built
    root = tmp_path_factory.mktemp("data")
    for path in [*paths.values(), data.data_dir() / data.MANIFEST]:
        shutil.copy2(path, root / path.name)
    copied = {p.name: p.stat().st_mtime_ns for p in root.iterdir()}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(data.ENV_DIR, str(root))
        data.build()  # verifies the copies against their manifest
        assert {p.name: p.stat().st_mtime_ns for p in root.iterdir() if p.name in copied} == copied, "rebuilt"
        yield root


@pytest.fixture
def small(tmp_path, monkeypatch):
    """An empty data dir of its own, and shapes sets small enough to rebuild in a moment."""
    monkeypatch.setattr(_shapes, "CLASSIFICATION_SIZES", {"train": 60, "val": 20, "test": 20})
    monkeypatch.setattr(_shapes, "SCENE_SIZES", {"train": 30, "val": 10, "test": 10})
    monkeypatch.setattr(_shapes, "CAPTION_SIZES", {"train": 30, "val": 10, "test": 10})
    monkeypatch.setitem(models.PRETRAIN, "epochs", 2)
    for kind in models.JUDGES:
        monkeypatch.setitem(models.JUDGES[kind]["train"], "epochs", 1)
    root = tmp_path / "data"
    monkeypatch.setenv(data.ENV_DIR, str(root))
    return root


# --- store: determinism, manifest, rebuilds -------------------------------------------------

def test_same_seed_same_bytes(small, tmp_path):
    paths_a = data.build(tmp_path / "a")
    data.build(tmp_path / "b")
    files = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith("."))
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir() if not p.name.startswith("."))
    assert set(files) >= {"manifest.json"} | {p.name for p in paths_a.values()}
    for name in files:
        assert sha256(tmp_path / "a" / name) == sha256(tmp_path / "b" / name), f"{name} differs between two builds"


def test_seed_drives_the_generated_sets(small, tmp_path, monkeypatch):
    data.build(tmp_path / "seed0")
    monkeypatch.setattr(data, "SEED", 1)
    data.build(tmp_path / "seed1")
    for name in ("shapes_classification.safetensors", "shapes_scenes.safetensors"):
        assert sha256(tmp_path / "seed0" / name) != sha256(tmp_path / "seed1" / name)


def test_manifest_records_every_file(small):
    paths = data.build()
    manifest = json.loads((small / "manifest.json").read_text())
    assert set(manifest["sets"]) == set(paths) == set(ALL_SETS)
    for name, path in paths.items():
        entry = manifest["sets"][name]
        assert entry["file"] == path.name
        assert entry["sha256"] == sha256(path)
        assert entry["bytes"] == path.stat().st_size


def test_built_files_are_readable_by_everyone(small):
    # The grading sandbox runs student kernels as another uid: 0600 files would fail them all.
    for path in data.build().values():
        assert path.stat().st_mode & 0o444 == 0o444, f"{path.name} is {oct(path.stat().st_mode)}"
    assert (small / "manifest.json").stat().st_mode & 0o444 == 0o444


def test_corrupted_file_is_rebuilt(small, capsys):
    data.build()
    before_x, before_y = data.shapes_classification("val")
    path = small / "shapes_classification.safetensors"
    good = sha256(path)
    flip_byte(path, path.stat().st_size // 2)
    assert sha256(path) != good
    after_x, after_y = data.shapes_classification("val")  # detects the change although it is cached
    assert sha256(path) == good, "the corrupted file was not rebuilt"
    assert torch.equal(before_x, after_x) and torch.equal(before_y, after_y)
    assert "shapes_classification.safetensors" in capsys.readouterr().err


def test_missing_file_is_rebuilt(small):
    data.build()
    x, y = data.digits("test")
    (small / "digits.safetensors").unlink()
    x2, y2 = data.digits("test")
    assert (small / "digits.safetensors").exists()
    assert torch.equal(x, x2) and torch.equal(y, y2)


def test_changed_recipe_is_rebuilt(small, monkeypatch):
    data.build()
    assert len(data.shapes_classification("test")[1]) == 20
    monkeypatch.setattr(_shapes, "CLASSIFICATION_SIZES", {"train": 60, "val": 20, "test": 30})
    assert len(data.shapes_classification("test")[1]) == 30


def test_read_only_data_dir_raises_a_clear_error(small, monkeypatch):
    data.build()
    path = small / "digits.safetensors"
    flip_byte(path, path.stat().st_size - 1)
    monkeypatch.setattr(data, "_writable", lambda root: False)  # root ignores file modes, so pretend
    with pytest.raises(data.DataError, match="digits.safetensors.*sha256.*read-only"):
        data.digits("train")
    path.unlink()
    with pytest.raises(data.DataError, match="digits.safetensors is missing"):
        data.digits("train")


def test_cli_build_prints_sets_sizes_and_seconds(small, capsys):
    assert data.main(["build"]) == 0
    out = capsys.readouterr().out
    for name in ALL_SETS:
        assert name in out
    assert "MB" in out and out.rstrip().endswith("s)")
    assert data.main(["build"]) == 0
    assert capsys.readouterr().out.count("up to date") == len(ALL_SETS)


def test_describe_lists_every_set(built):
    text = data.describe()
    for name in (*ALL_SETS, "toy2d"):
        assert name in text
    assert "5000/1000/1000" in text and "1258/269/270" in text and "MB" in text


# --- digits -----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [8, 16, 28])
def test_digits_shapes_and_range(built, size):
    total = 0
    for split in data.SPLITS:
        x, y = data.digits(split, size=size)
        assert x.dtype == torch.float32 and y.dtype == torch.int64
        assert x.shape == (len(y), 1, size, size)
        assert 0 <= x.min() and x.max() <= 1 and x.max() > 0.9
        assert set(y.tolist()) == set(range(10))
        total += len(y)
    assert total == 1797


def test_digits_split_is_stratified_and_disjoint(built):
    counts = {s: torch.bincount(data.digits(s)[1], minlength=10).float() for s in data.SPLITS}
    share = counts["val"] / (counts["train"] + counts["val"] + counts["test"])
    assert torch.all((share - 0.15).abs() < 0.02), share
    hashes = {s: row_hashes(data.digits(s)[0]) for s in data.SPLITS}
    assert not hashes["train"] & hashes["val"] and not hashes["train"] & hashes["test"]
    assert not hashes["val"] & hashes["test"]


def test_digits_returns_fresh_tensors(built):
    x, _ = data.digits("val")
    x.zero_()
    assert data.digits("val")[0].max() > 0, "a caller's in-place edit leaked into the cache"


# --- toy2d --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,n_classes", [("spirals", 3), ("spirals", 5), ("blobs", 4),
                                            ("moons", 2), ("circles", 2)])
def test_toy2d_shapes_labels_and_determinism(name, n_classes):
    X, y = data.toy2d(name, n=601, n_classes=n_classes, seed=3)
    assert X.shape == (601, 2) and X.dtype == torch.float32 and y.dtype == torch.int64
    counts = torch.bincount(y, minlength=n_classes)
    assert len(counts) == n_classes and counts.max() - counts.min() <= 1
    X2, y2 = data.toy2d(name, n=601, n_classes=n_classes, seed=3)
    assert torch.equal(X, X2) and torch.equal(y, y2)
    assert not torch.equal(X, data.toy2d(name, n=601, n_classes=n_classes, seed=4)[0])
    assert len(set(y[:20].tolist())) > 1, "rows are not shuffled"


def test_toy2d_rejects_impossible_requests():
    with pytest.raises(ValueError, match="2 classes"):
        data.toy2d("moons", n_classes=3)
    with pytest.raises(ValueError, match="name must be"):
        data.toy2d("swissroll")


def test_toy2d_noise_changes_spread():
    quiet, y = data.toy2d("blobs", n=400, n_classes=2, noise=0.1)
    loud, _ = data.toy2d("blobs", n=400, n_classes=2, noise=2.0)
    assert quiet[y == 0].std(0).max() < 0.2 < loud[y == 0].std(0).min()


# --- shapes -------------------------------------------------------------------------------------

def test_shape_classes():
    assert len(data.SHAPE_CLASSES) >= 10 and len(set(data.SHAPE_CLASSES)) == len(data.SHAPE_CLASSES)
    assert {"circle", "square", "triangle", "cross", "ring"} <= set(data.SHAPE_CLASSES)


def test_shapes_classification_is_balanced_and_disjoint(built):
    n_classes = len(data.SHAPE_CLASSES)
    hashes = {}
    for split in data.SPLITS:
        x, y = data.shapes_classification(split)
        assert x.shape == (len(y), 3, 32, 32) and x.dtype == torch.float32 and y.dtype == torch.int64
        assert 0 <= x.min() and x.max() <= 1
        counts = torch.bincount(y, minlength=n_classes)
        assert len(counts) == n_classes and counts.max() - counts.min() <= 1, counts
        hashes[split] = row_hashes(x)
        assert len(hashes[split]) == len(y), f"duplicate images inside {split}"
    assert not hashes["train"] & hashes["val"] and not hashes["train"] & hashes["test"]
    assert not hashes["val"] & hashes["test"]


def test_shapes_detection_targets(built):
    n_classes = len(data.SHAPE_CLASSES)
    images, targets = data.shapes_detection("train")
    assert images.shape == (len(targets), 3, 64, 64) and images.dtype == torch.float32
    all_labels = []
    for t in targets:
        boxes, labels = t["boxes"], t["labels"]
        assert set(t) == {"boxes", "labels"}
        assert boxes.dtype == torch.float32 and labels.dtype == torch.int64
        assert boxes.shape == (len(labels), 4) and 1 <= len(labels) <= 6
        assert torch.all(boxes >= 0) and torch.all(boxes <= 64)
        assert torch.all(boxes[:, 2] > boxes[:, 0]) and torch.all(boxes[:, 3] > boxes[:, 1])
        all_labels.append(labels)
    counts = torch.bincount(torch.cat(all_labels), minlength=n_classes + 1)
    assert counts[0] == 0, "label 0 is background and never an object"
    assert len(counts) == n_classes + 1
    ratio = counts[1:].max() / counts[1:].min()
    assert ratio <= DETECTION_LABEL_RATIO, f"class frequencies {counts[1:].tolist()}"


def test_shapes_scene_splits_are_disjoint(built):
    hashes = {s: row_hashes(data.shapes_detection(s)[0]) for s in data.SPLITS}
    assert not hashes["train"] & hashes["val"] and not hashes["train"] & hashes["test"]
    assert not hashes["val"] & hashes["test"]


def tight_box(mask: torch.Tensor) -> list[float]:
    rows, cols = torch.nonzero(mask, as_tuple=True)
    return [cols.min().item(), rows.min().item(), cols.max().item() + 1, rows.max().item() + 1]


@pytest.mark.parametrize("split", ["val", "test"])
def test_boxes_masks_and_segmentation_agree(built, split):
    images, targets = data.shapes_detection(split, masks=True)
    seg_images, seg = data.shapes_segmentation(split)
    assert torch.equal(images, seg_images), "detection and segmentation must share their scenes"
    assert seg.shape == (len(targets), 64, 64) and seg.dtype == torch.int64
    for n, t in enumerate(targets):
        masks = t["masks"]
        assert masks.dtype == torch.uint8 and masks.shape == (len(t["labels"]), 64, 64)
        assert masks.sum(0).max() <= 1, "instance masks overlap"
        assert torch.equal(seg[n] > 0, masks.sum(0) > 0), "segmentation foreground != union of instances"
        for mask, box, label in zip(masks.bool(), t["boxes"], t["labels"]):
            assert mask.sum() >= 10, "an object is (nearly) hidden"
            assert tight_box(mask) == box.tolist()
            assert torch.all(seg[n][mask] == label)


def test_segmentation_covers_every_class(built):
    _, seg = data.shapes_segmentation("val")
    assert set(seg.unique().tolist()) == set(range(len(data.SHAPE_CLASSES) + 1))
    background = (seg == 0).float().mean()
    assert 0.5 < background < 0.95, f"background fraction {background:.2f}"


# --- photos ---------------------------------------------------------------------------------------

def test_photos_are_float_images_in_unit_range(built):
    photos = data.photos()
    assert {"astronaut", "camera", "chelsea", "coffee"} <= set(photos)
    assert photos["astronaut"].shape == (3, 512, 512) and photos["camera"].shape == (1, 512, 512)
    for name, image in photos.items():
        assert image.dtype == torch.float32 and image.dim() == 3 and image.shape[0] in (1, 3), name
        assert 0 <= image.min() and image.max() <= 1 and image.max() > 0.5, name


# --- captioned shapes ----------------------------------------------------------------------------

def test_captioned_shapes_attributes_and_captions(built):
    seen = set()
    for split in data.SPLITS:
        x, attrs, captions = data.captioned_shapes(split)
        n = len(captions)
        assert n == {"train": 6000, "val": 1000, "test": 1000}[split]
        assert x.shape == (n, 3, 32, 32) and x.dtype == torch.float32 and 0 <= x.min() and x.max() <= 1
        limits = {"shape": 10, "colour": 6, "size": 2, "position": 4}
        for key, limit in limits.items():
            assert attrs[key].shape == (n,) and attrs[key].dtype == torch.int64
            assert set(attrs[key].tolist()) == set(range(limit)), f"{split}: every {key} occurs"
        pairs = list(zip(attrs["shape"].tolist(), attrs["colour"].tolist()))
        held = [p in data.HELD_OUT_PAIRS for p in pairs]
        assert attrs["held_out"].tolist() == held
        if split == "train":
            assert not any(held), "train never shows a held-out (shape, colour) pair"
        else:
            assert 0.1 < sum(held) / n < 0.25, "about 1 in 6 val/test images shows a held-out pair"
        i = 7
        words = captions[i].split()
        assert captions[i] == data.caption(*(attrs[k][i].item() for k in limits))
        assert words[1] in data.SIZE_NAMES and words[2] in data.COLOUR_NAMES and words[3] in data.SHAPE_CLASSES
        seen |= row_hashes(x)
    assert len(seen) == 8000, "no image repeats within or across splits"


def test_captioned_shapes_colours_and_positions_are_what_the_caption_says(built):
    x, attrs, _ = data.captioned_shapes("val")
    judge = models.course_classifier("shapes")
    wrong_place, wrong_hue = [], []
    for i in range(200):   # roughly, the object is the pixels far from the background's median colour
        image = x[i]
        far = (image - image.flatten(1).median(1).values[:, None, None]).abs().sum(0) > 0.5
        rows, cols = torch.nonzero(far, as_tuple=True)
        top, left = rows.float().mean() < 16, cols.float().mean() < 16
        if data.POSITION_NAMES[attrs["position"][i]] != f"{'top' if top else 'bottom'} {'left' if left else 'right'}":
            wrong_place.append(i)
        mean = image[:, far].mean(1)
        hue = torch.atan2(3 ** 0.5 * (mean[1] - mean[2]), 2 * mean[0] - mean[1] - mean[2]) * 180 / torch.pi % 360
        expected = 60 * attrs["colour"][i].item()
        if min(abs(hue - expected), 360 - abs(hue - expected)) >= 30:
            wrong_hue.append(i)
    # the crude object finder above errs on a few images (textured backgrounds); the captions must not
    assert len(wrong_place) <= 4 and len(wrong_hue) <= 4, (wrong_place, wrong_hue)
    assert (judge(x).argmax(1) == attrs["shape"]).float().mean() > 0.9, "the shapes judge knows the captioned shapes"


# --- judges of generated images (coursekit.models.course_classifier) ------------------------------

def _both_shape_sets(split):
    """The shapes judge's own test set: single shapes of both stored sets."""
    one, (named, attrs, _) = data.shapes_classification(split), data.captioned_shapes(split)
    return torch.cat([one[0], named]), torch.cat([one[1], attrs["shape"]])


def test_judges_are_accurate_frozen_and_take_any_size(built):
    for kind, loader, floor in (("digits", lambda s: data.digits(s, size=16), 0.97),
                                ("shapes", _both_shape_sets, 0.95)):
        report = models.course_classifier_report(kind)
        assert report["test_accuracy"] >= floor and report["val_accuracy"] >= floor, (kind, report)
        judge = models.course_classifier(kind)
        assert not judge.training and not any(p.requires_grad for p in judge.parameters())
        x, y = loader("test")
        assert (judge(x).argmax(1) == y).float().mean().item() == pytest.approx(report["test_accuracy"], abs=1e-6)
        assert judge.features(x[:5]).shape == (5, 64)
        big = torch.nn.functional.interpolate(x[:50], scale_factor=2, mode="nearest")
        assert (judge(big).argmax(1) == judge(x[:50]).argmax(1)).float().mean() >= 0.9, f"{kind}: a 2x image is judged alike"
        leaf = x[:3].clone().requires_grad_(True)
        judge(leaf).logsumexp(1).sum().backward()
        assert leaf.grad is not None and leaf.grad.abs().sum() > 0, "gradients reach the input (guidance), not the judge"
    x8, y8 = data.digits("test", size=8)
    assert (models.course_classifier("digits")(x8).argmax(1) == y8).float().mean() >= 0.95
    with pytest.raises(ValueError, match="digits"):
        models.course_classifier("faces")


def test_judges_are_deterministic_and_in_the_manifest(small, tmp_path):
    data.build(tmp_path / "a")
    data.build(tmp_path / "b")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())["sets"]
    for name in ("digits_classifier", "shapes_classifier", "shapes_captions"):
        a, b = (tmp_path / d / f"{name}.safetensors" for d in "ab")
        assert sha256(a) == sha256(b), f"two builds of {name} differ"
        assert manifest[name]["sha256"] == sha256(a)
    assert "'epochs': 1" in manifest["digits_classifier"]["recipe"] and "digits-v1" in manifest["digits_classifier"]["recipe"]


# --- pretrained weights (coursekit.models) ----------------------------------------------------

def test_pretrained_weights_are_deterministic_and_in_the_manifest(small, tmp_path):
    data.build(tmp_path / "a")
    data.build(tmp_path / "b")
    a, b = (tmp_path / d / "shapes_pretrained.safetensors" for d in "ab")
    assert sha256(a) == sha256(b), "two builds of the pretrained weights differ"
    entry = json.loads((tmp_path / "a" / "manifest.json").read_text())["sets"]["shapes_pretrained"]
    assert entry["sha256"] == sha256(a) and entry["bytes"] == a.stat().st_size
    # the recipe names what the weights depend on: the classes, the training settings, the data
    for part in ("circle", "diamond", "'epochs': 2", "shapes_classification-v1"):
        assert part in entry["recipe"]
    assert "hexagon" not in entry["recipe"] and set(models.NEW_CLASSES).isdisjoint(models.PRETRAIN_CLASSES)


def test_pretrained_build_leaves_the_global_rng_and_threads_alone(small):
    threads = torch.get_num_threads()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    data.build()
    assert torch.equal(torch.rand(3), expected), "building the weights must not reseed the caller's RNG"
    assert torch.get_num_threads() == threads, "the build trains on one thread, then gives the caller its threads back"


def test_pretrained_net_loads_from_a_read_only_data_dir(small, monkeypatch):
    data.build()
    stored = data._load("shapes_pretrained")
    data._cache.clear()                                             # a fresh process, as in the sandbox
    monkeypatch.setattr(data, "_writable", lambda root: False)      # root ignores file modes, so pretend
    net = models.pretrained_shapes_net()
    assert isinstance(net, models.ShapesNet) and not net.training
    for name, value in net.state_dict().items():
        assert torch.equal(value, stored[name]), name
    with torch.no_grad():
        assert net(torch.rand(2, 3, 32, 32)).shape == (2, len(models.PRETRAIN_CLASSES))
        assert net.body(torch.rand(2, 3, 32, 32)).shape == (2, net.head.in_features)
    # every call is a new model: changing one leaves the stored weights and the next call alone
    with torch.no_grad():
        net.head.weight.zero_()
    assert not torch.equal(models.pretrained_shapes_net().head.weight, net.head.weight)
    report = models.pretrain_report()
    assert report["epochs"] == 2 and 0.0 <= report["val_accuracy"] <= 1.0
    # a changed file in a read-only dir is refused, never loaded
    path = small / "shapes_pretrained.safetensors"
    flip_byte(path, path.stat().st_size - 1)
    with pytest.raises(data.DataError, match="shapes_pretrained.safetensors.*sha256.*read-only"):
        models.pretrained_shapes_net()


# --- generated on the fly: digit-string tasks and the stdlib's help text ------------------------

@pytest.mark.parametrize("name", data.DIGIT_TASKS)
def test_digit_task_is_seeded_and_correct(name):
    src, tgt = data.digit_task(name, n=300, lengths=(1, 6), seed=5)
    assert (src, tgt) == data.digit_task(name, n=300, lengths=(1, 6), seed=5)
    assert src != data.digit_task(name, n=300, lengths=(1, 6), seed=6)[0]
    for s, t in zip(src, tgt):
        if name == "reverse":
            assert t == s[::-1] and s.isdigit() and 1 <= len(s) <= 6
        elif name == "sort":
            assert t == "".join(sorted(s)) and s.isdigit() and 1 <= len(s) <= 6
        else:
            a, b = s.split("+")
            assert int(t) == int(a) + int(b) and all(1 <= len(x) <= 6 and (len(x) == 1 or x[0] != "0") for x in (a, b))
    lengths = {len(s) for s in src} if name != "add" else {len(x) for s in src for x in s.split("+")}
    assert lengths == set(range(1, 7))  # every length in the range is drawn


def test_digit_task_refuses_bad_arguments():
    with pytest.raises(ValueError, match="name must be one of"):
        data.digit_task("copy")
    with pytest.raises(ValueError, match="lengths"):
        data.digit_task("reverse", lengths=(0, 3))


def test_pydoc_text_splits_and_vocabulary():
    train, val = data.pydoc_text("train"), data.pydoc_text("val")
    assert len(train) > 400_000 and 0.05 < len(val) / (len(train) + len(val)) < 0.15
    assert set(train) | set(val) <= set(data.PYDOC_VOCAB) and len(data.PYDOC_VOCAB) == 96
    assert train.endswith("\n\n") and not val.startswith("\n")  # the cut falls between paragraphs
    assert val not in train and train[-200:] not in val
    with pytest.raises(ValueError, match="split must be one of"):
        data.pydoc_text("test")
