"""Answer variants for 02-cnn-architectures.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: surviving mutants reviewed as equivalent to the solution, with the reason.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

_BLOCK_INIT = '''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))
'''


def _block(init=_BLOCK_INIT, forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
'''):
    return f'''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
{init.strip(chr(10))}

    def forward(self, x):
{forward.strip(chr(10))}
'''


_RESNET_FORWARD = '''
    def forward(self, x):
        return self.fc(self.stages(self.stem(x)).mean(dim=(2, 3)))
'''


def _resnet(init, forward=_RESNET_FORWARD):
    return f'''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
{init.strip(chr(10))}
{forward.rstrip()}
'''


_STEM = '''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
'''

# Shared first lines of many variants (each variant is that header + its own methods).
_LENET_INIT = '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)
'''


WRONG = {
    "shift_images": {
        "torch.roll (wraps around)": '''
def shift_images(x, dx, dy):
    return torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
''',
        "dx and dy swapped (dx moves the rows)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-H, min(H, dx)), max(-W, min(W, dy))
    out = torch.zeros_like(x)
    out[..., max(dx, 0):H + min(dx, 0), max(dy, 0):W + min(dy, 0)] = \\
        x[..., max(-dx, 0):H + min(-dx, 0), max(-dy, 0):W + min(-dy, 0)]
    return out
''',
        "direction reversed (dx > 0 moves left)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, -dx)), max(-H, min(H, -dy))
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "roll, then zero the wrapped border, but only for positive shifts": '''
def shift_images(x, dx, dy):
    out = torch.roll(x, shifts=(dy, dx), dims=(-2, -1)).clone()
    out[..., :max(dy, 0), :] = 0
    out[..., :, :max(dx, 0)] = 0
    return out
''',
        "no clamp: a shift larger than the image breaks the slices": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "shifts x in place and returns it": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    moved = x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)].clone()
    x.zero_()
    x[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = moved
    return x
''',
        "made on the CPU in float32 (torch.zeros(x.shape))": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = torch.zeros(x.shape)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
# red team 2026-12-03
        "H and W read swapped (right on square images)": '''
def shift_images(x, dx, dy):
    W, H = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "dy clamped with W (right on square images)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-W, min(W, dy))
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "F.pad with a negative (cropping) side, no clamp": '''
def shift_images(x, dx, dy):
    return F.pad(x, (dx, -dx, dy, -dy))
''',
        "gradient cut (copies x.detach())": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x.detach()[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "assumes a 4-D [B, C, H, W] input": '''
def shift_images(x, dx, dy):
    B, C, H, W = x.shape
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = torch.zeros_like(x)
    out[:, :, max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[:, :, max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
        "zeros with x's dtype but on the CPU": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = torch.zeros(x.shape, dtype=x.dtype)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
    },
    "lenet": {
        "flattened feature map instead of the global average pool (the original LeNet)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 6 * 6, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).flatten(1))
''',
        "global max pool instead of average": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).amax(dim=(2, 3)))
''',
        "pooling before the ReLU and no ReLU after conv3": _LENET_INIT + '''
    def forward(self, x):
        h = F.relu(F.max_pool2d(self.conv1(x), 2))
        h = F.relu(F.max_pool2d(self.conv2(h), 2))
        return self.fc(self.conv3(h).mean(dim=(2, 3)))
''',
        "no padding (the maps shrink)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5)
        self.conv2 = nn.Conv2d(16, 32, 5)
        self.conv3 = nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
        "average pooling between the convolutions": _LENET_INIT + '''
    def forward(self, x):
        h = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        h = F.avg_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
        "in_channels ignored (always 1)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
# red team 2026-12-03
        'fc weight read through .data (the classifier never learns)': _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return F.linear(F.relu(self.conv3(h)).mean(dim=(2, 3)), self.fc.weight.data, self.fc.bias)
''',
        'ceil_mode pooling (odd sizes round up)': _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2, ceil_mode=True)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2, ceil_mode=True)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
        'squeeze() after the global pool (breaks for a batch of one)': _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.adaptive_avg_pool2d(F.relu(self.conv3(h)), 1).squeeze())
''',
        'global pool as avg_pool2d with kernel W (square images only)': _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(F.avg_pool2d(h, h.shape[-1]).flatten(1))
''',
        'conv3 with padding 2 (the map grows)': '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=2)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
        'dropout before the classifier': _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.dropout(F.relu(self.conv3(h)).mean(dim=(2, 3)), 0.5))
''',
    },
    "answer_1_3": {
        "a: fewer parameters": 'def answer_1_3():\n    return "a"\n',
        "c: max pooling alone": 'def answer_1_3():\n    return "c"\n',
        "d: learned from the training set": 'def answer_1_3():\n    return "d"\n',
# red team 2026-12-03
        "letter with a parenthesis": 'def answer_1_3():\n    return "b)"\n',
        "the option's index": 'def answer_1_3():\n    return 1\n',
        "a list holding the letter": 'def answer_1_3():\n    return ["b"]\n',
    },
    "basic_block": {
        "ReLU before the sum": _block(forward='''
        out = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
        return out + (x if self.downsample is None else self.downsample(x))
'''),
        "convolutions with a bias": _block(init='''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride),
                                            nn.BatchNorm2d(out_channels))
'''),
        "projection shortcut only when the stride changes": _block(init=_BLOCK_INIT.replace(
            "if stride != 1 or in_channels != out_channels:", "if stride != 1:")),
        "projection shortcut only when the width changes": _block(init=_BLOCK_INIT.replace(
            "if stride != 1 or in_channels != out_channels:", "if in_channels != out_channels:")),
        "projection shortcut only when both change (and)": _block(init=_BLOCK_INIT.replace(
            "if stride != 1 or in_channels != out_channels:", "if stride != 1 and in_channels != out_channels:")),
        "stride on conv2 instead of conv1": _block(init='''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))
'''),
        "no final ReLU": _block(forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return out + (x if self.downsample is None else self.downsample(x))
'''),
        "projection without batch norm": _block(init='''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False))
'''),
        "ReLU between bn2 and the sum as well as after it": _block(forward='''
        out = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
'''),
        "second ReLU missing inside the branch": _block(forward='''
        out = self.bn2(self.conv2(self.bn1(self.conv1(x))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
'''),
        "torchvision's BasicBlock inside (off limits)": '''
import torchvision

class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        down = None
        if stride != 1 or in_channels != out_channels:
            down = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                 nn.BatchNorm2d(out_channels))
        inner = torchvision.models.resnet.BasicBlock(in_channels, out_channels, stride, down)
        self.conv1, self.bn1, self.conv2, self.bn2, self.downsample = inner.conv1, inner.bn1, inner.conv2, inner.bn2, down
        self._forward = torchvision.models.resnet.BasicBlock.forward

    def forward(self, x):
        return self._forward(self, x)
''',
# red team 2026-12-03
        "bn2 zero-initialised (torchvision's zero_init_residual)": _block(init=_BLOCK_INIT + '''
        nn.init.zeros_(self.bn2.weight)
'''),
        "batch norm momentum 0.01 (Keras' 0.99)": _block(init=_BLOCK_INIT.replace("nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, momentum=0.01)")),
        "batch norm eps 1e-3 (Keras' default)": _block(init=_BLOCK_INIT.replace("nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, eps=1e-3)")),
        "adds the residual into x in place": _block(forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample(x)
        shortcut += out
        return F.relu(shortcut)
'''),
        "bn1 used after both convolutions": _block(forward='''
        out = self.bn1(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
'''),
        "projection by average pooling then a stride-1 1x1 conv (ResNet-D)": _block(init=_BLOCK_INIT.replace(
            "nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)", "nn.Conv2d(in_channels, out_channels, 1, bias=False)"),
            forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.downsample is None:
            return F.relu(out + x)
        pooled = F.avg_pool2d(x, self.conv1.stride, ceil_mode=True) if self.conv1.stride[0] > 1 else x
        return F.relu(out + self.downsample(pooled))
'''),
    },
    "answer_2_2": {
        "batch norm forgotten": "def answer_2_2():\n    return 9 * 64 * 128 + 9 * 128 * 128 + 64 * 128\n",
        "projection shortcut forgotten": "def answer_2_2():\n    return 9 * 64 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128\n",
        "running statistics counted too": "def answer_2_2():\n    return 9 * 64 * 128 + 4 * 128 + 9 * 128 * 128 + 4 * 128 + 64 * 128 + 4 * 128\n",
        "both convolutions 64 -> 128": "def answer_2_2():\n    return 2 * 9 * 64 * 128 + 3 * 2 * 128 + 64 * 128\n",
# red team 2026-12-03
        "convolution biases counted": "def answer_2_2():\n    return 9 * 64 * 128 + 3 * 128 + 9 * 128 * 128 + 3 * 128 + 64 * 128 + 3 * 128\n",
        "projection counted as a 3x3 convolution": "def answer_2_2():\n    return 9 * 64 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128 + 9 * 64 * 128 + 2 * 128\n",
        "one parameter per channel for batch norm": "def answer_2_2():\n    return 9 * 64 * 128 + 128 + 9 * 128 * 128 + 128 + 64 * 128 + 128\n",
        "as a float": "def answer_2_2():\n    return 230144.0\n",
    },
    "answer_2_3": {
        "H / 2 rounded down": "def answer_2_3():\n    return (8, 32, 7, 7)\n",
        "the stride forgotten": "def answer_2_3():\n    return (8, 32, 15, 15)\n",
        "channels unchanged": "def answer_2_3():\n    return (8, 16, 8, 8)\n",
# red team 2026-12-03
        "stride applied in both convolutions": "def answer_2_3():\n    return (8, 32, 4, 4)\n",
        "channels last": "def answer_2_3():\n    return (8, 8, 8, 32)\n",
        "batch dimension left out": "def answer_2_3():\n    return (32, 8, 8)\n",
        "as a list": "def answer_2_3():\n    return [8, 32, 8, 8]\n",
    },
    "small_resnet": {
        "torchvision's BasicBlock inside (off limits)": _resnet(_STEM + '''
        import torchvision
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                s = 2 if i > 0 and j == 0 else 1
                down = nn.Sequential(nn.Conv2d(c, w, 1, stride=s, bias=False), nn.BatchNorm2d(w)) if s != 1 or c != w else None
                blocks.append(torchvision.models.resnet.BasicBlock(c, w, stride=s, downsample=down))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "the first stage halves the resolution too": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = [BasicBlock(c, w, stride=2)] + [BasicBlock(w, w) for _ in range(blocks_per_stage - 1)]
            c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "stride 2 in every block of a stage": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "every block takes widths[i - 1] channels (wrong after the first block)": _resnet(_STEM + '''
        stages = []
        for i, w in enumerate(widths):
            c = widths[max(i - 1, 0)]
            stages.append(nn.Sequential(*[BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "stem without ReLU": _resnet('''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]))
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "global max pool": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        return self.fc(self.stages(self.stem(x)).amax(dim=(2, 3)))
'''),
        "blocks_per_stage ignored (one block per stage)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(BasicBlock(c, w, stride=2 if i > 0 else 1)))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
# red team 2026-12-03
        "stride 2 in the last block of a stage instead of the first": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == blocks_per_stage - 1 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "max pool after the stem (ImageNet stem)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        return self.fc(self.stages(F.max_pool2d(self.stem(x), 3, stride=2, padding=1)).mean(dim=(2, 3)))
'''),
        "every block's bn2 zero-initialised (zero_init_residual)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
        for m in self.modules():
            if isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)
'''),
        "stem batch norm with TensorFlow's momentum 0.9": _resnet('''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0], momentum=0.9), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "stem convolution with stride 2": _resnet('''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, stride=2, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
        "dropout before the classifier": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
        self.drop = nn.Dropout(0.3)
''', forward='''
    def forward(self, x):
        return self.fc(self.drop(self.stages(self.stem(x)).mean(dim=(2, 3))))
'''),
    },
}

RIGHT = {
    "shift_images": {
        "pad with zeros, then crop": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    padded = F.pad(x, (W, W, H, H))
    return padded[..., H - dy:2 * H - dy, W - dx:2 * W - dx].clone()
''',
    },
    "lenet": {
        "nn.Sequential features and adaptive average pool": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, kernel_size=5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.relu(self.conv3(x))
        return self.fc(torch.flatten(self.gap(x), 1))
''',
        "ReLU after the pooling (max pooling and ReLU commute)": _LENET_INIT + '''
    def forward(self, x):
        h = F.relu(F.max_pool2d(self.conv1(x), 2))
        h = F.relu(F.max_pool2d(self.conv2(h), 2))
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
    },
    "answer_1_3": {
        "capital letter": 'def answer_1_3():\n    return "B"\n',
    },
    "basic_block": {
        "nn.ReLU module, torchvision's order, in-place add": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        needs_projection = stride > 1 or in_channels != out_channels
        self.downsample = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
            nn.BatchNorm2d(out_channels)) if needs_projection else None

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)
''',
        "shortcut subsampled by slicing, then a stride-1 1x1 conv": _block(init=_BLOCK_INIT.replace(
            "nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)", "nn.Conv2d(in_channels, out_channels, 1, bias=False)"),
            forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = self.conv1.stride[0]
        return F.relu(out + (x if self.downsample is None else self.downsample(x[..., ::s, ::s])))
'''),
    },
    "answer_2_2": {
        "the number": "def answer_2_2():\n    return 230144\n",
        "counted with the block itself": "def answer_2_2():\n    return sum(p.numel() for p in BasicBlock(64, 128, stride=2).parameters())\n",
    },
    "answer_2_3": {
        "measured with the block": "def answer_2_3():\n    return tuple(int(v) for v in BasicBlock(16, 32, stride=2)(torch.zeros(8, 16, 15, 15)).shape)\n",
    },
    "small_resnet": {
        "blocks listed first, in_channels carried in a list": _resnet(_STEM + '''
        ins = [widths[0]] + list(widths[:-1])
        self.stages = nn.Sequential(*[
            nn.Sequential(*[BasicBlock(ins[i] if j == 0 else w, w, 1 if (i == 0 or j > 0) else 2)
                            for j in range(blocks_per_stage)])
            for i, w in enumerate(widths)])
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        x = self.stem(x)
        for stage in self.stages:
            x = stage(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))
'''),
    },
}

WARNED = {
    "shift_images": ["torch.roll (wraps around)", "dx and dy swapped (dx moves the rows)", "direction reversed (dx > 0 moves left)"],
    "lenet": ["flattened feature map instead of the global average pool (the original LeNet)"],
    "basic_block": ["ReLU before the sum", "convolutions with a bias", "projection shortcut only when the stride changes",
                    "projection shortcut only when the width changes", "torchvision's BasicBlock inside (off limits)"],
    "small_resnet": ["torchvision's BasicBlock inside (off limits)", "the first stage halves the resolution too"],
}

EQUIVALENT = {}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("shift_images", {}).update({
    "a shift past the border: zeros made on the CPU": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros(x.shape, dtype=x.dtype)          # nothing of the image is left
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
    "no shift: x itself returned": '''
def shift_images(x, dx, dy):
    if dx == 0 and dy == 0:
        return x
    H, W = x.shape[-2], x.shape[-1]
    px, py = min(abs(dx), W), min(abs(dy), H)
    padded = F.pad(x, (px, px, py, py))
    cx, cy = max(-W, min(W, dx)), max(-H, min(H, dy))
    return padded[..., py - cy:py - cy + H, px - cx:px - cx + W]
''',
    "computed in float32 (pad of x.float()), cast back": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    px, py = abs(dx), abs(dy)
    padded = F.pad(x.float(), (px, px, py, py))
    return padded[..., py - dy:py - dy + H, px - dx:px - dx + W].to(x.dtype)
''',
})
WRONG.setdefault("lenet", {}).update({
    "in_channels defaults to 3 (RGB assumed)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
    "ReLU after the global pool instead of after conv3": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h).mean(dim=(2, 3))))
''',
    "global pool as a sum divided by 36 (6 x 6 hard-coded)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).sum(dim=(2, 3)) / 36)
''',
    "max pooling with stride 1": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2, stride=1)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2, stride=1)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "stride defaults to 2 (every block downsamples)": _block(init=_BLOCK_INIT).replace(
        "def __init__(self, in_channels, out_channels, stride=1)", "def __init__(self, in_channels, out_channels, stride=2)"),
    "batch statistics in eval mode too (F.batch_norm with training=True)": _block(forward='''
        def bn(layer, h):
            return F.batch_norm(h, layer.running_mean, layer.running_var, layer.weight, layer.bias, training=True,
                                momentum=layer.momentum, eps=layer.eps)
        out = bn(self.bn2, self.conv2(F.relu(bn(self.bn1, self.conv1(x)))))
        sc = x if self.downsample is None else bn(self.downsample[1], self.downsample[0](x))
        return F.relu(out + sc)
'''),
    "shortcut added before bn2": _block(forward='''
        sc = x if self.downsample is None else self.downsample(x)
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))) + sc))
'''),
    "one batch norm shared by both convolutions (bn2 = bn1)": _block(init=_BLOCK_INIT.replace(
        "self.bn2 = nn.BatchNorm2d(out_channels)", "self.bn2 = self.bn1")),
})
WRONG.setdefault("small_resnet", {}).update({
    "in_channels defaults to 1 (copied from LeNet)": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)

    def forward(self, x):
        return self.fc(self.stages(self.stem(x)).mean(dim=(2, 3)))
''',
    "[BasicBlock(w, w)] * (n - 1): the repeated blocks are one module": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            first = BasicBlock(c, w, stride=2 if i > 0 else 1)
            stages.append(nn.Sequential(first, *[BasicBlock(w, w)] * (blocks_per_stage - 1)))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
    "stride 2 wherever the width changes (not by stage)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for w in widths:
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if c != w else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
})
WRONG.setdefault("answer_1_3", {}).update({
    "the letter with its explanation": 'def answer_1_3():\n    return "b: weight sharing and pooling"\n',
})
WRONG.setdefault("answer_2_2", {}).update({
    "num_batches_tracked counted too": "def answer_2_2():\n    return 230144 + 3\n",
})
WRONG.setdefault("answer_2_3", {}).update({
    "NumPy integers": "def answer_2_3():\n    import numpy as np\n    return tuple(np.array([8, 32, 8, 8]))\n",
})
RIGHT.setdefault("shift_images", {}).update({
    "new_zeros, then the covered part copied in": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    out = x.new_zeros(x.shape)
    if abs(dx) < W and abs(dy) < H:
        out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
            x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
})
RIGHT.setdefault("lenet", {}).update({
    "padding='same' everywhere": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding="same")
        self.conv2 = nn.Conv2d(16, 32, 5, padding="same")
        self.conv3 = nn.Conv2d(32, 64, 3, padding="same")
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.adaptive_avg_pool2d(F.relu(self.conv3(h)), 1).flatten(1))
''',
})
RIGHT.setdefault("small_resnet", {}).update({
    "stages as a ModuleList, looped in forward": _resnet(_STEM + '''
        self.stages = nn.ModuleList()
        c = widths[0]
        for i, w in enumerate(widths):
            self.stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                               for j in range(blocks_per_stage)]))
            c = w
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = self.stem(x)
        for stage in self.stages:
            h = stage(h)
        return self.fc(h.mean(dim=(2, 3)))
'''),
})

# ---- red team, round 5 (rt5/rtf) ----
WRONG.setdefault("shift_images", {}).update({
    "shifts clamped to W - 1 and H - 1 (one row or column survives a shift past the border)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = max(-(W - 1), min(W - 1, dx)), max(-(H - 1), min(H - 1, dy))
    out = torch.zeros_like(x)
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H + min(-dy, 0), max(-dx, 0):W + min(-dx, 0)]
    return out
''',
    "torch.roll, then the wrapped stripe zeroed with out[..., dx:] when dx <= 0 (dx = 0 zeroes everything)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)
    out = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
    if dx > 0:
        out[..., :, :dx] = 0
    else:
        out[..., :, dx:] = 0
    if dy > 0:
        out[..., :dy, :] = 0
    else:
        out[..., dy:, :] = 0
    return out
''',
})
WRONG.setdefault("lenet", {}).update({
    "global pool as avg_pool2d with a fixed 6 x 6 kernel (the 24 x 24 digits' map)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.avg_pool2d(F.relu(self.conv3(h)), 6, ceil_mode=True).flatten(1))
''',
    "overlapping max pooling (kernel 3, stride 2, padding 1, AlexNet style)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 3, stride=2, padding=1)
        h = F.max_pool2d(F.relu(self.conv2(h)), 3, stride=2, padding=1)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "shortcut chosen in forward by comparing shapes (a stride-2 block on a 1 x 1 map keeps its shape)": _block(forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if x.shape == out.shape else self.downsample(x)))
'''),
    "batch norms with momentum=None (a cumulative average of the batch statistics)": _block(init=_BLOCK_INIT.replace(
        "nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, momentum=None)")),
    "batch norms with Keras' eps=1e-3": _block(init=_BLOCK_INIT.replace(
        "nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, eps=1e-3)")),
})
WRONG.setdefault("small_resnet", {}).update({
    "ImageNet stem: a 3 x 3 max pool (stride 2) after the stem's ReLU": _resnet('''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1))
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
    "the stem's batch norm and ReLU skipped in forward (only stem[0] called)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = self.stem[0](x)
        return self.fc(self.stages(h).flatten(2).mean(2))
'''),
})
RIGHT.setdefault("shift_images", {}).update({
    "F.pad with one side negative (a crop), the shifts clamped to the image": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    return F.pad(x, (dx, -dx, dy, -dy))
''',
})
RIGHT.setdefault("lenet", {}).update({
    "global pool as avg_pool2d with the whole map as its kernel": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(F.avg_pool2d(h, tuple(h.shape[-2:])).flatten(1))
''',
})
RIGHT.setdefault("answer_2_3", {}).update({
    "the torch.Size of the block's output": "def answer_2_3():\n    return BasicBlock(16, 32, stride=2)(torch.zeros(8, 16, 15, 15)).shape\n",
})

# ---- red team, round 6 (rt6/rtd) ----
WRONG.setdefault("shift_images", {}).update({
    # was a RIGHT answer until round 6: multiplying by the mask turns an inf or nan that wrapped around into nan
    "torch.roll, then zero what wrapped around (by multiplying with a 0/1 mask)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)
    out = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
    rows = torch.arange(H, device=x.device) - dy
    cols = torch.arange(W, device=x.device) - dx
    keep = ((rows >= 0) & (rows < H))[:, None] & ((cols >= 0) & (cols < W))[None, :]
    return out * keep.to(x.dtype)
''',
    "torch.roll times a 0/1 mask of the covered pixels (an inf that wraps around becomes nan)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)
    i = torch.arange(H, device=x.device)[:, None] - dy
    j = torch.arange(W, device=x.device)[None, :] - dx
    mask = ((i >= 0) & (i < H) & (j >= 0) & (j < W)).to(x.dtype)
    return torch.roll(x, shifts=(dy, dx), dims=(-2, -1)) * mask
''',
    "shift matrices: S_rows @ x @ S_cols.T (0 * inf is nan)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    rows = (torch.arange(H, device=x.device)[:, None] - dy == torch.arange(H, device=x.device)[None, :]).to(x.dtype)
    cols = (torch.arange(W, device=x.device)[:, None] - dx == torch.arange(W, device=x.device)[None, :]).to(x.dtype)
    return rows @ x @ cols.T                     # out[i, j] = sum_a,b [a = i - dy] x[a, b] [b = j - dx]
''',
    "zero fill made as a slice of x times 0 (torch.cat)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    fill = x[..., :, :abs(dx)] * 0
    x = torch.cat([fill, x[..., :, :W - dx]], -1) if dx >= 0 else torch.cat([x[..., :, -dx:], fill], -1)
    fill = x[..., :abs(dy), :] * 0
    return torch.cat([fill, x[..., :H - dy, :]], -2) if dy >= 0 else torch.cat([x[..., -dy:, :], fill], -2)
''',
})
WRONG.setdefault("lenet", {}).update({
    "log_softmax at the end (log-probabilities, not logits)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return F.log_softmax(self.fc(h.mean(dim=(2, 3))), dim=1)
''',
    "n_classes ignored (always 10 outputs)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
    "a third max pool after conv3": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.max_pool2d(F.relu(self.conv3(h)), 2)
        return self.fc(h.mean(dim=(2, 3)))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "option-A shortcut: x subsampled and its channels zero-padded (no projection)": _block(init='''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        self.stride, self.extra = stride, out_channels - in_channels
''', forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        short = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.extra))
        return F.relu(out + short)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    "blocks kept in a plain Python list (not registered as submodules)": _resnet(_STEM + '''
        self.blocks, c = [], widths[0]
        for i, w in enumerate(widths):
            for j in range(blocks_per_stage):
                self.blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = self.stem(x)
        for block in self.blocks:
            h = block(h)
        return self.fc(h.mean(dim=(2, 3)))
'''),
    "global pool with adaptive_avg_pool2d(h, 1).squeeze() (a batch of one breaks)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        return self.fc(F.adaptive_avg_pool2d(self.stages(self.stem(x)), 1).squeeze())
'''),
})
RIGHT.setdefault("shift_images", {}).update({
    "pad only the side the image moves away from, then crop (shifts clamped)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    p = F.pad(x, (max(dx, 0), max(-dx, 0), max(dy, 0), max(-dy, 0)))
    return p[..., max(-dy, 0):max(-dy, 0) + H, max(-dx, 0):max(-dx, 0) + W]
''',
    "torch.roll, then torch.where(covered, rolled, 0)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    i = torch.arange(H, device=x.device)[:, None] - dy
    j = torch.arange(W, device=x.device)[None, :] - dx
    covered = (i >= 0) & (i < H) & (j >= 0) & (j < W)
    rolled = torch.roll(x, shifts=(dy % H, dx % W), dims=(-2, -1))
    return torch.where(covered, rolled, torch.zeros((), dtype=x.dtype, device=x.device))
''',
})

# ---- red team, round 7 (rt7/c) ----
WRONG.setdefault("shift_images", {}).update({
    "a shift past the border returns x * 0 (an inf or nan of x becomes nan)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return x * 0                                 # nothing of the image is left
    p = F.pad(x, (abs(dx), abs(dx), abs(dy), abs(dy)))
    return p[..., abs(dy) - dy:abs(dy) - dy + H, abs(dx) - dx:abs(dx) - dx + W]
''',
    "no shift: x.detach().clone() (a new tensor, but the gradient is cut)": '''
def shift_images(x, dx, dy):
    if dx == 0 and dy == 0:
        return x.detach().clone()
    H, W = x.shape[-2], x.shape[-1]
    px, py = abs(dx), abs(dy)
    p = F.pad(x, (px, px, py, py))
    return p[..., py - dy:py - dy + H, px - dx:px - dx + W]
''',
    "roll, then the uncovered stripes zeroed under torch.no_grad() (the gradient leaks through them)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)
    out = torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
    with torch.no_grad():
        if dx > 0:
            out[..., :, :dx] = 0
        elif dx < 0:
            out[..., :, W + dx:] = 0
        if dy > 0:
            out[..., :dy, :] = 0
        elif dy < 0:
            out[..., H + dy:, :] = 0
    return out
''',
})
WRONG.setdefault("lenet", {}).update({
    "max pooling by reshaping into 2 x 2 blocks (odd sizes break)": _LENET_INIT + '''
    def forward(self, x):
        def pool(h):
            B, C, H, W = h.shape
            return h.reshape(B, C, H // 2, 2, W // 2, 2).amax(dim=(3, 5))
        h = pool(F.relu(self.conv1(x)))
        h = pool(F.relu(self.conv2(h)))
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
    "reflect padding in the convolutions (padding_mode='reflect')": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2, padding_mode="reflect")
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2, padding_mode="reflect")
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1, padding_mode="reflect")
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "a ReLU inside the projection shortcut (conv, BN, ReLU)": _block(init=_BLOCK_INIT.replace(
        "nn.BatchNorm2d(out_channels))", "nn.BatchNorm2d(out_channels), nn.ReLU())")),
    "batch norms as F.batch_norm on the modules' tensors (num_batches_tracked never counted)": _block(forward='''
        def bn(m, h):
            return F.batch_norm(h, m.running_mean, m.running_var, m.weight, m.bias, self.training, 0.1, 1e-5)
        out = bn(self.bn2, self.conv2(F.relu(bn(self.bn1, self.conv1(x)))))
        sc = x if self.downsample is None else bn(self.downsample[1], self.downsample[0](x))
        return F.relu(out + sc)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    "global pool by adaptive_avg_pool2d to 2 x 2, then the mean of the four (odd maps are not averaged evenly)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = F.adaptive_avg_pool2d(self.stages(self.stem(x)), 2)
        return self.fc(h.mean(dim=(2, 3)))
'''),
})
RIGHT.setdefault("shift_images", {}).update({
    "torch.roll, then masked_fill of what is not covered": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    i = torch.arange(H, device=x.device)[:, None] - dy
    j = torch.arange(W, device=x.device)[None, :] - dx
    uncovered = (i < 0) | (i >= H) | (j < 0) | (j >= W)
    return torch.roll(x, shifts=(dy % H, dx % W), dims=(-2, -1)).masked_fill(uncovered, 0)
''',
})
RIGHT.setdefault("lenet", {}).update({
    "max pooling by cropping to even sizes, then 2 x 2 blocks reshaped and maxed": _LENET_INIT + '''
    def forward(self, x):
        def pool(h):
            B, C, H, W = h.shape
            h = h[..., :H // 2 * 2, :W // 2 * 2]
            return h.reshape(B, C, H // 2, 2, W // 2, 2).amax(dim=(3, 5))
        h = pool(F.relu(self.conv1(x)))
        h = pool(F.relu(self.conv2(h)))
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
})
RIGHT.setdefault("small_resnet", {}).update({
    "stages built with a comprehension over (in, out, stride) triples": _resnet(_STEM + '''
        ins = [widths[0], *widths[:-1]]
        self.stages = nn.Sequential(*[
            nn.Sequential(*[BasicBlock(c_in if j == 0 else w, w, (2 if i else 1) if j == 0 else 1)
                            for j in range(blocks_per_stage)])
            for i, (c_in, w) in enumerate(zip(ins, widths))])
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
})


# ---- red-team pass 9 (rt9) ----
WRONG.setdefault("basic_block", {}).update({
    "autograd switched off in eval mode (torch.set_grad_enabled(self.training) around the forward pass)": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x):
        with torch.set_grad_enabled(self.training):       # evaluation needs no gradients
            residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
            shortcut = x if self.downsample is None else self.downsample(x)
            return F.relu(residual + shortcut)
''',
    "torch.inference_mode() in eval mode": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def _forward(self, x):
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(residual + shortcut)

    def forward(self, x):
        if self.training:
            return self._forward(x)
        with torch.inference_mode():
            return self._forward(x)
''',
    "the projection's 1x1 convolution with stride 2 hard-coded (ResNets only ever use 2)": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=2 if stride != 1 else 1,
                                                      bias=False), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(residual + shortcut)
''',
})
WRONG.setdefault("small_resnet", {}).update({
    "forward under torch.no_grad() in eval mode": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)

    def _logits(self, x):
        return self.fc(self.stages(self.stem(x)).mean(dim=(2, 3)))

    def forward(self, x):
        if self.training:
            return self._logits(x)
        with torch.no_grad():                           # evaluation: no graph needed
            return self._logits(x)
''',
})
WRONG.setdefault("lenet", {}).update({
    "forward under torch.no_grad() when not training": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        with torch.set_grad_enabled(self.training):
            h = F.max_pool2d(F.relu(self.conv1(x)), 2)
            h = F.max_pool2d(F.relu(self.conv2(h)), 2)
            h = F.relu(self.conv3(h))
            return self.fc(h.mean(dim=(2, 3)))
''',
})
# rt9: first written as a WRONG ("an empty batch breaks"), but reshape infers -1 = 0 when H * W > 0: it is valid
RIGHT.setdefault("shift_images", {}).update({
    "leading dimensions flattened with reshape(-1, H, W), shifted, reshaped back": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    flat = x.reshape(-1, H, W)
    out = flat.new_zeros(flat.shape)
    if abs(dx) < W and abs(dy) < H:
        out[:, max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
            flat[:, max(-dy, 0):H - max(dy, 0), max(-dx, 0):W - max(dx, 0)]
    return out.reshape(x.shape)
''',
})
WRONG.setdefault("answer_2_2", {}).update({
    "the shortcut's batch norm forgotten": '''
def answer_2_2():
    return 9 * 64 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128 + 64 * 128
''',
})
RIGHT.setdefault("lenet", {}).update({
    "global average pool as the mean over W, then over H": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(torch.relu(self.conv1(x)), kernel_size=2, stride=2)
        h = F.max_pool2d(torch.relu(self.conv2(h)), kernel_size=2, stride=2)
        h = torch.relu(self.conv3(h))
        return self.fc(h.mean(-1).mean(-1))
''',
})
RIGHT.setdefault("shift_images", {}).update({
    "the part that stays cut with narrow, then F.pad on the side it moved towards": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)
    kept = x.narrow(-1, max(-dx, 0), W - abs(dx)).narrow(-2, max(-dy, 0), H - abs(dy))
    return F.pad(kept, (max(dx, 0), max(-dx, 0), max(dy, 0), max(-dy, 0)))
''',
})
RIGHT.setdefault("small_resnet", {}).update({
    "blocks made in one comprehension per stage, pooled with adaptive_avg_pool2d and flatten": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU(inplace=True))
        ins = [widths[0]] + list(widths[:-1])
        self.stages = nn.Sequential(*[
            nn.Sequential(*[BasicBlock(c_in if j == 0 else w, w, stride=2 if (i and not j) else 1)
                            for j in range(blocks_per_stage)])
            for i, (c_in, w) in enumerate(zip(ins, widths))])
        self.fc = nn.Linear(widths[-1], n_classes)

    def forward(self, x):
        h = F.adaptive_avg_pool2d(self.stages(self.stem(x)), 1)
        return self.fc(torch.flatten(h, 1))
''',
})
WRONG.setdefault("answer_2_3", {}).update({
    "floor(15 / 2) = 7 (the padding and the + 1 forgotten)": '''
def answer_2_3():
    return (8, 32, 7, 7)
''',
})

# ---- red team, round 10 ----
WRONG.setdefault("shift_images", {}).update({
    "source pixels gathered from x.view(..., H * W) (an x stored column-major cannot be viewed)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    rows = torch.arange(H, device=x.device)[:, None] - dy          # the source row of every output pixel
    cols = torch.arange(W, device=x.device)[None, :] - dx
    covered = (rows >= 0) & (rows < H) & (cols >= 0) & (cols < W)
    src = (rows.clamp(0, H - 1) * W + cols.clamp(0, W - 1)).reshape(-1)
    picked = x.view(*x.shape[:-2], H * W)[..., src].reshape(x.shape)
    return torch.where(covered, picked, torch.zeros((), dtype=x.dtype, device=x.device))
''',
    "torch.set_grad_enabled(True) as a plain call (autograd left on after a call under no_grad)": '''
def shift_images(x, dx, dy):
    torch.set_grad_enabled(True)                      # make sure the gradient flows
    H, W = x.shape[-2], x.shape[-1]
    px, py = min(abs(dx), W), min(abs(dy), H)
    cx, cy = max(-px, min(px, dx)), max(-py, min(py, dy))
    padded = F.pad(x, (px, px, py, py))
    return padded[..., py - cy:py - cy + H, px - cx:px - cx + W]
''',
})
WRONG.setdefault("lenet", {}).update({
    "torch.set_grad_enabled(True) in forward (eval must keep autograd: left on under no_grad)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        torch.set_grad_enabled(True)                  # eval() must not switch autograd off
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
    "F.dropout(h, 0.2) before the classifier (training=True by default: active in eval too)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(F.dropout(h.mean(dim=(2, 3)), 0.2))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "torch.set_grad_enabled(True) in forward (eval must keep autograd: left on under no_grad)": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x):
        torch.set_grad_enabled(True)                  # eval() must not switch autograd off
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(residual + shortcut)
''',
    "a stride-2 block of the same width: shortcut x[..., ::2, ::2] (no projection)": '''
class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.stride = stride
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x):
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.downsample is not None:
            shortcut = self.downsample(x)
        else:
            shortcut = x[..., ::self.stride, ::self.stride]
        return F.relu(residual + shortcut)
''',
})
WRONG.setdefault("small_resnet", {}).update({
    "torch.set_grad_enabled(True) in forward (eval must keep autograd: left on under no_grad)": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)

    def forward(self, x):
        torch.set_grad_enabled(True)                  # eval() must not switch autograd off
        h = self.stages(self.stem(x))
        return self.fc(h.mean(dim=(2, 3)))
''',
    "global pool as avg_pool2d(h, h.shape[-1]) (square maps assumed)": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)

    def forward(self, x):
        h = self.stages(self.stem(x))
        return self.fc(F.avg_pool2d(h, h.shape[-1]).flatten(1))
''',
})
RIGHT.setdefault("shift_images", {}).update({
    "index grids: the source pixel of every output pixel gathered (reshape), torch.where on the covered ones": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    rows = torch.arange(H, device=x.device)[:, None] - dy
    cols = torch.arange(W, device=x.device)[None, :] - dx
    covered = (rows >= 0) & (rows < H) & (cols >= 0) & (cols < W)
    src = (rows.clamp(0, H - 1) * W + cols.clamp(0, W - 1)).reshape(-1)
    picked = x.reshape(*x.shape[:-2], H * W)[..., src].reshape(x.shape)
    return torch.where(covered, picked, torch.zeros((), dtype=x.dtype, device=x.device))
''',
})
RIGHT.setdefault("lenet", {}).update({
    "the layers' parameters used through F.conv2d and F.linear": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.conv2d(x, self.conv1.weight, self.conv1.bias, padding=2).relu(), 2)
        h = F.max_pool2d(F.conv2d(h, self.conv2.weight, self.conv2.bias, padding=2).relu(), 2)
        h = F.conv2d(h, self.conv3.weight, self.conv3.bias, padding=1).relu()
        return F.linear(h.flatten(2).mean(-1), self.fc.weight, self.fc.bias)
''',
})
RIGHT.setdefault("small_resnet", {}).update({
    "stages grown with nn.Sequential.append, pooled as flatten(2).mean(-1)": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, n_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        self.stages = nn.Sequential()
        c = widths[0]
        for i, w in enumerate(widths):
            stage = nn.Sequential()
            for j in range(blocks_per_stage):
                stage.append(BasicBlock(c, w, 1 if i == 0 or j > 0 else 2))
                c = w
            self.stages.append(stage)
        self.fc = nn.Linear(c, n_classes)

    def forward(self, x):
        return self.fc(self.stages(self.stem(x)).flatten(2).mean(-1))
''',
})

# red team 11, 2026-12-04
WRONG.setdefault("shift_images", {}).update({
    "padded by |dx| and |dy| unclamped (a shift of 10**15 asks for a tensor of petabytes)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    px, py = abs(dx), abs(dy)
    padded = F.pad(x, (px, px, py, py))
    return padded[..., py - dy:py - dy + H, px - dx:px - dx + W]
''',
    "only the positive side clamped, min(dx, W) (a huge negative shift pads hugely)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = min(dx, W), min(dy, H)
    px, py = abs(dx), abs(dy)
    padded = F.pad(x, (px, px, py, py))
    return padded[..., py - dy:py - dy + H, px - dx:px - dx + W]
''',
    "one branch per sign with negative-end slices x[..., :-dy] (a zero shift copies nothing)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    out = torch.zeros_like(x)
    if abs(dx) >= W or abs(dy) >= H:
        return out
    if dy >= 0:
        rows_out, rows_in = slice(dy, None), slice(None, -dy)
    else:
        rows_out, rows_in = slice(None, dy), slice(-dy, None)
    if dx >= 0:
        cols_out, cols_in = slice(dx, None), slice(None, -dx)
    else:
        cols_out, cols_in = slice(None, dx), slice(-dx, None)
    out[..., rows_out, cols_out] = x[..., rows_in, cols_in]
    return out
''',
    "torchvision's affine with translate=[dx, dy] (needs [..., C, H, W]: a 2-D image fails)": '''
from torchvision.transforms.v2 import functional as TF

def shift_images(x, dx, dy):
    return TF.affine(x, angle=0.0, translate=[dx, dy], scale=1.0, shear=[0.0, 0.0])
''',
})
WRONG.setdefault("lenet", {}).update({
    "a ReLU on the logits (fc's output clipped at 0)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return F.relu(self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3))))
''',
    "global pool as sum / (H * H) (square maps assumed)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.sum(dim=(2, 3)) / (h.shape[2] * h.shape[2]))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "a ReLU on the identity shortcut before the sum": _block(forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (F.relu(x) if self.downsample is None else self.downsample(x)))
'''),
    "the shortcut taken from the branch's variable after x was reassigned": _block(forward='''
        identity = x
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.bn2(self.conv2(x))
        if self.downsample is not None:
            identity = self.downsample(x)
        return F.relu(x + identity)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    "fc reads widths[0] features (right only when every width is the same)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[0], n_classes)
'''),
    "the stem convolution with a bias": _resnet('''
        self.stem = nn.Sequential(nn.Conv2d(in_channels, widths[0], 3, padding=1),
                                  nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c if j == 0 else w, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
})
RIGHT.setdefault("shift_images", {}).update({
    "x.clone() zeroed in place, the covered part copied back (shifts clamped)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    out = x.clone()
    out.zero_()
    out[..., max(dy, 0):H + min(dy, 0), max(dx, 0):W + min(dx, 0)] = \\
        x[..., max(-dy, 0):H - max(dy, 0), max(-dx, 0):W - max(dx, 0)]
    return out
''',
})
# red team 11: the clamp of the shifts added to the solution, max(-W, min(W, dx)): min and max are symmetric
EQUIVALENT.setdefault("shift_images", {}).update({
    "args@12:13#0": "max(a, b) == max(b, a) (the clamp of dx to [-W, W])",
    "args@12:21#0": "min(a, b) == min(b, a) (the clamp of dx to [-W, W])",
    "args@12:34#0": "max(a, b) == max(b, a) (the clamp of dy to [-H, H])",
    "args@12:42#0": "min(a, b) == min(b, a) (the clamp of dy to [-H, H])",
})

# red team 13, 2026-12-05
WRONG.setdefault("shift_images", {}).update({
    "F.affine_grid + F.grid_sample, bilinear, zero padding (an inf next to a pixel becomes nan)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    flat = x.reshape(-1, 1, H, W)
    theta = torch.tensor([[1.0, 0.0, -2.0 * dx / W], [0.0, 1.0, -2.0 * dy / H]], dtype=x.dtype, device=x.device)
    grid = F.affine_grid(theta.expand(flat.shape[0], 2, 3), list(flat.shape), align_corners=False)
    out = F.grid_sample(flat, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return out.reshape(x.shape)
''',
})
WRONG.setdefault("lenet", {}).update({
    "conv3's ReLU after the global average pool (mean, then ReLU)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.fc(F.relu(self.conv3(h).mean(dim=(2, 3))))
''',
})
WRONG.setdefault("basic_block", {}).update({
    "a ReLU after the projection's batch norm (the shortcut rectified when there is a downsample)": _block(init='''
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(out_channels), nn.ReLU())
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    "every block of a stage built from the stage's input width (c updated once per stage)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            stages.append(nn.Sequential(*[BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1)
                                          for j in range(blocks_per_stage)]))
            c = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    "the classifier applied by hand through fc.weight.data and fc.bias.data (no gradient reaches fc)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = self.stages(self.stem(x)).mean(dim=(2, 3))
        return h @ self.fc.weight.data.T + self.fc.bias.data
'''),
})
WRONG.setdefault("answer_2_2", {}).update({
    "a bias counted for each of the three convolutions": '''
def answer_2_2():
    return 9 * 64 * 128 + 128 + 2 * 128 + 9 * 128 * 128 + 128 + 2 * 128 + 64 * 128 + 128 + 2 * 128
''',
})
WRONG.setdefault("answer_2_3", {}).update({
    "the channels kept at the input's 16 (the width change forgotten)": '''
def answer_2_3():
    return (8, 16, 8, 8)
''',
})
RIGHT.setdefault("lenet", {}).update({
    "max pooling before the ReLU (relu and max commute)": _LENET_INIT + '''
    def forward(self, x):
        h = F.relu(F.max_pool2d(self.conv1(x), 2))
        h = F.relu(F.max_pool2d(self.conv2(h), 2))
        return self.fc(F.relu(self.conv3(h)).mean(dim=(2, 3)))
''',
})
RIGHT.setdefault("small_resnet", {}).update({
    "global pool as F.avg_pool2d over the whole map, then flatten(1)": _resnet(_STEM + '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
''', forward='''
    def forward(self, x):
        h = self.stages(self.stem(x))
        return self.fc(F.avg_pool2d(h, h.shape[-2:]).flatten(1))
'''),
})

# red team 15 (reviewer D), 2026-12-05
_RESNET_BODY = '''
        stages, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks = []
            for j in range(blocks_per_stage):
                blocks.append(BasicBlock(c, w, stride=2 if i > 0 and j == 0 else 1))
                c = w
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(widths[-1], n_classes)
'''
WRONG.setdefault("lenet", {}).update({
    # red team 15: every weight and bias starts at zero ("a neutral start"): every activation is 0, the ReLUs pass
    # no gradient, and the filters of a layer stay equal to each other: the network never learns
    "every weight and bias zero-initialised (a neutral start: nothing ever learns)": _LENET_INIT + '''
        for p in self.parameters():
            nn.init.zeros_(p)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
    # red team 15: the PyTorch tutorial's flatten, h.view(h.size(0), -1), after the global pool: an empty batch
    # ([0, C, H, W], as F.conv2d accepts) cannot infer the -1 from 0 elements
    "global pool by adaptive_avg_pool2d, flattened with view(B, -1) (an empty batch breaks)": _LENET_INIT + '''
    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.adaptive_avg_pool2d(F.relu(self.conv3(h)), 1)
        return self.fc(h.view(h.size(0), -1))
''',
})
WRONG.setdefault("basic_block", {}).update({
    # red team 15: torch.manual_seed in __init__ "for reproducibility": every block of the same shape starts with
    # the same weights (the 50 blocks of section 3 are copies of one another), and the global generator is reset
    "torch.manual_seed(0) in __init__ (every new block starts from the same weights)": _block(init='''
        torch.manual_seed(0)                       # reproducible initial weights
''' + _BLOCK_INIT),
    # red team 15: conv2 zero-initialised so that a new block is the identity (the text's "weights near zero give
    # F = 0" taken literally): conv1 then gets no gradient at the first step (section 3 measures exactly that)
    "conv2 zero-initialised (every new block starts as the identity)": _block(init=_BLOCK_INIT + '''
        nn.init.zeros_(self.conv2.weight)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    # red team 15: every convolution filled with one small constant: all the filters of a layer are equal and
    # receive equal gradients, so they stay equal (the symmetry is never broken)
    "every convolution initialised to the constant 0.01 (all filters equal, the symmetry never broken)": _resnet(
        _STEM + _RESNET_BODY + '''
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.constant_(m.weight, 0.01)
'''),
    # red team 15: dropout before the classifier (not in the layout): in training mode the logits are random
    "dropout (p = 0.2) before the classifier": _resnet(_STEM + _RESNET_BODY + '''
        self.drop = nn.Dropout(0.2)
''', forward='''
    def forward(self, x):
        return self.fc(self.drop(self.stages(self.stem(x)).mean(dim=(2, 3))))
'''),
})
WRONG.setdefault("shift_images", {}).update({
    # red team 15: the images shifted one by one (as augment() does in section 4) and stacked: an empty batch gives
    # torch.stack an empty list
    "every image shifted on its own, then torch.stack (an empty batch breaks)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    px, py = abs(dx), abs(dy)
    flat = x.reshape(-1, H, W)
    out = torch.stack([F.pad(img, (px, px, py, py))[py - dy:py - dy + H, px - dx:px - dx + W] for img in flat])
    return out.reshape(x.shape)
''',
})
WRONG.setdefault("answer_2_2", {}).update({
    # red team 15: the projection shortcut forgotten (a stride-2 block that widens 64 -> 128 has one)
    "the projection shortcut forgotten (two convolutions and two batch norms only)": '''
def answer_2_2():
    return 9 * 64 * 128 + 2 * 128 + 9 * 128 * 128 + 2 * 128
''',
})

# red team 17 (reviewer D), 2026-12-05
RIGHT.setdefault("shift_images", {}).update({
    # red team 17: written as a wrong answer (a shift past the border returns torch.zeros_like(x), cut from x's
    # graph), but the gradient of an all-zero result is zero whatever is done, the docstring does not ask for a graph,
    # and three earlier RIGHT answers return the same unconnected zeros: right
    "a shift past the border returns torch.zeros_like(x) early (no graph for an all-zero result)": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2], x.shape[-1]
    if abs(dx) >= W or abs(dy) >= H:
        return torch.zeros_like(x)                    # nothing of the image is left
    px, py = abs(dx), abs(dy)
    padded = F.pad(x, (px, px, py, py))
    return padded[..., py - dy:py - dy + H, px - dx:px - dx + W]
''',
})
WRONG.setdefault("lenet", {}).update({
    # red team 17: torch.manual_seed in __init__ "for reproducible training": every new LeNet starts from the same
    # weights, and the notebook's global generator is reset at every construction
    "torch.manual_seed(0) in __init__ (every new LeNet starts from the same weights)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        torch.manual_seed(0)                          # reproducible initial weights
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
    # red team 17: TF32 asked for in __init__ for faster training on a GPU (the hint PyTorch Lightning prints): a
    # global setting left changed, every later float32 matrix product of the notebook loses precision
    "torch.set_float32_matmul_precision('high') in __init__ (a global setting left changed)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        torch.set_float32_matmul_precision("high")    # TF32 tensor cores: faster on a GPU
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
})
WRONG.setdefault("basic_block", {}).update({
    # red team 17: the identity shortcut "has no parameters, so it needs no gradient" and is detached: the gradient
    # loses the direct path back through the shortcut (the one section 3 is about)
    "the shortcut detached (no parameters, so no gradient needed)": _block(forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x.detach() if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    # red team 17: torch.manual_seed in __init__ "for reproducible training": every new SmallResNet of the same
    # layout starts from the same weights, and the notebook's global generator is reset at every construction
    "torch.manual_seed(0) in __init__ (every new network starts from the same weights)": _resnet('''
        torch.manual_seed(0)                          # reproducible initial weights
''' + _STEM + _RESNET_BODY),
    # red team 17: the PyTorch tutorial's flatten, h.view(h.size(0), -1), after an adaptive average pool: an empty
    # batch cannot infer the -1 from 0 elements
    "global pool by adaptive_avg_pool2d, flattened with view(B, -1) (an empty batch breaks)": _resnet(
        _STEM + _RESNET_BODY, forward='''
    def forward(self, x):
        h = F.adaptive_avg_pool2d(self.stages(self.stem(x)), 1)
        return self.fc(h.view(h.size(0), -1))
'''),
})

# ---- red team 18 (reviewer D), 2026-12-05 ----
WRONG.setdefault("basic_block", {}).update({
    # red team 18: the residual branch run under torch.utils.checkpoint to save memory in deep stacks: the backward
    # pass runs the branch again, and in training mode its batch norms update their running statistics a second time
    "the residual branch under torch.utils.checkpoint (backward updates the running statistics again)": _block(
        forward='''
        import torch.utils.checkpoint as cp
        branch = lambda t: self.bn2(self.conv2(F.relu(self.bn1(self.conv1(t)))))
        out = cp.checkpoint(branch, x, use_reentrant=False) if torch.is_grad_enabled() else branch(x)
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
'''),
    # red team 18: torchvision's zero_init_residual, but only where the block can start as the identity (no
    # downsample): every new identity block's bn2 has weight 0
    "bn2 zero-initialised in identity blocks only (a downsampling block cannot start as the identity anyway)": _block(
        init=_BLOCK_INIT + '''
        if self.downsample is None:
            nn.init.zeros_(self.bn2.weight)           # the block starts as the identity: relu(x)
'''),
})
WRONG.setdefault("small_resnet", {}).update({
    # red team 18: the tutorials' speed-up for CNNs of a fixed input size, set in __init__: cudnn then benchmarks
    # and picks convolution algorithms at run time, for every later cell of the notebook (a global switch left on).
    # Only coursekit can catch it: checked()'s defaults watch (coursekit.testing._SWITCHES) does not read
    # torch.backends.cudnn.benchmark (nor cudnn.deterministic / cudnn.enabled / mkldnn.enabled); reported to the lead
    "torch.backends.cudnn.benchmark = True in __init__ (a global switch left on)": _resnet('''
        torch.backends.cudnn.benchmark = True         # fastest convolution algorithms for a fixed input size
''' + _STEM + _RESNET_BODY),
    # red team 18: every stage under torch.utils.checkpoint in training mode (memory): backward runs each stage
    # again, and its batch norms update their running statistics twice per step
    "each stage under torch.utils.checkpoint (backward updates the running statistics again)": _resnet(
        _STEM + _RESNET_BODY, forward='''
    def forward(self, x):
        import torch.utils.checkpoint as cp
        h = self.stem(x)
        for stage in self.stages:
            h = cp.checkpoint(stage, h, use_reentrant=False) if torch.is_grad_enabled() and self.training else stage(h)
        return self.fc(h.mean(dim=(2, 3)))
'''),
})
WRONG.setdefault("lenet", {}).update({
    # red team 18: conv3's padding 1 copied to conv2: conv2's 5x5 kernel then shrinks the map by 2 (the global
    # average pool hides the size change, not the values)
    "conv2 with padding 1 (conv3's padding copied): the maps shrink": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=1)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
})
WRONG.setdefault("shift_images", {}).update({
    # red team 18: the uncovered border filled with the image's background taken as its smallest value (0 for the
    # digits), not with zeros
    "uncovered border filled with x's minimum (the digits' background), not zeros": '''
def shift_images(x, dx, dy):
    H, W = x.shape[-2:]
    dx, dy = max(-W, min(W, dx)), max(-H, min(H, dy))
    px, py = abs(dx), abs(dy)
    background = x.amin().item() if x.numel() else 0.0
    padded = F.pad(x, (px, px, py, py), value=background)
    return padded[..., py - dy:py - dy + H, px - dx:px - dx + W]
''',
})


# ---- red team 20 (reviewer D), 2026-12-05 ----
WRONG.setdefault("basic_block", {}).update({
    # red team 20: the identity shortcut as an nn.Identity() module "so that forward needs no if": the docstring asks
    # for downsample None there (torchvision's convention, which code reading blocks tests with `is None`)
    "downsample = nn.Identity() for the identity shortcut (not None)": _block(
        init=_BLOCK_INIT.replace("self.downsample = None", "self.downsample = nn.Identity()          # no if in forward"),
        forward='''
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.downsample(x))
'''),
    # red team 20: torchvision's parameter names (inplanes, planes): right by position, but
    # BasicBlock(in_channels=16, out_channels=32) fails
    "torchvision's parameter names (inplanes, planes, stride): the keywords in_channels= and out_channels= refused": '''
class BasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))
''',
})
WRONG.setdefault("lenet", {}).update({
    # red team 20: torchvision's keyword num_classes instead of the signature's n_classes: LeNet(n_classes=7) fails
    "n_classes renamed num_classes (torchvision's name)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 16, 5, padding=2)
        self.conv2 = nn.Conv2d(16, 32, 5, padding=2)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.conv3(h))
        return self.fc(h.mean(dim=(2, 3)))
''',
    # red team 20: the layers built in an nn.Sequential `features`, then given the docstring's names as aliases: every
    # convolution is registered twice, so the state_dict holds features.0.weight ... besides conv1.weight ... (a
    # checkpoint of it does not load into the LeNet of the docstring)
    "layers in a features Sequential, conv1..conv3 as aliases (every conv twice in the state_dict)": '''
class LeNet(nn.Module):
    def __init__(self, in_channels=1, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(in_channels, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU())
        self.conv1, self.conv2, self.conv3 = self.features[0], self.features[3], self.features[6]   # the docstring's names
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        return self.fc(self.features(x).mean(dim=(2, 3)))
''',
})
WRONG.setdefault("small_resnet", {}).update({
    # red team 20: torchvision's keyword num_classes instead of the signature's n_classes: SmallResNet(n_classes=5) fails
    "n_classes renamed num_classes (torchvision's name)": '''
class SmallResNet(nn.Module):
    def __init__(self, in_channels=3, num_classes=10, widths=(16, 32, 64), blocks_per_stage=1):
        super().__init__()
        n_classes = num_classes
''' + _STEM.strip("\n") + "\n" + _RESNET_BODY.strip("\n") + _RESNET_FORWARD.rstrip() + "\n",
})
