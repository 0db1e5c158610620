"""Answer variants for 05-segmentation.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: machine-made mutants reviewed as behaving like the solution on every valid input, with the reason.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""


def _l2c(weight_expr, bias="linear.bias is not None", check=True, extra=""):
    guard = '''
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")''' if check else ""
    return f'''
def linear_to_conv(linear, in_channels, height, width):{guard}
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias={bias},
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_({weight_expr})
        if linear.bias is not None and conv.bias is not None:
            conv.bias.copy_(linear.bias){extra}
    return conv
'''


def _ct(body):
    return f'''
def conv_transpose2d(x, weight, stride=1, padding=0):
{body.strip(chr(10))}
'''


_CT_SCATTER = '''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
'''


def _iou(body):
    return f'''
def mean_iou(pred, target, n_classes):
{body.strip(chr(10))}
'''


_IOU_COUNTS = '''
    confusion = torch.bincount(target.reshape(-1) * n_classes + pred.reshape(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
'''


def _dice(body):
    return f'''
def dice_loss(logits, target, eps=1.0):
{body.strip(chr(10))}
'''


_UNET_INIT = """
        self.skips = skips
        self.down = nn.ModuleList([double_conv(a, b) for a, b in zip((in_channels,) + tuple(widths[:-1]), widths)])
        order = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in order])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in order])
        self.head = nn.Conv2d(widths[0], n_classes, 1)
