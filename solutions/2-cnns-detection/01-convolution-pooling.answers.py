"""Answer variants for 01-convolution-pooling.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

WRONG = {
    "conv_output_size": {
        "true division: a float": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
''',
        "padding counted once (p, not 2p)": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + padding - dilation * (kernel - 1) - 1) // stride + 1
''',
        "dilation ignored": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - kernel) // stride + 1
''',
        "rounded up: the incomplete last window kept": '''
import math

def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return math.ceil((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
''',
        "dilated kernel taken as dilation * kernel pixels": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * kernel) // stride + 1
''',
        "the + 1 forgotten": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride
''',
        "round() instead of floor": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return round((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
''',
        # red team 2026-12-03
        'positions n + 2p - k_eff + 1 divided by the stride': '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1)) // stride
''',
        'padding added after the division (2p output pixels)': '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size - dilation * (kernel - 1) - 1) // stride + 1 + 2 * padding
''',
        'a 0-d tensor (torch.div with rounding_mode)': '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return torch.div(size + 2 * padding - dilation * (kernel - 1) - 1, stride, rounding_mode="floor") + 1
''',
        'a NumPy integer (np.floor_divide)': '''
import numpy as np

def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return np.floor_divide(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1
''',
        'dilation counted as the gap (d + 1 spacing)': '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - (dilation + 1) * (kernel - 1) - 1) // stride + 1 if dilation > 1 else \
        (size + 2 * padding - kernel) // stride + 1
''',
    },
    "conv_param_count": {
        "input channels forgotten": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * kh * kw + (out_channels if bias else 0)
''',
        "one bias for the whole layer": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw + (1 if bias else 0)
''',
        "kernel assumed square (kH * kH)": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh = kernel if isinstance(kernel, int) else kernel[0]
    return out_channels * in_channels * kh * kh + (out_channels if bias else 0)
''',
        "bias never counted": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw
''',
        "one bias per input channel": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw + (in_channels if bias else 0)
''',
        # red team 2026-12-03
        'a NumPy integer (np.prod)': '''
import numpy as np

def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return np.prod([out_channels, in_channels, kh, kw]) + (out_channels if bias else 0)
''',
        'kernel area with math.pow (a float)': '''
import math

def conv_param_count(in_channels, out_channels, kernel, bias=True):
    area = math.pow(kernel, 2) if isinstance(kernel, int) else kernel[0] * kernel[1]
    return out_channels * in_channels * area + (out_channels if bias else 0)
''',
        'bias defaults to False': '''
def conv_param_count(in_channels, out_channels, kernel, bias=False):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)
''',
        'only a tuple taken as a pair (a list [kH, kW] breaks)': '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)
''',
        'bias keyword-only (a positional bias is refused)': '''
def conv_param_count(in_channels, out_channels, kernel, *, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)
''',
    },
    "conv2d_loops": {
        "true convolution: kernel flipped": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    weight = weight.flip(-2, -1)
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        "padding on one side only (top and left)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, 0, padding, 0))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        "window starts at (i, j), not (i * s, j * s)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i:i + kH, j:j + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        "output size rounded up (partial windows at the edge)": '''
import math

def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = math.ceil((xp.shape[-2] - kH) / stride) + 1, math.ceil((xp.shape[-1] - kW) / stride) + 1
    out = torch.zeros(x.shape[0], weight.shape[0], H_out, W_out, dtype=x.dtype, device=x.device)
    for i in range(H_out):
        for j in range(W_out):
            win = xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            out[:, :, i, j] = (win * weight[..., :win.shape[-2], :win.shape[-1]]).sum((2, 3, 4))
    return out if bias is None else out + bias[:, None, None]
''',
        "bias forgotten": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    return torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                     for j in range(W_out)], -1) for i in range(H_out)], -2)
''',
        "output allocated with torch.zeros(shape): float32 whatever x's dtype": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.zeros(x.shape[0], weight.shape[0], H_out, W_out, device=x.device)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = (xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
    return out if bias is None else out + bias[:, None, None]
''',
        "output allocated on the CPU whatever x's device": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.zeros(x.shape[0], weight.shape[0], H_out, W_out, dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = (xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
    return out if bias is None else out + bias[:, None, None]
''',
        "F.conv2d on each window (off limits)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([F.conv2d(xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW], weight)[:, :, 0, 0]
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        "nn.Conv2d with the weights copied in (off limits)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    layer = torch.nn.Conv2d(weight.shape[1], weight.shape[0], tuple(weight.shape[-2:]), stride=stride, padding=padding,
                            bias=bias is not None).to(x.dtype)
    del layer.weight
    layer.weight = weight
    if bias is not None:
        del layer.bias
        layer.bias = bias
    return layer(x)
''',
        "computed on detached NumPy arrays (no gradient)": '''
import numpy as np

def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    xn = np.pad(x.detach().cpu().numpy(), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    wn = weight.detach().cpu().numpy()
    kH, kW = wn.shape[-2:]
    H_out, W_out = (xn.shape[-2] - kH) // stride + 1, (xn.shape[-1] - kW) // stride + 1
    out = np.zeros((xn.shape[0], wn.shape[0], H_out, W_out), dtype=xn.dtype)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = (xn[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * wn).sum((2, 3, 4))
    if bias is not None:
        out = out + bias.detach().cpu().numpy()[:, None, None]
    return torch.from_numpy(out)
''',
        # red team 2026-12-03
        'F.pad(x, (p, p)): only the width padded': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        'kernel flipped left-right only (flip(-1))': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    weight = weight.flip(-1)
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        'W_out computed from the height (square inputs assumed)': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-2] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
        'bias rounded to float32 (bias.float())': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias.float()[:, None, None]
''',
        'F.conv1d per output row (another route to the convolution kernel)': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    w1 = weight.transpose(1, 2).reshape(weight.shape[0], -1, kW)          # [C_out, kH*C_in, kW]
    rows = [F.conv1d(xp[:, :, i * stride:i * stride + kH].transpose(1, 2).reshape(x.shape[0], -1, xp.shape[-1]), w1,
                     stride=stride) for i in range(H_out)]
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
        'batch of one assumed (x[0])': '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))[0]
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((1, 2, 3))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)[None]
    return out if bias is None else out + bias[:, None, None]
''',
    },
    "conv2d": {
        "a Python loop over output positions (not vectorised)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = x.new_zeros(x.shape[0], weight.shape[0], H_out, W_out)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            out[:, :, i, j] = window.flatten(1) @ weight.flatten(1).T
    return out if bias is None else out + bias[:, None, None]
''',
        "true convolution: kernel flipped": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    weight = weight.flip(-2, -1)
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "windows flattened as (kH, kW, C_in), filters as (C_in, kH, kW)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 4, 5, 1).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "reshaped to [B, C_out, H_out, W_out] without the transpose": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "padding forgotten": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = x.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "bias broadcast along the wrong axis (bias[:, None])": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None]
''',
        "F.unfold (off limits)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out, W_out = (H + 2 * padding - kH) // stride + 1, (W + 2 * padding - kW) // stride + 1
    cols = F.unfold(x, (kH, kW), padding=padding, stride=stride)           # [B, C_in*kH*kW, L]
    out = (weight.reshape(C_out, -1) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "nn.Unfold (off limits)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out, W_out = (H + 2 * padding - kH) // stride + 1, (W + 2 * padding - kW) // stride + 1
    cols = torch.nn.Unfold((kH, kW), padding=padding, stride=stride)(x)
    out = (weight.reshape(C_out, -1) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "torch.conv2d (off limits)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    return torch.conv2d(x, weight, bias, stride=stride, padding=padding)
''',
        "computed in float32 and cast back": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x.float(), (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.float().reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out).to(x.dtype)
    return out if bias is None else out + bias[:, None, None]
''',
        "zero padding built with torch.zeros on the CPU": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    xp = torch.zeros(B, C_in, H + 2 * padding, W + 2 * padding, dtype=x.dtype)
    xp[:, :, padding:padding + H, padding:padding + W] = x
    win = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    H_out, W_out = win.shape[2:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "input detached first (no gradient to x)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x.detach(), (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        "stride ignored in unfold (every window, step 1)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, 1).unfold(3, kW, 1)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        # red team 2026-12-03
        'filters flattened with .view (a non-contiguous weight breaks)': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    cols = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = cols @ weight.view(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        'patch matrix reshaped with -1 (an empty batch breaks)': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    cols = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, -1)
    out = cols @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        'unfolded along W first: windows flattened as (C_in, kW, kH)': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(3, kW, stride).unfold(2, kH, stride)   # [B, C_in, H_out, W_out, kW, kH]
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        'filters reshaped to (C_in*kH*kW, C_out) instead of transposed': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW) @ weight.reshape(-1, C_out)
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
        'torch.ops.aten.convolution (off limits, another route)': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    return torch.ops.aten.convolution(x, weight, bias, [stride, stride], [padding, padding], [1, 1], False, [0, 0], 1)
''',
        'one kernel size for both sides (kH x kH)': '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, k = weight.shape[:3]
    win = F.pad(x, (padding,) * 4).unfold(2, k, stride).unfold(3, k, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = torch.einsum("bchwuv,ocuv->bohw", win, weight)
    return out if bias is None else out + bias[:, None, None]
''',
    },
    "max_pool2d": {
        "stride defaults to 1": '''
def max_pool2d(x, kernel, stride=None):
    stride = 1 if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1).values
''',
        "amax: the gradient split between tied maxima": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).amax(dim=(-2, -1))
''',
        "partial windows at the edge kept (ceil mode)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    H, W = x.shape[-2:]
    extra_h, extra_w = (-(H - kernel)) % stride, (-(W - kernel)) % stride
    xp = F.pad(x, (0, extra_w, 0, extra_h), value=float("-inf"))
    return xp.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1).values
''',
        "F.max_pool2d (off limits)": '''
def max_pool2d(x, kernel, stride=None):
    return F.max_pool2d(x, kernel, stride)
''',
        "nn.MaxPool2d (off limits)": '''
def max_pool2d(x, kernel, stride=None):
    return torch.nn.MaxPool2d(kernel, stride)(x)
''',
        "kernel and stride swapped in unfold": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, stride, kernel).unfold(3, stride, kernel).flatten(-2).max(-1).values
''',
        "average pooling": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).mean(dim=(-2, -1))
''',
        "max over a window of ReLU'd values (starts from 0)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.clamp_min(0).unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1).values
''',
        "detached result": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.detach().unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1).values
''',
        "last tied maximum wins (flipped window)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).flip(-1).max(-1).values
''',
        # red team 2026-12-03
        'max over rows first, then columns: ties broken column-major': '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).max(dim=-2).values.max(dim=-1).values
''',
        'unfolded along W first: windows flattened column-major': '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(3, kernel, stride).unfold(2, kernel, stride).flatten(-2).max(-1).values
''',
        'F.max_pool3d on a dummy depth (off limits)': '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return F.max_pool3d(x[:, :, None], (1, kernel, kernel), (1, stride, stride))[:, :, 0]
''',
        'squeeze() after keepdim: a batch of one loses its dimension': '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1, keepdim=True).values.squeeze()
''',
        'running max over the k*k offsets, started from torch.full(-inf) on the CPU': '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = torch.full((x.shape[0], x.shape[1], H_out, W_out), float("-inf"), dtype=x.dtype)
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = torch.where(cand > best, cand, best)
    return best
''',
        'computed in float32 and cast back': '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    return x.float().unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2).max(-1).values.to(x.dtype)
''',
    },
    "receptive_field": {
        "backwards from the output after layers.reverse() (the caller's list reversed)": '''
def receptive_field(layers):
    layers.reverse()
    r = 1
    for kernel, stride in layers:
        r = stride * r + (kernel - stride)
    return r
''',
        "a layer's own stride counted": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        jump *= stride
        r += (kernel - 1) * jump
    return r
''',
        "strides ignored: 1 + sum (k - 1)": '''
def receptive_field(layers):
    return 1 + sum(kernel - 1 for kernel, _ in layers)
''',
        "product of the kernel sizes": '''
import math

def receptive_field(layers):
    return math.prod(kernel for kernel, _ in layers)
''',
        "starts from 0 instead of 1": '''
def receptive_field(layers):
    r, jump = 0, 1
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
        "jump multiplied by the kernel": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump *= kernel
    return r
''',
        "sum of the kernels": '''
def receptive_field(layers):
    return sum(kernel for kernel, _ in layers) or 1
''',
        # red team 2026-12-03
        'a NumPy integer (closed form with np.cumprod)': '''
import numpy as np

def receptive_field(layers):
    if not layers:
        return 1
    k = np.array([kernel for kernel, _ in layers])
    jumps = np.concatenate([[1], np.cumprod([stride for _, stride in layers])[:-1]])
    return 1 + ((k - 1) * jumps).sum()
''',
        'each layer adds 2 * (k // 2) (the half-width on each side)': '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        r += 2 * (kernel // 2) * jump
        jump *= stride
    return r
''',
        "only the previous layer's stride, not the product": '''
def receptive_field(layers):
    r, prev = 1, 1
    for kernel, stride in layers:
        r += (kernel - 1) * prev
        prev = stride
    return r
''',
        'the backward recurrence run forwards (r = s r + k - s)': '''
def receptive_field(layers):
    r = 1
    for kernel, stride in layers:
        r = stride * r + (kernel - stride)
    return r
''',
        'the first layer taken as the start (an empty stack breaks)': '''
def receptive_field(layers):
    r, jump = layers[0][0], layers[0][1]
    for kernel, stride in layers[1:]:
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
    },
    "answer_5_1": {
        "the pooling forgotten": '''
def answer_5_1():
    return (8, 64, 112, 112)
''',
        "the pooling's padding forgotten": '''
def answer_5_1():
    return (8, 64, 55, 55)
''',
        "channels kept at 3": '''
def answer_5_1():
    return (8, 3, 56, 56)
''',
        "the answer assigned, not returned": '''
def answer_5_1():
    shape = (8, 64, 56, 56)
''',
        # red team 2026-12-03
        'the pooling rounded up (ceil mode)': '''
def answer_5_1():
    return (8, 64, 57, 57)
''',
        'batch and channels swapped': '''
def answer_5_1():
    return (64, 8, 56, 56)
''',
        'channels last (B, H, W, C)': '''
def answer_5_1():
    return (8, 56, 56, 64)
''',
        'NumPy integers': '''
import numpy as np

def answer_5_1():
    return tuple(np.array([8, 64, 56, 56]))
''',
    },
    "answer_5_2": {
        "the biases forgotten": '''
def answer_5_2():
    return (64 * 32 * 32) * (128 * 32 * 32)
''',
        "the convolution's count": '''
def answer_5_2():
    return 128 * 64 * 3 * 3 + 128
''',
        "one bias per output channel": '''
def answer_5_2():
    return (64 * 32 * 32) * (128 * 32 * 32) + 128
''',
        "a float (true division somewhere)": '''
def answer_5_2():
    return (64 * 32 * 32) * (128 * 32 * 32) / 1 + 128 * 32 * 32
''',
        # red team 2026-12-03
        'one bias per input number': '''
def answer_5_2():
    return (64 * 32 * 32) * (128 * 32 * 32) + 64 * 32 * 32
''',
        "the convolution's count at every position": '''
def answer_5_2():
    return (128 * 64 * 3 * 3 + 128) * 32 * 32
''',
        'written in scientific notation (a float)': '''
def answer_5_2():
    return 8.590065664e9
''',
        'the spatial positions only (channels forgotten)': '''
def answer_5_2():
    return (32 * 32) * (32 * 32) + 32 * 32
''',
    },
    "answer_5_3": {
        "a: smaller field": '''
def answer_5_3():
    return "a"
''',
        "b: more weights": '''
def answer_5_3():
    return "b"
''',
        "d: 3 + 3": '''
def answer_5_3():
    return "d"
''',
        "upper case letter": '''
def answer_5_3():
    return "C"
''',
        # red team 2026-12-03
        'a trailing space': '''
def answer_5_3():
    return "c "
''',
        'printed, not returned': '''
def answer_5_3():
    print("c")
''',
        'the letter in a list': '''
def answer_5_3():
    return ["c"]
''',
    },
}

RIGHT = {
    "conv_output_size": {
        "effective kernel size, then the undilated formula": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    k_eff = dilation * (kernel - 1) + 1          # pixels the dilated kernel covers
    return (size + 2 * padding - k_eff) // stride + 1
''',
        "math.floor of the true quotient": '''
import math

def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
''',
        "counting the window starts with range": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return len(range(0, size + 2 * padding - dilation * (kernel - 1), stride))
''',
    },
    "conv_param_count": {
        "weights and bias per filter, times the filters": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return (in_channels * kh * kw + int(bias)) * out_channels
''',
        "math.prod over the weight shape": '''
import math

def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kernel = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
    return math.prod((out_channels, in_channels) + kernel) + out_channels * bool(bias)
''',
    },
    "conv2d_loops": {
        "preallocated output (x's dtype and device), filled in place": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = x.new_zeros(x.shape[0], weight.shape[0], H_out, W_out)
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = torch.einsum("bcuv,ocuv->bo", xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW], weight)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
''',
        "padding by concatenating zeros, a matrix product per window": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    B, C_in, H, W = x.shape
    C_out, _, kH, kW = weight.shape
    if padding:
        zr = torch.zeros(B, C_in, padding, W, dtype=x.dtype, device=x.device)
        x = torch.cat([zr, x, zr], dim=2)
        zc = torch.zeros(B, C_in, H + 2 * padding, padding, dtype=x.dtype, device=x.device)
        x = torch.cat([zc, x, zc], dim=3)
    H_out, W_out = (x.shape[2] - kH) // stride + 1, (x.shape[3] - kW) // stride + 1
    w = weight.reshape(C_out, -1)
    rows = []
    for i in range(H_out):
        cols = [x[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].reshape(B, -1) @ w.T for j in range(W_out)]
        rows.append(torch.stack(cols, dim=2))
    out = torch.stack(rows, dim=2)
    return out if bias is None else out + bias[None, :, None, None]
''',
    },
    "conv2d": {
        "einsum over the unfolded view": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    out = torch.einsum("bchwuv,ocuv->bohw", win, weight)
    return out if bias is None else out + bias[:, None, None]
''',
        "as_strided windows, filters on the left": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding,) * 4).contiguous()
    B, _, H, W = xp.shape
    H_out, W_out = (H - kH) // stride + 1, (W - kW) // stride + 1
    sb, sc, sh, sw = xp.stride()
    win = xp.as_strided((B, C_in, kH, kW, H_out, W_out), (sb, sc, sh, sw, sh * stride, sw * stride))
    cols = win.reshape(B, C_in * kH * kW, H_out * W_out)                          # [B, C_in*kH*kW, L]
    out = (weight.reshape(C_out, -1) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias.reshape(1, C_out, 1, 1)
''',
        "stride-1 windows, then every s-th one": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, 1).unfold(3, kW, 1)[:, :, ::stride, ::stride]
    B, _, H_out, W_out = win.shape[:4]
    out = torch.tensordot(win, weight, dims=([1, 4, 5], [1, 2, 3]))               # [B, H_out, W_out, C_out]
    out = out.permute(0, 3, 1, 2)
    return out if bias is None else out + bias[:, None, None]
''',
    },
    "max_pool2d": {
        "max over the columns, then the rows": '''
def max_pool2d(x, kernel, stride=None):
    s = stride or kernel
    return x.unfold(2, kernel, s).unfold(3, kernel, s).max(dim=-1).values.max(dim=-1).values
''',
        "argmax and gather": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    win = x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2)
    return win.gather(-1, win.argmax(-1, keepdim=True)).squeeze(-1)
''',
        "loops over output positions": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    rows = [torch.stack([x[:, :, i * s:i * s + kernel, j * s:j * s + kernel].flatten(2).max(-1).values
                         for j in range(W_out)], dim=-1) for i in range(H_out)]
    return torch.stack(rows, dim=-2)
''',
    },
    "receptive_field": {
        "backwards from the output: r = s r + (k - s)": '''
def receptive_field(layers):
    r = 1
    for kernel, stride in reversed(layers):
        r = stride * r + (kernel - stride)
    return r
''',
        "closed form with math.prod": '''
import math

def receptive_field(layers):
    return 1 + sum((k - 1) * math.prod(s for _, s in layers[:l]) for l, (k, _) in enumerate(layers))
''',
    },
    "answer_5_1": {
        "a list": '''
def answer_5_1():
    return [8, 64, 56, 56]
''',
        "computed with the formula": '''
def answer_5_1():
    h = (224 + 2 * 3 - 7) // 2 + 1          # the convolution: 112
    h = (h + 2 * 1 - 3) // 2 + 1            # the pooling: 56
    return (8, 64, h, h)
''',
    },
    "answer_5_2": {
        "written out": '''
def answer_5_2():
    return 8_590_065_664
''',
        "in features times out features, plus out features": '''
def answer_5_2():
    d_in, d_out = 64 * 32 * 32, 128 * 32 * 32
    return (d_in + 1) * d_out
''',
    },
    "answer_5_3": {
        "single quotes, the same letter": '''
def answer_5_3():
    return 'c'
''',
    },
}

WARNED = {
    "conv_output_size": [
        "true division: a float",
        "padding counted once (p, not 2p)",
        "dilation ignored",
        "rounded up: the incomplete last window kept",
    ],
    "conv_param_count": [
        "input channels forgotten",
        "one bias for the whole layer",
    ],
    "conv2d_loops": [
        "true convolution: kernel flipped",
        "padding on one side only (top and left)",
        "window starts at (i, j), not (i * s, j * s)",
        "F.conv2d on each window (off limits)",
        "nn.Conv2d with the weights copied in (off limits)",
        "output allocated with torch.zeros(shape): float32 whatever x's dtype",
        "output allocated on the CPU whatever x's device",
        "computed on detached NumPy arrays (no gradient)",
        "torch._C._nn.slow_conv_dilated2d on the whole input (another route to the convolution kernels)",
        "torch.conv_tbc per output row (a 1-D convolution kernel, another route)",
    ],
    "conv2d": [
        "a Python loop over output positions (not vectorised)",
        "true convolution: kernel flipped",
        "windows flattened as (kH, kW, C_in), filters as (C_in, kH, kW)",
        "reshaped to [B, C_out, H_out, W_out] without the transpose",
        "padding forgotten",
        "F.unfold (off limits)",
        "nn.Unfold (off limits)",
        "torch.conv2d (off limits)",
        "computed in float32 and cast back",
        "zero padding built with torch.zeros on the CPU",
        "input detached first (no gradient to x)",
        "torch._C._nn.slow_conv_dilated2d (another route to the convolution kernels)",
    ],
    "max_pool2d": [
        "stride defaults to 1",
        "amax: the gradient split between tied maxima",
        "partial windows at the edge kept (ceil mode)",
        "F.max_pool2d (off limits)",
        "nn.MaxPool2d (off limits)",
    ],
    "receptive_field": [
        "a layer's own stride counted",
        "strides ignored: 1 + sum (k - 1)",
    ],
    "answer_5_1": ["the answer assigned, not returned"],
    "answer_5_2": ["a float (true division somewhere)"],
    "answer_5_3": ["upper case letter"],
}

EQUIVALENT = {
    "conv2d": {
        "args@16:10#3": "transpose(2, 1) and transpose(1, 2) swap the same two dimensions",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("conv_output_size", {}).update({
    "stride defaults to the kernel (the pooling convention)": '''
def conv_output_size(size, kernel, stride=None, padding=0, dilation=1):
    stride = kernel if stride is None else stride
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
''',
    "dilation defaults to 0 (no dilation)": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=0):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
''',
    "dilation's extra pixels subtracted after the division": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - kernel) // stride + 1 - (dilation - 1) * (kernel - 1)
''',
})
WRONG.setdefault("conv_param_count", {}).update({
    "bias flag ignored: (C_in kH kW + 1) C_out": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return (in_channels * kh * kw + 1) * out_channels
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "bias=None replaced by torch.zeros(C_out) on the CPU": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    if bias is None:
        bias = torch.zeros(weight.shape[0], dtype=x.dtype)
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out + bias[:, None, None]
''',
    "stride applied to the rows only (columns step 1)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, xp.shape[-1] - kW + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j:j + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
    "reflect padding instead of zeros": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding), mode="reflect") if padding else x
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "bias=None replaced by torch.zeros(C_out) on the CPU": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    if bias is None:
        bias = torch.zeros(C_out, dtype=x.dtype)
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW) @ weight.reshape(C_out, -1).T
    return out.transpose(1, 2).reshape(B, C_out, H_out, W_out) + bias[:, None, None]
''',
    "stride applied to the rows only (columns step 1)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, 1)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "filters read through weight.data (no gradient to the weights)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW) @ weight.data.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "running max started from a -1e9 sentinel": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = x.new_full((x.shape[0], x.shape[1], H_out, W_out), -1e9)
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = torch.where(cand > best, cand, best)
    return best
''',
    "running max started from float32's lowest value (whatever the dtype)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = x.new_full((x.shape[0], x.shape[1], H_out, W_out), torch.finfo(torch.float32).min)
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = torch.where(cand > best, cand, best)
    return best
''',
    "torch.maximum over the k*k offsets (ties split the gradient)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = x[:, :, 0:(H_out - 1) * s + 1:s, 0:(W_out - 1) * s + 1:s]
    for u in range(kernel):
        for v in range(kernel):
            best = torch.maximum(best, x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s])
    return best
''',
    "running max with >=: the last tied maximum wins": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = x[:, :, 0:(H_out - 1) * s + 1:s, 0:(W_out - 1) * s + 1:s]
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = torch.where(cand >= best, cand, best)
    return best
''',
    "sorted in descending order, first value taken": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    win = x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2)
    return win.sort(dim=-1, descending=True).values[..., 0]
''',
    "torch.ops.aten.max_pool2d_with_indices (another route, off limits)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return torch.ops.aten.max_pool2d_with_indices(x, [kernel, kernel], [s, s])[0]
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "layers consumed with pop(0) (the caller's list emptied)": '''
def receptive_field(layers):
    r, jump = 1, 1
    while layers:
        kernel, stride = layers.pop(0)
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
    "a float (r starts at 1.0)": '''
def receptive_field(layers):
    r, jump = 1.0, 1
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
})
WRONG.setdefault("answer_5_2", {}).update({
    "int() of a rounded float": '''
def answer_5_2():
    return int(8.59e9)
''',
})
RIGHT.setdefault("conv_param_count", {}).update({
    "counted on an nn.Conv2d made on the meta device": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    layer = torch.nn.Conv2d(in_channels, out_channels, kernel, bias=bias, device="meta")
    return sum(p.numel() for p in layer.parameters())
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "zeros written around x (new_zeros), batched matmul": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    xp = x.new_zeros(B, C_in, H + 2 * padding, W + 2 * padding)
    xp[:, :, padding:padding + H, padding:padding + W] = x
    win = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    H_out, W_out = win.shape[2], win.shape[3]
    cols = win.permute(0, 1, 4, 5, 2, 3).reshape(B, C_in * kH * kW, H_out * W_out)
    out = torch.bmm(weight.reshape(1, C_out, -1).expand(B, -1, -1), cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "minus the minimum of minus x": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return -(-x).unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).min(dim=-1).values
''',
})

# ---- red team, round 5 ----
WRONG.setdefault("conv2d_loops", {}).update({
    "torch._C._nn.slow_conv_dilated2d on the whole input (another route to the convolution kernels)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    return torch._C._nn.slow_conv_dilated2d(x, weight, [kH, kW], bias, [stride, stride], [padding, padding], [1, 1])
''',
    "torch.conv_tbc per output row (a 1-D convolution kernel, another route)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    B, W = xp.shape[0], xp.shape[-1]
    H_out = (xp.shape[-2] - kH) // stride + 1
    w_tbc = weight.permute(3, 1, 2, 0).reshape(kW, C_in * kH, C_out)           # [kW, C_in*kH, C_out]
    zero = weight.new_zeros(C_out)
    rows = []
    for i in range(H_out):
        band = xp[:, :, i * stride:i * stride + kH].reshape(B, C_in * kH, W)     # [B, C_in*kH, W]
        r = torch.conv_tbc(band.permute(2, 0, 1).contiguous(), w_tbc, zero, 0)   # [W - kW + 1, B, C_out]
        rows.append(r[::stride].permute(1, 2, 0))                                # [B, C_out, W_out]
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "torch._C._nn.slow_conv_dilated2d (another route to the convolution kernels)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    return torch._C._nn.slow_conv_dilated2d(x, weight, [kH, kW], bias, [stride, stride], [padding, padding], [1, 1])
''',
    "a loop over the kernel taps (shift and add: kH * kW products, not one)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding,) * 4)
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = 0
    for u in range(kH):
        for v in range(kW):
            tap = xp[:, :, u:u + (H_out - 1) * stride + 1:stride, v:v + (W_out - 1) * stride + 1:stride]
            out = out + torch.einsum("bchw,oc->bohw", tap, weight[:, :, u, v])
    return out if bias is None else out + bias[:, None, None]
''',
    "a loop over output rows (one product per row, not one in all)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    rows = [torch.einsum("bcwuv,ocuv->bow", win[:, :, i], weight) for i in range(win.shape[2])]
    out = torch.stack(rows, dim=2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "F.max_pool1d with return_indices along W, then H (another route to the pooling kernels)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    r = F.max_pool1d(x.reshape(B * C * H, 1, W), kernel, s, return_indices=True)[0]       # max within each row window
    W_out = r.shape[-1]
    r = r.reshape(B, C, H, W_out).transpose(2, 3).reshape(B * C * W_out, 1, H)
    r = F.max_pool1d(r, kernel, s, return_indices=True)[0]                                 # then over the rows
    return r.reshape(B, C, W_out, -1).transpose(2, 3)
''',
    "F.adaptive_max_pool1d over each flattened window (another route)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    win = x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2)          # [B, C, H_out, W_out, k*k]
    shape = win.shape[:-1]
    return F.adaptive_max_pool1d(win.reshape(-1, 1, kernel * kernel), 1).reshape(shape)
''',
    "only the windows that fit a k-stride reshape (stride ignored)": '''
def max_pool2d(x, kernel, stride=None):
    B, C, H, W = x.shape
    H_out, W_out = H // kernel, W // kernel
    t = x[:, :, :H_out * kernel, :W_out * kernel].reshape(B, C, H_out, kernel, W_out, kernel)
    return t.permute(0, 1, 2, 4, 3, 5).flatten(-2).max(-1).values
''',
})
WRONG.setdefault("conv_output_size", {}).update({
    "stride applied before subtracting the kernel": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding) // stride - dilation * (kernel - 1) // stride
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "the strides of ALL other layers multiplied (not only the earlier ones)": '''
import math

def receptive_field(layers):
    total = math.prod(s for _, s in layers)
    return 1 + sum((k - 1) * total // s for k, s in layers)
''',
})
WRONG.setdefault("answer_5_1", {}).update({
    "the ceil-mode pooling and the floor conv mixed up (112 -> 57)": '''
def answer_5_1():
    return (8, 64, 112 // 2 + 1, 112 // 2 + 1)
''',
})
RIGHT.setdefault("conv_output_size", {}).update({
    "int() of the true quotient (the numerator is never negative)": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return int((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
''',
})
RIGHT.setdefault("conv2d_loops", {}).update({
    "F.linear on each flattened window (the bias inside)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    w2 = weight.reshape(C_out, -1)
    cols = []
    for j in range(W_out):
        col = [F.linear(xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].reshape(x.shape[0], -1), w2, bias)
               for i in range(H_out)]
        cols.append(torch.stack(col, dim=-1))                  # [B, C_out, H_out]
    return torch.stack(cols, dim=-1)                           # [B, C_out, H_out, W_out]
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "F.unfold (im2col, not a pooling kernel) and max over the window axis": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    H_out, W_out = (H - kernel) // s + 1, (W - kernel) // s + 1
    cols = F.unfold(x.reshape(B * C, 1, H, W), kernel, stride=s)           # [B*C, k*k, L], window in row-major order
    return cols.max(dim=1).values.reshape(B, C, H_out, W_out)
''',
})
RIGHT.setdefault("answer_5_1", {}).update({
    "measured on the meta device (a torch.Size)": '''
def answer_5_1():
    x = torch.empty(8, 3, 224, 224, device="meta")
    h = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, device="meta")(x)
    return nn.MaxPool2d(kernel_size=3, stride=2, padding=1)(h).shape
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "topk(1) over the window (ties: not the first)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).topk(1, dim=-1).values[..., 0]
''',
    "kthvalue(k*k): the largest, the last of the tied": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).kthvalue(kernel * kernel, dim=-1).values
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "stable descending sort, first value (the first of the tied)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).sort(dim=-1, descending=True, stable=True).values[..., 0]
''',
})

# ---- red team, round 6 (rt6/rtd) ----
WRONG.setdefault("conv2d", {}).update({
    "a loop over the images of the batch (one product per image)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    B, _, H_out, W_out = win.shape[:4]
    w2 = weight.reshape(C_out, C_in * kH * kW).T
    outs = [(win[b].permute(1, 2, 0, 3, 4).reshape(H_out * W_out, -1) @ w2).T.reshape(C_out, H_out, W_out)
            for b in range(B)]
    out = torch.stack(outs) if outs else x.new_zeros(0, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "a loop over the filters (one product per output channel)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    cols = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = torch.stack([(cols @ weight[o].reshape(-1)).reshape(B, H_out, W_out) for o in range(C_out)], dim=1)
    return out if bias is None else out + bias[:, None, None]
''',
    "a loop over the input channels (products summed)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = win.shape[:4]
    out = 0
    for c in range(C_in):
        cols = win[:, c].reshape(B, H_out * W_out, kH * kW)
        out = out + cols @ weight[:, c].reshape(C_out, kH * kW).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "torch.ops.aten.im2col (F.unfold's kernel under its own name)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out, W_out = (H + 2 * padding - kH) // stride + 1, (W + 2 * padding - kW) // stride + 1
    cols = torch.ops.aten.im2col(x, [kH, kW], [1, 1], [padding, padding], [stride, stride])   # [B, C_in*kH*kW, L]
    out = (weight.reshape(C_out, -1) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "as_strided with contiguous strides, the padding skipped when p = 0": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding,) * 4) if padding else x
    B, _, Hp, Wp = xp.shape
    H_out, W_out = (Hp - kH) // stride + 1, (Wp - kW) // stride + 1
    win = xp.as_strided((B, H_out, W_out, C_in, kH, kW),
                        (C_in * Hp * Wp, stride * Wp, stride, Hp * Wp, Wp, 1))
    out = win.reshape(B, H_out * W_out, C_in * kH * kW) @ weight.reshape(C_out, -1).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "running max started from -inf on x's device (a window of -inf gets no gradient)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = x.new_full((x.shape[0], x.shape[1], H_out, W_out), float("-inf"))
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = torch.where(cand > best, cand, best)
    return best
''',
    "cummax over the window, its last value (ties: not the first)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).cummax(dim=-1).values[..., -1]
''',
    "windows flattened with reshape(..., -1) (an empty batch breaks)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    win = x.unfold(2, kernel, s).unfold(3, kernel, s)
    B, C, H_out, W_out = win.shape[:4]
    return win.reshape(B, C, H_out, W_out, -1).max(dim=-1).values
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "window sliced with the kernel's width for both sides (kW x kW)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kW, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "tensordot over (C_in, kH, kW) of the unfolded view": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    out = torch.tensordot(win, weight, dims=([1, 4, 5], [1, 2, 3])).permute(0, 3, 1, 2)   # a channels-last result
    return out if bias is None else out + bias[:, None, None]
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "as_strided windows from x's own strides": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    H_out, W_out = (H - kernel) // s + 1, (W - kernel) // s + 1
    sb, sc, sh, sw = x.stride()
    win = x.as_strided((B, C, H_out, W_out, kernel, kernel), (sb, sc, s * sh, s * sw, sh, sw), x.storage_offset())
    return win.reshape(B, C, H_out, W_out, kernel * kernel).max(dim=-1).values
''',
})
RIGHT.setdefault("conv_output_size", {}).update({
    "the number of window positions, divided by the stride and rounded up": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    positions = size + 2 * padding - dilation * (kernel - 1)       # where a window can start, stride 1
    return -(-positions // stride)
''',
})
RIGHT.setdefault("receptive_field", {}).update({
    "recursion on the first layer: r = k + s (r_rest - 1)": '''
def receptive_field(layers):
    if not layers:
        return 1
    (k, s), rest = layers[0], layers[1:]
    return k + s * (receptive_field(rest) - 1)
''',
})
WRONG.setdefault("conv2d", {}).update({
    "a loop over the kernel rows (one product per row of the kernel)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    B, _, H_out, W_out = win.shape[:4]
    out = 0
    for u in range(kH):
        cols = win[..., u, :].permute(0, 2, 3, 1, 4).reshape(B, H_out * W_out, C_in * kW)
        out = out + cols @ weight[:, :, u, :].reshape(C_out, C_in * kW).T
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "torch.vmap of a one-image im2col over the batch": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    w2 = weight.reshape(C_out, C_in * kH * kW)

    def one(img):                                            # [C_in, H, W] -> [C_out, H_out, W_out]
        win = F.pad(img, (padding,) * 4).unfold(1, kH, stride).unfold(2, kW, stride)   # [C_in, H_out, W_out, kH, kW]
        H_out, W_out = win.shape[1], win.shape[2]
        cols = win.permute(1, 2, 0, 3, 4).reshape(H_out * W_out, C_in * kH * kW)
        return (w2 @ cols.T).reshape(C_out, H_out, W_out)

    out = torch.vmap(one)(x)
    return out if bias is None else out + bias[:, None, None]
''',
})

# red team 7b, 2026-12-04
WRONG.setdefault("max_pool2d", {}).update({
    "unfolded windows reduced with F.adaptive_max_pool3d (a max-pooling kernel)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    windows = x.unfold(2, kernel, stride).unfold(3, kernel, stride)     # [B, C, H_out, W_out, k, k]
    B, C, H_out, W_out = windows.shape[:4]
    pooled = F.adaptive_max_pool3d(windows.reshape(B, C * H_out * W_out, 1, kernel, kernel), 1)
    return pooled.reshape(B, C, H_out, W_out)
''',
    "max_pool2d_with_indices' Python decomposition (torch._decomp)": '''
def max_pool2d(x, kernel, stride=None):
    import torch._decomp.decompositions as _decomp
    stride = kernel if stride is None else stride
    return _decomp.max_pool2d_with_indices(x, [kernel, kernel], [stride, stride], [0, 0], [1, 1], False)[0]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "im2col's Python decomposition (torch._decomp), F.unfold's twin": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    import torch._decomp.decompositions as _decomp
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    cols = _decomp.im2col(x, [kH, kW], [1, 1], [padding, padding], [stride, stride])   # [B, C_in*kH*kW, L]
    out = (weight.reshape(C_out, C_in * kH * kW) @ cols).reshape(B, C_out, H_out, W_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "bias added filter by filter in a Python loop": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    if bias is not None:
        out = out.clone()
        for o in range(C_out):
            out[:, o] += bias[o]
    return out
''',
    "a loop over the output columns (one product per column)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    rows = xp.unfold(2, kH, stride)                                   # [B, C_in, H_out, W + 2p, kH]
    B, _, H_out = rows.shape[:3]
    W_out = (xp.shape[-1] - kW) // stride + 1
    w2 = weight.reshape(C_out, C_in * kH * kW)
    cols = []
    for j in range(W_out):
        win = rows[:, :, :, j * stride:j * stride + kW, :]              # [B, C_in, H_out, kW, kH]
        win = win.permute(0, 2, 1, 4, 3).reshape(B, H_out, C_in * kH * kW)
        cols.append(win @ w2.T)                                        # [B, H_out, C_out]
    out = torch.stack(cols, dim=2).permute(0, 3, 1, 2)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "filters flattened with .view (a non-contiguous weight breaks)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    w2 = weight.view(C_out, C_in * kH * kW)
    out = x.new_zeros(x.shape[0], C_out, H_out, W_out)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            out[:, :, i, j] = window.flatten(1) @ w2.T
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "the whole layer through im2col's Python decomposition (torch._decomp)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    import torch._decomp.decompositions as _decomp
    C_out, C_in, kH, kW = weight.shape
    H_out = (x.shape[-2] + 2 * padding - kH) // stride + 1
    W_out = (x.shape[-1] + 2 * padding - kW) // stride + 1
    cols = _decomp.im2col(x, [kH, kW], [1, 1], [padding, padding], [stride, stride])
    out = (weight.reshape(C_out, -1) @ cols).reshape(x.shape[0], C_out, H_out, W_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
})
WRONG.setdefault("conv_param_count", {}).update({
    "bias counted unless it is None (bias=False still counted)": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    return out_channels * in_channels * kh * kw + (out_channels if bias is not None else 0)
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "F.linear on the patch matrix (the bias inside)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out, W_out, C_in * kH * kW)
    out = F.linear(cols, weight.reshape(C_out, C_in * kH * kW), bias)    # [B, H_out, W_out, C_out]
    return out.permute(0, 3, 1, 2)
''',
})
RIGHT.setdefault("conv2d_loops", {}).update({
    "output rows built with torch.cat of [B, C_out, 1, 1] pieces": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, [padding] * 4)
    H_out = (xp.shape[2] - kH) // stride + 1
    W_out = (xp.shape[3] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        pieces = []
        for j in range(W_out):
            win = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]   # [B, C_in, kH, kW]
            pieces.append(torch.einsum("bcuv,ocuv->bo", win, weight)[:, :, None, None])
        rows.append(torch.cat(pieces, dim=3))
    out = torch.cat(rows, dim=2)
    return out if bias is None else out + bias.reshape(-1, 1, 1)
''',
})
RIGHT.setdefault("receptive_field", {}).update({
    "functools.reduce over (field, jump) pairs": '''
import functools

def receptive_field(layers):
    r, _ = functools.reduce(lambda acc, layer: (acc[0] + (layer[0] - 1) * acc[1], acc[1] * layer[1]), layers, (1, 1))
    return r
''',
})
WARNED.setdefault("conv2d", []).append("im2col's Python decomposition (torch._decomp), F.unfold's twin")
WARNED.setdefault("conv2d_loops", []).append("the whole layer through im2col's Python decomposition (torch._decomp)")

# red team 7k, 2026-12-04
WRONG.setdefault("max_pool2d", {}).update({
    "F.fractional_max_pool2d on the cropped input (another max-pooling kernel)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    H_out, W_out = (H - kernel) // s + 1, (W - kernel) // s + 1
    x = x[:, :, :(H_out - 1) * s + kernel, :(W_out - 1) * s + kernel]     # windows then start every s pixels
    return F.fractional_max_pool2d(x, kernel, output_size=(H_out, W_out), _random_samples=x.new_zeros(B, C, 2))
''',
    "stable ascending sort, last value (the last of the tied)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).sort(dim=-1, stable=True).values[..., -1]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "each window flattened with reshape(B, -1) (an empty batch breaks)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    B = x.shape[0]
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    w2 = weight.reshape(C_out, C_in * kH * kW)
    out = x.new_zeros(B, C_out, H_out, W_out)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            out[:, :, i, j] = window.reshape(B, -1) @ w2.T
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "padding before stride in the signature (a positional call swaps them)": '''
def conv2d_loops(x, weight, bias=None, padding=0, stride=1):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            row.append((window[:, None] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "stride and padding keyword-only (F.conv2d's positional order refused)": '''
def conv2d(x, weight, bias=None, *, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "patch matrix stacked from one strided slice per kernel tap (a loop over the taps)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding,) * 4)
    B = x.shape[0]
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    taps = [xp[:, :, u:u + (H_out - 1) * stride + 1:stride, v:v + (W_out - 1) * stride + 1:stride]
            for u in range(kH) for v in range(kW)]                           # each [B, C_in, H_out, W_out]
    cols = torch.stack(taps, dim=2).reshape(B, C_in * kH * kW, H_out * W_out)  # (C_in, kH, kW) order
    out = (weight.reshape(C_out, C_in * kH * kW) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "F.pad(x, (p, p)): only the width padded": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    windows = F.pad(x, (padding, padding)).unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "stride-1 im2col, then every stride-th output row and column": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    windows = F.pad(x, (padding,) * 4).unfold(2, kH, 1).unfold(3, kW, 1)     # every window, step 1
    out = torch.einsum("bchwuv,ocuv->bohw", windows, weight)[:, :, ::stride, ::stride]
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)
''',
    "windows gathered by advanced indexing with index grids on x's device": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[2] - kH) // stride + 1
    W_out = (xp.shape[3] - kW) // stride + 1
    rows = (torch.arange(H_out, device=x.device) * stride)[:, None] + torch.arange(kH, device=x.device)   # [H_out, kH]
    cols = (torch.arange(W_out, device=x.device) * stride)[:, None] + torch.arange(kW, device=x.device)   # [W_out, kW]
    patches = xp[:, :, rows[:, None, :, None], cols[None, :, None, :]]        # [B, C_in, H_out, W_out, kH, kW]
    out = torch.einsum("bchwuv,ocuv->bohw", patches, weight)
    return out if bias is None else out + bias[:, None, None]
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "argmax of each window, then take_along_dim": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    win = x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2)           # [B, C, H_out, W_out, k*k]
    idx = win.argmax(dim=-1, keepdim=True)                                   # the first maximum
    return torch.take_along_dim(win, idx, dim=-1)[..., 0]
''',
})
RIGHT.setdefault("conv2d_loops", {}).update({
    "no padded copy: each window clipped to the image, the kernel clipped to match": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    B, C_in, H, W = x.shape
    C_out, _, kH, kW = weight.shape
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    rows = []
    for i in range(H_out):
        r0 = i * stride - padding                      # the window's top row in x (may be outside)
        a = max(r0, 0)
        b = max(min(r0 + kH, H), a)                     # a window wholly in the padding: empty
        row = []
        for j in range(W_out):
            c0 = j * stride - padding
            c = max(c0, 0)
            d = max(min(c0 + kW, W), c)
            win = x[:, :, a:b, c:d]                                              # the part inside the image
            w = weight[:, :, a - r0:b - r0, c - c0:d - c0]                       # the taps that meet it
            row.append(torch.einsum("bcuv,ocuv->bo", win, w))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WARNED.setdefault("conv2d", []).extend([
    "F.pad(x, (p, p)): only the width padded",
    "patch matrix stacked from one strided slice per kernel tap (a loop over the taps)",
    # the text forbids a Python loop over positions, images, channels, filters and the kernel's taps: the visible
    # part now checks the operation count on many images, channels and filters, and on a 16 x 16 kernel
    "a loop over the kernel taps (shift and add: kH * kW products, not one)",
    "a loop over output rows (one product per row, not one in all)",
    "a loop over the images of the batch (one product per image)",
    "a loop over the filters (one product per output channel)",
    "a loop over the input channels (products summed)",
    "a loop over the kernel rows (one product per row of the kernel)",
    "a loop over the output columns (one product per column)",
])
WARNED.setdefault("max_pool2d", []).append("stable ascending sort, last value (the last of the tied)")

# red team 7k: conv2d_loops is now also checked on an empty batch (as conv2d and max_pool2d are): two earlier RIGHT
# answers flattened each window with .reshape(B, -1), which cannot infer -1 from 0 elements. They move to WRONG; the
# same routes with .flatten(1) stay RIGHT.
for _name in ("padding by concatenating zeros, a matrix product per window",
              "F.linear on each flattened window (the bias inside)"):
    RIGHT["conv2d_loops"].pop(_name)
WRONG.setdefault("conv2d_loops", {}).update({
    "padding by concatenating zeros, windows flattened with reshape(B, -1) (an empty batch breaks)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    B, C_in, H, W = x.shape
    C_out, _, kH, kW = weight.shape
    if padding:
        zr = torch.zeros(B, C_in, padding, W, dtype=x.dtype, device=x.device)
        x = torch.cat([zr, x, zr], dim=2)
        zc = torch.zeros(B, C_in, H + 2 * padding, padding, dtype=x.dtype, device=x.device)
        x = torch.cat([zc, x, zc], dim=3)
    H_out, W_out = (x.shape[2] - kH) // stride + 1, (x.shape[3] - kW) // stride + 1
    w = weight.reshape(C_out, -1)
    rows = []
    for i in range(H_out):
        cols = [x[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].reshape(B, -1) @ w.T for j in range(W_out)]
        rows.append(torch.stack(cols, dim=2))
    out = torch.stack(rows, dim=2)
    return out if bias is None else out + bias[None, :, None, None]
''',
    "F.linear on each window flattened with reshape(B, -1) (an empty batch breaks)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    w2 = weight.reshape(C_out, -1)
    cols = []
    for j in range(W_out):
        col = [F.linear(xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].reshape(x.shape[0], -1), w2, bias)
               for i in range(H_out)]
        cols.append(torch.stack(col, dim=-1))                  # [B, C_out, H_out]
    return torch.stack(cols, dim=-1)                           # [B, C_out, H_out, W_out]
''',
})
RIGHT.setdefault("conv2d_loops", {}).update({
    "padding by concatenating zeros, a matrix product per window (flatten(1))": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    B, C_in, H, W = x.shape
    C_out, _, kH, kW = weight.shape
    if padding:
        zr = torch.zeros(B, C_in, padding, W, dtype=x.dtype, device=x.device)
        x = torch.cat([zr, x, zr], dim=2)
        zc = torch.zeros(B, C_in, H + 2 * padding, padding, dtype=x.dtype, device=x.device)
        x = torch.cat([zc, x, zc], dim=3)
    H_out, W_out = (x.shape[2] - kH) // stride + 1, (x.shape[3] - kW) // stride + 1
    w = weight.reshape(C_out, -1)
    rows = []
    for i in range(H_out):
        cols = [x[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].flatten(1) @ w.T for j in range(W_out)]
        rows.append(torch.stack(cols, dim=2))
    out = torch.stack(rows, dim=2)
    return out if bias is None else out + bias[None, :, None, None]
''',
    "F.linear on each flattened window (the bias inside, flatten(1))": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    w2 = weight.reshape(C_out, -1)
    cols = []
    for j in range(W_out):
        col = [F.linear(xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW].flatten(1), w2, bias)
               for i in range(H_out)]
        cols.append(torch.stack(col, dim=-1))                  # [B, C_out, H_out]
    return torch.stack(cols, dim=-1)                           # [B, C_out, H_out, W_out]
''',
})


# ---- red-team pass 9 (rt9) ----
WRONG.setdefault("conv2d", {}).update({
    "the batch in chunks of 16 images (a Python loop over the chunks, to bound the patch matrix's memory)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    wmat = weight.reshape(C_out, C_in * kH * kW).T
    outs = []
    for xb in F.pad(x, (padding, padding, padding, padding)).split(16):   # at most 16 images per product
        windows = xb.unfold(2, kH, stride).unfold(3, kW, stride)
        B, _, H_out, W_out = windows.shape[:4]
        cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
        outs.append((cols @ wmat).transpose(1, 2).reshape(B, C_out, H_out, W_out))
    out = torch.cat(outs) if outs else x.new_zeros(0, C_out, (x.shape[2] + 2 * padding - kH) // stride + 1,
                                                   (x.shape[3] + 2 * padding - kW) // stride + 1)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "the filters in groups of 16 (a Python loop over the groups)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    parts = [cols @ wg.reshape(wg.shape[0], C_in * kH * kW).T for wg in weight.split(16)]
    out = torch.cat(parts, dim=-1).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "output rows in blocks of 8 (a Python loop over row blocks)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)          # [B, C_in, H_out, W_out, kH, kW]
    B, _, H_out, W_out = windows.shape[:4]
    wmat = weight.reshape(C_out, C_in * kH * kW).T
    rows = []
    for r in range(0, H_out, 8):
        blk = windows[:, :, r:r + 8]
        n = blk.shape[2]
        cols = blk.permute(0, 2, 3, 1, 4, 5).reshape(B, n * W_out, C_in * kH * kW)
        rows.append((cols @ wmat).transpose(1, 2).reshape(B, C_out, n, W_out))
    out = torch.cat(rows, dim=2)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    "input channels in chunks of 16, the products summed (a Python loop over the chunks)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    out = 0
    for xc, wc in zip(xp.split(16, dim=1), weight.split(16, dim=1)):
        c = xc.shape[1]
        windows = xc.unfold(2, kH, stride).unfold(3, kW, stride)
        B, _, H_out, W_out = windows.shape[:4]
        cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, c * kH * kW)
        out = out + (cols @ wc.reshape(C_out, c * kH * kW).T)
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "bias added only `if bias:` (a tensor of several biases has no truth value)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            row.append((window[:, None] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    if bias:
        out = out + bias[:, None, None]
    return out
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "stride=None turned into the kernel for the rows only (columns step 1)": '''
def max_pool2d(x, kernel, stride=None):
    windows = x.unfold(2, kernel, stride or kernel).unfold(3, kernel, stride or 1)
    return windows.flatten(-2).max(dim=-1).values
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "closed form with each layer's own stride to the power of its index (all strides taken equal)": '''
def receptive_field(layers):
    return 1 + sum((k - 1) * s ** i for i, (k, s) in enumerate(layers))
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "no padded copy: windows clipped at the border but kept at full size by shifting them inward": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    H, W = x.shape[-2:]
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            r0 = min(max(i * stride - padding, 0), H - kH)      # keep the window inside the image
            c0 = min(max(j * stride - padding, 0), W - kW)
            window = x[:, :, r0:r0 + kH, c0:c0 + kW]
            row.append((window[:, None] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
})
RIGHT.setdefault("conv_param_count", {}).update({
    "bias as a 0/1 factor (out_channels * bias)": '''
def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
    return out_channels * (in_channels * kh * kw + int(bias))
''',
})
RIGHT.setdefault("answer_5_2", {}).update({
    "(in features + 1) times out features": '''
def answer_5_2():
    return (64 * 32 * 32 + 1) * (128 * 32 * 32)
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "the product as [B, H_out, W_out, C_out], returned through a permuted view (not contiguous)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out, W_out, C_in * kH * kW)
    out = cols @ weight.reshape(C_out, C_in * kH * kW).T                # [B, H_out, W_out, C_out]
    if bias is not None:
        out = out + bias
    return out.permute(0, 3, 1, 2)
''',
})
# the text says "no Python loop (not over positions, nor over the images, channels or filters)": the visible ops checks catch these
WARNED.setdefault("conv2d", []).extend([
    "the batch in chunks of 16 images (a Python loop over the chunks, to bound the patch matrix's memory)",
    "the filters in groups of 16 (a Python loop over the groups)",
    "output rows in blocks of 8 (a Python loop over row blocks)",
    "input channels in chunks of 16, the products summed (a Python loop over the chunks)",
])

# ---- red team, round 10 ----
WRONG.setdefault("conv2d", {}).update({
    "torch.set_grad_enabled(True) as a plain call (autograd left on after a call under no_grad)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    torch.set_grad_enabled(True)                      # make sure the gradients flow
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "as_strided windows with storage_offset=0 (x, unpadded when p = 0, read from its storage's start)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding)) if padding else x
    B, _, Hp, Wp = xp.shape
    H_out, W_out = (Hp - kH) // stride + 1, (Wp - kW) // stride + 1
    sb, sc, sh, sw = xp.stride()
    windows = xp.as_strided((B, H_out, W_out, C_in, kH, kW), (sb, sh * stride, sw * stride, sc, sh, sw), 0)
    cols = windows.reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "no graph unless x requires grad (a first layer's weights get no gradient)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    with torch.set_grad_enabled(torch.is_grad_enabled() and x.requires_grad):   # no graph for plain input images
        C_out, C_in, kH, kW = weight.shape
        xp = F.pad(x, (padding, padding, padding, padding))
        windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
        B, _, H_out, W_out = windows.shape[:4]
        cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
        out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
        return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "torch.set_grad_enabled(True) as a plain call (autograd left on after a call under no_grad)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    torch.set_grad_enabled(True)                      # make sure the gradients flow
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
    "no graph unless x requires grad (a first layer's weights get no gradient)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    with torch.set_grad_enabled(torch.is_grad_enabled() and x.requires_grad):   # no graph for plain input images
        kH, kW = weight.shape[-2:]
        xp = F.pad(x, (padding, padding, padding, padding))
        H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
        out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                        for j in range(W_out)], -1) for i in range(H_out)], -2)
        return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "as_strided windows with storage_offset=0 (a view of a larger map read from its storage's start)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    H_out, W_out = (H - kernel) // s + 1, (W - kernel) // s + 1
    sb, sc, sh, sw = x.stride()
    windows = x.as_strided((B, C, H_out, W_out, kernel, kernel), (sb, sc, sh * s, sw * s, sh, sw), 0)
    return windows.reshape(B, C, H_out, W_out, kernel * kernel).max(dim=-1).values
''',
    "torch.set_grad_enabled(x.requires_grad) as a plain call (autograd left off)": '''
def max_pool2d(x, kernel, stride=None):
    torch.set_grad_enabled(x.requires_grad)           # no graph when nothing needs a gradient
    s = kernel if stride is None else stride
    return x.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).max(dim=-1).values
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "1 x 1 layers skipped (their stride forgotten)": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        if kernel == 1:
            continue                      # a 1x1 layer sees nothing new
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
})
WRONG.setdefault("conv_output_size", {}).update({
    "dilated kernel taken as d * k - 1 pixels (right for d = 1 and 2)": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - (dilation * kernel - 1)) // stride + 1 if dilation > 1 else \\
        (size + 2 * padding - kernel) // stride + 1
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "channels-last im2col: windows and filters both flattened as (kH, kW, C_in)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)          # [B, C_in, H_out, W_out, kH, kW]
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 4, 5, 1).reshape(B, H_out * W_out, kH * kW * C_in)
    filters = weight.permute(0, 2, 3, 1).reshape(C_out, kH * kW * C_in)
    out = torch.matmul(cols, filters.mT).permute(0, 2, 1).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias.reshape(-1, 1, 1)
''',
})
RIGHT.setdefault("receptive_field", {}).update({
    "closed form with itertools.accumulate over the strides": '''
import itertools
import operator

def receptive_field(layers):
    jumps = itertools.accumulate((s for _, s in layers), operator.mul, initial=1)   # J_0, J_1, ...
    return 1 + sum((k - 1) * j for (k, _), j in zip(layers, jumps))
''',
})
RIGHT.setdefault("conv_output_size", {}).update({
    "divmod of the span by the stride": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    steps, _ = divmod(size + 2 * padding - dilation * (kernel - 1) - 1, stride)
    return steps + 1
''',
})

# red team 11, 2026-12-04
WRONG.setdefault("conv_output_size", {}).update({
    "padding before stride in the signature (a positional call swaps them)": '''
def conv_output_size(size, kernel, padding=0, stride=1, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "window starts from range(0, Hp - kH, stride): the last window dropped": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    rows = []
    for r in range(0, xp.shape[-2] - kH, stride):
        row = []
        for c in range(0, xp.shape[-1] - kW, stride):
            row.append((xp[:, None, :, r:r + kH, c:c + kW] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
    "rows stacked on the last dimension (the output transposed, [.., W_out, H_out])": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = [(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum(dim=(2, 3, 4))
               for j in range(W_out)]
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-1)
    return out if bias is None else out + bias[:, None, None]
''',
    "output size from the unpadded input plus p (padding counted once)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    H_out, W_out = (x.shape[-2] + padding - kH) // stride + 1, (x.shape[-1] + padding - kW) // stride + 1
    xp = F.pad(x, (padding, padding, padding, padding))
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight).sum((2, 3, 4))
                                    for j in range(W_out)], -1) for i in range(H_out)], -2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "padding applied to the output instead of the input": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    windows = x.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    out = F.pad(out, (padding, padding, padding, padding))
    return out if bias is None else out + bias[:, None, None]
''',
    "patch matrix reshaped without the permute ([B, C_in*kH*kW, L] read as rows per weight)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.reshape(B, C_in * kH * kW, H_out * W_out)
    out = (weight.reshape(C_out, C_in * kH * kW) @ cols).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    "bias added through one more None (bias[None, :, None]): lines up with H, not the channels": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[None, :, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "running maximum over the k*k offsets with torch.where(cand > best): a NaN after the window's first value is dropped": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = None
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = cand if best is None else torch.where(cand > best, cand, best)
    return best
''',
    "NaN replaced by -inf before the max (nan_to_num: a NaN window gives a number)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    clean = torch.nan_to_num(x, nan=float("-inf"), posinf=float("inf"), neginf=float("-inf"))
    return clean.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).max(dim=-1).values
''',
    "NaN masked to -inf before the max, as np.nanmax (a window holding a NaN gives a number)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    clean = x.masked_fill(torch.isnan(x), float("-inf"))             # ignore missing values
    return clean.unfold(2, kernel, s).unfold(3, kernel, s).flatten(-2).max(dim=-1).values
''',
    "torch.max_pool1d_with_indices along W, then along H (a max-pooling kernel reached directly)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    B, C, H, W = x.shape
    r = torch.max_pool1d_with_indices(x.reshape(B * C * H, 1, W), [kernel], [s], [0], [1], False)[0]
    W_out = r.shape[-1]
    r = r.reshape(B, C, H, W_out).transpose(2, 3).reshape(B * C * W_out, 1, H)
    r = torch.max_pool1d_with_indices(r, [kernel], [s], [0], [1], False)[0]
    return r.reshape(B, C, W_out, -1).transpose(2, 3)
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "(stride, kernel) unpacked the wrong way round": '''
def receptive_field(layers):
    r, jump = 1, 1
    for stride, kernel in layers:
        r += (kernel - 1) * jump
        jump *= stride
    return r
''',
    "each layer adds k * J - 1 (its window's span minus one input pixel)": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        r += kernel * jump - 1
        jump *= stride
    return r
''',
})
RIGHT.setdefault("max_pool2d", {}).update({
    "running maximum over the k*k offsets, NaN kept: torch.where((cand > best) | cand.isnan())": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = None
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = cand.clone() if best is None else torch.where((cand > best) | torch.isnan(cand), cand, best)
    return best
''',
    "the k*k strided offsets stacked, max over the stack": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    offsets = [x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
               for u in range(kernel) for v in range(kernel)]        # row-major order: the first offset wins ties
    return torch.stack(offsets).max(dim=0).values
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "the patch-matrix product in float64, cast back to x's dtype": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW).double()
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).double().T).to(x.dtype)
    out = out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})

# red team 13, 2026-12-05
WRONG.setdefault("conv_param_count", {}).update({
    "an int kernel wrapped as (kernel,) and multiplied out (k weights per channel pair, not k * k)": '''
import math

def conv_param_count(in_channels, out_channels, kernel, bias=True):
    kernel = (kernel,) if isinstance(kernel, int) else tuple(kernel)
    return out_channels * in_channels * math.prod(kernel) + (out_channels if bias else 0)
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    "window rows and columns sliced [i*s:(i+1)*s] (the stride taken as the window size)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            window = xp[:, :, i * stride:(i + 1) * stride, j * stride:(j + 1) * stride]
            row.append((window[:, None] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d", {}).update({
    "windows permuted (0, 2, 3, 1, 5, 4): the patch matrix's taps in (kW, kH) order, the filters' in (kH, kW)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 5, 4).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    "x.unfold(dim, stride, kernel): the window size and the step swapped": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    windows = x.unfold(2, stride, kernel).unfold(3, stride, kernel)
    return windows.flatten(-2).max(dim=-1).values
''',
})
WRONG.setdefault("receptive_field", {}).update({
    "each layer widens the field by (k - 1) * its own stride (no running product)": '''
def receptive_field(layers):
    return 1 + sum((kernel - 1) * stride for kernel, stride in layers)
''',
})
WRONG.setdefault("answer_5_2", {}).update({
    "the convolution's count times the 32 * 32 positions (weights counted per position)": '''
def answer_5_2():
    return (128 * 64 * 9 + 128) * 32 * 32
''',
})
RIGHT.setdefault("conv2d", {}).update({
    "bias added to the [B, L, C_out] product before moving the channels in front": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = cols @ weight.reshape(C_out, C_in * kH * kW).T                # [B, L, C_out]
    if bias is not None:
        out = out + bias                                                # broadcasts over the last dimension, C_out
    return out.transpose(1, 2).reshape(B, C_out, H_out, W_out)
''',
})
RIGHT.setdefault("conv_output_size", {}).update({
    "the dilated kernel's span first, then the positions it fits in": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    span = dilation * (kernel - 1) + 1                                  # pixels the dilated kernel covers
    return (size + 2 * padding - span) // stride + 1
''',
})

# red team 15 (reviewer D), 2026-12-05
WRONG.setdefault("max_pool2d", {}).update({
    # red team 15: the window's rows are reduced first, then its columns: on ties the gradient goes to the first
    # maximum in column-major order, not the first in row-major order as F.max_pool2d
    "max over each window's rows first, then over its columns (ties: first in column-major order)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    rows = x.unfold(2, kernel, stride).max(dim=-1).values          # [B, C, H_out, W]: max over the k rows of each window
    return rows.unfold(3, kernel, stride).max(dim=-1).values       # [B, C, H_out, W_out]: then over the k columns
''',
    # red team 15: the input is cast to float32 to take the maximum: a float64 input comes back as float32, and
    # values below float32's range become -inf
    "windows maxed in float32 (x.float()), the result cast back to x's dtype": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    windows = x.float().unfold(2, kernel, stride).unfold(3, kernel, stride)
    return windows.flatten(-2).max(dim=-1).values.to(x.dtype)
''',
})
WRONG.setdefault("conv2d", {}).update({
    # red team 15: TF32 switched on for speed as a plain assignment: a global switch (torch's float32 matmul
    # precision) left changed for the rest of the notebook
    "torch.backends.cuda.matmul.allow_tf32 = True for a faster product (a global switch left on)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    torch.backends.cuda.matmul.allow_tf32 = True          # faster matrix products on a GPU
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    # red team 15: "gradients must flow" done by switching requires_grad on for the caller's x: the caller's image
    # tensor now records graphs (and matplotlib refuses it)
    "x.requires_grad_() to make sure the gradient flows (the caller's tensor changed)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    if not x.requires_grad and x.is_floating_point():
        x.requires_grad_()
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    # red team 15: each output position accumulated tap by tap, in place, into a buffer made with torch.zeros
    # without dtype (float32): a float64 input loses its precision
    "taps accumulated in place into a float32 buffer (torch.zeros without dtype)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            acc = torch.zeros(x.shape[0], C_out, device=x.device)
            acc += (window[:, None] * weight).sum(dim=(2, 3, 4))
            row.append(acc)
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2).to(x.dtype)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("receptive_field", {}).update({
    # red team 15: a stride larger than the kernel "leaves holes", so the jump is capped at the kernel: the field
    # is the extent of what one output pixel sees, holes included
    "the jump multiplied by min(stride, kernel) (a stride past the kernel capped)": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        r += (kernel - 1) * jump
        jump *= min(stride, kernel)
    return r
''',
})
WRONG.setdefault("conv_output_size", {}).update({
    # red team 15: dilation spreads the taps, but the student subtracts dilation * k (not dilation * (k - 1) + 1)
    # and adds dilation back: right for dilation 1 only
    "the dilated span taken as dilation * k - dilation + 1, written as dilation * (k - 1) + dilation": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel - 1) - dilation) // stride + 1
''',
})
RIGHT.setdefault("conv2d_loops", {}).update({
    # red team 15: written as a wrong answer (the p:-p slice is empty when p = 0), but p = 0 is handled by its own
    # branch: a correct padded copy
    "padded copy written through xp[..., p:-p, p:-p], p = 0 on its own branch": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    xp = x.new_zeros(B, C_in, H + 2 * padding, W + 2 * padding)
    if padding:
        xp[:, :, padding:-padding, padding:-padding] = x
    else:
        xp = xp + x
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight)
                                    .sum(dim=(2, 3, 4)) for j in range(W_out)], dim=-1) for i in range(H_out)], dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})
# red team 15, written after the first measurement: a special case for 1x1 kernels (ResNet's projection shortcut)
WRONG.setdefault("conv2d", {}).update({
    # red team 15: a 1x1 convolution special-cased as a matrix product over the channels, and the stride and the
    # padding forgotten there (ResNet's 1x1 projection has stride 2)
    "1x1 kernels special-cased as a channel product (stride and padding forgotten there)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    if kH == kW == 1:                                   # a 1x1 convolution is a matrix product over the channels
        out = torch.einsum("bchw,oc->bohw", x, weight[:, :, 0, 0])
        return out if bias is None else out + bias[:, None, None]
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    # red team 15: a 1x1 kernel special-cased as a loop over the input pixels (no window to slide), and the stride
    # and the padding forgotten there
    "1x1 kernels special-cased as a loop over the input pixels (stride and padding forgotten there)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    if kH == kW == 1:                                   # a 1x1 convolution: every pixel on its own
        out = torch.stack([torch.stack([(x[:, None, :, i, j] * weight[:, :, 0, 0]).sum(-1) for j in range(x.shape[-1])],
                                       dim=-1) for i in range(x.shape[-2])], dim=-2)
        return out if bias is None else out + bias[:, None, None]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight)
                                    .sum(dim=(2, 3, 4)) for j in range(W_out)], dim=-1) for i in range(H_out)], dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})

# red team 17 (reviewer D), 2026-12-05
WRONG.setdefault("max_pool2d", {}).update({
    # red team 17: the parameter named kernel_size, as in F.max_pool2d and nn.MaxPool2d: the exercise's signature is
    # max_pool2d(x, kernel, stride=None), and a call max_pool2d(x, kernel=2) fails
    "the kernel parameter renamed kernel_size (F.max_pool2d's name)": '''
def max_pool2d(x, kernel_size, stride=None):
    stride = kernel_size if stride is None else stride
    windows = x.unfold(2, kernel_size, stride).unfold(3, kernel_size, stride)
    return windows.flatten(-2).max(dim=-1).values
''',
    # red team 17: a 1x1 window's maximum is the pixel itself, so kernel 1 is special-cased as strided slicing: the
    # result is a view of x (x's own memory: writing into the pooled map changes the input), not a new tensor
    "kernel 1 special-cased as x[:, :, ::s, ::s] (a view of x, not a new tensor)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    if kernel == 1:                                   # the maximum of one value is that value: just subsample
        return x[:, :, ::stride, ::stride]
    windows = x.unfold(2, kernel, stride).unfold(3, kernel, stride)
    return windows.flatten(-2).max(dim=-1).values
''',
})
WRONG.setdefault("conv2d", {}).update({
    # red team 17: no padded copy: the windows are gathered with row and column indices clamped into the image and
    # multiplied by a 0/1 mask of the taps that fall inside it; an inf on the border times 0 is nan, where the zero
    # padding of F.conv2d gives inf
    "windows gathered with clamped indices, padding as a 0/1 mask multiplied in (inf * 0 = nan on the border)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    r = (torch.arange(H_out, device=x.device) * stride - padding)[:, None] + torch.arange(kH, device=x.device)
    c = (torch.arange(W_out, device=x.device) * stride - padding)[:, None] + torch.arange(kW, device=x.device)
    inside = ((r >= 0) & (r < H))[:, None, :, None] & ((c >= 0) & (c < W))[None, :, None, :]
    windows = x[:, :, r.clamp(0, H - 1)[:, None, :, None], c.clamp(0, W - 1)[None, :, None, :]] * inside
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
    # red team 17: the layer as one doubly block Toeplitz matrix (every output pixel against every padded input pixel,
    # zero where it is not a tap): one product, exact on finite inputs, but an inf anywhere in an image meets the
    # matrix's zeros and makes every output of that image nan
    "the layer as one doubly block Toeplitz matrix (an inf anywhere makes the whole image's output nan)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    Hp, Wp = xp.shape[-2:]
    H_out, W_out = (Hp - kH) // stride + 1, (Wp - kW) // stride + 1
    sel_h = (torch.arange(Hp, device=x.device) == (torch.arange(H_out, device=x.device)[:, None, None] * stride
                                                     + torch.arange(kH, device=x.device)[:, None])).to(x.dtype)
    sel_w = (torch.arange(Wp, device=x.device) == (torch.arange(W_out, device=x.device)[:, None, None] * stride
                                                     + torch.arange(kW, device=x.device)[:, None])).to(x.dtype)
    T = torch.einsum("ocuv,iuy,jvz->oijcyz", weight, sel_h, sel_w).reshape(C_out * H_out * W_out, C_in * Hp * Wp)
    out = (xp.reshape(xp.shape[0], C_in * Hp * Wp) @ T.T).reshape(xp.shape[0], C_out, H_out, W_out)
    return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    # red team 17: no padded copy: each window read through indices clamped into the image and multiplied by a 0/1
    # mask of the taps inside it; an inf on the border times 0 is nan, where zero padding gives inf
    "each window read through clamped indices, times a 0/1 mask of the taps inside the image (inf * 0 = nan)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    B, _, H, W = x.shape
    H_out = (H + 2 * padding - kH) // stride + 1
    W_out = (W + 2 * padding - kW) // stride + 1
    rows = []
    for i in range(H_out):
        row = []
        for j in range(W_out):
            r = torch.arange(kH, device=x.device) + i * stride - padding
            c = torch.arange(kW, device=x.device) + j * stride - padding
            inside = ((r >= 0) & (r < H))[:, None] & ((c >= 0) & (c < W))[None, :]
            window = x[:, :, r.clamp(0, H - 1)][:, :, :, c.clamp(0, W - 1)] * inside
            row.append((window[:, None] * weight).sum(dim=(2, 3, 4)))
        rows.append(torch.stack(row, dim=-1))
    out = torch.stack(rows, dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
    # red team 17: one thread "because a Python loop of tiny operations is faster without thread start-up" (the
    # timing cell's own trick), set as a plain call inside the function: every later cell of the notebook runs on
    # one CPU thread
    "torch.set_num_threads(1) inside the function (a global setting left changed)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    torch.set_num_threads(1)                          # tiny operations in a loop: one thread is faster
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight)
                                    .sum(dim=(2, 3, 4)) for j in range(W_out)], dim=-1) for i in range(H_out)], dim=-2)
    return out if bias is None else out + bias[:, None, None]
''',
})

# red team 17: the running maximum of red team 11 started from the first offset's slice itself; with a 1x1 window
# there is no second offset, so it returned that slice, a view of x. The docstring now says "a new tensor (not a view
# of x)": the RIGHT variant above starts from a copy (cand.clone()), and the original is a wrong answer
WRONG.setdefault("max_pool2d", {}).update({
    # red team 17: a running maximum started from the first offset's strided slice of x: for kernel 1 the result is
    # that slice, a view of x (writing into the pooled map changes the input)
    "running maximum started from the first offset's slice (kernel 1 returns a view of x)": '''
def max_pool2d(x, kernel, stride=None):
    s = kernel if stride is None else stride
    H_out, W_out = (x.shape[2] - kernel) // s + 1, (x.shape[3] - kernel) // s + 1
    best = None
    for u in range(kernel):
        for v in range(kernel):
            cand = x[:, :, u:u + (H_out - 1) * s + 1:s, v:v + (W_out - 1) * s + 1:s]
            best = cand if best is None else torch.where((cand > best) | torch.isnan(cand), cand, best)
    return best
''',
})
# red team 17: checked() now watches torch's thread count, but check and grading run the student's kernel on one
# thread (OMP_NUM_THREADS=1), where set_num_threads(1) changes nothing; a student's kernel in the Lab, with more
# threads, gets the thread count changed. Reported, not kept.
WRONG["conv2d_loops"].pop("torch.set_num_threads(1) inside the function (a global setting left changed)")

# ---- red team 18 (reviewer D), 2026-12-05 ----
WRONG.setdefault("conv2d", {}).update({
    # red team 18: exercise 2.1's broadcasting (window[:, None] against weight, then sum) applied to every window at
    # once: vectorised, but no matrix product; the broadcast product is C_out times the size of the patch matrix
    "every window against every filter by broadcasting, then summed (no matrix product)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)   # [B, C_in, H_out, W_out, kH, kW]
    out = (win[:, None] * weight[None, :, :, None, None]).sum(dim=(2, 5, 6))    # [B, C_out, H_out, W_out]
    return out if bias is None else out + bias[:, None, None]
''',
    # red team 18: autograd switched off when the filters are fixed ("a hand-made kernel needs no gradient"): the
    # input then gets no gradient either (section 4 backpropagates to x through all-ones kernels)
    "no graph when the weight needs no gradient (fixed filters: x gets no gradient)": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    C_out, C_in, kH, kW = weight.shape
    with torch.set_grad_enabled(torch.is_grad_enabled() and weight.requires_grad):
        win = F.pad(x, (padding,) * 4).unfold(2, kH, stride).unfold(3, kW, stride)
        B, _, H_out, W_out = win.shape[:4]
        cols = win.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
        out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
        return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    # red team 18: the graph recorded only when a parameter of the layer (weight or bias) needs a gradient ("gradients
    # are for learning the filters"): fixed filters leave the input without a gradient
    "graph only when the weight or the bias needs a gradient (fixed filters: x gets no gradient)": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    learn = weight.requires_grad or (bias is not None and bias.requires_grad)
    with torch.set_grad_enabled(torch.is_grad_enabled() and learn):
        kH, kW = weight.shape[-2:]
        xp = F.pad(x, (padding, padding, padding, padding))
        H_out, W_out = (xp.shape[-2] - kH) // stride + 1, (xp.shape[-1] - kW) // stride + 1
        out = torch.stack([torch.stack([(xp[:, None, :, i * stride:i * stride + kH, j * stride:j * stride + kW] * weight)
                                        .sum((2, 3, 4)) for j in range(W_out)], -1) for i in range(H_out)], -2)
        return out if bias is None else out + bias[:, None, None]
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    # red team 18: NaN masked to -inf for the maximum (nanmax), then NaN put back with torch.where where a window held
    # one: the values are F.max_pool2d's, but a NaN window's gradient reaches no input (F.max_pool2d sends it to the NaN)
    "NaN masked to -inf, the maximum taken, NaN put back by torch.where (a NaN window's gradient reaches no input)": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    win = x.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2)
    has_nan = win.isnan().any(-1)
    best = win.masked_fill(win.isnan(), float("-inf")).max(-1).values
    return torch.where(has_nan, torch.full_like(best, float("nan")), best)
''',
    # red team 18: the maximum of each window through logsumexp with a very large temperature ("a smooth max"): ties
    # split the gradient, and the value is off by log(number of tied maxima) / temperature
    "a smooth maximum, logsumexp(t * window) / t with t = 1e6": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    win = x.unfold(2, kernel, stride).unfold(3, kernel, stride).flatten(-2)
    return torch.logsumexp(win * 1e6, dim=-1) / 1e6
''',
})
WRONG.setdefault("receptive_field", {}).update({
    # red team 18: a strided layer's window taken to span its stride too (k + s - 1 pixels: the windows of
    # the next output pixel counted as well)
    "each layer adds (k + s - 2) * J (a strided window counted as k + s - 1 pixels)": '''
def receptive_field(layers):
    r, jump = 1, 1
    for kernel, stride in layers:
        r += (kernel + stride - 2) * jump
        jump *= stride
    return r
''',
})


# ---- red team 20 (reviewer D), 2026-12-05 ----
WRONG.setdefault("conv_output_size", {}).update({
    # red team 20: the floor taken with torch on the true quotient: torch.tensor of a Python float is float32, exact
    # only below 2**24 (a 1-D signal of 20 million samples gets a wrong length)
    "the quotient floored in a float32 torch tensor": '''
def conv_output_size(size, kernel, stride=1, padding=0, dilation=1):
    return int(torch.floor(torch.tensor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride))) + 1
''',
})
WRONG.setdefault("receptive_field", {}).update({
    # red team 20: the formula vectorised with torch (cumprod of the strides), in float32 by default: exact only while
    # the field stays below 2**24 pixels
    "the closed form vectorised with torch.cumprod in float32": '''
def receptive_field(layers):
    if not layers:
        return 1
    kernels = torch.tensor([float(k) for k, _ in layers])
    strides = torch.tensor([float(s) for _, s in layers])
    jumps = torch.cumprod(torch.cat([torch.ones(1), strides[:-1]]), dim=0)     # prod_{j<l} s_j
    return int(1 + ((kernels - 1) * jumps).sum())
''',
})
WRONG.setdefault("conv2d", {}).update({
    # red team 20: half-precision inputs multiplied in float32 "for accuracy", and the float32 result returned: not in
    # x's dtype (the docstring: float in, the same dtype out)
    "float16 / bfloat16 inputs multiplied in float32, the float32 result returned": '''
def conv2d(x, weight, bias=None, stride=1, padding=0):
    if x.dtype in (torch.float16, torch.bfloat16):           # half products lose precision: multiply in float32
        x, weight = x.float(), weight.float()
        bias = None if bias is None else bias.float()
    C_out, C_in, kH, kW = weight.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ weight.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    if bias is not None:
        out = out + bias[:, None, None]
    return out
''',
    # red team 20: the parameters renamed to short names (x, w, b): right by position, but conv2d(x, weight=w) and
    # conv2d(x, w, bias=b), F.conv2d's keywords, fail
    "parameters renamed (x, w, b=None, ...): the keywords weight= and bias= refused": '''
def conv2d(x, w, b=None, stride=1, padding=0):
    C_out, C_in, kH, kW = w.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    windows = xp.unfold(2, kH, stride).unfold(3, kW, stride)
    B, _, H_out, W_out = windows.shape[:4]
    cols = windows.permute(0, 2, 3, 1, 4, 5).reshape(B, H_out * W_out, C_in * kH * kW)
    out = (cols @ w.reshape(C_out, C_in * kH * kW).T).transpose(1, 2).reshape(B, C_out, H_out, W_out)
    if b is not None:
        out = out + b[:, None, None]
    return out
''',
})
WRONG.setdefault("conv2d_loops", {}).update({
    # red team 20: the sums accumulated in at least float32 (promote_types) "for accuracy": a float16 or bfloat16 x
    # gets a float32 result, not x's dtype
    "sums accumulated in promote_types(x.dtype, float32): a half x gets a float32 result": '''
def conv2d_loops(x, weight, bias=None, stride=1, padding=0):
    acc = torch.promote_types(x.dtype, torch.float32)        # accumulate in at least float32
    kH, kW = weight.shape[-2:]
    xp = F.pad(x, (padding, padding, padding, padding))
    H_out = (xp.shape[-2] - kH) // stride + 1
    W_out = (xp.shape[-1] - kW) // stride + 1
    out = torch.zeros(x.shape[0], weight.shape[0], H_out, W_out, dtype=acc, device=x.device)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kH, j * stride:j * stride + kW]
            out[:, :, i, j] = (window[:, None].to(acc) * weight.to(acc)).sum(dim=(2, 3, 4))
    if bias is not None:
        out = out + bias[:, None, None].to(acc)
    return out
''',
})
WRONG.setdefault("max_pool2d", {}).update({
    # red team 20: half-precision windows compared in float32 (exact), but the float32 maximum returned: not in x's dtype
    "float16 / bfloat16 windows compared in float32, the float32 maximum returned": '''
def max_pool2d(x, kernel, stride=None):
    stride = kernel if stride is None else stride
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()                                      # compare in float32 (exact for half values)
    windows = x.unfold(2, kernel, stride).unfold(3, kernel, stride)
    return windows.flatten(-2).max(dim=-1).values
''',
})
