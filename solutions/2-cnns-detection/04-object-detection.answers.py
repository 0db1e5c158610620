"""Answer variants for 04-object-detection.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: machine-made mutants reviewed as behaving like the solution on every valid input.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "box_convert": {
        "cxcywh without the half: x1 = cx - w": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - c, b - d, a + c, b + d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
        "xywh read as xyxy (x2 = w)": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
        "in place: boxes[:, 2:] += boxes[:, :2]": '''
def box_convert(boxes, in_fmt, out_fmt):
    if in_fmt == "xywh":
        boxes[:, 2:] += boxes[:, :2]
    elif in_fmt == "cxcywh":
        boxes = torch.cat([boxes[:, :2] - boxes[:, 2:] / 2, boxes[:, :2] + boxes[:, 2:] / 2], 1)
    if out_fmt == "xywh":
        return torch.cat([boxes[:, :2], boxes[:, 2:] - boxes[:, :2]], 1)
    if out_fmt == "cxcywh":
        return torch.cat([(boxes[:, :2] + boxes[:, 2:]) / 2, boxes[:, 2:] - boxes[:, :2]], 1)
    return boxes.clone()
''',
        "results cast to float32": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.float().unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
        "torchvision.ops.box_convert (off limits)": '''
def box_convert(boxes, in_fmt, out_fmt):
    import torchvision
    return torchvision.ops.box_convert(boxes, in_fmt, out_fmt)
''',
        "torchvision's private converters in torchvision.ops._box_convert (off limits)": '''
def box_convert(boxes, in_fmt, out_fmt):
    from torchvision.ops import _box_convert as bc
    if in_fmt == "xywh":
        boxes = bc._box_xywh_to_xyxy(boxes)
    elif in_fmt == "cxcywh":
        boxes = bc._box_cxcywh_to_xyxy(boxes)
    else:
        boxes = boxes.clone()
    if out_fmt == "xywh":
        return bc._box_xyxy_to_xywh(boxes)
    if out_fmt == "cxcywh":
        return bc._box_xyxy_to_cxcywh(boxes)
    return boxes
''',
        "result filled into torch.empty(shape, dtype) (on the CPU, whatever the input's device)": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    result = torch.empty(boxes.shape, dtype=boxes.dtype)
    for k, v in enumerate(out):
        result[:, k] = v
    return result
''',
        "same format: boxes[:] (a slice, as if it copied like a list)": '''
def box_convert(boxes, in_fmt, out_fmt):
    if in_fmt == out_fmt:
        return boxes[:]
    return torchvision_free_convert(boxes, in_fmt, out_fmt)


def torchvision_free_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        return torch.stack((x1, y1, x2 - x1, y2 - y1), dim=-1)
    if out_fmt == "cxcywh":
        return torch.stack(((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1), dim=-1)
    return torch.stack((x1, y1, x2, y2), dim=-1)
''',
    },
    "box_iou": {
        "no clamp: two negative sides multiply into a positive intersection": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    wh = torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)
''',
        "union without subtracting the intersection": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :])
''',
        "intersection over the smaller area": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / torch.minimum(box_area(a)[:, None], box_area(b)[None, :])
''',
        "transposed: [M, N]": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    a, b = b, a
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)
''',
        "a loop over pairs into a float32 matrix": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    out = torch.zeros(len(a), len(b))
    for i in range(len(a)):
        for j in range(len(b)):
            w = (min(a[i, 2], b[j, 2]) - max(a[i, 0], b[j, 0])).clamp(min=0)
            h = (min(a[i, 3], b[j, 3]) - max(a[i, 1], b[j, 1])).clamp(min=0)
            out[i, j] = w * h / (box_area(a[i:i + 1])[0] + box_area(b[j:j + 1])[0] - w * h)
    return out
''',
        "area from width times width": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 2] - boxes[:, 0])


def box_iou(a, b):
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)
''',
        "torchvision.ops.box_iou (off limits)": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    from torchvision.ops import box_iou as tv_box_iou
    return tv_box_iou(a, b)
''',
        'empty sets answered with torch.zeros(N, M, dtype) on the CPU': '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    if len(a) == 0 or len(b) == 0:
        return torch.zeros(len(a), len(b), dtype=a.dtype)
    wh = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)
''',
    },
    "generalized_box_iou": {
        "hull from the intersection's corners": '''
def generalized_box_iou(a, b):
    iou = box_iou(a, b)
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = rb - lt
    hull = (wh[..., 0] * wh[..., 1]).abs()
    inter = wh.clamp(min=0).prod(-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return iou - (hull - union) / hull
''',
        "penalty divided by the union": '''
def generalized_box_iou(a, b):
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull = (torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])).prod(-1)
    return inter / union - (hull - union) / union
''',
        "1 - GIoU (the loss)": '''
def generalized_box_iou(a, b):
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull = (torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])).prod(-1)
    return 1 - (inter / union - (hull - union) / hull)
''',
        "hull minus the intersection": '''
def generalized_box_iou(a, b):
    lt = torch.maximum(a[:, None, :2], b[None, :, :2])
    rb = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull = (torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])).prod(-1)
    return inter / union - (hull - inter) / hull
''',
        "torchvision.ops.generalized_box_iou (off limits)": '''
def generalized_box_iou(a, b):
    import torchvision.ops
    return torchvision.ops.generalized_box_iou(a, b)
''',
        '1 - torchvision.ops.generalized_box_iou_loss on every pair (off limits)': '''
def generalized_box_iou(a, b):
    from torchvision.ops import generalized_box_iou_loss
    N, M = len(a), len(b)
    return 1 - generalized_box_iou_loss(a[:, None].expand(N, M, 4), b[None].expand(N, M, 4))
''',
    },
    "nms": {
        "a removed box still removes others": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    removed = (iou > iou_threshold).triu(1).any(0)
    return order[~removed]
''',
        "indices in input order, not score order": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep].sort().values
''',
        "positions in the sorted order instead of input indices": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return torch.nonzero(keep).flatten()
''',
        "IoU equal to the threshold removed (>=)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= iou[i, i + 1:] < iou_threshold
    return order[keep]
''',
        "an unstable sort: ties in any order": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
        "ascending scores": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
        "keeps where IoU <= threshold (a nan IoU removes)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= iou[i, i + 1:] <= iou_threshold
    return order[keep]
''',
        "torchvision.ops.nms (off limits)": '''
def nms(boxes, scores, iou_threshold):
    return torch.ops.torchvision.nms(boxes, scores, iou_threshold)
''',
    },
    "batched_nms": {
        "labels ignored": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    return nms(boxes, scores, iou_threshold)
''',
        "a fixed offset of 100 per label": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    return nms(boxes + 100.0 * labels[:, None].to(boxes), scores, iou_threshold)
''',
        "per class, concatenated class by class": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keep = [torch.nonzero(labels == c).flatten()[nms(boxes[labels == c], scores[labels == c], iou_threshold)]
            for c in labels.unique()]
    return torch.cat(keep) if keep else torch.zeros(0, dtype=torch.int64)
''',
        "per class, merged with an unstable sort": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keep = [torch.nonzero(labels == c).flatten()[nms(boxes[labels == c], scores[labels == c], iou_threshold)]
            for c in labels.unique()]
    if not keep:
        return torch.zeros(0, dtype=torch.int64)
    keep = torch.cat(keep)
    return keep[scores[keep].argsort(descending=True)]
''',
        "torchvision.ops.batched_nms (off limits)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    import torchvision
    return torchvision.ops.batched_nms(boxes, scores, labels, iou_threshold)
''',
        'offset labels * (boxes.max() + 1): coordinates assumed >= 0': '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    offsets = labels.to(boxes) * (boxes.max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)
''',
    },
    "crowd_kept": {
        "both: two objects": "crowd_kept = 2\n",
        "none": "crowd_kept = 0\n",
    },
    "make_anchors": {
        "centres at the cell's corner (j * stride)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    out.append([j * stride - w / 2, i * stride - h / 2, j * stride + w / 2, i * stride + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
        "ratio = width / height": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m * math.sqrt(r), m / math.sqrt(r)
                    cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
        "sizes outer, ratios inner": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            for m in sizes:
                for r in aspect_ratios:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
        "columns outer (x-major grid)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for j in range(W):
        for i in range(H):
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
        "width and height = size * ratio (area not kept)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m, m * r
                    cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
    },
    "encode_boxes": {
        "corners instead of centres": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    return torch.stack([wx * (gt[:, 0] - anchors[:, 0]) / aw, wy * (gt[:, 1] - anchors[:, 1]) / ah,
                        ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    w = aw * torch.exp((deltas[:, 2] / ww).clamp(max=BBOX_CLIP))
    h = ah * torch.exp((deltas[:, 3] / wh).clamp(max=BBOX_CLIP))
    x1 = anchors[:, 0] + deltas[:, 0] / wx * aw
    y1 = anchors[:, 1] + deltas[:, 1] / wy * ah
    return torch.stack([x1, y1, x1 + w, y1 + h], dim=1)
''',
        "no clamp before exp": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w, h = aw * torch.exp(deltas[:, 2] / ww), ah * torch.exp(deltas[:, 3] / wh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
        "weights ignored": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([(gx - ax) / aw, (gy - ay) / ah, torch.log(gw / aw), torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] * aw, ay + deltas[:, 1] * ah
    w = aw * torch.exp(deltas[:, 2].clamp(max=BBOX_CLIP))
    h = ah * torch.exp(deltas[:, 3].clamp(max=BBOX_CLIP))
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
        "clamp before dividing by the weight": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w = aw * torch.exp(deltas[:, 2].clamp(max=BBOX_CLIP) / ww)
    h = ah * torch.exp(deltas[:, 3].clamp(max=BBOX_CLIP) / wh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
        "log of anchor over box": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(aw / gw), wh * torch.log(ah / gh)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w = aw * torch.exp(-(deltas[:, 2] / ww).clamp(max=BBOX_CLIP))
    h = ah * torch.exp(-(deltas[:, 3] / wh).clamp(max=BBOX_CLIP))
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
        'clamp after exp: exp(tw).clamp(max=1000 / 16) (nan gradient past overflow)': '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w = aw * torch.exp(deltas[:, 2] / ww).clamp(max=1000.0 / 16)
    h = ah * torch.exp(deltas[:, 3] / wh).clamp(max=1000.0 / 16)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
    },
    "assign_targets": {
        "no low-quality matches": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    best, matched = box_iou(gt_boxes, anchors).max(0)
    fg = best >= fg_iou
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "one best anchor per box (argmax, ties dropped)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = best >= fg_iou
    fg[iou.argmax(1)] = True
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "foreground only above fg_iou (>)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = (best > fg_iou) | (iou == iou.max(1, keepdim=True).values).any(0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "background up to bg_iou inclusive (<=)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = (best >= fg_iou) | (iou == iou.max(1, keepdim=True).values).any(0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best <= bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "crashes on an image with no objects": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = (best >= fg_iou) | (iou == iou.max(1, keepdim=True).values).any(0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "low-quality anchors take the box they are best for": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = best >= fg_iou
    for g in range(len(gt_boxes)):
        tied = iou[g] == iou[g].max()
        matched = torch.where(tied & ~fg, g, matched)
        fg = fg | tied
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
        "matched index kept for every anchor": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    if len(gt_boxes) == 0:
        return torch.zeros(len(anchors), dtype=torch.int64), torch.full((len(anchors),), -1)
    iou = box_iou(gt_boxes, anchors)
    best, matched = iou.max(0)
    fg = (best >= fg_iou) | (iou == iou.max(1, keepdim=True).values).any(0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best < bg_iou, 0, -1))
    return labels, matched
''',
    },
    "n_scores": {
        "one score per anchor": "n_scores = 16 * 16 * 9\n",
        "per position, not per anchor": "n_scores = 16 * 16 * 10\n",
        "a 64 x 64 map": "n_scores = 64 * 64 * 9 * 10\n",
        "stride 8, as if all three pools were kept": "n_scores = 8 * 8 * 9 * 10\n",
    },
    "match_detections": {
        "a box matched more than once": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return torch.zeros(len(boxes), dtype=torch.bool)
    return box_iou(boxes, gt_boxes).max(1).values >= iou_threshold
''',
        "input order instead of score order": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in range(len(boxes)):
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        if c[j] >= iou_threshold:
            taken[j] = is_tp[i] = True
    return is_tp
''',
        "IoU strictly above the threshold": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True, stable=True).tolist():
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        if c[j] > iou_threshold:
            taken[j] = is_tp[i] = True
    return is_tp
''',
        "the first free box above the threshold, not the best": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True, stable=True).tolist():
        for j in range(len(gt_boxes)):
            if not taken[j] and iou[i, j] >= iou_threshold:
                taken[j] = is_tp[i] = True
                break
    return is_tp
''',
        "the best box, even if already taken (then a miss)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True, stable=True).tolist():
        j = int(iou[i].argmax())
        if iou[i, j] >= iou_threshold and not taken[j]:
            taken[j] = is_tp[i] = True
    return is_tp
''',
        "result in score order": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return torch.zeros(len(boxes), dtype=torch.bool)
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    out = []
    for i in range(len(order)):
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        out.append(bool(c[j] >= iou_threshold))
        if out[-1]:
            taken[j] = True
    return torch.tensor(out)
''',
        'the best box marked taken even when below the threshold': '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True, stable=True).tolist():
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        taken[j] = True
        if c[j] >= iou_threshold:
            is_tp[i] = True
    return is_tp
''',
        'an unstable sort: tied scores in any order': '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True).tolist():
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        if c[j] >= iou_threshold:
            taken[j] = is_tp[i] = True
    return is_tp
''',
    },
    "average_precision": {
        "no envelope (raw precision)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    recall, precision = tp / n_gt, tp / torch.arange(1, len(tp) + 1)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
        "VOC's 11 points": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    recall, precision = tp / n_gt, tp / torch.arange(1, len(tp) + 1)
    precision = precision.flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 11, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
        "area under the raw curve (sum of precision times recall steps)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    hits = is_tp[order].double()
    precision = hits.cumsum(0) / torch.arange(1, len(hits) + 1)
    return float((precision * hits).sum() / n_gt)
''',
        "recall over the detections instead of the objects": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    recall, precision = tp / max(len(tp), 1), tp / torch.arange(1, len(tp) + 1)
    precision = precision.flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
        "not sorted by score": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    tp = is_tp.double().cumsum(0)
    recall, precision = tp / n_gt, tp / torch.arange(1, len(tp) + 1)
    precision = precision.flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
        "a tensor instead of a float, 0 when there is no object": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return torch.tensor(0.0)
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    recall, precision = tp / n_gt, tp / torch.arange(1, len(tp) + 1)
    precision = precision.flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean()
''',
    },
    "mean_average_precision": {
        "classes ignored when matching": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            n_gt += int((t["labels"] == c).sum())
            mine = p["labels"] == c
            tp = match_detections(p["boxes"], p["scores"], t["boxes"], iou_threshold)
            scores.append(p["scores"][mine])
            hits.append(tp[mine])
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps))
''',
        "classes without objects count as 0": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in list(targets) + list(preds) for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        ap = average_precision(torch.cat(scores), torch.cat(hits), n_gt)
        aps.append(0.0 if math.isnan(ap) else ap)
    return float(sum(aps) / len(aps))
''',
        "the mean of per-image APs": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    per_image = []
    for p, t in zip(preds, targets):
        aps = []
        for c in t["labels"].unique().tolist():
            mine, theirs = p["labels"] == c, t["labels"] == c
            tp = match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold)
            aps.append(average_precision(p["scores"][mine], tp, int(theirs.sum())))
        if aps:
            per_image.append(sum(aps) / len(aps))
    return float(sum(per_image) / len(per_image))
''',
        "all images' boxes pooled (boxes of other images can match)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    pb = torch.cat([p["boxes"] for p in preds]); ps = torch.cat([p["scores"] for p in preds])
    pl = torch.cat([p["labels"] for p in preds])
    tb = torch.cat([t["boxes"] for t in targets]); tl = torch.cat([t["labels"] for t in targets])
    aps = []
    for c in tl.unique().tolist():
        tp = match_detections(pb[pl == c], ps[pl == c], tb[tl == c], iou_threshold)
        aps.append(average_precision(ps[pl == c], tp, int((tl == c).sum())))
    return float(sum(aps) / len(aps))
''',
        'ZeroDivisionError when no image has a ground-truth box': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps))
''',
        '0.0 when no image has a ground-truth box': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else 0.0
''',
        'detections in images without the class left out (their false positives not counted)': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            if not theirs.any():
                continue
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
    },
    "map_with_low_false_positives": {
        "a false positive per image lowers precision": "map_with_low_false_positives = 0.8\n",
        "precision at the end of the list": "map_with_low_false_positives = 0.75\n",
    },
    "detect": {
        "softmax over classes instead of a sigmoid per class": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.softmax(o.float(), dim=-1)
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        "labels 0..K-1 (the column index)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep]})
    return out
''',
        "class-agnostic NMS": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = nms(b, s, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        "only the best class of each anchor": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        best, k = torch.sigmoid(o.float()).max(-1)
        a = torch.nonzero(best > score_threshold).flatten()
        s, k = best[a], k[a]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        "boxes not clipped to the image": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        "clipped with H and W swapped": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    W, H = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        'puts the model in eval mode (when it is a module)': '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    if isinstance(model, torch.nn.Module):
        model.eval()
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
        'boxes clipped after NMS (NMS on unclipped boxes)': '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        keep = batched_nms(b, s, k, iou_threshold)
        b = b[keep]
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        out.append({"boxes": b, "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    },
}

RIGHT = {
    "box_convert": {
        "through xyxy with torch.cat": '''
def box_convert(boxes, in_fmt, out_fmt):
    if in_fmt == "xywh":
        xyxy = torch.cat([boxes[:, :2], boxes[:, :2] + boxes[:, 2:]], dim=1)
    elif in_fmt == "cxcywh":
        xyxy = torch.cat([boxes[:, :2] - boxes[:, 2:] / 2, boxes[:, :2] + boxes[:, 2:] / 2], dim=1)
    else:
        xyxy = boxes.clone()
    if out_fmt == "xywh":
        return torch.cat([xyxy[:, :2], xyxy[:, 2:] - xyxy[:, :2]], dim=1)
    if out_fmt == "cxcywh":
        return torch.cat([(xyxy[:, :2] + xyxy[:, 2:]) / 2, xyxy[:, 2:] - xyxy[:, :2]], dim=1)
    return xyxy
''',
    },
    "box_iou": {
        "clamp_min on each side, areas inline": '''
def box_area(boxes):
    w = boxes[:, 2] - boxes[:, 0]
    return w * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    w = (torch.min(a[:, None, 2], b[None, :, 2]) - torch.max(a[:, None, 0], b[None, :, 0])).clamp_min(0)
    h = (torch.min(a[:, None, 3], b[None, :, 3]) - torch.max(a[:, None, 1], b[None, :, 1])).clamp_min(0)
    inter = w * h
    return inter / (box_area(a).unsqueeze(1) + box_area(b).unsqueeze(0) - inter)
''',
    },
    "generalized_box_iou": {
        "from box_iou, with the union recovered": '''
def generalized_box_iou(a, b):
    iou = box_iou(a, b)
    inter = (torch.minimum(a[:, None, 2:], b[None, :, 2:]) - torch.maximum(a[:, None, :2], b[None, :, :2])).clamp(min=0).prod(-1)
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull = (torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])).prod(-1)
    return iou - 1 + union / hull
''',
    },
    "nms": {
        "a while loop over the remaining boxes": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    keep = []
    while len(order) > 0:
        i = order[0]
        keep.append(i)
        iou = box_iou(boxes[i][None], boxes[order[1:]])[0]
        order = order[1:][~(iou > iou_threshold)]
    return torch.stack(keep) if keep else torch.zeros(0, dtype=torch.int64, device=boxes.device)
''',
    },
    "batched_nms": {
        "per class, then a stable sort by score": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keep = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    for c in labels.unique().tolist():
        idx = torch.nonzero(labels == c).flatten()
        keep[idx[nms(boxes[idx], scores[idx], iou_threshold)]] = True
    kept = torch.nonzero(keep).flatten()
    return kept[scores[kept].argsort(descending=True, stable=True)]
''',
    },
    "crowd_kept": {"an expression": "crowd_kept = int(0.6 <= 0.5) + 1\n"},
    "make_anchors": {
        "loops": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
    },
    "encode_boxes": {
        "through cxcywh with box_convert": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    w = torch.tensor(weights, dtype=gt.dtype, device=gt.device)
    g, a = box_convert(gt, "xyxy", "cxcywh"), box_convert(anchors, "xyxy", "cxcywh")
    return torch.cat([(g[:, :2] - a[:, :2]) / a[:, 2:], torch.log(g[:, 2:] / a[:, 2:])], dim=1) * w


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    d = deltas / torch.tensor(weights, dtype=deltas.dtype, device=deltas.device)
    a = box_convert(anchors, "xyxy", "cxcywh")
    centre = a[:, :2] + d[:, :2] * a[:, 2:]
    size = a[:, 2:] * torch.exp(d[:, 2:].clamp(max=BBOX_CLIP))
    return box_convert(torch.cat([centre, size], dim=1), "cxcywh", "xyxy")
''',
    },
    "assign_targets": {
        "a loop over the boxes for the low-quality rule": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    labels = torch.zeros(A, dtype=torch.int64, device=anchors.device)
    matched = torch.full((A,), -1, dtype=torch.int64, device=anchors.device)
    if len(gt_boxes) == 0:
        return labels, matched
    iou = box_iou(gt_boxes, anchors)
    best = iou.max(0).values
    best_gt = iou.argmax(0)
    fg = best >= fg_iou
    for g in range(len(gt_boxes)):
        fg |= iou[g] == iou[g].max()
    labels[(best >= bg_iou) & ~fg] = -1
    labels[fg] = gt_labels[best_gt[fg]]
    matched[fg] = best_gt[fg]
    return labels, matched
''',
    },
    "n_scores": {"from make_anchors": "n_scores = len(make_anchors((16, 16), 4, (12, 18, 26), (0.7, 1.0, 1.4))) * 10\n"},
    "match_detections": {
        "plain Python lists": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    out = [False] * len(boxes)
    if len(boxes) and len(gt_boxes):
        iou = box_iou(boxes, gt_boxes).tolist()
        free = set(range(len(gt_boxes)))
        for i in sorted(range(len(boxes)), key=lambda k: (-float(scores[k]), k)):
            best = max(free, key=lambda j: (iou[i][j], -j), default=None)
            if best is not None and iou[i][best] >= iou_threshold:
                free.discard(best)
                out[i] = True
    return torch.tensor(out, dtype=torch.bool, device=boxes.device)
''',
    },
    "average_precision": {
        "a loop over the 101 levels": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    recall = (tp / n_gt).tolist()
    precision = (tp / torch.arange(1, len(tp) + 1, dtype=torch.float64)).tolist()
    for i in range(len(precision) - 2, -1, -1):
        precision[i] = max(precision[i], precision[i + 1])
    total = 0.0
    for r in torch.linspace(0, 1, 101, dtype=torch.float64).tolist():
        n = next((i for i, rc in enumerate(recall) if rc >= r), None)
        total += precision[n] if n is not None else 0.0
    return total / 101
''',
    },
    "mean_average_precision": {
        "classes from every target, gathered per class first": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    per_class = {c: ([], [], [0]) for t in targets for c in t["labels"].tolist()}
    for p, t in zip(preds, targets):
        for c, (scores, hits, n) in per_class.items():
            mine, theirs = p["labels"] == c, t["labels"] == c
            n[0] += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
    if not per_class:
        return float("nan")
    aps = [average_precision(torch.cat(s), torch.cat(h), n[0]) for s, h, n in per_class.values()]
    return float(sum(aps) / len(aps))
''',
        'classes of targets and predictions, nan APs left out': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = {int(c) for d in list(preds) + list(targets) for c in d["labels"].tolist()}
    aps = []
    for c in sorted(classes):
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        ap = average_precision(torch.cat(scores), torch.cat(hits), n_gt)
        if not math.isnan(ap):
            aps.append(ap)
    return sum(aps) / len(aps) if aps else math.nan
''',
    },
    "map_with_low_false_positives": {"an int-like float": "map_with_low_false_positives = 1\n"},
    "detect": {
        "flattened (anchor, class) pairs with divmod": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
        H, W = images.shape[-2:]
        K = logits.shape[-1]
        out = []
        for o, d in zip(logits, deltas):
            flat = torch.sigmoid(o.float()).flatten()
            pick = torch.nonzero(flat > score_threshold).flatten()
            a, k = pick // K, pick % K
            b = decode_boxes(d[a].float(), anchors[a].float())
            b[:, 0::2] = b[:, 0::2].clamp(0, W)
            b[:, 1::2] = b[:, 1::2].clamp(0, H)
            keep = batched_nms(b, flat[pick], k, iou_threshold)
            out.append({"boxes": b[keep], "scores": flat[pick][keep], "labels": k[keep] + 1})
    return out
''',
        'torch.inference_mode, NMS on labels 1..K': '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.inference_mode():
        logits, deltas, anchors = model(images)
        H, W = images.shape[-2:]
        out = []
        for o, d in zip(logits, deltas):
            scores = torch.sigmoid(o.float())
            a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
            s = scores[a, k]
            b = decode_boxes(d[a].float(), anchors[a].float())
            b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
            keep = batched_nms(b, s, k + 1, iou_threshold)
            out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    },
}

WARNED = {
    "box_convert": ["cxcywh without the half: x1 = cx - w", "xywh read as xyxy (x2 = w)", "in place: boxes[:, 2:] += boxes[:, :2]",
                    "results cast to float32", "torchvision.ops.box_convert (off limits)"],
    "box_iou": ["no clamp: two negative sides multiply into a positive intersection", "union without subtracting the intersection",
                "transposed: [M, N]", "torchvision.ops.box_iou (off limits)"],
    "generalized_box_iou": ["hull from the intersection's corners", "torchvision.ops.generalized_box_iou (off limits)"],
    "nms": ["a removed box still removes others", "indices in input order, not score order",
            "positions in the sorted order instead of input indices", "IoU equal to the threshold removed (>=)",
            "an unstable sort: ties in any order", "torchvision.ops.nms (off limits)"],
    "batched_nms": ["labels ignored", "a fixed offset of 100 per label", "per class, concatenated class by class",
                    "torchvision.ops.batched_nms (off limits)"],
    "make_anchors": ["centres at the cell's corner (j * stride)", "ratio = width / height", "sizes outer, ratios inner",
                     "columns outer (x-major grid)"],
    "encode_boxes": ["corners instead of centres", "no clamp before exp", "weights ignored"],
    "assign_targets": ["no low-quality matches", "one best anchor per box (argmax, ties dropped)", "foreground only above fg_iou (>)",
                       "background up to bg_iou inclusive (<=)", "crashes on an image with no objects",
                       "matched index kept for every anchor"],
    "match_detections": ["a box matched more than once", "input order instead of score order", "IoU strictly above the threshold",
                         "result in score order"],
    "average_precision": ["no envelope (raw precision)", "not sorted by score"],
    "mean_average_precision": ["classes ignored when matching", "classes without objects count as 0"],
    "detect": ["softmax over classes instead of a sigmoid per class", "labels 0..K-1 (the column index)", "class-agnostic NMS",
               "only the best class of each anchor", "boxes not clipped to the image"],
}

_INT = "the result is an integer or boolean tensor built from comparisons and indices: it never requires grad, so .detach() changes nothing"
_TWO_D = "the stacked tensors are 1-D, so the new dimension -1 is dimension 1"
_ONE_D = "the tensor is 1-D, so dimension -1 is dimension 0"
_SYM = "torch.maximum and torch.minimum are symmetric in their two arguments"

EQUIVALENT = {
    "box_iou": {"args@11:15#0": _SYM, "args@12:19#0": _SYM},
    "generalized_box_iou": {"args@4:15#0": _SYM, "args@5:19#0": _SYM, "args@9:14#0": _SYM, "args@9:62#0": _SYM},
    "nms": {
        "clone@10:4#0": _INT,
        "offbyone@7:19#1": "the last box in score order has no box after it to remove, so skipping it changes nothing",
    },
    "batched_nms": {
        "clone@7:4#0": _INT,
        "clone@5:8#0": _INT,
        "arith@7:15#0": "shifting each label by the offset to the left instead of the right separates the labels just as well",
        "const@6:62#0": "an offset of exactly the span of the coordinates makes boxes of neighbouring labels touch at most: "
                        "intersection 0, IoU 0, never greater than a threshold >= 0",
        "const@6:62#1": "a larger offset separates the labels just as well",
    },
    "make_anchors": {"clone@18:4#0": "anchors are built from plain numbers: nothing requires grad, so .detach() changes nothing",
                     "dim@16:60#1": _TWO_D, "dim@17:33#1": _TWO_D},
    "encode_boxes": {"dim@12:117#1": _TWO_D, "dim@27:81#1": _TWO_D},
    "assign_targets": {"dim@15:26#1": "the IoU matrix is 2-D, so dimension -1 is dimension 1"},
    "match_detections": {
        "clone@16:4#0": _INT,
        "clone@7:8#0": _INT,
        "const@6:21#0": "without the shortcut for P = 0 the loop runs zero times and returns the same empty tensor",
        "const@11:47#0": "a taken box filled with IoU 0 is never chosen above a threshold > 0 (iou_threshold is in (0, 1])",
        "const@11:47#1": "any fill value below 0 keeps a taken box out of reach of a threshold > 0",
    },
    "average_precision": {
        "dim@7:38#1": _ONE_D, "dim@8:41#1": _ONE_D, "const@11:56#0": _ONE_D, "const@11:41#0": _ONE_D, "const@11:31#0": _ONE_D,
        "args@12:13#0": "linspace(1, 0, 101) is the same 101 levels in reverse order, and AP is their mean",
        "const@14:47#1": "searchsorted returns at most P, so only the first padding zero is ever read",
    },
    "detect": {"dim@14:80#1": _TWO_D},
}

# ---- red team, round 3 (2026-12-03) ----
_DETECT_BODY = '''
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
'''
WRONG.setdefault("box_convert", {}).update({
    "same format: a detached copy (no gradient)": '''
def box_convert(boxes, in_fmt, out_fmt):
    if in_fmt == out_fmt:
        return boxes.detach().clone()
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * c, b - 0.5 * d, a + 0.5 * c, b + 0.5 * d
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
    "pixel-inclusive widths (w = x2 - x1 + 1)": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c - 1, b + d - 1
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - 0.5 * (c - 1), b - 0.5 * (d - 1), a + 0.5 * (c - 1), b + 0.5 * (d - 1)
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1 + 1, y2 - y1 + 1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1 + 1, y2 - y1 + 1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
})
WRONG.setdefault("box_iou", {}).update({
    "a small eps added to the union": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    tl = torch.maximum(a[:, None, :2], b[None, :, :2])
    br = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (br - tl).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter + 1e-6)
''',
})
WRONG.setdefault("nms", {}).update({
    "ascending stable sort walked backwards (ties: higher index first)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(stable=True).flip(0)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
})
WRONG.setdefault("batched_nms", {}).update({
    "per class, then a stable sort of the class-by-class list (ties by class, not index)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    keeps = []
    for c in labels.unique():
        idx = torch.nonzero(labels == c).flatten()
        keeps.append(idx[nms(boxes[idx], scores[idx], iou_threshold)])
    keep = torch.cat(keeps)
    return keep[scores[keep].argsort(descending=True, stable=True)]
''',
    "offset from the largest absolute coordinate": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    offsets = labels.to(boxes) * (boxes.abs().max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)
''',
})
WRONG.setdefault("make_anchors", {}).update({
    "feature_size read as (W, H)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    W, H = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([cx.reshape(-1), cy.reshape(-1)], dim=1)
    half = torch.stack([ws, hs], dim=1) / 2
    return torch.cat([centres[:, None] - half, centres[:, None] + half], dim=-1).reshape(-1, 4)
''',
})
WRONG.setdefault("encode_boxes", {}).update({
    "weights as a tensor made on the CPU": '''
def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    w = torch.tensor(weights, dtype=gt.dtype)
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([(gx - ax) / aw, (gy - ay) / ah, torch.log(gw / aw), torch.log(gh / ah)], dim=1) * w


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    d = deltas / torch.tensor(weights, dtype=deltas.dtype)
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    dw, dh = d[:, 2].clamp(max=BBOX_CLIP), d[:, 3].clamp(max=BBOX_CLIP)
    cx, cy = ax + d[:, 0] * aw, ay + d[:, 1] * ah
    w, h = aw * torch.exp(dw), ah * torch.exp(dh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
    "size clamped after the exponential": '''
def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w = aw * torch.exp(deltas[:, 2] / ww).clamp(max=1000.0 / 16)
    h = ah * torch.exp(deltas[:, 3] / wh).clamp(max=1000.0 / 16)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
})
WRONG.setdefault("n_scores", {}).update({
    "a background score counted too (K + 1)": "n_scores = 16 * 16 * 9 * 11\n",
    "3 anchors per position (sizes only)": "n_scores = 16 * 16 * 3 * 10\n",
})
WRONG.setdefault("match_detections", {}).update({
    "equal IoUs: the last box wins (>= in a loop)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes).tolist()
    taken = set()
    for i in scores.argsort(descending=True, stable=True).tolist():
        best, bj = iou_threshold, -1
        for j in range(len(gt_boxes)):
            if j not in taken and iou[i][j] >= best:
                best, bj = iou[i][j], j
        if bj >= 0:
            taken.add(bj)
            is_tp[i] = True
    return is_tp
''',
    "ascending stable sort walked backwards (ties: higher index first)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in reversed(scores.argsort(stable=True).tolist()):
        c = iou[i].masked_fill(taken, -1.0)
        j = int(c.argmax())
        if c[j] >= iou_threshold:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("average_precision", {}).update({
    "recall and recall levels in float32": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].float().cumsum(0)
    fp = (~is_tp[order]).float().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101))
    return float(torch.cat([precision, torch.zeros(1)])[idx].double().mean())
''',
    "recall levels as arange(101) / 100": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.arange(101, dtype=torch.float64) / 100)
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
    "envelope as a running maximum from the top (cummax without flips)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).cummax(0).values
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "objects counted only in images with a detection of the class": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            if not bool(mine.any()):
                continue
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        if n_gt == 0:
            aps.append(0.0)
            continue
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("map_with_low_false_positives", {}).update({
    "one recall level lost to the false positive": "map_with_low_false_positives = 100 / 101\n",
})
WRONG.setdefault("detect", {}).update({
    "no float32 cast (bfloat16 logits give bfloat16 scores and boxes)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o)
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a], anchors[a].to(d.dtype))
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    "runs the model in eval mode, then restores its mode": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    was_training = getattr(model, "training", False)
    if isinstance(model, torch.nn.Module):
        model.eval()
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    if isinstance(model, torch.nn.Module):
        model.train(was_training)
''' + _DETECT_BODY,
    "clipped to the larger image side": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    S = max(images.shape[-2:])
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float()).clamp(0, S)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    "scores at the threshold kept (>=)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores >= score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})

RIGHT.setdefault("nms", {}).update({
    "stable ascending sort of the negated scores": '''
def nms(boxes, scores, iou_threshold):
    order = (-scores).argsort(stable=True)
    iou = box_iou(boxes[order], boxes[order])
    suppressed = torch.zeros(len(order), dtype=torch.bool, device=boxes.device)
    kept = []
    for i in range(len(order)):
        if not suppressed[i]:
            kept.append(i)
            suppressed |= iou[i] > iou_threshold
    return order[torch.tensor(kept, dtype=torch.int64, device=boxes.device)]
''',
})
RIGHT.setdefault("mean_average_precision", {}).update({
    "every class seen, nan for the classes without objects, then the mean of the others": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    import math
    classes = sorted({int(c) for d in [*preds, *targets] for c in d["labels"].tolist()})
    aps = []
    for c in classes:
        n_gt = sum(int((t["labels"] == c).sum()) for t in targets)
        scores = torch.cat([p["scores"][p["labels"] == c] for p in preds])
        hits = torch.cat([match_detections(p["boxes"][p["labels"] == c], p["scores"][p["labels"] == c],
                                           t["boxes"][t["labels"] == c], iou_threshold) for p, t in zip(preds, targets)])
        aps.append(average_precision(scores, hits, n_gt))
    aps = [a for a in aps if not math.isnan(a)]
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
RIGHT.setdefault("make_anchors", {}).update({
    "computed in float64, then cast to float32": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    s = torch.tensor(list(sizes), dtype=torch.float64)
    r = torch.tensor(list(aspect_ratios), dtype=torch.float64)
    wh = torch.stack([(s[None, :] / r.sqrt()[:, None]).reshape(-1), (s[None, :] * r.sqrt()[:, None]).reshape(-1)], 1)
    ys, xs = torch.meshgrid(torch.arange(H, dtype=torch.float64), torch.arange(W, dtype=torch.float64), indexing="ij")
    c = (torch.stack([xs, ys], -1).reshape(-1, 1, 2) + 0.5) * stride
    return torch.cat([c - wh / 2, c + wh / 2], -1).reshape(-1, 4).float()
''',
})
RIGHT.setdefault("detect", {}).update({
    "torch.inference_mode instead of no_grad": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.inference_mode():
        logits, deltas, anchors = model(images)
''' + _DETECT_BODY,
})

# ---- the model run with gradient tracking, then detached (the test's model sees the grad mode) ----
WRONG["detect"].update({
    "outputs detached instead of torch.no_grad() (a graph is built, then dropped)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    logits, deltas, anchors = (t.detach() for t in model(images))
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})

# ---- red team, round 5 (rt5/rtf) ----
_DETECT_HEAD = '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
'''
WRONG.setdefault("nms", {}).update({
    "keep mask made on the CPU (torch.ones(n, dtype=torch.bool)): fails for boxes on a GPU": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
    "kept indices gathered in a list, returned with torch.tensor (on the CPU)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True).tolist()
    iou = box_iou(boxes, boxes)
    kept = []
    for i in order:
        if all(not bool(iou[i, j] > iou_threshold) for j in kept):
            kept.append(i)
    return torch.tensor(kept, dtype=torch.int64)
''',
})
WRONG.setdefault("batched_nms", {}).update({
    "per class into a keep mask made on the CPU": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keep = torch.zeros(len(boxes), dtype=torch.bool)
    for c in labels.unique().tolist():
        idx = torch.nonzero(labels == c).flatten()
        keep[idx[nms(boxes[idx], scores[idx], iou_threshold)]] = True
    kept = torch.nonzero(keep).flatten()
    return kept[scores[kept].argsort(descending=True, stable=True)]
''',
    "offset of the largest box side + 1 per label (not the span of the coordinates)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    offsets = labels.to(boxes) * ((boxes[:, 2:] - boxes[:, :2]).max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)
''',
})
WRONG.setdefault("assign_targets", {}).update({
    "best-anchor ties found with torch.isclose (near ties count too)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return (torch.zeros(A, dtype=torch.int64, device=anchors.device),
                torch.full((A,), -1, dtype=torch.int64, device=anchors.device))
    iou = box_iou(gt_boxes, anchors)
    best_iou, matched = iou.max(dim=0)
    fg = best_iou >= fg_iou
    fg |= torch.isclose(iou, iou.max(dim=1, keepdim=True).values).any(dim=0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
})
WRONG.setdefault("make_anchors", {}).update({
    "centres at j * stride + stride // 2 (integer half stride)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            cx, cy = j * stride + stride // 2, i * stride + stride // 2
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
})
WRONG.setdefault("match_detections", {}).update({
    "an optimal assignment (SciPy's linear_sum_assignment on the IoUs), not the greedy matching": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    from scipy.optimize import linear_sum_assignment
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes).cpu()
    cost = -(iou * (iou >= iou_threshold)).double().numpy()
    rows, cols = linear_sum_assignment(cost)
    for i, j in zip(rows.tolist(), cols.tolist()):
        if iou[i, j] >= iou_threshold:
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("average_precision", {}).update({
    "default (unstable) argsort: tied scores in any order": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "iou_threshold not passed on (match_detections' default 0.5)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs]))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("detect", {}).update({
    "at most 1000 candidates per image before NMS (torchvision RetinaNet's topk_candidates)": _DETECT_HEAD + '''
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        top = s.argsort(descending=True, stable=True)[:1000]
        a, k, s = a[top], k[top], s[top]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    "at most 300 detections per image after NMS (torchvision RetinaNet's detections_per_img)": _DETECT_HEAD + '''
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)[:300]
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    "clip bounds as a CPU tensor (torch.tensor([W, H, W, H]))": _DETECT_HEAD + '''
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.minimum(b.clamp(min=0), torch.tensor([W, H, W, H], dtype=b.dtype))
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})
RIGHT.setdefault("batched_nms", {}).update({
    "per class on the boxes' device, kept indices sorted by (score, index)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    kept = [torch.nonzero(labels == c).flatten()[nms(boxes[labels == c], scores[labels == c], iou_threshold)]
            for c in labels.unique()]
    kept = torch.cat(kept) if kept else torch.zeros(0, dtype=torch.int64, device=boxes.device)
    kept = kept.sort().values                               # index order, so the stable sort breaks ties by index
    return kept[scores[kept].argsort(descending=True, stable=True)]
''',
})
RIGHT.setdefault("detect", {}).update({
    "clip with a bounds tensor made on the deltas' device": _DETECT_HEAD + '''
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        hi = torch.tensor([W, H, W, H], dtype=b.dtype, device=b.device)
        b = torch.minimum(b.clamp(min=0), hi)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})

# ---- red team, round 6 (rt6/rte) ----
WRONG.setdefault("mean_average_precision", {}).update({
    "classes 1..K of the notebook (K = 10), not the labels of the targets": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    aps = []
    for c in range(1, K + 1):
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        if n_gt:
            aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("match_detections", {}).update({
    "default (unstable) argsort: tied scores in any order": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("batched_nms", {}).update({
    "offset labels * (boxes.max() + 1) (enough only for non-negative coordinates)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    offsets = labels.to(boxes) * (boxes.max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)
''',
})
WRONG.setdefault("average_precision", {}).update({
    "no detections checked before no objects (0.0 instead of nan)": '''
def average_precision(scores, is_tp, n_gt):
    if len(scores) == 0:
        return 0.0
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    idx = torch.searchsorted(recall, torch.linspace(0, 1, 101, dtype=torch.float64))
    return float(torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
})
WRONG.setdefault("detect", {}).update({
    "clipped to the last pixel centre: [0, W - 1] and [0, H - 1]": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W - 1), boxes[:, 1].clamp(0, H - 1),
                             boxes[:, 2].clamp(0, W - 1), boxes[:, 3].clamp(0, H - 1)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("assign_targets", {}).update({
    "low-quality matches only where the box's best IoU is at least bg_iou": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return (torch.zeros(A, dtype=torch.int64, device=anchors.device),
                torch.full((A,), -1, dtype=torch.int64, device=anchors.device))
    iou = box_iou(gt_boxes, anchors)
    best_iou, matched = iou.max(dim=0)
    fg = best_iou >= fg_iou
    best_for_gt = iou.max(dim=1, keepdim=True).values
    fg |= ((iou == best_for_gt) & (best_for_gt >= bg_iou)).any(dim=0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
})
WRONG.setdefault("make_anchors", {}).update({
    "sizes and ratios as given (a list of ints: integer widths)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    out = []
    for i in range(H):
        for j in range(W):
            cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
            for r in aspect_ratios:
                for m in sizes:
                    w, h = int(m / math.sqrt(r)), int(m * math.sqrt(r))
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
})
RIGHT.setdefault("encode_boxes", {}).update({
    "log of each side minus log of the anchor's": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    a_wh = anchors[:, 2:] - anchors[:, :2]
    g_wh = gt[:, 2:] - gt[:, :2]
    shift = ((gt[:, :2] + gt[:, 2:]) - (anchors[:, :2] + anchors[:, 2:])) / 2 / a_wh
    size = g_wh.log() - a_wh.log()
    return torch.stack([wx * shift[:, 0], wy * shift[:, 1], ww * size[:, 0], wh * size[:, 1]], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w = aw * torch.exp(torch.clamp(deltas[:, 2] / ww, max=BBOX_CLIP))
    h = ah * torch.exp(torch.clamp(deltas[:, 3] / wh, max=BBOX_CLIP))
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=1)
''',
})
RIGHT.setdefault("detect", {}).update({
    "clipped with torch.minimum against images.new_tensor([W, H, W, H])": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    limit = images.new_tensor([W, H, W, H], dtype=torch.float32)
    out = []
    for o, d in zip(logits, deltas):
        scores = o.float().sigmoid()
        a_idx, k_idx = (scores > score_threshold).nonzero(as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = torch.minimum(decode_boxes(d[a_idx].float(), anchors[a_idx].float()).clamp(min=0), limit)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "classes collected as a set of 0-d tensors (hashed by identity: a class counted once per object)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = {c for t in targets for c in t["labels"]}
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("match_detections", {}).update({
    "threshold tested on the best IoU over all boxes, taken or not": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True, stable=True).tolist():
        if iou[i].max() < iou_threshold or taken.all():
            continue
        j = int(iou[i].masked_fill(taken, -1.0).argmax())
        taken[j] = True
        is_tp[i] = True
    return is_tp
''',
})
RIGHT.setdefault("batched_nms", {}).update({
    "labels separated along x only (x1 and x2 shifted by the span)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if len(boxes) == 0:
        return torch.zeros(0, dtype=torch.int64, device=boxes.device)
    shift = labels.to(boxes.dtype) * (boxes.max() - boxes.min() + 1)
    moved = boxes + torch.stack([shift, torch.zeros_like(shift), shift, torch.zeros_like(shift)], dim=1)
    return nms(moved, scores, iou_threshold)
''',
})
RIGHT.setdefault("average_precision", {}).update({
    "each level: the best precision among the points with recall >= r (a mask, no envelope pass)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = torch.sort(scores, descending=True, stable=True).indices
    hits = is_tp[order].to(torch.float64)
    tp = torch.cumsum(hits, 0)
    recall = tp / n_gt
    precision = tp / torch.arange(1, len(hits) + 1, dtype=torch.float64)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    reach = recall[None, :] >= levels[:, None]                          # [101, P]
    best = torch.where(reach, precision[None, :], torch.zeros(1, dtype=torch.float64)).amax(1) if len(hits) else torch.zeros(101, dtype=torch.float64)
    return best.mean().item()
''',
})
WRONG.setdefault("generalized_box_iou", {}).update({
    "torchvision.ops.generalized_box_iou_loss on every pair, eps=0 (torchvision.ops: off limits)": '''
def generalized_box_iou(a, b):
    from torchvision.ops import generalized_box_iou_loss
    N, M = len(a), len(b)
    pa = a[:, None, :].expand(N, M, 4).reshape(-1, 4)
    pb = b[None, :, :].expand(N, M, 4).reshape(-1, 4)
    return (1 - generalized_box_iou_loss(pa, pb, reduction="none", eps=0.0)).reshape(N, M)
''',
})
WRONG.setdefault("nms", {}).update({
    "torchvision's compiled kernel torch.ops.torchvision.nms (torchvision.ops: off limits)": '''
def nms(boxes, scores, iou_threshold):
    import torchvision  # noqa: F401  (registers torch.ops.torchvision)
    return torch.ops.torchvision.nms(boxes, scores, float(iou_threshold))
''',
})
WRONG.setdefault("detect", {}).update({
    "sigmoid and decoding in the outputs' dtype, cast to float32 afterwards": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o).float()
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx], anchors[a_idx].to(d.dtype)).float()
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WARNED["generalized_box_iou"] = WARNED.get("generalized_box_iou", []) + [
    "1 - torchvision.ops.generalized_box_iou_loss on every pair (off limits)",
    "torchvision.ops.generalized_box_iou_loss on every pair, eps=0 (torchvision.ops: off limits)"]

# ---- red team, round 7 (rt7/d) ----
WRONG.setdefault("make_anchors", {}).update({
    "sizes sorted ascending (sizes given in another order reordered)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sorted(sizes), dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([cx.reshape(-1), cy.reshape(-1)], dim=1)
    half = torch.stack([ws, hs], dim=1) / 2
    return torch.cat([centres[:, None] - half, centres[:, None] + half], dim=-1).reshape(-1, 4)
''',
})
WRONG.setdefault("encode_boxes", {}).update({
    "encode: weights as a CPU tensor (decode right)": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    t = torch.stack([(gx - ax) / aw, (gy - ay) / ah, torch.log(gw / aw), torch.log(gh / ah)], dim=1)
    return t * torch.tensor(weights, dtype=gt.dtype)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    dx, dy = deltas[:, 0] / wx, deltas[:, 1] / wy
    dw = (deltas[:, 2] / ww).clamp(max=BBOX_CLIP)
    dh = (deltas[:, 3] / wh).clamp(max=BBOX_CLIP)
    cx, cy = ax + dx * aw, ay + dy * ah
    w, h = aw * torch.exp(dw), ah * torch.exp(dh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
})
_ASSIGN_TAIL = '''
    iou = box_iou(gt_boxes, anchors)
    best_iou, matched = iou.max(dim=0)
    fg = best_iou >= fg_iou
    best_for_gt = iou.max(dim=1, keepdim=True).values
'''
WRONG.setdefault("assign_targets", {}).update({
    "no objects: labels and matched made on the CPU": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return torch.zeros(A, dtype=torch.int64), torch.full((A,), -1, dtype=torch.int64)
''' + _ASSIGN_TAIL + '''
    fg |= (iou == best_for_gt).any(dim=0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
    "low-quality matches only for boxes some anchor overlaps (best IoU > 0)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return (torch.zeros(A, dtype=torch.int64, device=anchors.device),
                torch.full((A,), -1, dtype=torch.int64, device=anchors.device))
''' + _ASSIGN_TAIL + '''
    fg |= ((iou == best_for_gt) & (best_for_gt > 0)).any(dim=0)
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
    "low-quality rule tested against the anchor's own matched box only": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return (torch.zeros(A, dtype=torch.int64, device=anchors.device),
                torch.full((A,), -1, dtype=torch.int64, device=anchors.device))
''' + _ASSIGN_TAIL + '''
    fg |= best_iou == best_for_gt[matched, 0]
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
})
WRONG.setdefault("average_precision", {}).update({
    "recall levels reached within a tolerance (recall >= r - 1e-9)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels - 1e-9)
    padded = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
    return float(padded[idx].mean())
''',
})
WRONG.setdefault("detect", {}).update({
    "NMS on the unclipped boxes, clipped afterwards": _DETECT_HEAD + '''
        a, k = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        keep = batched_nms(b, s, k, iou_threshold)
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
    "threshold on the logits (logit > logit(score_threshold)), not on the float32 scores": _DETECT_HEAD + '''
        a, k = torch.nonzero(o.float() > math.log(score_threshold / (1 - score_threshold)) if 0 < score_threshold < 1
                             else (o.float() > -math.inf if score_threshold <= 0 else o.float() > math.inf), as_tuple=True)
        s = scores[a, k]
        b = decode_boxes(d[a].float(), anchors[a].float())
        b = torch.stack([b[:, 0].clamp(0, W), b[:, 1].clamp(0, H), b[:, 2].clamp(0, W), b[:, 3].clamp(0, H)], 1)
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})
RIGHT.setdefault("average_precision", {}).update({
    "the precision at the true positives only (a false positive never raises the envelope)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    hits = is_tp[order]
    rank = torch.nonzero(hits).flatten().double() + 1            # 1-based ranks of the true positives
    k = torch.arange(1, len(rank) + 1, dtype=torch.float64)      # k-th true positive
    recall, precision = k / n_gt, k / rank
    envelope = precision.flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels)
    return float(torch.cat([envelope, torch.zeros(1, dtype=torch.float64)])[idx].mean())
''',
})
RIGHT.setdefault("detect", {}).update({
    "decode every anchor, flat indices of the scores split with divmod": _DETECT_HEAD + '''
        K = scores.shape[1]
        boxes_all = decode_boxes(d.float(), anchors.float())
        boxes_all = torch.stack([boxes_all[:, 0].clamp(0, W), boxes_all[:, 1].clamp(0, H),
                                 boxes_all[:, 2].clamp(0, W), boxes_all[:, 3].clamp(0, H)], 1)
        flat = scores.flatten()
        idx = torch.nonzero(flat > score_threshold).flatten()
        a, k = idx // K, idx % K
        s, b = flat[idx], boxes_all[a]
        keep = batched_nms(b, s, k, iou_threshold)
        out.append({"boxes": b[keep], "scores": s[keep], "labels": k[keep] + 1})
    return out
''',
})
RIGHT.setdefault("make_anchors", {}).update({
    "centres and sizes in cxcywh, converted with box_convert": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    A = len(sizes) * len(aspect_ratios)
    wh = torch.tensor([[m / math.sqrt(r), m * math.sqrt(r)] for r in aspect_ratios for m in sizes], dtype=torch.float32)
    ii, jj = torch.meshgrid(torch.arange(H), torch.arange(W), indexing="ij")
    c = torch.stack([(jj.flatten() + 0.5) * stride, (ii.flatten() + 0.5) * stride], 1).float()    # [H*W, 2]
    cxcywh = torch.cat([c[:, None].expand(-1, A, 2), wh[None].expand(H * W, -1, -1)], -1).reshape(-1, 4)
    return box_convert(cxcywh, "cxcywh", "xyxy")
''',
})

# Off limits by name since 2026-12-04 (the text names it; the visible call forbids it): the library's own metric.
WRONG["mean_average_precision"]["pycocotools' COCOeval at one IoU threshold (off limits; its value is right)"] = '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    import contextlib, io
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    images, gts, dets, classes = [], [], [], set()
    for i, (p, t) in enumerate(zip(preds, targets)):
        images.append({"id": i})
        for (x0, y0, x1, y1), c in zip(t["boxes"].tolist(), t["labels"].tolist()):
            gts.append({"id": len(gts) + 1, "image_id": i, "category_id": c, "bbox": [x0, y0, x1 - x0, y1 - y0],
                        "area": (x1 - x0) * (y1 - y0), "iscrowd": 0})
            classes.add(c)
        for (x0, y0, x1, y1), s, c in zip(p["boxes"].tolist(), p["scores"].tolist(), p["labels"].tolist()):
            dets.append({"id": len(dets) + 1, "image_id": i, "category_id": c, "bbox": [x0, y0, x1 - x0, y1 - y0],
                         "area": (x1 - x0) * (y1 - y0), "score": s, "iscrowd": 0})
    if not gts:
        return float("nan")
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt, coco_dt = COCO(), COCO()
        coco_gt.dataset = {"images": images, "annotations": gts, "categories": [{"id": c} for c in sorted(classes)]}
        coco_dt.dataset = {"images": images, "annotations": dets, "categories": [{"id": c} for c in sorted(classes)]}
        coco_gt.createIndex()
        coco_dt.createIndex()
        ev = COCOeval(coco_gt, coco_dt, "bbox")
        ev.params.iouThrs = np.array([iou_threshold])
        ev.params.areaRng, ev.params.areaRngLbl, ev.params.maxDets = [[0, 1e10]], ["all"], [10 ** 6]
        ev.evaluate()
        ev.accumulate()
    precision = ev.eval["precision"][0, :, :, 0, 0]      # [recall levels, classes]
    return float(precision.mean(0).mean())
'''
WARNED["mean_average_precision"] = WARNED.get("mean_average_precision", []) + ["pycocotools' COCOeval at one IoU threshold (off limits; its value is right)"]


# ---- red-team pass 9 (reviewer e) ----
WRONG.setdefault("make_anchors", {}).update({
    "base anchors rounded to whole pixels (torchvision's AnchorGenerator)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    base = torch.stack([-ws, -hs, ws, hs], dim=1).div(2).round()          # [A, 4]
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    shifts = torch.stack([cx.reshape(-1), cy.reshape(-1), cx.reshape(-1), cy.reshape(-1)], dim=1)
    return (shifts[:, None] + base[None]).reshape(-1, 4)
''',
})
WRONG.setdefault("nms", {}).update({
    "kept indices gathered in a list, torch.tensor(kept, device=...) (an empty list gives float32)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    removed = [False] * len(order)
    kept = []
    for i in range(len(order)):
        if removed[i]:
            continue
        kept.append(int(order[i]))
        for j in range(i + 1, len(order)):
            if iou[i, j] > iou_threshold:
                removed[j] = True
    return torch.tensor(kept, device=boxes.device)
''',
})
RIGHT.setdefault("batched_nms", {}).update({
    "offset of the x span (+ 1) added to all four coordinates (x-intervals of two labels never overlap)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    span = boxes[:, 2].max() - boxes[:, 0].min() + 1
    offsets = labels.to(boxes) * span
    return nms(boxes + offsets[:, None], scores, iou_threshold)
''',
})
WRONG.setdefault("average_precision", {}).update({
    "searchsorted(right=True): the first recall strictly above each level": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = tp / (tp + fp)
    precision = precision.flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels, right=True)
    padded = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
    return float(padded[idx].mean())
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "APs weighted by each class's number of objects": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    total, weight = 0.0, 0
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        total += n_gt * average_precision(torch.cat(scores), torch.cat(hits), n_gt)
        weight += n_gt
    return float(total / weight) if weight else float("nan")
''',
})
WRONG.setdefault("encode_boxes", {}).update({
    "decode: every delta clamped at BBOX_CLIP (the centre shifts too)": '''
def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    d = (deltas / deltas.new_tensor([wx, wy, ww, wh])).clamp(max=BBOX_CLIP)
    cx, cy = ax + d[:, 0] * aw, ay + d[:, 1] * ah
    w, h = aw * torch.exp(d[:, 2]), ah * torch.exp(d[:, 3])
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
})
WRONG.setdefault("generalized_box_iou", {}).update({
    "eps = 1e-7 added to the union and the hull (torchvision's GIoU loss habit)": '''
def generalized_box_iou(a, b):
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull_wh = torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])
    hull = hull_wh[..., 0] * hull_wh[..., 1]
    return inter / (union + 1e-7) - (hull - union) / (hull + 1e-7)
''',
})
RIGHT.setdefault("make_anchors", {}).update({
    "base anchors [A, 4] around 0 plus shifts [H*W, 1, 4] (torchvision's layout)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    base = torch.stack([-ws / 2, -hs / 2, ws / 2, hs / 2], dim=1)           # [A, 4]
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    cx, cy = cx.reshape(-1), cy.reshape(-1)
    shifts = torch.stack([cx, cy, cx, cy], dim=1)                            # [H*W, 4]
    return (shifts[:, None, :] + base[None, :, :]).reshape(-1, 4)
''',
})
# ---- red-team pass 10 (reviewer e) ----
_ENC_OK = '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)
'''
_DEC_OK = '''

def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    dx, dy = deltas[:, 0] / wx, deltas[:, 1] / wy
    dw = (deltas[:, 2] / ww).clamp(max=BBOX_CLIP)
    dh = (deltas[:, 3] / wh).clamp(max=BBOX_CLIP)
    cx, cy = ax + dx * aw, ay + dy * ah
    w, h = aw * torch.exp(dw), ah * torch.exp(dh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
'''
WRONG.setdefault("encode_boxes", {}).update({
    "decode: tw/ww and th/wh clamped to [-BBOX_CLIP, BBOX_CLIP] (a symmetric clamp)": _ENC_OK + _DEC_OK.replace(
        "clamp(max=BBOX_CLIP)", "clamp(-BBOX_CLIP, BBOX_CLIP)"),
    "encode: tw and th clamped at BBOX_CLIP too (as decode does)": _ENC_OK.replace(
        "ww * torch.log(gw / aw), wh * torch.log(gh / ah)",
        "(ww * torch.log(gw / aw)).clamp(max=BBOX_CLIP), (wh * torch.log(gh / ah)).clamp(max=BBOX_CLIP)") + _DEC_OK,
    "encode: box sides clamped to at least 1 pixel (no log(0))": _ENC_OK.replace(
        "gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]",
        "gw, gh = (gt[:, 2] - gt[:, 0]).clamp(min=1.0), (gt[:, 3] - gt[:, 1]).clamp(min=1.0)") + _DEC_OK,
})
WRONG.setdefault("nms", {}).update({
    "IoU matrix of the boxes cast to float32": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    b = boxes[order].float()
    iou = box_iou(b, b)
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
    "scores cast to float32 for the sort": '''
def nms(boxes, scores, iou_threshold):
    order = scores.float().argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] &= ~(iou[i, i + 1:] > iou_threshold)
    return order[keep]
''',
})
WRONG.setdefault("match_detections", {}).update({
    "IoUs computed on float32 copies of the boxes": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes.float(), gt_boxes.float())
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True, stable=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
RIGHT.setdefault("match_detections", {}).update({
    "taken boxes masked to IoU 0 (the threshold is positive), Python's stable sorted(reverse=True)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    free = torch.ones(len(gt_boxes), dtype=iou.dtype, device=boxes.device)
    s = scores.tolist()
    for i in sorted(range(len(s)), key=lambda k: s[k], reverse=True):
        candidates = iou[i] * free
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold:
            free[j] = 0
            is_tp[i] = True
    return is_tp
''',
})
RIGHT.setdefault("make_anchors", {}).update({
    "centres from torch.arange(0.5, W) * stride, anchors by broadcasting": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    m = torch.tensor([float(s) for s in sizes], dtype=torch.float64)
    r = torch.tensor([float(a) for a in aspect_ratios], dtype=torch.float64).sqrt()
    w = (m[None, :] / r[:, None]).flatten()
    h = (m[None, :] * r[:, None]).flatten()
    cy = (torch.arange(0.5, H, dtype=torch.float64) * stride)[:, None, None].expand(H, W, len(w))
    cx = (torch.arange(0.5, W, dtype=torch.float64) * stride)[None, :, None].expand(H, W, len(w))
    out = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)
    return out.reshape(-1, 4).float()
''',
})
# ---- red-team pass 10 (reviewer e), second batch ----
WRONG.setdefault("average_precision", {}).update({
    "scores cast to float32 for the sort": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.float().argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = tp / (tp + fp)
    precision = precision.flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels)
    padded = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
    return float(padded[idx].mean())
''',
})
# red team 11, 2026-12-04
WRONG.setdefault("box_convert", {}).update({
    "torchvision.transforms.v2's convert_bounding_box_format (torchvision's box conversions: off limits)": '''
def box_convert(boxes, in_fmt, out_fmt):
    from torchvision.transforms.v2.functional import convert_bounding_box_format
    return convert_bounding_box_format(boxes, old_format=in_fmt.upper(), new_format=out_fmt.upper()).clone()
''',
})
WRONG.setdefault("generalized_box_iou", {}).update({
    "empty sets answered with torch.zeros(N, M, dtype) on the CPU": '''
def generalized_box_iou(a, b):
    if len(a) == 0 or len(b) == 0:
        return torch.zeros(len(a), len(b), dtype=a.dtype)
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    hull_wh = torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])
    hull = hull_wh[..., 0] * hull_wh[..., 1]
    return inter / union - (hull - union) / hull
''',
})
WRONG.setdefault("nms", {}).update({
    "keep mask reassigned, not and-ed (a later kept box brings removed boxes back)": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes[order], boxes[order])
    keep = torch.ones(len(order), dtype=torch.bool, device=boxes.device)
    for i in range(len(order)):
        if keep[i]:
            keep[i + 1:] = iou[i, i + 1:] <= iou_threshold
    return order[keep]
''',
})
WRONG.setdefault("batched_nms", {}).update({
    "per class, indices from nonzero().squeeze() (a class with one box gives a 0-d index)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keeps = []
    for c in labels.unique():
        idx = (labels == c).nonzero().squeeze()
        keeps.append(idx[nms(boxes[idx], scores[idx], iou_threshold)])
    if not keeps:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    keep = torch.cat(keeps)
    return keep[scores[keep].argsort(descending=True, stable=True)]
''',
})
WRONG.setdefault("encode_boxes", {}).update({
    "decode: the size deltas clamped in place (deltas[:, 2:].clamp_(max=BBOX_CLIP))": '''
BBOX_CLIP = math.log(1000.0 / 16)


def encode_boxes(gt, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    gw, gh = gt[:, 2] - gt[:, 0], gt[:, 3] - gt[:, 1]
    gx, gy = gt[:, 0] + 0.5 * gw, gt[:, 1] + 0.5 * gh
    return torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah, ww * torch.log(gw / aw), wh * torch.log(gh / ah)], dim=1)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    wx, wy, ww, wh = weights
    with torch.no_grad():
        deltas[:, 2].clamp_(max=BBOX_CLIP * ww)
        deltas[:, 3].clamp_(max=BBOX_CLIP * wh)
    aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ax, ay = anchors[:, 0] + 0.5 * aw, anchors[:, 1] + 0.5 * ah
    cx, cy = ax + deltas[:, 0] / wx * aw, ay + deltas[:, 1] / wy * ah
    w, h = aw * torch.exp(deltas[:, 2] / ww), ah * torch.exp(deltas[:, 3] / wh)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], dim=1)
''',
})
WRONG.setdefault("assign_targets", {}).update({
    "low-quality rule: anchors whose own best IoU is one of the boxes' best IoUs (torch.isin)": '''
def assign_targets(anchors, gt_boxes, gt_labels, fg_iou=0.5, bg_iou=0.4):
    A = len(anchors)
    if len(gt_boxes) == 0:
        return (torch.zeros(A, dtype=torch.int64, device=anchors.device),
                torch.full((A,), -1, dtype=torch.int64, device=anchors.device))
    iou = box_iou(gt_boxes, anchors)
    best_iou, matched = iou.max(dim=0)
    best_for_gt = iou.max(dim=1).values
    fg = (best_iou >= fg_iou) | torch.isin(best_iou, best_for_gt)
    labels = torch.where(fg, gt_labels[matched], torch.where(best_iou < bg_iou, 0, -1))
    return labels, torch.where(fg, matched, -1)
''',
})
WRONG.setdefault("match_detections", {}).update({
    "pairs matched in decreasing IoU order (a greedy over all pairs), not in score order": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for flat in iou.flatten().argsort(descending=True, stable=True).tolist():
        i, j = divmod(flat, len(gt_boxes))
        if iou[i, j] < iou_threshold:
            break
        if not is_tp[i] and not taken[j]:
            is_tp[i] = taken[j] = True
    return is_tp
''',
})
WRONG.setdefault("average_precision", {}).update({
    "recall levels from a float32 torch.linspace(0, 1, 101), cast to float64": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101).double()
    idx = torch.searchsorted(recall, levels)
    padded = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
    return float(padded[idx].mean())
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "torchmetrics' legacy pure-torch MeanAveragePrecision (torchmetrics.detection._mean_ap: off limits)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    from torchmetrics.detection._mean_ap import MeanAveragePrecision as _LegacyMAP
    if not any(len(t["labels"]) for t in targets):
        return float("nan")
    metric = _LegacyMAP(iou_thresholds=[iou_threshold])
    metric.update(preds, targets)
    return float(metric.compute()["map"])
''',
    "detections of a class matched against every object of the image, whatever its class": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine = p["labels"] == c
            n_gt += int((t["labels"] == c).sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("detect", {}).update({
    "detections moved to the CPU for the caller (.cpu())": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep].cpu(), "scores": s[keep].cpu(), "labels": (k_idx[keep] + 1).cpu()})
    return out
''',
})
RIGHT.setdefault("nms", {}).update({
    "an alive mask in input order: each kept box clears every box it overlaps": '''
def nms(boxes, scores, iou_threshold):
    order = scores.argsort(descending=True, stable=True)
    iou = box_iou(boxes, boxes)
    alive = torch.ones(len(boxes), dtype=torch.bool, device=boxes.device)
    kept = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    for i in order.tolist():
        if alive[i]:
            kept[i] = True
            alive &= ~(iou[i] > iou_threshold)
    return order[kept[order]]
''',
})
RIGHT.setdefault("make_anchors", {}).update({
    "meshgrid(cx, cy, indexing='xy')": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    gx, gy = torch.meshgrid(cx, cy, indexing="xy")                  # [H, W] each
    c = torch.stack([gx, gy, gx, gy], dim=-1).reshape(-1, 1, 4)
    half = torch.stack([-ws, -hs, ws, hs], dim=1) / 2
    return (c + half[None]).reshape(-1, 4)
''',
})
RIGHT.setdefault("box_convert", {}).update({
    "computed in float64, cast back to the input's dtype": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.double().unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - c / 2, b - d / 2, a + c / 2, b + d / 2
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = ((x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1).to(boxes.dtype)
''',
})
WARNED["box_convert"] = WARNED.get("box_convert", []) + [
    "torchvision.transforms.v2's convert_bounding_box_format (torchvision's box conversions: off limits)"]
# red team 13, 2026-12-05
WRONG.setdefault("box_iou", {}).update({
    "union clamped at 1e-6 against a division by zero (wrong for small boxes in normalised coordinates)": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    tl = torch.maximum(a[:, None, :2], b[None, :, :2])
    br = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (br - tl).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = box_area(a)[:, None] + box_area(b)[None, :] - inter
    return inter / union.clamp(min=1e-6)
''',
})
WRONG.setdefault("generalized_box_iou", {}).update({
    "union and hull clamped at 1e-6 against a division by zero (wrong for small boxes)": '''
def generalized_box_iou(a, b):
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = (box_area(a)[:, None] + box_area(b)[None, :] - inter).clamp(min=1e-6)
    hull_wh = torch.maximum(a[:, None, 2:], b[None, :, 2:]) - torch.minimum(a[:, None, :2], b[None, :, :2])
    hull = (hull_wh[..., 0] * hull_wh[..., 1]).clamp(min=1e-6)
    return inter / union - (hull - union) / hull
''',
})
WRONG.setdefault("match_detections", {}).update({
    "true-positive and taken masks made on the CPU (torch.zeros(n, dtype=torch.bool))": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = [False] * len(gt_boxes)
    for i in scores.argsort(descending=True, stable=True).tolist():
        best, bj = iou_threshold, -1
        for j in range(len(gt_boxes)):
            v = float(iou[i, j])
            if not taken[j] and v >= best and (bj < 0 or v > best):
                best, bj = v, j
        if bj >= 0:
            taken[bj] = True
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("average_precision", {}).update({
    "recall levels from torch.arange(0, 1.01, 0.01, dtype=torch.float64)": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    levels = torch.arange(0, 1.01, 0.01, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels)
    padded = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
    return float(padded[idx].mean())
''',
})
WRONG.setdefault("detect", {}).update({
    "an image with no score above the threshold answered with CPU tensors (torch.zeros(0, 4))": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        if len(a_idx) == 0:
            out.append({"boxes": torch.zeros(0, 4), "scores": torch.zeros(0), "labels": torch.zeros(0, dtype=torch.int64)})
            continue
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
    "images and logits split per image: the model run once per image (BatchNorm statistics of one image)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    out = []
    for img in images:
        with torch.no_grad():
            logits, deltas, anchors = model(img[None])
        H, W = img.shape[-2:]
        scores = torch.sigmoid(logits[0].float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(deltas[0][a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    "objects of a class counted with len() of the image's label mask (every object of the image)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += len(theirs)
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
RIGHT.setdefault("detect", {}).update({
    "an image with no score above the threshold answered with new_zeros on the logits' device": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        if len(a_idx) == 0:
            out.append({"boxes": scores.new_zeros(0, 4), "scores": scores.new_zeros(0),
                        "labels": k_idx.new_zeros(0)})
            continue
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
RIGHT.setdefault("match_detections", {}).update({
    "masks from boxes.new_zeros, the free boxes' IoUs set to -inf": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = boxes.new_zeros(len(boxes), dtype=torch.bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    free = gt_boxes.new_ones(len(gt_boxes), dtype=torch.bool)
    for i in scores.argsort(descending=True, stable=True).tolist():
        row = torch.where(free, iou[i], torch.full_like(iou[i], float("-inf")))
        j = int(row.argmax())
        if bool(row[j] >= iou_threshold):
            free[j] = False
            is_tp[i] = True
    return is_tp
''',
})
RIGHT.setdefault("box_iou", {}).update({
    "intersection and union from 1-d per-axis overlaps (x and y separately)": '''
def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]).mul(boxes[:, 3] - boxes[:, 1])


def box_iou(a, b):
    ox = (torch.minimum(a[:, None, 2], b[None, :, 2]) - torch.maximum(a[:, None, 0], b[None, :, 0])).clamp(min=0)
    oy = (torch.minimum(a[:, None, 3], b[None, :, 3]) - torch.maximum(a[:, None, 1], b[None, :, 1])).clamp(min=0)
    inter = ox * oy
    return inter / (box_area(a)[:, None] + box_area(b)[None, :] - inter)
''',
})

# red team 15 (reviewer E)
WRONG.setdefault("match_detections", {}).update({
    # red team 15: float64 scores are ranked in float32: 0.5 and 0.5 + 1e-12 tie and the lower index takes the box
    'scores ranked in float32 (scores.float())': '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.float().argsort(descending=True, stable=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("batched_nms", {}).update({
    # red team 15: labels are any int64, 'exactly as torchvision.ops.batched_nms': a box with a negative label is never returned
    'a loop over labels 0..max (boxes with a negative label are dropped)': '''
def batched_nms(boxes, scores, labels, iou_threshold):
    keep = []
    for c in range(int(labels.max()) + 1 if len(labels) else 0):
        idx = torch.nonzero(labels == c).flatten()
        if len(idx):
            keep.append(idx[nms(boxes[idx], scores[idx], iou_threshold)])
    if not keep:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    keep = torch.cat(keep).sort().values
    return keep[scores[keep].argsort(descending=True, stable=True)]
''',
})
WRONG.setdefault("make_anchors", {}).update({
    # red team 15: the text: float32 anchors whatever sequence of numbers sizes and ratios are (a NumPy float64 array gives float64 anchors)
    'torch.as_tensor without dtype (NumPy float64 sizes give float64 anchors)': '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sizes)
    ratios = torch.as_tensor(aspect_ratios)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cy = (torch.arange(H) + 0.5) * stride
    cx = (torch.arange(W) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([cx.reshape(-1), cy.reshape(-1)], dim=1)
    half = torch.stack([ws, hs], dim=1) / 2
    return torch.cat([centres[:, None] - half, centres[:, None] + half], dim=-1).reshape(-1, 4)
''',
})
WRONG.setdefault("make_anchors", {}).update({
    # red team 15: the text: no rounding; a feature map need not have an integer stride
    'integer stride assumed (int(stride)): a stride of 2.5 becomes 2': '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    s = int(stride)
    out = []
    for i in range(H):
        for j in range(W):
            for r in aspect_ratios:
                for m in sizes:
                    w, h = m / math.sqrt(r), m * math.sqrt(r)
                    cx, cy = j * s + s / 2, i * s + s / 2
                    out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
    return torch.tensor(out, dtype=torch.float32).reshape(-1, 4)
''',
})
WRONG.setdefault("detect", {}).update({
    # red team 15: the text clips the decoded boxes before batched_nms (step 3, then 4); NMS on unclipped boxes removes other boxes
    'NMS on the unclipped boxes, clipped afterwards': '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        boxes = boxes[keep]
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        out.append({"boxes": boxes, "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    # red team 15: AP is computed per class over all images together, not per image and averaged
    'AP per image, averaged over the images of each class': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        per = []
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            if int(theirs.sum()) == 0:
                continue
            hits = match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold)
            per.append(average_precision(p["scores"][mine], hits, int(theirs.sum())))
        aps.append(sum(per) / len(per))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
RIGHT.setdefault("mean_average_precision", {}).update({
    'classes of the predictions and the targets, nanmean over them': '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for d in list(preds) + list(targets) for c in d["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(torch.tensor(aps, dtype=torch.float64).nanmean()) if aps else float("nan")
''',
})
WRONG.setdefault("match_detections", {}).update({
    # red team 17: only a true positive takes its box; a detection below the threshold leaves its best box free for a later one
    "the best free box marked as taken even when its IoU is below the threshold": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True, stable=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        taken[j] = True
        if candidates[j] >= iou_threshold:
            is_tp[i] = True
    return is_tp
''',
    # red team 17: torch.empty is not zeroed: the false positives (never written) read whatever the memory held
    "result allocated with torch.empty (the false positives are never written)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.empty(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0:
        return is_tp
    if len(gt_boxes) == 0:
        return is_tp.fill_(False)
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True, stable=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    # red team 17: a detection of class c in an image without an object of class c is a false positive; skipping those images drops it
    "only the images that hold an object of the class (their false positives elsewhere dropped)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = sorted({int(c) for t in targets for c in t["labels"].tolist()})
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            if not bool(theirs.any()):
                continue
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
WRONG.setdefault("average_precision", {}).update({
    # red team 17: the envelope is over every point of the curve (max over m >= n of precision_m), not over the 101 values read at the levels
    "envelope taken over the 101 values read at the levels, not over the whole curve": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = tp / (tp + fp)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = torch.searchsorted(recall, levels)
    q = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])[idx]
    q = q.flip(0).cummax(0).values.flip(0)
    return float(q.mean())
''',
})
WRONG.setdefault("detect", {}).update({
    # red team 17: the text decodes with weights 1, 1, 1, 1 (the head was trained on encode_boxes' default), not Faster R-CNN's (10, 10, 5, 5)
    "decoded with Faster R-CNN's weights (10, 10, 5, 5)": _DETECT_HEAD + '''
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float(), (10.0, 10.0, 5.0, 5.0))
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
# ---- red team 18 (reviewer E) ----
WRONG.setdefault("match_detections", {}).update({
    # red team 18: the text: IoU at least the threshold, compared in the boxes' dtype; a tolerance of 1e-6 makes an IoU just below it a hit
    "IoU compared with a tolerance (>= iou_threshold - 1e-6)": '''
def match_detections(boxes, scores, gt_boxes, iou_threshold=0.5):
    is_tp = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return is_tp
    iou = box_iou(boxes, gt_boxes)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool, device=boxes.device)
    for i in scores.argsort(descending=True, stable=True).tolist():
        candidates = iou[i].masked_fill(taken, -1.0)
        j = int(candidates.argmax())
        if candidates[j] >= iou_threshold - 1e-6:
            taken[j] = True
            is_tp[i] = True
    return is_tp
''',
})
RIGHT.setdefault("batched_nms", {}).update({
    # red team 18 (written as wrong, right after all): int(span) + 1 > span still separates the labels; reading the value
    # with int() only synchronises with a GPU (the valued meta tensors of on_meta allow it, as CUDA does)
    "offset per label from a Python int (int(boxes.max() - boxes.min()) + 1)": '''
def batched_nms(boxes, scores, labels, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty(0, dtype=torch.int64, device=boxes.device)
    span = int(boxes.max() - boxes.min()) + 1
    return nms(boxes + (labels * span).to(boxes)[:, None], scores, iou_threshold)
''',
})
WRONG.setdefault("detect", {}).update({
    # red team 18: the text: the scores are the float32 sigmoid; in float64 sigmoid(-200) is 1e-87, above a threshold of 0
    "scores computed in float64, cast to float32 after the threshold": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    with torch.no_grad():
        logits, deltas, anchors = model(images)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.double())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx].float()
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("average_precision", {}).update({
    # red team 18: a level the recall never reaches reads 0; argmax of an all-False row is 0, so it reads the first precision instead
    "each level's first index by argmax of (recall >= r) (a level never reached reads precision[0])": '''
def average_precision(scores, is_tp, n_gt):
    if n_gt == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = scores.argsort(descending=True, stable=True)
    tp = is_tp[order].double().cumsum(0)
    fp = (~is_tp[order]).double().cumsum(0)
    recall = tp / n_gt
    precision = (tp / (tp + fp)).flip(0).cummax(0).values.flip(0)
    levels = torch.linspace(0, 1, 101, dtype=torch.float64)
    idx = (recall[None, :] >= levels[:, None]).int().argmax(1)
    return float(precision[idx].mean())
''',
})
WRONG.setdefault("box_convert", {}).update({
    # red team 18: floor division: w // 2 rounds a half width down (odd and fractional widths move the centre)
    "half widths by floor division (w // 2)": '''
def box_convert(boxes, in_fmt, out_fmt):
    a, b, c, d = boxes.unbind(-1)
    if in_fmt == "xywh":
        x1, y1, x2, y2 = a, b, a + c, b + d
    elif in_fmt == "cxcywh":
        x1, y1, x2, y2 = a - c // 2, b - d // 2, a + c // 2, b + d // 2
    else:
        x1, y1, x2, y2 = a, b, c, d
    if out_fmt == "xywh":
        out = (x1, y1, x2 - x1, y2 - y1)
    elif out_fmt == "cxcywh":
        out = (x1 + (x2 - x1) // 2, y1 + (y2 - y1) // 2, x2 - x1, y2 - y1)
    else:
        out = (x1, y1, x2, y2)
    return torch.stack(out, dim=-1)
''',
})

# ---- red team 20 (reviewer E) ----
WRONG.setdefault("nms", {}).update({
    # red team 20: scores are any numbers: a box scored -inf is kept like any other (torchvision keeps it, last); marking the
    # taken and removed boxes with -inf and stopping when the best left is -inf drops every box whose own score is -inf
    "taken and removed boxes marked -inf, loop until the best score left is -inf (a box scored -inf is never kept)": '''
def nms(boxes, scores, iou_threshold):
    iou = box_iou(boxes, boxes)
    left = scores.clone()
    keep = []
    while len(left) and left.max() > float("-inf"):
        i = int(left.argmax())                    # the first of equal maxima: ties by index
        keep.append(i)
        left[i] = float("-inf")
        left[iou[i] > iou_threshold] = float("-inf")
    return torch.tensor(keep, dtype=torch.int64, device=boxes.device)
''',
})
WRONG.setdefault("make_anchors", {}).update({
    # red team 20: the text: H rows and W columns of positions, any stride; torch.arange(0, W * stride, stride) counts its steps in
    # floating point and gives W + 1 values for some strides (1.6: 64-pixel images on a 40 x 40 map; 3 * 1.6 is 4.800000000000001)
    "centres from torch.arange(0, W * stride, stride) + stride / 2 (one position too many for some strides)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    H, W = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cy = torch.arange(0, H * stride, stride, dtype=torch.float32) + stride / 2
    cx = torch.arange(0, W * stride, stride, dtype=torch.float32) + stride / 2
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")
    centres = torch.stack([cx.reshape(-1), cy.reshape(-1)], dim=1)
    half = torch.stack([ws, hs], dim=1) / 2
    return torch.cat([centres[:, None] - half, centres[:, None] + half], dim=-1).reshape(-1, 4)
''',
    # red team 20: meshgrid without indexing= warns; silencing it with warnings.filterwarnings("ignore") as a plain call silences
    # every later warning of the notebook
    "meshgrid's warning silenced with warnings.filterwarnings('ignore') (every later warning of the notebook silenced)": '''
def make_anchors(feature_size, stride, sizes, aspect_ratios):
    import warnings
    warnings.filterwarnings("ignore")
    H, W = feature_size
    sizes = torch.as_tensor(sizes, dtype=torch.float32)
    ratios = torch.as_tensor(aspect_ratios, dtype=torch.float32)
    ws = (sizes[None, :] / ratios.sqrt()[:, None]).reshape(-1)
    hs = (sizes[None, :] * ratios.sqrt()[:, None]).reshape(-1)
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx)
    centres = torch.stack([cx.reshape(-1), cy.reshape(-1)], dim=1)
    half = torch.stack([ws, hs], dim=1) / 2
    return torch.cat([centres[:, None] - half, centres[:, None] + half], dim=-1).reshape(-1, 4)
''',
})
WRONG.setdefault("detect", {}).update({
    # red team 20: the text: run the model under torch.no_grad(); set_grad_enabled(False) ... set_grad_enabled(True) as plain calls
    # switches autograd ON for a caller that had it off (detect called inside the caller's own torch.no_grad())
    "torch.set_grad_enabled(False) around the model, then set_grad_enabled(True) (a caller's no_grad switched off)": '''
def detect(model, images, score_threshold=0.05, iou_threshold=0.5):
    torch.set_grad_enabled(False)
    logits, deltas, anchors = model(images)
    torch.set_grad_enabled(True)
    H, W = images.shape[-2:]
    out = []
    for o, d in zip(logits, deltas):
        scores = torch.sigmoid(o.float())
        a_idx, k_idx = torch.nonzero(scores > score_threshold, as_tuple=True)
        s = scores[a_idx, k_idx]
        boxes = decode_boxes(d[a_idx].float(), anchors[a_idx].float())
        boxes = torch.stack([boxes[:, 0].clamp(0, W), boxes[:, 1].clamp(0, H),
                             boxes[:, 2].clamp(0, W), boxes[:, 3].clamp(0, H)], dim=1)
        keep = batched_nms(boxes, s, k_idx, iou_threshold)
        out.append({"boxes": boxes[keep], "scores": s[keep], "labels": k_idx[keep] + 1})
    return out
''',
})
WRONG.setdefault("mean_average_precision", {}).update({
    # red team 20: the text: nan if no image has a ground-truth box; with no image at all (an empty test set), torch.cat of an empty
    # list of label tensors raises instead
    "classes from torch.cat of every target's labels (an empty list of images raises)": '''
def mean_average_precision(preds, targets, iou_threshold=0.5):
    classes = torch.cat([t["labels"] for t in targets]).unique().tolist()
    aps = []
    for c in classes:
        scores, hits, n_gt = [], [], 0
        for p, t in zip(preds, targets):
            mine, theirs = p["labels"] == c, t["labels"] == c
            n_gt += int(theirs.sum())
            scores.append(p["scores"][mine])
            hits.append(match_detections(p["boxes"][mine], p["scores"][mine], t["boxes"][theirs], iou_threshold))
        aps.append(average_precision(torch.cat(scores), torch.cat(hits), n_gt))
    return float(sum(aps) / len(aps)) if aps else float("nan")
''',
})