"""

_UNET_FORWARD = """
        e = [self.down[0](x)]
        for block in self.down[1:]:
            e.append(block(F.max_pool2d(e[-1], 2)))
        h = e[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = up(h)
            h = dec(torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""


def _unet(init=_UNET_INIT, forward=_UNET_FORWARD):
    return f"""
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
{init.strip(chr(10))}

    def forward(self, x):
{forward.strip(chr(10))}
"""


WRONG = {
    "linear_to_conv": {
        "weights read as channels-last (h, w, C) and permuted": _l2c(
            "linear.weight.reshape(linear.out_features, height, width, in_channels).permute(0, 3, 1, 2)"),
        "height and width swapped in the reshape": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (width, height), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, width, height))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
        "the transposed weight matrix reshaped": _l2c(
            "linear.weight.t().reshape(linear.out_features, in_channels, height, width)"),
        "bias never copied (left at its random initial value)": _l2c(
            "linear.weight.reshape(linear.out_features, in_channels, height, width)", extra="\n        conv.bias.zero_() if conv.bias is not None else None\n        conv.bias.normal_() if conv.bias is not None else None"),
        "always a bias (random when the linear layer has none)": _l2c(
            "linear.weight.reshape(linear.out_features, in_channels, height, width)", bias="True"),
        "no ValueError for a mismatched linear layer": _l2c(
            "linear.weight.reshape(linear.out_features, -1, height, width)[:, :in_channels]", check=False),
        "the layer made in float32 whatever the linear's dtype": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
        "windows flattened as (channel, column, row)": _l2c(
            "linear.weight.reshape(linear.out_features, in_channels, width, height).transpose(-1, -2)"),
        # red team 2026-12-03
        "the convolution made on the CPU in the linear's dtype": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
        "ValueError only when in_features is too small": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features < in_channels * height * width:
        raise ValueError("in_features too small")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
        "float64 weights copied through float32": _l2c(
            "linear.weight.float().reshape(linear.out_features, in_channels, height, width)"),
        "an assert instead of a ValueError": '''
def linear_to_conv(linear, in_channels, height, width):
    assert linear.in_features == in_channels * height * width, "in_features does not match"
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
    },
    "dense_output_shape": {
        "the classifier's own output, no positions": '''
dense_output_shape = (2, 10, 1, 1)
''',
        "the feature map before the last convolution": '''
dense_output_shape = (2, 10, 12, 16)
''',
        "height and width swapped": '''
dense_output_shape = (2, 10, 13, 9)
''',
        "a list": '''
dense_output_shape = [2, 10, 9, 13]
''',
        # red team 2026-12-03
        "n - 4 positions (the + 1 forgotten)": '''
dense_output_shape = (2, 10, 8, 12)
''',
        "one output per 32 x 32 tile of the image": '''
dense_output_shape = (2, 10, 3, 4)
''',
        "the feature map's 64 channels instead of the 10 classes": '''
dense_output_shape = (2, 64, 9, 13)
''',
        "numpy integers": '''
dense_output_shape = tuple(np.array([2, 10, 9, 13]))
''',
    },
    "conv_transpose2d": {
        "padding adds zeros instead of cropping": _ct(_CT_SCATTER + '''
    return F.pad(out, (padding, padding, padding, padding))
'''),
        "padding ignored": _ct(_CT_SCATTER + '''
    return out
'''),
        "kernel flipped": _ct('''
    weight = weight.flip(-2, -1)
''' + _CT_SCATTER + '''
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "weight read as [C_out, C_in, kH, kW]": _ct('''
    B, _, H, W = x.shape
    C_out, _, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,oc->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "output of size H * s (stride times the input)": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    out = x.new_zeros(B, C_out, H * stride + kH, W * stride + kW)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, :H * stride, :W * stride]
'''),
        "a Python loop over input pixels (not vectorised)": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for i in range(H):
        for j in range(W):
            out[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW] += torch.einsum("bc,cokl->bokl", x[:, :, i, j], weight)
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "F.conv_transpose2d (off limits)": _ct('''
    return F.conv_transpose2d(x, weight, stride=stride, padding=padding)
'''),
        "nn.ConvTranspose2d with the weight copied in (off limits)": _ct('''
    layer = nn.ConvTranspose2d(weight.shape[0], weight.shape[1], tuple(weight.shape[-2:]), stride=stride, padding=padding,
                               bias=False, dtype=x.dtype, device=x.device)
    layer.weight = nn.Parameter(weight)
    return layer(x)
'''),
        "conv2d of the zero-stuffed input with the flipped kernel (off limits)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    stuffed = x.new_zeros(B, C_in, (H - 1) * stride + 1, (W - 1) * stride + 1)
    stuffed[:, :, ::stride, ::stride] = x
    w = weight.flip(-2, -1).transpose(0, 1)
    return F.conv2d(stuffed, w, padding=(kH - 1 - padding, kW - 1 - padding))
'''),
        "the gradient of conv2d (torch.nn.grad.conv2d_input, off limits)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    size = (B, C_out, (H - 1) * stride - 2 * padding + kH, (W - 1) * stride - 2 * padding + kW)
    return torch.nn.grad.conv2d_input(size, weight, x, stride=stride, padding=padding)
'''),
        "F.fold of the products (col2im, off limits)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    cols = torch.einsum("bcl,cok->bokl", x.flatten(2), weight.flatten(2)).reshape(B, C_out * kH * kW, H * W)
    full = F.fold(cols, ((H - 1) * stride + kH, (W - 1) * stride + kW), (kH, kW), stride=stride)
    return full[:, :, padding:full.shape[2] - padding, padding:full.shape[3] - padding]
'''),
        "output allocated with torch.zeros(shape): float32 whatever x's dtype": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = torch.zeros(B, C_out, H_full, W_full, device=x.device)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "output allocated on the CPU whatever x's device": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = torch.zeros(B, C_out, H_full, W_full, dtype=x.dtype)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "the same padding cropped from one side only": _ct(_CT_SCATTER + '''
    return out[:, :, 2 * padding:, 2 * padding:]
'''),
        # red team 2026-12-03
        "padding cropped with [p:-p] (empty when p = 0)": _ct(_CT_SCATTER + '''
    return out[:, :, padding:-padding, padding:-padding]
'''),
        "each kernel offset overwrites instead of adding (overlaps lost)": _ct(_CT_SCATTER.replace("] +=", "] =")),
        "x flattened with view (fails on non-contiguous input)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    flat = x.view(B, C_in, H * W)
    for u in range(kH):
        for v in range(kW):
            c = torch.einsum("bcl,co->bol", flat, weight[:, :, u, v]).view(B, C_out, H, W)
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += c
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "products computed in float32 (float64 precision lost)": _ct(_CT_SCATTER.replace(
            'torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])',
            'torch.einsum("bchw,co->bohw", x.float(), weight[:, :, u, v].float())') + '''
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
        "torch.ops.aten.convolution_backward (the gradient of conv2d, off limits)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    size = (B, C_out, (H - 1) * stride - 2 * padding + kH, (W - 1) * stride - 2 * padding + kW)
    return torch.ops.aten.convolution_backward(x, x.new_zeros(size), weight, None, [stride, stride], [padding, padding],
                                               [1, 1], False, [0, 0], 1, [True, False, False])[0]
'''),
    },
    "upsampled_shape": {
        "the convolution's formula (it shrinks)": '''
upsampled_shape = (8, 32, 8, 8)
''',
        "stride times the input, the padding forgotten": '''
upsampled_shape = (8, 32, 34, 34)
''',
        "the input channels kept": '''
upsampled_shape = (8, 64, 32, 32)
''',
        # red team 2026-12-03
        "padding added instead of cropped": '''
upsampled_shape = (8, 32, 36, 36)
''',
        "padding cropped from one side only": '''
upsampled_shape = (8, 32, 33, 33)
''',
        "the kernel size forgotten": '''
upsampled_shape = (8, 32, 28, 28)
''',
        "the batch dimension left out": '''
upsampled_shape = (32, 32, 32)
''',
    },
    "mean_iou": {
        "absent classes counted as IoU 0 (mean over all n_classes)": _iou(_IOU_COUNTS + '''
    return (inter.float() / union.clamp_min(1).float()).mean()
'''),
        "absent classes counted as IoU 1": _iou(_IOU_COUNTS + '''
    return torch.where(union > 0, inter.float() / union.clamp_min(1).float(), torch.ones(())).mean()
'''),
        "classes absent from the target left out, even when predicted": _iou(_IOU_COUNTS + '''
    present = confusion.sum(1) > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
        "one mIoU per image, averaged over the images": _iou('''
    scores = []
    for p, t in zip(pred.reshape(pred.shape[0], -1), target.reshape(target.shape[0], -1)):
        k = torch.arange(n_classes, device=p.device)[:, None]
        inter, union = ((p == k) & (t == k)).sum(1), ((p == k) | (t == k)).sum(1)
        scores.append((inter[union > 0].float() / union[union > 0].float()).mean())
    return torch.stack(scores).mean()
'''),
        "one IoU over all classes together (micro average)": _iou(_IOU_COUNTS + '''
    return inter.sum().float() / union.sum().float()
'''),
        "integer division": _iou(_IOU_COUNTS + '''
    present = union > 0
    return (inter[present] // union[present]).float().mean()
'''),
        "bincount without minlength": _iou('''
    confusion = torch.bincount(target.reshape(-1) * n_classes + pred.reshape(-1))
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
        "a Python float": _iou(_IOU_COUNTS + '''
    present = union > 0
    return (inter[present].float() / union[present].float()).mean().item()
'''),
        "empty input gives 0, not nan": _iou(_IOU_COUNTS + '''
    present = union > 0
    if not present.any():
        return torch.tensor(0.0, device=pred.device)
    return (inter[present].float() / union[present].float()).mean()
'''),
        "torchmetrics (off limits)": _iou('''
    from torchmetrics.functional.classification import multiclass_jaccard_index
    return multiclass_jaccard_index(pred.reshape(-1), target.reshape(-1), num_classes=n_classes, average="macro")
'''),
        # red team 2026-12-03
        "the target's flat view scaled in place (target changed)": _iou('''
    index = target.reshape(-1)
    index *= n_classes
    index += pred.reshape(-1)
    confusion = torch.bincount(index, minlength=n_classes ** 2).reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
        "class ids made on the CPU (torch.arange without device=)": _iou('''
    k = torch.arange(n_classes)
    p, t = pred.reshape(-1, 1) == k, target.reshape(-1, 1) == k
    inter, union = (p & t).sum(0), (p | t).sum(0)
    keep = union > 0
    return (inter[keep] / union[keep]).float().mean()
'''),
        "empty inputs: a nan made on the CPU": _iou('''
    if pred.numel() == 0:
        return torch.tensor(float("nan"))
    confusion = torch.bincount(target.reshape(-1) * n_classes + pred.reshape(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
        "n_classes read from the largest label (ignored argument)": _iou('''
    n = int(torch.maximum(pred.max(), target.max())) + 1
    confusion = torch.bincount(target.reshape(-1) * n + pred.reshape(-1), minlength=n * n).reshape(n, n)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
        "a float64 result": _iou(_IOU_COUNTS + '''
    present = union > 0
    return (inter[present].double() / union[present].double()).mean()
'''),
    },
    "dice_loss": {
        "softmax over the last dimension": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=-1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "eps only in the denominator": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - (2 * inter / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "one_hot without the number of classes": _dice('''
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "one Dice per image and class, averaged": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((2, 3)) + onehot.sum((2, 3)) + eps)).mean()
'''),
        "argmax instead of probabilities (no gradient)": _dice('''
    K = logits.shape[1]
    probs = F.one_hot(logits.argmax(1), K).movedim(-1, 1).to(logits.dtype)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(logits.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "the factor 2 forgotten": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "squared terms in the denominator (the V-Net variant)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / ((probs ** 2).sum((0, 2, 3)) + (onehot ** 2).sum((0, 2, 3)) + eps)).mean()
'''),
        "background left out of the mean": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps))[1:].mean()
'''),
        "hand-written softmax (exp overflows)": _dice('''
    K = logits.shape[1]
    e = logits.exp()
    probs = e / e.sum(1, keepdim=True)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "mean Dice returned (not 1 - Dice)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "a default eps of 1e-6": '''
def dice_loss(logits, target, eps=1e-6):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
''',
        # red team 2026-12-03
        "softmax stabilised with the global max (a pixel underflows to 0/0)": _dice('''
    K = logits.shape[1]
    e = (logits - logits.max()).exp()
    probs = e / e.sum(1, keepdim=True)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "softmax computed in float32, cast back": _dice('''
    K = logits.shape[1]
    probs = logits.float().softmax(dim=1).to(logits.dtype)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "one-hot moved with transpose(1, 3) (rows and columns swapped)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).transpose(1, 3).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "logits shifted in place for stability": _dice('''
    K = logits.shape[1]
    logits -= logits.amax(1, keepdim=True).detach()
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
        "the denominator detached (no gradient through it)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps).detach()).mean()
'''),
    },
}

WRONG["unet"] = {
    "concatenation order swapped: [upsampled, skip]": _unet(forward=_UNET_FORWARD.replace("[e[-2 - j], u]", "[u, e[-2 - j]]")),
    "skip taken after the pooling": _unet(forward="""
        e, h = [], x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            e.append(F.max_pool2d(h, 2) if i < len(self.down) - 1 else h)
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = up(h)
            s = F.interpolate(e[-2 - j], size=u.shape[-2:])
            h = dec(torch.cat([s, u], dim=1) if self.skips else u)
        return self.head(h)
"""),
    "skips=False ignored: always concatenated": _unet(init=_UNET_INIT.replace("2 * widths[i] if skips else widths[i]", "2 * widths[i]"),
                                                     forward=_UNET_FORWARD.replace(" if self.skips else u", "")),
    "decoder built shallowest first": _unet(init=_UNET_INIT.replace("order = list(reversed(range(len(widths) - 1)))",
                                                                    "order = list(range(len(widths) - 1))")),
    "skip added instead of concatenated": _unet(init=_UNET_INIT.replace("2 * widths[i] if skips else widths[i]", "widths[i]"),
                                                forward=_UNET_FORWARD.replace("torch.cat([e[-2 - j], u], dim=1)", "e[-2 - j] + u")),
    "bilinear upsampling and a 1x1 conv instead of the transposed convolution": _unet(
        init=_UNET_INIT.replace("nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2)",
                                "nn.Sequential(nn.Upsample(scale_factor=2, mode='bilinear'), nn.Conv2d(widths[i + 1], widths[i], 1))")),
    "average pooling instead of max pooling": _unet(forward=_UNET_FORWARD.replace("F.max_pool2d", "F.avg_pool2d")),
    "a 3x3 head": _unet(init=_UNET_INIT.replace("nn.Conv2d(widths[0], n_classes, 1)", "nn.Conv2d(widths[0], n_classes, 3, padding=1)")),
    "the skip at half resolution (pooled, then upsampled back)": _unet(
        forward=_UNET_FORWARD.replace("e[-2 - j]", "F.interpolate(F.max_pool2d(e[-2 - j], 2), scale_factor=2.0)")),
    # red team 2026-12-03
    "the skip detached (no gradient through it)": _unet(forward=_UNET_FORWARD.replace("[e[-2 - j], u]", "[e[-2 - j].detach(), u]")),
    "blocks kept in Python lists (not registered)": _unet(init=_UNET_INIT.replace("nn.ModuleList(", "(")),
    "forward written for exactly three widths": _unet(forward="""
        e0 = self.down[0](x)
        e1 = self.down[1](F.max_pool2d(e0, 2))
        e2 = self.down[2](F.max_pool2d(e1, 2))
        u = self.up[0](e2)
        h = self.dec[0](torch.cat([e1, u], dim=1) if self.skips else u)
        u = self.up[1](h)
        h = self.dec[1](torch.cat([e0, u], dim=1) if self.skips else u)
        return self.head(h)
"""),
    "up[j] halves the channels (assumes doubling widths)": _unet(
        init=_UNET_INIT.replace("nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2)",
                                "nn.ConvTranspose2d(widths[i + 1], widths[i + 1] // 2, 2, stride=2)")),
    "dropout before the head": _unet(forward=_UNET_FORWARD.replace("return self.head(h)", "return self.head(F.dropout2d(h, 0.1, self.training))")),
}

RIGHT = {
    "linear_to_conv": {
        "new Parameters from detached clones, unflatten": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError(f"{linear.in_features} != {in_channels} * {height} * {width}")
    conv = nn.Conv2d(in_channels, linear.out_features, kernel_size=(height, width), bias=linear.bias is not None)
    conv = conv.to(device=linear.weight.device, dtype=linear.weight.dtype)
    conv.weight = nn.Parameter(linear.weight.detach().unflatten(1, (in_channels, height, width)).clone())
    if linear.bias is not None:
        conv.bias = nn.Parameter(linear.bias.detach().clone())
    return conv
''',
        "load_state_dict": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features must be in_channels * height * width")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    state = {"weight": linear.weight.detach().view(linear.out_features, in_channels, height, width)}
    if linear.bias is not None:
        state["bias"] = linear.bias.detach()
    conv.load_state_dict(state)
    return conv
''',
    },
    "dense_output_shape": {
        "computed": '''
dense_output_shape = (2, 10, 96 // 8 - 4 + 1, 128 // 8 - 4 + 1)
''',
    },
    "conv_transpose2d": {
        "all products with one einsum, then scattered tap by tap": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    products = torch.einsum("bchw,couv->bouvhw", x, weight)          # [B, C_out, kH, kW, H, W]
    out = torch.zeros(B, C_out, (H - 1) * stride + kH, (W - 1) * stride + kW, dtype=x.dtype, device=x.device)
    for u in range(kH):
        for v in range(kW):
            out[..., u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += products[:, :, u, v]
    H_out, W_out = out.shape[2] - 2 * padding, out.shape[3] - 2 * padding
    return out.narrow(2, padding, H_out).narrow(3, padding, W_out)
'''),
        "zero-stuffed input, flipped kernel, im2col with Tensor.unfold and a matrix product": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    stuffed = x.new_zeros(B, C_in, (H - 1) * stride + 1, (W - 1) * stride + 1)
    stuffed[:, :, ::stride, ::stride] = x
    padded = F.pad(stuffed, (kW - 1, kW - 1, kH - 1, kH - 1))
    win = padded.unfold(2, kH, 1).unfold(3, kW, 1)                     # [B, C_in, H_full, W_full, kH, kW]
    full = torch.einsum("bcijuv,couv->boij", win, weight.flip(-2, -1))
    return full[:, :, padding:full.shape[2] - padding, padding:full.shape[3] - padding]
'''),
    },
    "upsampled_shape": {
        "computed": '''
upsampled_shape = (8, 32, (16 - 1) * 2 - 2 * 1 + 4, (16 - 1) * 2 - 2 * 1 + 4)
''',
    },
    "mean_iou": {
        "one-hot comparisons against every class at once": _iou('''
    k = torch.arange(n_classes, device=pred.device)
    p, t = pred.reshape(-1, 1) == k, target.reshape(-1, 1) == k
    inter, union = (p & t).sum(0), (p | t).sum(0)
    keep = union > 0
    return (inter[keep] / union[keep]).float().mean()
'''),
        "a loop over the classes": _iou('''
    ious = []
    for k in range(n_classes):
        union = ((pred == k) | (target == k)).sum()
        if union > 0:
            ious.append(((pred == k) & (target == k)).sum() / union)
    if not ious:
        return torch.tensor(float("nan"), device=pred.device)
    return torch.stack(ious).float().mean()
'''),
    },
    "dice_loss": {
        "scatter for the one-hot, log_softmax().exp()": _dice('''
    probs = torch.log_softmax(logits, dim=1).exp()
    onehot = torch.zeros_like(probs).scatter_(1, target.unsqueeze(1), 1.0)
    inter = torch.einsum("bkhw,bkhw->k", probs, onehot)
    denominator = probs.sum(dim=(0, 2, 3)) + onehot.sum(dim=(0, 2, 3))
    dice = (2.0 * inter + eps) / (denominator + eps)
    return 1.0 - dice.sum() / logits.shape[1]
'''),
    },
}

RIGHT["unet"] = {
    "a MaxPool2d module, the skips popped from a stack": _unet(
        init=_UNET_INIT + "        self.pool = nn.MaxPool2d(2)\n",
        forward="""
        stack = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else self.pool(x))
            stack.append(x)
        h = stack.pop()
        for up, dec in zip(self.up, self.dec):
            h = up(h)
            skip = stack.pop()
            if self.skips:
                h = torch.cat((skip, h), 1)
            h = dec(h)
        return self.head(h)
"""),
    "recursive": _unet(forward="""
        def level(i, h):
            e = self.down[i](h if i == 0 else F.max_pool2d(h, 2))
            if i == len(self.down) - 1:
                return e
            j = len(self.down) - 2 - i
            u = self.up[j](level(i + 1, e))
            return self.dec[j](torch.cat([e, u], 1) if self.skips else u)
        return self.head(level(0, x))
"""),
}

WARNED = {
    "linear_to_conv": [
        "weights read as channels-last (h, w, C) and permuted",
        "height and width swapped in the reshape",
        "bias never copied (left at its random initial value)",
        "no ValueError for a mismatched linear layer",
        "windows flattened as (channel, column, row)",
    ],
    "conv_transpose2d": [
        "padding adds zeros instead of cropping",
        "padding ignored",
        "kernel flipped",
        "weight read as [C_out, C_in, kH, kW]",
        "a Python loop over input pixels (not vectorised)",
        "F.conv_transpose2d (off limits)",
        "nn.ConvTranspose2d with the weight copied in (off limits)",
        "conv2d of the zero-stuffed input with the flipped kernel (off limits)",
        "the gradient of conv2d (torch.nn.grad.conv2d_input, off limits)",
        "F.fold of the products (col2im, off limits)",
        "output allocated with torch.zeros(shape): float32 whatever x's dtype",
    ],
    "mean_iou": [
        "absent classes counted as IoU 0 (mean over all n_classes)",
        "classes absent from the target left out, even when predicted",
        "one mIoU per image, averaged over the images",
        "a Python float",
        "torchmetrics (off limits)",
    ],
    "dice_loss": [
        "softmax over the last dimension",
        "eps only in the denominator",
        "one_hot without the number of classes",
        "one Dice per image and class, averaged",
        "argmax instead of probabilities (no gradient)",
    ],
}

WARNED["unet"] = [
    "concatenation order swapped: [upsampled, skip]",
    "skip taken after the pooling",
    "skips=False ignored: always concatenated",
    "decoder built shallowest first",
]

EQUIVALENT = {
    "mean_iou": {
        "clone@15:4#0": "the counts are integers, so the mean never requires grad: .detach() changes nothing",
        "dim@13:45#1": "confusion is 2-D, so dim -1 is dim 1",
    },
}

WRONG["skip_extra_params"] = {
    "the whole first convolution of each decoder stage counted, not only the added input channels": '''
skip_extra_params = 9 * (2 * 32) * 32 + 9 * (2 * 16) * 16
''',
    "the bottleneck's width counted as a decoder stage too": '''
skip_extra_params = 9 * 64 * 64 + 9 * 32 * 32 + 9 * 16 * 16
''',
    "the right number as a float": '''
skip_extra_params = 9.0 * 32 * 32 + 9.0 * 16 * 16
''',
    # red team 2026-12-03
    "only the deepest decoder stage": '''
skip_extra_params = 9 * 32 * 32
''',
    "the 3 x 3 kernel forgotten": '''
skip_extra_params = 32 * 32 + 16 * 16
''',
    "batch-norm parameters counted for the extra channels": '''
skip_extra_params = 9 * 32 * 32 + 9 * 16 * 16 + 2 * 32 + 2 * 16
''',
    "a numpy integer": '''
skip_extra_params = np.int64(9 * 32 * 32 + 9 * 16 * 16)
''',
}

RIGHT["skip_extra_params"] = {
    "counted with the notebook's UNet": '''
skip_extra_params = (sum(p.numel() for p in UNet(3, 11, (16, 32, 64), skips=True).parameters())
                     - sum(p.numel() for p in UNet(3, 11, (16, 32, 64), skips=False).parameters()))
''',
}

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["mean_iou"].update({
    "per-class counts read with .item(), the mean built on the CPU": _iou('''
    ious = []
    for k in range(n_classes):
        inter = ((pred == k) & (target == k)).sum().item()
        union = ((pred == k) | (target == k)).sum().item()
        if union:
            ious.append(inter / union)
    return torch.tensor(sum(ious) / len(ious) if ious else float("nan"))
'''),
    "confusion counted on the CPU and left there": _iou('''
    confusion = torch.bincount((target.reshape(-1) * n_classes + pred.reshape(-1)).cpu(), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
})
RIGHT["mean_iou"].update({
    "confusion counted on the CPU, the result moved to pred's device": _iou('''
    confusion = torch.bincount((target.reshape(-1) * n_classes + pred.reshape(-1)).cpu(), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean().to(pred.device)
'''),
})

# ---- red team round 5 (rta) ----
WRONG["dice_loss"].update({
    "target flattened with view (fails on a rotated mask)": _dice('''
    B, K = logits.shape[:2]
    probs = logits.softmax(dim=1).transpose(0, 1).reshape(K, -1)          # [K, B*H*W]
    onehot = F.one_hot(target.view(-1), K).T.to(probs.dtype)             # [K, B*H*W]
    inter = (probs * onehot).sum(1)
    return 1 - ((2 * inter + eps) / (probs.sum(1) + onehot.sum(1) + eps)).mean()
'''),
    "logits flattened with view(B, K, H * W)": _dice('''
    B, K, H, W = logits.shape
    probs = logits.view(B, K, H * W).softmax(dim=1)
    onehot = F.one_hot(target.reshape(B, H * W), K).transpose(1, 2).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2)) + onehot.sum((0, 2)) + eps)).mean()
'''),
    "one-hot from a comparison with a CPU arange": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = (target.unsqueeze(1) == torch.arange(K).view(1, K, 1, 1)).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
    "K read from the last dimension of the logits": _dice('''
    K = logits.shape[-1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
})

WRONG["mean_iou"].update({
    "maps flattened with view(-1) (fails on non-contiguous maps)": _iou('''
    confusion = torch.bincount(target.view(-1) * n_classes + pred.view(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
    "classes with a non-zero intersection only": _iou(_IOU_COUNTS + '''
    present = inter > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
})

WRONG["unet"].update({
    "the encoder run twice (once for the skips, once for the bottleneck)": _unet(forward="""
        def encode(t):
            e = [self.down[0](t)]
            for block in self.down[1:]:
                e.append(block(F.max_pool2d(e[-1], 2)))
            return e
        skips = encode(x)[:-1]
        h = encode(x)[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = up(h)
            h = dec(torch.cat([skips[-1 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""),
})

WRONG["conv_transpose2d"].update({
    "the padding cropped from the rows only": _ct(_CT_SCATTER + '''
    return out[:, :, padding:H_full - padding, :]
'''),
})

RIGHT["mean_iou"].update({
    "0 / 0 = nan for absent classes, then nanmean": _iou(_IOU_COUNTS + '''
    return (inter.float() / union.float()).nanmean()
'''),
    "present classes found with torch.unique, per-class counts": _iou('''
    present = torch.unique(torch.cat([pred.reshape(-1), target.reshape(-1)]))
    p, t = pred.reshape(-1, 1) == present, target.reshape(-1, 1) == present
    return ((p & t).sum(0).float() / (p | t).sum(0).float()).mean()
'''),
})

RIGHT["dice_loss"].update({
    "one-hot by indexing an identity matrix on the logits' device": _dice('''
    K = logits.shape[1]
    probs = torch.softmax(logits, 1)
    onehot = torch.eye(K, dtype=logits.dtype, device=logits.device)[target].permute(0, 3, 1, 2)
    dims = [0, 2, 3]
    dice = (2 * (probs * onehot).sum(dims) + eps) / (probs.sum(dims) + onehot.sum(dims) + eps)
    return 1 - dice.sum() / K
'''),
})

RIGHT["upsampled_shape"].update({
    "a torch.Size from a meta ConvTranspose2d": '''
upsampled_shape = nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1, device="meta")(torch.empty(8, 64, 16, 16, device="meta")).shape
''',
})

RIGHT["unet"].update({
    "adaptive max pooling to half the size, skips kept in a dict": _unet(forward="""
        feats, h = {}, x
        for i, block in enumerate(self.down):
            if i:
                h = F.adaptive_max_pool2d(h, (h.shape[-2] // 2, h.shape[-1] // 2))
            h = block(h)
            feats[i] = h
        L = len(self.down) - 1
        for j in range(L):
            u = self.up[j](h)
            h = self.dec[j](torch.cat((feats[L - 1 - j], u), dim=1) if self.skips else u)
        return self.head(h)
"""),
})

# ---- red team, round 6 (rt6/rta, 2026-12-04) ----
WRONG["linear_to_conv"].update({
    "the linear layer's own Parameters reshaped and reused (the caller's linear layer is broken)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    linear.weight.data = linear.weight.data.reshape(linear.out_features, in_channels, height, width)
    conv.weight = linear.weight                       # the same Parameter: the two stay tied
    if linear.bias is not None:
        conv.bias = linear.bias
    return conv
''',
    "stride (height, width): one output per tile, not per window": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), stride=(height, width),
                     bias=linear.bias is not None, device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
})
WRONG["conv_transpose2d"].update({
    "the full size from H for both sides (square inputs assumed)": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full = (H - 1) * stride + kH
    out = x.new_zeros(B, C_out, H_full, H_full + kW - kH)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:out.shape[3] - padding]
'''),
})
WRONG["mean_iou"].update({
    "background (class 0) left out of the mean": _iou(_IOU_COUNTS + '''
    present = union > 0
    present[0] = False
    return (inter[present].float() / union[present].float()).mean()
'''),
    "classes 0 .. n_classes - 2 only (range(n_classes - 1))": _iou('''
    ious = []
    for k in range(n_classes - 1):
        union = ((pred == k) | (target == k)).sum()
        if union > 0:
            ious.append(((pred == k) & (target == k)).sum() / union)
    if not ious:
        return torch.tensor(float("nan"), device=pred.device)
    return torch.stack(ious).float().mean()
'''),
    "counts cast to float16 before the ratio": _iou(_IOU_COUNTS + '''
    present = union > 0
    return (inter[present].half() / union[present].half()).mean().float()
'''),
})
WRONG["dice_loss"].update({
    "probabilities clamped to [1e-7, 1] (a log-loss habit)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1).clamp(1e-7, 1.0)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
    "sigmoid probabilities (the binary Dice)": _dice('''
    K = logits.shape[1]
    probs = torch.sigmoid(logits)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3)) + eps)).mean()
'''),
})
WRONG["unet"].update({
    "the encoder switched to eval mode inside forward (a frozen-encoder habit)": _unet(forward="""
        self.down.eval()
        e = [self.down[0](x)]
        for block in self.down[1:]:
            e.append(block(F.max_pool2d(e[-1], 2)))
        h = e[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = up(h)
            h = dec(torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""),
    "skips concatenated in float32 (.float())": _unet(forward=_UNET_FORWARD.replace("[e[-2 - j], u]", "[e[-2 - j].float(), u.float()]")),
})
# red team 18: "confusion counted with torch.histc on float indices" was listed as RIGHT here; it is wrong with many
# classes (float32 bins: at n_classes = 100, true 99 / predicted 98 is counted as 99 / 99) and it is now in WRONG as
# "confusion counted with torch.histc over the flat codes (float bins)"
RIGHT["dice_loss"].update({
    "probabilities from logsumexp, one-hot compared with an arange on the logits' device": _dice('''
    K = logits.shape[1]
    probs = (logits - logits.logsumexp(dim=1, keepdim=True)).exp()
    onehot = (target[:, None] == torch.arange(K, device=logits.device)[None, :, None, None]).to(logits.dtype)
    inter = (probs * onehot).flatten(2).sum(-1).sum(0)
    total = probs.flatten(2).sum(-1).sum(0) + onehot.flatten(2).sum(-1).sum(0)
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
'''),
})
WRONG["unet"].update({
    "no gradient in eval mode (torch.no_grad unless self.training)": _unet(forward="""
        with torch.set_grad_enabled(self.training and torch.is_grad_enabled()):   # "inference needs no graph"
            e = [self.down[0](x)]
            for block in self.down[1:]:
                e.append(block(F.max_pool2d(e[-1], 2)))
            h = e[-1]
            for j, (up, dec) in enumerate(zip(self.up, self.dec)):
                u = up(h)
                h = dec(torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
            return self.head(h)
"""),
})
WRONG["conv_transpose2d"].update({
    "weight flattened with view (fails for a non-contiguous weight, e.g. a conv2d weight transposed)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    cols = torch.einsum("bchw,ck->bkhw", x, weight.view(C_in, C_out * kH * kW)).reshape(B, C_out, kH, kW, H, W)
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += cols[:, :, u, v]
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
})

# ---- red team, round 7 (rt7/d) ----
WRONG.setdefault("dice_loss", {}).update({
    "hand-written softmax with the logits clamped to [-80, 80] (no overflow, wrong for large logits)": _dice('''
    K = logits.shape[1]
    e = logits.clamp(-80, 80).exp()
    probs = e / e.sum(1, keepdim=True)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
'''),
    "torch.softmax of the logits clamped to [-50, 50] (a safety clamp)": _dice('''
    K = logits.shape[1]
    probs = torch.softmax(logits.clamp(-50, 50), dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
'''),
})
WRONG.setdefault("conv_transpose2d", {}).update({
    "pixels flattened with reshape(B, C, -1) (fails for an empty batch)": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    flat = x.reshape(B, C_in, -1)                                                  # [B, C_in, H*W]
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            c = torch.einsum("bcn,co->bon", flat, weight[:, :, u, v]).reshape(B, C_out, H, W)
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += c
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
})
WRONG.setdefault("unet", {}).update({
    "a ReLU after each transposed convolution": _unet(forward="""
        e = [self.down[0](x)]
        for block in self.down[1:]:
            e.append(block(F.max_pool2d(e[-1], 2)))
        h = e[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = F.relu(up(h))
            h = dec(torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""),
    "the upsampling run as F.conv_transpose2d with up[j].weight only (its bias dropped)": _unet(forward="""
        e = [self.down[0](x)]
        for block in self.down[1:]:
            e.append(block(F.max_pool2d(e[-1], 2)))
        h = e[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = F.conv_transpose2d(h, up.weight, stride=2)
            h = dec(torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""),
})
WRONG.setdefault("mean_iou", {}).update({
    "a 1-element tensor (mean with keepdim), not 0-d": _iou(_IOU_COUNTS + '''
    present = union > 0
    return (inter[present].float() / union[present].float()).mean(0, keepdim=True)
'''),
    "only classes both predicted and true (a class only predicted left out)": _iou(_IOU_COUNTS + '''
    present = (confusion.sum(0) > 0) & (confusion.sum(1) > 0)
    return (inter[present].float() / union[present].float()).mean()
'''),
})
WRONG.setdefault("linear_to_conv", {}).update({
    "size check against linear.weight.shape[0] (the weight read as [in, out])": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.weight.shape[0] != in_channels * height * width and linear.weight.shape[1] != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(conv.weight.shape))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
})
RIGHT.setdefault("dice_loss", {}).update({
    "softmax by hand, shifted by each pixel's max; one-hot with permute(0, 3, 1, 2)": _dice('''
    K = logits.shape[1]
    z = logits - logits.max(dim=1, keepdim=True).values
    e = z.exp()
    probs = e / e.sum(dim=1, keepdim=True)
    onehot = F.one_hot(target, K).permute(0, 3, 1, 2).to(probs.dtype)
    inter = (probs * onehot).sum(dim=(2, 3)).sum(0)
    total = (probs + onehot).sum(dim=(2, 3)).sum(0)
    return 1 - ((2 * inter + eps) / (total + eps)).sum() / K
'''),
})
RIGHT.setdefault("linear_to_conv", {}).update({
    "built on the CPU, then moved with .to(linear.weight); bias removed by assigning None": '''
def linear_to_conv(linear, in_channels, height, width):
    K, D = linear.weight.shape
    if D != in_channels * height * width:
        raise ValueError(f"{D} inputs, not {in_channels} * {height} * {width}")
    conv = nn.Conv2d(in_channels, K, (height, width)).to(linear.weight)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.unflatten(1, (in_channels, height, width)))
        if linear.bias is None:
            conv.bias = None
        else:
            conv.bias.copy_(linear.bias)
    return conv
''',
})

# Off limits by name since 2026-12-04 (the text names it; the visible call forbids it): the library's own metric.
WRONG["mean_iou"]["sklearn's jaccard_score over the present classes (off limits; its value is right)"] = '''
def mean_iou(pred, target, n_classes):
    from sklearn.metrics import jaccard_score
    p, t = pred.reshape(-1).cpu().numpy(), target.reshape(-1).cpu().numpy()
    present = sorted(set(p.tolist()) | set(t.tolist()))
    if not present:
        return torch.tensor(float("nan"), device=pred.device)
    scores = jaccard_score(t, p, labels=present, average=None, zero_division=0)
    return torch.tensor(scores.mean(), dtype=torch.float32, device=pred.device)
'''
WARNED["mean_iou"] = WARNED.get("mean_iou", []) + ["sklearn's jaccard_score over the present classes (off limits; its value is right)"]


# ---- red-team pass 9 (reviewer e) ----
WRONG.setdefault("dice_loss", {}).update({
    "eps inside the doubled numerator: 2 (sum(p * onehot) + eps)": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    dims = (0, 2, 3)
    intersection = (probs * onehot).sum(dims)
    total = probs.sum(dims) + onehot.sum(dims)
    return 1 - (2 * (intersection + eps) / (total + eps)).mean()
''',
    "mean over the classes present in the target only": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    dims = (0, 2, 3)
    intersection = (probs * onehot).sum(dims)
    total = probs.sum(dims) + onehot.sum(dims)
    dice = (2 * intersection + eps) / (total + eps)
    return 1 - dice[onehot.sum(dims) > 0].mean()
''',
})
WRONG.setdefault("unet", {}).update({
    "transposed convolutions without a bias (bias=False, as before a BatchNorm)": '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((in_channels,) + tuple(widths[:-1]), widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2, bias=False) for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)

    def forward(self, x):
        encoded = []
        h = x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            encoded.append(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(encoded[:-1])):
            h = up(h)
            h = dec(torch.cat([skip, h], dim=1) if self.skips else h)
        return self.head(h)
''',
    "3x3 transposed convolutions, stride 2, padding 1, output_padding 1 (same shapes, other layer)": '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((in_channels,) + tuple(widths[:-1]), widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 3, stride=2, padding=1, output_padding=1)
                                 for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)

    def forward(self, x):
        encoded = []
        h = x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            encoded.append(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(encoded[:-1])):
            h = up(h)
            h = dec(torch.cat([skip, h], dim=1) if self.skips else h)
        return self.head(h)
''',
})
WRONG.setdefault("mean_iou", {}).update({
    "frequency-weighted IoU (each class weighted by its share of the true pixels)": '''
def mean_iou(pred, target, n_classes):
    confusion = torch.bincount(target.reshape(-1) * n_classes + pred.reshape(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    intersection = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - intersection
    present = union > 0
    freq = confusion.sum(1)[present].float()
    iou = intersection[present].float() / union[present].float()
    return (freq * iou).sum() / freq.sum()
''',
})
WRONG.setdefault("linear_to_conv", {}).update({
    "always a bias (zeros when the linear layer has none)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError(f"linear.in_features = {linear.in_features} is not {in_channels} * {height} * {width}")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width),
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
        else:
            conv.bias.zero_()
    return conv
''',
})
RIGHT.setdefault("mean_iou", {}).update({
    "intersection from bincount of the agreeing pixels, union from the two areas": '''
def mean_iou(pred, target, n_classes):
    p, t = pred.reshape(-1), target.reshape(-1)
    intersection = torch.bincount(t[p == t], minlength=n_classes)
    union = torch.bincount(p, minlength=n_classes) + torch.bincount(t, minlength=n_classes) - intersection
    present = union > 0
    return (intersection[present].float() / union[present].float()).mean()
''',
})
# ---- red-team pass 9 (reviewer e), second batch ----
WRONG.setdefault("conv_transpose2d", {}).update({
    "a Python loop over the input rows and kernel columns (vectorised over pixels of a row only)": '''
def conv_transpose2d(x, weight, stride=1, padding=0):
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for i in range(H):
        for v in range(kW):
            rows = torch.einsum("bcw,cok->bokw", x[:, :, i, :], weight[:, :, :, v])
            out[:, :, i * stride:i * stride + kH, v:v + (W - 1) * stride + 1:stride] += rows
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
''',
})
# ---- red-team pass 10 (reviewer e) ----
RIGHT.setdefault("linear_to_conv", {}).update({
    "weights reshaped with view (splitting one dimension always works, even on a transposed weight)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features mismatch")
    has_bias = linear.bias is not None
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=has_bias,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.view(linear.out_features, in_channels, height, width))
        if has_bias:
            conv.bias.copy_(linear.bias)
    return conv
''',
})
WRONG.setdefault("conv_transpose2d", {}).update({
    "kernel offsets of a square kernel (range(kH) for the columns too)": '''
def conv_transpose2d(x, weight, stride=1, padding=0):
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kH):
            if v >= kW:
                continue
            contribution = torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += contribution
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
''',
})
WRONG.setdefault("dense_output_shape", {}).update({
    "the 4x4 convolution padded by 1 like the others": '''
dense_output_shape = (2, 10, 11, 15)
''',
})
WRONG.setdefault("skip_extra_params", {}).update({
    "both convolutions of each decoder block counted with the extra channels": '''
skip_extra_params = 2 * (9 * 32 * 32 + 9 * 16 * 16)
''',
})
WRONG.setdefault("linear_to_conv", {}).update({
    "the linear layer's bias Parameter shared (conv.bias = linear.bias: same shape, so no copy)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features mismatch")
    has_bias = linear.bias is not None
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=has_bias,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
    if has_bias:
        conv.bias = linear.bias
    return conv
''',
})
WRONG.setdefault("dice_loss", {}).update({
    "eps scaled by the number of pixels per class (eps * B * H * W)": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    dims = (0, 2, 3)
    n = target.numel()
    intersection = (probs * onehot).sum(dims)
    total = probs.sum(dims) + onehot.sum(dims)
    return 1 - ((2 * intersection + eps * n) / (total + eps * n)).mean()
''',
})
RIGHT.setdefault("dice_loss", {}).update({
    "class counts from bincount, intersections by scattering each pixel's true-class probability": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = torch.softmax(logits, dim=-3)                                   # [B, K, H, W]
    t = target.reshape(-1)
    true_p = probs.gather(1, target.unsqueeze(1)).reshape(-1)               # p of the true class, per pixel
    intersection = torch.zeros(K, dtype=probs.dtype, device=probs.device).index_add(0, t, true_p)
    counts = torch.bincount(t, minlength=K).to(probs.dtype)
    total = probs.sum((0, 2, 3)) + counts
    return 1 - ((2 * intersection + eps) / (total + eps)).mean()
''',
})
RIGHT.setdefault("unet", {}).update({
    "encoder outputs reversed with [-2::-1], cat along dim -3": '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        w = list(widths)
        self.down = nn.ModuleList([double_conv(a, b) for a, b in zip([in_channels] + w[:-1], w)])
        pairs = list(zip(w[::-1][:-1], w[::-1][1:]))                          # (w_{i+1}, w_i), deepest first
        self.up = nn.ModuleList([nn.ConvTranspose2d(a, b, 2, stride=2) for a, b in pairs])
        self.dec = nn.ModuleList([double_conv(2 * b if skips else b, b) for _, b in pairs])
        self.head = nn.Conv2d(w[0], n_classes, 1)

    def forward(self, x):
        e = []
        for i, block in enumerate(self.down):
            x = block(x if i == 0 else F.max_pool2d(x, kernel_size=2, stride=2))
            e.append(x)
        h = e[-1]
        for up, dec, skip in zip(self.up, self.dec, e[-2::-1]):
            u = up(h)
            h = dec(torch.cat((skip, u), dim=-3) if self.skips else u)
        return self.head(h)
''',
})
# red team 11, 2026-12-04
WRONG.setdefault("mean_iou", {}).update({
    "torchmetrics' multiclass_confusion_matrix (torchmetrics: off limits)": _iou('''
    from torchmetrics.functional.classification import multiclass_confusion_matrix
    confusion = multiclass_confusion_matrix(pred.reshape(-1), target.reshape(-1), n_classes, validate_args=False)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
    "torchmetrics' multiclass_stat_scores: tp / (tp + fp + fn) (torchmetrics: off limits)": _iou('''
    from torchmetrics.functional.classification import multiclass_stat_scores
    stats = multiclass_stat_scores(pred.reshape(-1), target.reshape(-1), n_classes, average=None, validate_args=False)
    tp, fp, fn = stats[:, 0], stats[:, 1], stats[:, 3]
    union = tp + fp + fn
    present = union > 0
    return (tp[present].float() / union[present].float()).mean()
'''),
})
WRONG.setdefault("conv_transpose2d", {}).update({
    "output buffer made a leaf with requires_grad=True (the in-place scatter fails under autograd)": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = torch.zeros(B, C_out, H_full, W_full, dtype=x.dtype, device=x.device, requires_grad=True)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
    "all offsets at once, scattered with index_add_ along an index made on the CPU": _ct('''
    B, C_in, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    contrib = torch.einsum("bchw,couv->bohwuv", x, weight)                       # [B, C_out, H, W, kH, kW]
    rows = (torch.arange(H) * stride)[:, None, None, None] + torch.arange(kH)[None, None, :, None]
    cols = (torch.arange(W) * stride)[None, :, None, None] + torch.arange(kW)[None, None, None, :]
    index = (rows * W_full + cols).reshape(-1)                                    # [H * W * kH * kW]
    out = x.new_zeros(B, C_out, H_full * W_full)
    out = out.index_add(2, index, contrib.reshape(B, C_out, H * W * kH * kW))
    out = out.reshape(B, C_out, H_full, W_full)
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
})
WRONG.setdefault("linear_to_conv", {}).update({
    "bias tested with `if linear.bias:` (a tensor's truth value, not `is not None`)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=False,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
    if linear.bias:
        conv.bias = nn.Parameter(linear.bias.detach().clone())
    return conv
''',
})
WRONG.setdefault("unet", {}).update({
    "dec[j] built for the channels of up[j]'s input (w_(i+1) + w_i), not 2 w_i": _unet(init='''
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((in_channels,) + tuple(widths[:-1]), widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(widths[i] + widths[i + 1] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)
'''),
})
RIGHT.setdefault("mean_iou", {}).update({
    "confusion indexed [pred, target] (IoU is symmetric)": _iou('''
    confusion = torch.bincount(pred.reshape(-1) * n_classes + target.reshape(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
})
RIGHT.setdefault("conv_transpose2d", {}).update({
    "strided views of the full output, truncated to H x W": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u::stride, v::stride][:, :, :H, :W] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
})
RIGHT.setdefault("dice_loss", {}).update({
    "softmax over dim -3, computed in float64 and cast back to the logits' dtype": _dice('''
    K = logits.shape[-3]
    probs = torch.softmax(logits.double(), dim=-3)
    onehot = F.one_hot(target, K).movedim(-1, -3).double()
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return (1 - ((2 * inter + eps) / (total + eps)).mean()).to(logits.dtype)
'''),
})
WARNED["mean_iou"] = WARNED.get("mean_iou", []) + [
    "torchmetrics' multiclass_confusion_matrix (torchmetrics: off limits)",
    "torchmetrics' multiclass_stat_scores: tp / (tp + fp + fn) (torchmetrics: off limits)"]
# red team 13, 2026-12-05
WRONG.setdefault("linear_to_conv", {}).update({
    "nn.Conv2d(..., (width, height)), then the [K, C, h, w] weight put in as a new Parameter (kernel_size reads (w, h))": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (width, height), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    conv.weight = nn.Parameter(linear.weight.detach().reshape(linear.out_features, in_channels, height, width).clone())
    if linear.bias is not None:
        conv.bias = nn.Parameter(linear.bias.detach().clone())
    return conv
''',
    "a square kernel_size=height, then the [K, C, h, w] weight put in as a new Parameter": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, height, bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    conv.weight = nn.Parameter(linear.weight.detach().reshape(linear.out_features, in_channels, height, width).clone())
    if linear.bias is not None:
        conv.bias = nn.Parameter(linear.bias.detach().clone())
    return conv
''',
})
WRONG.setdefault("mean_iou", {}).update({
    "union as |P_k| + |T_k| (the intersection not subtracted), a loop over the classes": _iou('''
    ious = []
    for c in range(n_classes):
        p, t = pred == c, target == c
        inter = (p & t).sum()
        union = p.sum() + t.sum()
        if union > 0:
            ious.append(inter.float() / union.float())
    if not ious:
        return torch.tensor(float("nan"), device=pred.device)
    return torch.stack(ious).mean()
'''),
})
WRONG.setdefault("dice_loss", {}).update({
    "the denominator's eps added per class and per image (eps * B)": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps * logits.shape[0])).mean()
'''),
})
WRONG.setdefault("conv_transpose2d", {}).update({
    "each offset's contribution placed at rows u * stride (offsets scaled by the stride)": _ct('''
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full + (kH - 1) * (stride - 1), W_full + (kW - 1) * (stride - 1))
    for u in range(kH):
        for v in range(kW):
            r, c = u * stride, v * stride
            out[:, :, r:r + (H - 1) * stride + 1:stride, c:c + (W - 1) * stride + 1:stride] += torch.einsum(
                "bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
'''),
})
RIGHT.setdefault("linear_to_conv", {}).update({
    "nn.Conv2d(..., kernel_size=(height, width)), weight and bias as new Parameters of detached clones": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError(f"{linear.in_features} != {in_channels} * {height} * {width}")
    conv = nn.Conv2d(in_channels, linear.out_features, kernel_size=(height, width), bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    conv.weight = nn.Parameter(linear.weight.detach().reshape(linear.out_features, in_channels, height, width).clone())
    if linear.bias is not None:
        conv.bias = nn.Parameter(linear.bias.detach().clone())
    return conv
''',
})
RIGHT.setdefault("dice_loss", {}).update({
    "one-hot moved with transpose(1, 3) then transpose(2, 3)": _dice('''
    K = logits.shape[1]
    probs = torch.softmax(logits, 1)
    onehot = F.one_hot(target, K).transpose(1, 3).transpose(2, 3).to(probs.dtype)
    inter = (probs * onehot).sum(dim=(0, 2, 3))
    total = probs.sum(dim=(0, 2, 3)) + onehot.sum(dim=(0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
'''),
})
WRONG.setdefault("linear_to_conv", {}).update({
    "device and dtype read from linear.bias (fails when the linear layer has no bias)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.bias.device, dtype=linear.bias.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
})

# red team 15 (reviewer E)
WRONG.setdefault("unet", {}).update({
    # red team 15: any widths, a list as well as a tuple: (in_channels,) + [16, 32] raises TypeError
    '(in_channels,) + widths[:-1]: a list of widths raises TypeError': '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((in_channels,) + widths[:-1], widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)

    def forward(self, x):
        encoded = []
        h = x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            encoded.append(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(encoded[:-1])):
            h = up(h)
            h = dec(torch.cat([skip, h], dim=1) if self.skips else h)
        return self.head(h)
''',
})
WRONG.setdefault("unet", {}).update({
    # red team 15: down[0] takes in_channels, not 3 (grey-scale or 4-channel inputs)
    'in_channels hard-coded to 3': '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((3,) + tuple(widths[:-1]), widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)

    def forward(self, x):
        encoded = []
        h = x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            encoded.append(h)
        for up, dec, skip in zip(self.up, self.dec, reversed(encoded[:-1])):
            h = up(h)
            h = dec(torch.cat([skip, h], dim=1) if self.skips else h)
        return self.head(h)
''',
})
WRONG.setdefault("dice_loss", {}).update({
    # red team 15: the text's D_k has sum(probs_k), not sum(probs_k ** 2)
    "denominator with squared probabilities (V-Net's Dice)": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    dims = (0, 2, 3)
    intersection = (probs * onehot).sum(dims)
    total = (probs ** 2).sum(dims) + onehot.sum(dims)
    return 1 - ((2 * intersection + eps) / (total + eps)).mean()
''',
})
WRONG.setdefault("dice_loss", {}).update({
    # red team 15: the signature's default eps is 1.0
    'eps defaults to 1e-6': '''
def dice_loss(logits, target, eps=1e-6):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    dims = (0, 2, 3)
    intersection = (probs * onehot).sum(dims)
    total = probs.sum(dims) + onehot.sum(dims)
    return 1 - ((2 * intersection + eps) / (total + eps)).mean()
''',
})
WRONG.setdefault("linear_to_conv", {}).update({
    # red team 15: the conv shares storage with the linear layer: training or changing one changes the other (the bias-sharing slip, for the weight)
    'weight a detached view of the linear weight (the two layers share memory)': '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("size")
    has_bias = linear.bias is not None
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=has_bias,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    conv.weight = nn.Parameter(linear.weight.detach().view(linear.out_features, in_channels, height, width))
    if has_bias:
        conv.bias = nn.Parameter(linear.bias.detach())
    return conv
''',
})
WRONG.setdefault("mean_iou", {}).update({
    # red team 15: the result goes on pred's device, also for an empty input
    'empty input: a nan made on the CPU': '''
def mean_iou(pred, target, n_classes):
    if pred.numel() == 0:
        return torch.tensor(float("nan"))
    confusion = torch.bincount(target.reshape(-1) * n_classes + pred.reshape(-1), minlength=n_classes ** 2)
    confusion = confusion.reshape(n_classes, n_classes)
    intersection = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - intersection
    present = union > 0
    return (intersection[present].float() / union[present].float()).mean()
''',
})
WRONG.setdefault("mean_iou", {}).update({
    # red team 17: a class that is true but never predicted is present (IoU 0) and counts; only classes absent from both are left out
    "only the predicted classes counted (a true class never predicted left out)": _iou(_IOU_COUNTS + '''
    present = confusion.sum(0) > 0
    return (inter[present].float() / union[present].float()).mean()
'''),
})
WRONG.setdefault("dice_loss", {}).update({
    # red team 17: one Dice per class, then the mean over the K classes; one Dice of all classes pooled lets the background dominate
    "one Dice over all classes pooled (micro average), not the mean of per-class Dice": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    return 1 - (2 * (probs * onehot).sum() + eps) / (probs.sum() + onehot.sum() + eps)
'''),
})
WRONG.setdefault("linear_to_conv", {}).update({
    # red team 17: the bias is a new Parameter, but of a detached VIEW of linear.bias: the two layers share its storage
    "bias as nn.Parameter(linear.bias.detach()) (a view: the layers share the bias's memory)": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError(f"linear.in_features = {linear.in_features} is not {in_channels} * {height} * {width}")
    has_bias = linear.bias is not None
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=has_bias,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
    if has_bias:
        conv.bias = nn.Parameter(linear.bias.detach())
    return conv
''',
})
WRONG.setdefault("conv_transpose2d", {}).update({
    # red team 17: torch.empty is not zeroed: every output pixel is read before its first += (garbage, inf or nan where the memory held them)
    "output allocated with x.new_empty, then accumulated with += (uninitialised memory)": '''
def conv_transpose2d(x, weight, stride=1, padding=0):
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_empty(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            contribution = torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += contribution
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
''',
})
WRONG.setdefault("dice_loss", {}).update({
    # red team 17: the text puts eps in the numerator and the denominator of every class; here eps is dropped and only 0/0 becomes 1
    "no eps: 2I / (P + T), a class with P + T = 0 set to 1": _dice('''
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    d = torch.where(total > 0, 2 * inter / total.clamp_min(torch.finfo(total.dtype).tiny), torch.ones_like(total))
    return 1 - d.mean()
'''),
})
# ---- red team 18 (reviewer E) ----
WRONG.setdefault("dice_loss", {}).update({
    # red team 18: the text: the result in the logits' dtype; a float32 one-hot promotes bfloat16 (autocast) logits' loss to float32
    "one-hot made float32 (.float()): bfloat16 or float16 logits give a float32 loss": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
''',
})
WRONG.setdefault("linear_to_conv", {}).update({
    # red team 18: the text: the convolution in the linear layer's dtype; only float64 is carried over, a float16 or bfloat16 layer gives a float32 convolution
    "dtype carried over only for float64 (conv.double()), else the default float32": '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError("in_features does not match in_channels * height * width")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), bias=linear.bias is not None,
                     device=linear.weight.device)
    if linear.weight.dtype == torch.float64:
        conv = conv.double()
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
''',
})
WRONG.setdefault("unet", {}).update({
    # red team 18: the skips kept on the module (self.feats) and never cleared: the second forward pass concatenates the first pass's encoder outputs
    "encoder outputs kept in a list on the module, never cleared (the second call uses the first call's skips)": '''
class UNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=11, widths=(16, 32, 64), skips=True):
        super().__init__()
        self.skips = skips
        self.down = nn.ModuleList([double_conv(c_in, c_out) for c_in, c_out in zip((in_channels,) + tuple(widths[:-1]), widths)])
        deepest_first = list(reversed(range(len(widths) - 1)))
        self.up = nn.ModuleList([nn.ConvTranspose2d(widths[i + 1], widths[i], 2, stride=2) for i in deepest_first])
        self.dec = nn.ModuleList([double_conv(2 * widths[i] if skips else widths[i], widths[i]) for i in deepest_first])
        self.head = nn.Conv2d(widths[0], n_classes, 1)
        self.feats = []

    def forward(self, x):
        h = x
        for i, block in enumerate(self.down):
            h = block(h if i == 0 else F.max_pool2d(h, 2))
            self.feats.append(h)
        L = len(self.down) - 1
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            skip = self.feats[L - 1 - j]
            h = up(h)
            h = dec(torch.cat([skip, h], dim=1) if self.skips else h)
        return self.head(h)
''',
})
WRONG.setdefault("mean_iou", {}).update({
    # red team 18: the counts must be exact: torch.histc bins in float32, and with many classes a code near the top of the range
    # lands in the next bin (at n = 100, true 99 / predicted 98 is counted as 99 / 99); its float counts also stop at 2 ** 24
    "confusion counted with torch.histc over the flat codes (float bins)": '''
def mean_iou(pred, target, n_classes):
    codes = (target.reshape(-1) * n_classes + pred.reshape(-1)).float()
    confusion = torch.histc(codes, bins=n_classes ** 2, min=0, max=n_classes ** 2 - 1).reshape(n_classes, n_classes)
    inter = confusion.diagonal()
    union = confusion.sum(0) + confusion.sum(1) - inter
    present = union > 0
    return (inter[present] / union[present]).mean()
''',
})
WRONG.setdefault("conv_transpose2d", {}).update({
    # red team 18: the text: keep x's dtype; the buffer takes the promoted dtype of x and a float32 zero (torch.zeros(...) + x.sum() * 0 style), float16 / bfloat16 inputs become float32
    "output buffer in float32 unless x is float64 (torch.float64 if x.dtype == torch.float64 else torch.float32)": '''
def conv_transpose2d(x, weight, stride=1, padding=0):
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    dtype = torch.float64 if x.dtype == torch.float64 else torch.float32
    out = torch.zeros(B, C_out, H_full, W_full, dtype=dtype, device=x.device)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum(
                "bchw,co->bohw", x, weight[:, :, u, v])
    return out[:, :, padding:H_full - padding, padding:W_full - padding]
''',
})
WRONG.setdefault("dice_loss", {}).update({
    # red team 19: a mixed-precision habit: the sums accumulated in float32 and the loss cast back; right for half precision, but
    # float64 logits lose float64's precision (the text: the result in the logits' dtype, computed in it)
    "sums accumulated in float32 (.float()), the loss cast back to the logits' dtype": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1)
    inter = (probs.float() * onehot).sum((0, 2, 3))
    total = probs.float().sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return (1 - ((2 * inter + eps) / (total + eps)).mean()).to(logits.dtype)
''',
    # red team 19: the class ids cached per K on the first call's device: a later call on another device compares with a tensor
    # elsewhere (values cached across calls)
    "one-hot from an arange cached per K (made on the first call's device)": '''
_IDS = {}
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    if K not in _IDS:
        _IDS[K] = torch.arange(K, device=target.device).view(1, K, 1, 1)
    probs = logits.softmax(dim=1)
    onehot = (target.unsqueeze(1) == _IDS[K]).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
''',
    # red team 19: eps clamps the denominator (max(total, eps)) instead of being added to it: every present class's Dice is off
    "eps as a floor of the denominator (clamp_min), added to the numerator": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = logits.softmax(dim=1)
    onehot = F.one_hot(target, K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2, 3))
    total = probs.sum((0, 2, 3)) + onehot.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / total.clamp_min(eps)).mean()
''',
})
WRONG["unet"].update({
    # red team 19: gradient checkpointing of every block (to save memory): the backward pass runs each block's forward again, in
    # train mode, so every batch norm updates its running statistics twice per training step (momentum in effect doubled)
    "every block run under torch.utils.checkpoint (batch-norm statistics updated again in the backward pass)": _unet(forward="""
        from torch.utils.checkpoint import checkpoint
        run = lambda block, t: checkpoint(block, t, use_reentrant=False) if torch.is_grad_enabled() else block(t)
        e = [run(self.down[0], x)]
        for block in self.down[1:]:
            e.append(run(block, F.max_pool2d(e[-1], 2)))
        h = e[-1]
        for j, (up, dec) in enumerate(zip(self.up, self.dec)):
            u = up(h)
            h = run(dec, torch.cat([e[-2 - j], u], dim=1) if self.skips else u)
        return self.head(h)
"""),
})

# red team 20 (reviewer F)
WRONG["conv_transpose2d"].update({
    # red team 20: the signature is conv_transpose2d(x, weight, stride=1, padding=0); a bias argument before stride, as in
    # F.conv_transpose2d's signature, makes conv_transpose2d(x, w, 2, 1) read 2 as the bias and 1 as the stride
    "a bias argument before stride, as in F.conv_transpose2d (stride and padding by position misread)": '''
def conv_transpose2d(x, weight, bias=None, stride=1, padding=0):
    B, _, H, W = x.shape
    _, C_out, kH, kW = weight.shape
    H_full, W_full = (H - 1) * stride + kH, (W - 1) * stride + kW
    out = x.new_zeros(B, C_out, H_full, W_full)
    for u in range(kH):
        for v in range(kW):
            out[:, :, u:u + (H - 1) * stride + 1:stride, v:v + (W - 1) * stride + 1:stride] += torch.einsum("bchw,co->bohw", x, weight[:, :, u, v])
    out = out[:, :, padding:H_full - padding, padding:W_full - padding]
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG["mean_iou"].update({
    # red team 20: torchmetrics is off limits, all of it; its segmentation package has a mean_iou of its own (per class,
    # -1 for a class absent from both), reached without the classification internals the tests watched
    "torchmetrics.functional.segmentation.mean_iou per class, absent classes (-1) dropped (torchmetrics: off limits)": '''
def mean_iou(pred, target, n_classes):
    from torchmetrics.functional.segmentation import mean_iou as tm_mean_iou
    per_class = tm_mean_iou(pred.reshape(1, -1), target.reshape(1, -1), num_classes=n_classes, input_format="index",
                            per_class=True)[0]
    return per_class[per_class >= 0].float().mean()
''',
    # red team 20: torchmetrics is off limits; multilabel_confusion_matrix of the one-hot maps gives every class's
    # tn, fp, fn, tp without going through the multiclass internals the tests watched
    "torchmetrics' multilabel_confusion_matrix of the one-hot maps: tp / (tp + fp + fn) (torchmetrics: off limits)": '''
def mean_iou(pred, target, n_classes):
    from torchmetrics.functional.classification import multilabel_confusion_matrix
    cm = multilabel_confusion_matrix(F.one_hot(pred.reshape(-1), n_classes), F.one_hot(target.reshape(-1), n_classes),
                                     num_labels=n_classes)           # [K, 2, 2]: [[tn, fp], [fn, tp]]
    tp, fp, fn = cm[:, 1, 1], cm[:, 0, 1], cm[:, 1, 0]
    union = tp + fp + fn
    present = union > 0
    return (tp[present].float() / union[present].float()).mean()
''',
})
# red team 20: written as WRONG ("an empty batch fails"), but reshape(-1, K) infers 0 rows for a tensor of no elements
# when K is not 0: right, also for an empty batch (its loss is 0)
RIGHT["dice_loss"].update({
    "probabilities flattened with reshape(-1, K), one row per pixel": '''
def dice_loss(logits, target, eps=1.0):
    K = logits.shape[1]
    probs = torch.softmax(logits, dim=1).movedim(1, -1).reshape(-1, K)
    onehot = F.one_hot(target.reshape(-1), K).to(probs.dtype)
    inter = (probs * onehot).sum(0)
    total = probs.sum(0) + onehot.sum(0)
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
''',
})
WRONG["dice_loss"].update({
    # red team 20 (written after the first measurement): reshape(B, K, -1) cannot infer -1 for an empty batch (B = 0,
    # whose loss is 0: every D_k = eps / eps)
    "pixels flattened with reshape(B, K, -1) (an empty batch fails)": '''
def dice_loss(logits, target, eps=1.0):
    B, K = logits.shape[:2]
    probs = torch.softmax(logits, dim=1).reshape(B, K, -1)
    onehot = F.one_hot(target.reshape(B, -1), K).movedim(-1, 1).to(probs.dtype)
    inter = (probs * onehot).sum((0, 2))
    total = probs.sum((0, 2)) + onehot.sum((0, 2))
    return 1 - ((2 * inter + eps) / (total + eps)).mean()
''',
})
WRONG["unet"].update({
    # red team 20: a binary-segmentation habit: with one class the class dimension is squeezed away, [B, H, W] instead of
    # the [B, n_classes, H, W] logits the docstring asks for
    "the class dimension squeezed when n_classes is 1 (a binary-segmentation habit)": _unet(forward=_UNET_FORWARD.replace(
        "return self.head(h)", "out = self.head(h)\n        return out.squeeze(1) if out.shape[1] == 1 else out")),
})
# red team 20: torchmetrics is off limits by the text, so the visible part catches both routes
WARNED["mean_iou"] = WARNED.get("mean_iou", []) + [
    "torchmetrics.functional.segmentation.mean_iou per class, absent classes (-1) dropped (torchmetrics: off limits)",
    "torchmetrics' multilabel_confusion_matrix of the one-hot maps: tp / (tp + fp + fn) (torchmetrics: off limits)"]

# red team 20 (lead): padding="valid" is "no padding" (nn.Conv2d keeps the string): the visible test accepted only (0, 0)
RIGHT["linear_to_conv"]["nn.Conv2d(..., padding='valid')"] = '''
def linear_to_conv(linear, in_channels, height, width):
    if linear.in_features != in_channels * height * width:
        raise ValueError(f"linear.in_features = {linear.in_features} is not {in_channels} * {height} * {width}")
    conv = nn.Conv2d(in_channels, linear.out_features, (height, width), padding="valid", bias=linear.bias is not None,
                     device=linear.weight.device, dtype=linear.weight.dtype)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.reshape(linear.out_features, in_channels, height, width))
        if linear.bias is not None:
            conv.bias.copy_(linear.bias)
    return conv
'''
