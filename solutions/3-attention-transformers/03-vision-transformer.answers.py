"""Answer variants for 03-vision-transformer.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

_VIT_INIT = '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)
'''


def _vit(forward):
    return _VIT_INIT + "\n" + forward


def _blocks_loop(h="h"):
    return f'''
        maps = []
        for block in self.blocks:
            if return_attention:
                {h}, w = block({h}, return_attention=True)
                maps.append(w)
            else:
                {h} = block({h})
'''


WRONG = {
    "patchify": {
        "features in (u, v, c) order (channels last)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "patches in column-major order": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 4, 2, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "a plain reshape: runs of pixels, not squares": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    return images.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "u and v swapped inside a patch": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 5, 3)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "no check: the border is cropped silently": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    gh, gw = H // patch, W // patch
    x = images[:, :, :gh * patch, :gw * patch].reshape(B, C, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, gh * gw, C * patch * patch)
''',
        "only H checked, W not": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch:
        raise ValueError("not a multiple of the patch size")
    gh, gw = H // patch, W // patch
    x = images[:, :, :, :gw * patch].reshape(B, C, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, gh * gw, C * patch * patch)
''',
        "an assert instead of a ValueError": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    assert H % patch == 0 and W % patch == 0, "not a multiple of the patch size"
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "F.unfold (off limits)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    return F.unfold(images, patch, stride=patch).transpose(1, 2)
''',
        "a Conv2d with one-hot kernels (off limits)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    eye = torch.eye(C * patch * patch, dtype=images.dtype, device=images.device).reshape(-1, C, patch, patch)
    return F.conv2d(images, eye, stride=patch).flatten(2).transpose(1, 2)
''',
        "float32 always": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.float().reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        # red team 2026-12-03
        "Tensor.unfold along W first: u and v swapped": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.unfold(3, patch, patch).unfold(2, patch, patch)       # [B, C, H/p, W/p, v, u]
    return x.permute(0, 2, 3, 1, 4, 5).reshape(B, -1, C * patch * patch)
''',
        "N assumed square: (H // p) ** 2 patches": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) ** 2, C * patch * patch)
''',
        "W's check tests H twice (typo)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or H % patch:
        raise ValueError("not a multiple of the patch size")
    gh, gw = H // patch, W // patch
    x = images[:, :, :, :gw * patch].reshape(B, C, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, gh * gw, C * patch * patch)
''',
        "rectangular images rejected": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H != W or H % patch:
        raise ValueError("images must be square and a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "detached through .data (no gradient)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.data.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
        "overlapping windows (Tensor.unfold with step 1)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.unfold(2, patch, 1).unfold(3, patch, 1)
    return x.permute(0, 2, 3, 1, 4, 5).reshape(B, -1, C * patch * patch)
''',
    },
    "patch_embedding": {
        "features in (u, v, c) order": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        B, C, H, W = images.shape
        p = self.patch
        x = images.reshape(B, C, H // p, p, W // p, p).permute(0, 2, 4, 3, 5, 1).reshape(B, -1, C * p * p)
        return self.proj(x)
''',
        "no bias": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model, bias=False)

    def forward(self, images):
        return self.proj(patchify(images, self.patch))
''',
        "a Conv2d inside (off limits)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        C, p = images.shape[1], self.patch
        w = self.proj.weight.reshape(-1, C, p, p)
        return F.conv2d(images, w, self.proj.bias, stride=p).flatten(2).transpose(1, 2)
''',
        "weight used untransposed (a square layer)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        x = patchify(images, self.patch)
        return x @ self.proj.weight.reshape(x.shape[-1], -1) + self.proj.bias
''',
        # red team 2026-12-03
        "float32 always (a float64 model fails)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images.float(), self.patch))
''',
        "in_channels ignored: 3 channels assumed": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(3 * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch))
''',
        "tokens computed under no_grad": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        with torch.no_grad():
            return self.proj(patchify(images, self.patch))
''',
        "nn.Unfold (im2col, off limits)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.unfold = nn.Unfold(patch, stride=patch)
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(self.unfold(images).transpose(1, 2))
''',
        "the batch dimension squeezed away": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch)).squeeze(0)
''',
    },
    "answer_1_3": {
        "the class token forgotten": "def answer_1_3():\n    return 196, 768\n",
        "one channel": "def answer_1_3():\n    return 197, 256\n",
        "tokens per side": "def answer_1_3():\n    return 15, 768\n",
        "patches counted as 224 / 16 squared plus one, per channel": "def answer_1_3():\n    return 589, 768\n",
        # red team 2026-12-03
        "tokens and length swapped": "def answer_1_3():\n    return 768, 197\n",
        "floats from true division": "def answer_1_3():\n    return (224 / 16) ** 2 + 1, 3 * 16 * 16.0\n",
        "14 and 16 confused": "def answer_1_3():\n    return (224 // 14) ** 2 + 1, 3 * 14 * 14\n",
        "the bias counted in the patch length": "def answer_1_3():\n    return 197, 769\n",
    },
    "vit": {
        "class token appended at the end, read from there": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([tokens, self.cls_token.expand(tokens.shape[0], -1, -1)], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, -1]))
        return (logits, maps) if return_attention else logits
'''),
        "mean of all tokens instead of the class token": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h.mean(1)))
        return (logits, maps) if return_attention else logits
'''),
        "position embeddings never added": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
        "position embeddings for the patches only": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images) + self.pos_embed
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
        "no final LayerNorm": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(h[:, 0])
        return (logits, maps) if return_attention else logits
'''),
        "the layer norm applied to every token, then their mean": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h)[:, 1:].mean(1))
        return (logits, maps) if return_attention else logits
'''),
        "only the last layer's attention returned, repeated": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        for block in self.blocks:
            h, w = block(h, return_attention=True)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, [w] * len(self.blocks)) if return_attention else logits
'''),
        "the class token a fixed zero buffer, not learned": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.register_buffer("cls_token", torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
        "position embeddings all zeros at the start": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(torch.zeros(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
        # red team 2026-12-03
        "dropout argument not passed to the blocks": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
        "one block shared by all layers": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout)] * depth)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
        "class token broadcast with a zeros tensor made on the CPU": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token + torch.zeros(tokens.shape[0], 1, tokens.shape[-1])
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
        "class token without its position embedding": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images) + self.pos_embed[:, 1:]
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
        "logits keep a token dimension [B, 1, K]": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, :1]))
        return (logits, maps) if return_attention else logits
'''),
    },
    "vit_parameter_count": {
        "the class token forgotten": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 1) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "position embeddings for the N patches only": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + d + n * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "every head with its own d x d projections": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + n_heads * 3 * (d * d + d) + (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "no biases anywhere": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 2 * d + 4 * d * d + 2 * d * d_ff
    return in_channels * patch * patch * d + (n + 2) * d + depth * block + d + d * n_classes
''',
        "the layer norms forgotten": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + d * n_classes + n_classes
''',
        "patches counted along one side only": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, image_size // patch
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "a float (true division)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size / patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        # red team 2026-12-03
        "the final layer norm forgotten": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + d * n_classes + n_classes
''',
        "attention without its output projection": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 3 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "int() of a true-division patch count": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, int((image_size / patch) ** 2)
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
        "the head without a bias": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes
''',
        "one patch-embedding bias per channel": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return in_channels * (patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
    },
    "answer_3_1": {
        "more parameters": 'def answer_3_1():\n    return "a"\n',
        "never reaches it": 'def answer_3_1():\n    return "c"\n',
        # red team 2026-12-03
        "pixels thrown away": 'def answer_3_1():\n    return "d"\n',
        "a list holding the letter": 'def answer_3_1():\n    return ["b"]\n',
        "the letter in parentheses": 'def answer_3_1():\n    return "(b)"\n',
    },
    "attention_rollout": {
        "earlier layer on the left": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else R @ A_hat
    return R
''',
        "no identity (residual) added": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "identity added, rows not renormalised": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "heads summed, not averaged": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.sum(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "heads reduced by their maximum": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.amax(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "columns renormalised instead of rows": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-2, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "identity added in place: the caller's maps change": '''
def attention_rollout(attn_maps):
    R = None
    T = attn_maps[0].shape[-1]
    for A in attn_maps:
        A += torch.eye(T, dtype=A.dtype, device=A.device)
        A_hat = A.mean(1)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "rollout per head, then the heads averaged": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R.mean(1)
''',
        "the last layer only": '''
def attention_rollout(attn_maps):
    A = attn_maps[-1]
    A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
    return A_hat / A_hat.sum(-1, keepdim=True)
''',
        "float32 always": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.float().mean(1) + torch.eye(A.shape[-1], device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        # red team 2026-12-03
        "identity made on the CPU (no device=)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "identity in the default dtype: half-precision maps come back float32": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "the batch averaged instead of the heads": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(0) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "computed under no_grad (no gradient)": '''
@torch.no_grad()
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
        "the first layer's identity forgotten": '''
def attention_rollout(attn_maps):
    R = attn_maps[0].mean(1)
    for A in attn_maps[1:]:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat @ R
    return R
''',
    },
}

RIGHT = {
    "patchify": {
        "Tensor.unfold twice": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch != 0 or W % patch != 0:
        raise ValueError(f"{H}x{W} images cannot be cut into {patch}x{patch} patches")
    x = images.unfold(2, patch, patch).unfold(3, patch, patch)       # [B, C, H/p, W/p, p, p]
    return x.permute(0, 2, 3, 1, 4, 5).reshape(B, -1, C * patch * patch)
''',
        "einsum-free: flatten, transpose, flatten": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("H and W must be multiples of patch")
    gh, gw = H // patch, W // patch
    x = images.reshape(B, C, gh, patch, gw, patch).transpose(3, 4)    # [B, C, gh, gw, p, p]
    x = x.reshape(B, C, gh * gw, patch * patch).transpose(1, 2)       # [B, N, C, p p]
    return x.reshape(B, gh * gw, C * patch * patch)
''',
    },
    "patch_embedding": {
        "F.linear on the patches": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.p = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return F.linear(patchify(images, self.p), self.proj.weight, self.proj.bias)
''',
        "matrix product with the transposed weight": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return patchify(images, self.patch) @ self.proj.weight.T + self.proj.bias
''',
    },
    "answer_1_3": {
        "a list of numbers worked out": "def answer_1_3():\n    return [(224 // 16) ** 2 + 1, 16 * 16 * 3]\n",
    },
    "vit": {
        "position embeddings added in two parts, class token by repeat": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images) + self.pos_embed[:, 1:]
        cls = self.cls_token.repeat(images.shape[0], 1, 1) + self.pos_embed[:, :1]
        h = torch.cat((cls, tokens), 1)
''' + _blocks_loop() + '''
        out = self.norm(h)[:, 0]
        logits = self.head(out)
        return (logits, maps) if return_attention else logits
'''),
        "randomly initialised class token, trunc_normal position embeddings": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, d_model))
        self.pos_embed = nn.Parameter(nn.init.trunc_normal_(torch.empty(1, (image_size // patch) ** 2 + 1, d_model), std=0.02))
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        x = self.patch_embed(images)
        x = torch.cat([self.cls_token.expand(len(x), 1, -1), x], 1) + self.pos_embed
        maps = []
        for block in self.blocks:
            x, w = block(x, return_attention=True)
            maps.append(w)
        logits = self.head(self.norm(x)[:, 0])
        return (logits, maps) if return_attention else logits
''',
    },
    "vit_parameter_count": {
        "part by part with names": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d = d_model
    linear = lambda i, o: i * o + o
    layer_norm = 2 * d
    attention = 4 * linear(d, d)
    ffn = linear(d, d_ff) + linear(d_ff, d)
    n_tokens = (image_size // patch) * (image_size // patch) + 1
    return (linear(in_channels * patch * patch, d) + d + n_tokens * d
            + depth * (2 * layer_norm + attention + ffn) + layer_norm + linear(d, n_classes))
''',
    },
    "answer_3_1": {
        "upper case with a space": 'def answer_3_1():\n    return " B"\n',
    },
    "attention_rollout": {
        "0.5 A + 0.5 I (rows of A sum to 1), stacked then multiplied": '''
def attention_rollout(attn_maps):
    A = torch.stack([a.mean(1) for a in attn_maps])                  # [L, B, T, T]
    eye = torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
    A_hat = 0.5 * A + 0.5 * eye
    A_hat = A_hat / A_hat.sum(-1, keepdim=True)
    R = A_hat[0]
    for l in range(1, len(A_hat)):
        R = torch.matmul(A_hat[l], R)
    return R
''',
        "from the last layer down": '''
def attention_rollout(attn_maps):
    R = torch.eye(attn_maps[0].shape[-1], dtype=attn_maps[0].dtype, device=attn_maps[0].device)
    for A in reversed(list(attn_maps)):
        A_hat = A.mean(dim=1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        R = R @ (A_hat / A_hat.sum(-1, keepdim=True))
    return R
''',
    },
}

WARNED = {
    "patchify": ["features in (u, v, c) order (channels last)", "patches in column-major order",
                 "a plain reshape: runs of pixels, not squares", "u and v swapped inside a patch",
                 "no check: the border is cropped silently", "an assert instead of a ValueError",
                 "F.unfold (off limits)", "a Conv2d with one-hot kernels (off limits)"],
    "patch_embedding": ["features in (u, v, c) order", "a Conv2d inside (off limits)"],
    "vit": ["class token appended at the end, read from there", "mean of all tokens instead of the class token",
            "position embeddings never added", "position embeddings for the patches only",
            "only the last layer's attention returned, repeated"],
    "vit_parameter_count": ["every head with its own d x d projections"],
    "attention_rollout": ["earlier layer on the left", "no identity (residual) added", "identity added, rows not renormalised",
                          "identity added in place: the caller's maps change"],
}

EQUIVALENT = {
    "vit": {
        "const@19:38#1": "the initial scale of the position embeddings is a free choice: 0.04 * randn is as small and random as 0.02 * randn",
    },
    "attention_rollout": {
        "const@10:50#0": "attention maps are square [T, T]: A.shape[-2] == A.shape[-1]",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("patchify", {}).update({
    "'and' instead of 'or': only raised when both sides fail": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch and W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
    "the patch grid's width taken from H": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    gh, gw = H // patch, H // patch
    x = images.reshape(B, C, gh, patch, -1, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, gh * gw, -1)
''',
    "dimensions split as (p, H/p): strided pixels, not squares": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, patch, H // patch, patch, W // patch).permute(0, 3, 5, 1, 2, 4)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
    "the error raised as a RuntimeError": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise RuntimeError(f"image size {H}x{W} is not a multiple of the patch size {patch}")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
})
WRONG.setdefault("patch_embedding", {}).update({
    "the notebook's global PATCH instead of self.patch": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, PATCH))
''',
    "tokens in the convolution's layout [B, d, N]": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch)).transpose(1, 2)
''',
    "a separate bias parameter beside a bias-free proj": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model, bias=False)
        self.bias = nn.Parameter(torch.zeros(d_model))

    def forward(self, images):
        return self.proj(patchify(images, self.patch)) + self.bias
''',
})
WRONG.setdefault("answer_1_3", {}).update({
    "ViT-B/32's numbers (patch 32)": "def answer_1_3():\n    return 50, 3072\n",
    "one row of a patch (C * p)": "def answer_1_3():\n    return 197, 48\n",
})
WRONG.setdefault("vit", {}).update({
    "maps stacked into one tensor [L, B, h, T, T]": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, torch.stack(maps)) if return_attention else logits
'''),
    "return_attention switches to eval mode and leaves it there": _vit('''
    def forward(self, images, return_attention=False):
        if return_attention:
            self.eval()                     # deterministic maps for the plots
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    "N = image_size**2 // patch**2 (not (image_size // patch)**2)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = image_size * image_size // (patch * patch)
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "blocks in a plain Python list (not registered)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = [TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)]
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "in_channels ignored: RGB assumed": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, 3, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "logits squeezed: a batch of one loses its dimension": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0])).squeeze()
        return (logits, maps) if return_attention else logits
'''),
    "maps in reverse order (last layer first)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        maps = []
        for block in self.blocks:
            h, w = block(h, return_attention=True)
            maps.insert(0, w)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG.setdefault("vit_parameter_count", {}).update({
    "counted by building the ViT (too large for big models)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    model = ViT(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff)
    return sum(p.numel() for p in model.parameters())
''',
    "N = image_size**2 // patch**2": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, image_size ** 2 // patch ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
    "d_ff assumed to be 4 d": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n, f = d_model, (image_size // patch) ** 2, 4 * d_model
    block = 4 * d + 4 * (d * d + d) + d * f + f + f * d + d
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
})
WRONG.setdefault("answer_3_1", {}).update({
    "the statement's text instead of its letter": 'def answer_3_1():\n    return "locality and weight sharing"\n',
})
WRONG.setdefault("attention_rollout", {}).update({
    "squeeze() after a keepdim mean: a batch of one loses its dimension": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1, keepdim=True).squeeze() + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
    "list reversed in place (a tuple has no reverse)": '''
def attention_rollout(attn_maps):
    attn_maps.reverse()
    T = attn_maps[0].shape[-1]
    R = torch.eye(T, dtype=attn_maps[0].dtype, device=attn_maps[0].device)
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(T, dtype=A.dtype, device=A.device)
        R = R @ (A_hat / A_hat.sum(-1, keepdim=True))
    return R
''',
    "rollout started from a CPU float32 identity": '''
def attention_rollout(attn_maps):
    R = torch.eye(attn_maps[0].shape[-1])
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        R = (A_hat / A_hat.sum(-1, keepdim=True)) @ R
    return R
''',
    "identity added after the renormalisation": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
RIGHT.setdefault("patchify", {}).update({
    "pixel_unshuffle (channel-major already), then flatten": '''
def patchify(images, patch):
    H, W = images.shape[-2:]
    if H % patch or W % patch:
        raise ValueError(f"{H}x{W} is not a multiple of {patch}")
    return F.pixel_unshuffle(images, patch).flatten(2).transpose(1, 2)
''',
    "einsum of the split dimensions": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch != 0 or W % patch != 0:
        raise ValueError("H and W must be multiples of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch)
    return torch.einsum("bchuwv->bhwcuv", x).reshape(B, -1, C * patch * patch)
''',
})
RIGHT.setdefault("attention_rollout", {}).update({
    "identity added in place on the diagonal of the fresh mean, F.normalize(p=1)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(dim=1)
        A_hat.diagonal(dim1=-2, dim2=-1).add_(1)
        A_hat = F.normalize(A_hat, p=1, dim=-1)
        R = A_hat if R is None else torch.matmul(A_hat, R)
    return R
''',
    "the identity added to every head before the mean, in-place division": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = (A + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)).mean(1)
        A_hat /= A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
RIGHT.setdefault("vit_parameter_count", {}).update({
    "a sum over a list of parts": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d = d_model
    n = (image_size // patch) * (image_size // patch)
    parts = [in_channels * patch ** 2 * d, d, d, (n + 1) * d]
    parts += [depth * x for x in (2 * d, 2 * d, 4 * d * d, 4 * d, d * d_ff, d_ff, d_ff * d, d)]
    parts += [2 * d, d * n_classes, n_classes]
    return sum(parts)
''',
})

# ---- red team, round 5 ----
WRONG["vit"].update({
    "return_attention=True runs under torch.no_grad() (maps for the plots)": _vit('''
    def forward(self, images, return_attention=False):
        with torch.set_grad_enabled(torch.is_grad_enabled() and not return_attention):
            tokens = self.patch_embed(images)
            h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
            maps = []
            for block in self.blocks:
                if return_attention:
                    h, w = block(h, return_attention=True)
                    maps.append(w)
                else:
                    h = block(h)
            logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    "images cast to float32 in forward (a float64 model fails)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images.float())
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["patchify"].update({
    "Tensor.unfold twice without the permute: channels interleaved with patches": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("H and W must be multiples of the patch size")
    x = images.unfold(2, patch, patch).unfold(3, patch, patch)       # [B, C, H/p, W/p, p, p]
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
})
WRONG["patch_embedding"].update({
    "patches cast to float32 before proj": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch).float())
''',
})
WRONG["vit_parameter_count"].update({
    "the first feed-forward bias counted as d, not d_ff": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + (d * d_ff + d) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
})
WRONG["attention_rollout"].update({
    "heads averaged by dividing by the batch size": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.sum(1) / A.shape[0] + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
    "rows renormalised with a softmax": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = torch.softmax(A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device), dim=-1)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
RIGHT["vit"].update({
    "the final norm applied to every token, the head on token 0": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.repeat(tokens.shape[0], 1, 1)
        h = self.pos_embed + torch.cat((cls, tokens), 1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h))[:, 0]
        return (logits, maps) if return_attention else logits
'''),
})
RIGHT["patchify"].update({
    "the reshape's error turned into a ValueError": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    try:
        x = images.reshape(B, C, H // patch, patch, W // patch, patch)
    except RuntimeError:
        raise ValueError(f"{H}x{W} is not a multiple of the patch size {patch}") from None
    return x.permute(0, 2, 4, 1, 3, 5).flatten(3).flatten(1, 2)
''',
})
RIGHT["attention_rollout"].update({
    "torch.eye(T).to(A), product in float64, cast back": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.double().mean(dim=-3) + torch.eye(A.shape[-1]).to(A.device, torch.float64)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else torch.bmm(A_hat, R)
    return R.to(attn_maps[0].dtype)
''',
})
WRONG["vit"].update({
    "position embeddings from torch.rand (uniform in [0, 1): not small)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(torch.rand(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
})

# ---- red team, round 6 ----
_VIT_FORWARD = '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''
WRONG["vit"].update({
    "embedding dropout hard-coded at 0.1 (timm's ViT)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.pos_drop = nn.Dropout(0.1)
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = self.pos_drop(torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "dropout 0.1 before the head, hard-coded": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(F.dropout(self.norm(h[:, 0]), 0.1, self.training))
        return (logits, maps) if return_attention else logits
'''),
    "final LayerNorm with eps=1e-6 (timm's)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model, eps=1e-6)
        self.head = nn.Linear(d_model, n_classes)
''' + _VIT_FORWARD,
    "torch.manual_seed(0) in __init__: every ViT starts the same": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        torch.manual_seed(0)                       # reproducible initialisation
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)
''' + _VIT_FORWARD,
})
WRONG["vit"].update({
    "final norm without its weight and bias (F.layer_norm, no affine)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(F.layer_norm(h[:, 0], h.shape[-1:]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["patch_embedding"].update({
    "a LayerNorm on the patches before proj (an extra layer)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        x = patchify(images, self.patch)
        return self.proj(F.layer_norm(x, x.shape[-1:]))
''',
})
WRONG["attention_rollout"].update({
    "rows renormalised by their largest entry": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.amax(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
WRONG["vit_parameter_count"].update({
    "the block's two layer norms counted without their biases": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 2 * d + 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
})
RIGHT["attention_rollout"].update({
    "diag_embed identity, functools.reduce of the products": '''
import functools

def attention_rollout(attn_maps):
    hats = []
    for A in attn_maps:
        M = A.mean(1)
        M = M + torch.diag_embed(torch.ones_like(M[..., 0]))
        hats.append(M / M.sum(-1, keepdim=True))
    return functools.reduce(lambda R, M: M @ R, hats)
''',
})
RIGHT["patch_embedding"].update({
    "torch.addmm on the flattened patches, sizes given explicitly": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        x = patchify(images, self.patch)
        B, N, F_ = x.shape
        return torch.addmm(self.proj.bias, x.reshape(B * N, F_), self.proj.weight.t()).reshape(B, N, -1)
''',
})
RIGHT["vit"].update({
    "blocks built from a generator, pos_embed via nn.init.normal_": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.empty(1, 1, d_model).normal_(std=0.02))
        self.pos_embed = nn.Parameter(torch.empty(1, n + 1, d_model))
        nn.init.normal_(self.pos_embed, std=0.02)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        x = torch.cat((self.cls_token.repeat(len(images), 1, 1), self.patch_embed(images)), dim=1)
        x = x + self.pos_embed
        maps = []
        for blk in self.blocks:
            out = blk(x, return_attention=return_attention)
            if return_attention:
                x, w = out
                maps.append(w)
            else:
                x = out
        out = self.head(self.norm(x)[:, 0, :])
        return (out, maps) if return_attention else out
''',
})
WRONG["answer_1_3"].update({
    "numpy integers (np.int64, not int)": "def answer_1_3():\n    return np.int64(14 * 14 + 1), np.int64(3 * 16 * 16)\n",
})
WRONG["vit_parameter_count"].update({
    "position embeddings counted once per block": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = (n + 1) * d + 4 * d + 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + d + depth * block + 2 * d + d * n_classes + n_classes
''',
})

# red team rt7/f 2026-12-04
WRONG["patchify"].update({
    "im2col reached through torch.ops.aten.im2col (off limits)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    cols = torch.ops.aten.im2col(images, [patch, patch], [1, 1], [0, 0], [patch, patch])
    return cols.transpose(1, 2)
''',
    "torch.convolution with one-hot kernels (conv2d by another name, off limits)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    eye = torch.eye(C * patch * patch, dtype=images.dtype, device=images.device).reshape(-1, C, patch, patch)
    out = torch.convolution(images, eye, None, [patch, patch], [0, 0], [1, 1], False, [0, 0], 1)
    return out.flatten(2).transpose(1, 2)
''',
})
WRONG["patch_embedding"].update({
    "torch.ops.aten.convolution with the reshaped weight (off limits)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        B, C, H, W = images.shape
        if H % self.patch or W % self.patch:
            raise ValueError("not a multiple of the patch size")
        p = self.patch
        w = self.proj.weight.reshape(-1, C, p, p)
        out = torch.ops.aten.convolution(images, w, self.proj.bias, [p, p], [0, 0], [1, 1], False, [0, 0], 1)
        return out.flatten(2).transpose(1, 2)
''',
    "tokens scaled by sqrt(d_model) (the text transformer's embedding scale)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.d_model = d_model
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch)) * math.sqrt(self.d_model)
''',
})
WRONG["vit"].update({
    "n_heads ignored: one head per block": _VIT_INIT.replace("TransformerBlock(d_model, n_heads, d_ff, dropout)",
                                                             "TransformerBlock(d_model, 1, d_ff, dropout)") + '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "d_ff hard-coded as 4 * d_model": _VIT_INIT.replace("TransformerBlock(d_model, n_heads, d_ff, dropout)",
                                                        "TransformerBlock(d_model, n_heads, 4 * d_model, dropout)") + '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
})
WRONG["vit_parameter_count"].update({
    "the final layer norm counted without its bias (d, not 2d)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + d * d_ff + d_ff + d_ff * d + d
    return (in_channels * patch * patch + 1) * d + d + (n + 1) * d + depth * block + d + (d + 1) * n_classes
''',
})
WRONG["attention_rollout"].update({
    "the identity weighted by the number of heads (heads summed, + I, renormalised)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.sum(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
RIGHT["attention_rollout"].update({
    "product of (mean A + I), rows renormalised once at the end (every row sum is 2)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        R = A_hat if R is None else A_hat @ R
    return R / R.sum(-1, keepdim=True)
''',
})
RIGHT["vit_parameter_count"].update({
    "the recap's formula in one line": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    C, p, d, L, K, f = in_channels, patch, d_model, depth, n_classes, d_ff
    N = (image_size // p) ** 2
    return (C * p * p + 1) * d + (N + 2) * d + L * (4 * (d * d + d) + 4 * d + 2 * d * f + f + d) + 2 * d + (d + 1) * K
''',
})
# renormalising once at the end gives the same values only when every row of every map sums to exactly 1; as a function
# of the maps it is another one (the stated formula renormalises each layer), and its gradient differs (the hidden
# check_backward, and the float64 values of float32-made maps, catch it); moved from RIGHT
WRONG["attention_rollout"]["rows renormalised once at the end, not per layer (another function off the simplex)"] = RIGHT[
    "attention_rollout"].pop("product of (mean A + I), rows renormalised once at the end (every row sum is 2)")
RIGHT["patchify"].update({
    "reshape, movedim of the grid dimensions, two flattens": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch != 0 or W % patch != 0:
        raise ValueError(f"{H}x{W} images cannot be cut into {patch}x{patch} patches")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).movedim((2, 4), (1, 2))   # [B, H/p, W/p, C, p, p]
    return x.flatten(3).flatten(1, 2)
''',
})
RIGHT["attention_rollout"].update({
    "head mean by einsum, renormalised per layer, products by torch.bmm": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        T = A.shape[-1]
        A_hat = torch.einsum("bhij->bij", A) / A.shape[1] + torch.eye(T, dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else torch.bmm(A_hat, R)
    return R
''',
})

# ---- red team, round 9 (2026-12-04) ----
WRONG["patch_embedding"].update({
    "images detached (no gradient reaches the images)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images.detach(), self.patch))
''',
})
_MAPS_FORWARD = '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
        maps = []
        for block in self.blocks:
            if return_attention:
                h, weights = block(h, return_attention=True)
                maps.append(weights{post})
            else:
                h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''
WRONG["vit"].update({
    "attention maps detached (for the plots)": _vit(_MAPS_FORWARD.replace("{post}", ".detach()")),
    "attention maps moved to the CPU (for the plots)": _vit(_MAPS_FORWARD.replace("{post}", ".cpu()")),
    "attention maps cast to float32 (for the plots)": _vit(_MAPS_FORWARD.replace("{post}", ".float()")),
})
WRONG["attention_rollout"].update({
    "heads averaged through .view (non-contiguous maps fail)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        B, h, T, _ = A.shape
        A_hat = A.view(B, h, T * T).mean(1).view(B, T, T) + torch.eye(T, dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
    "row sums detached before the division": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True).detach()
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
RIGHT["attention_rollout"].update({
    "row sums as 1 + the head mean's row sums": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        M = A.mean(1)
        A_hat = (M + torch.eye(M.shape[-1], dtype=M.dtype, device=M.device)) / (1 + M.sum(-1, keepdim=True))
        R = A_hat if R is None else torch.matmul(A_hat, R)
    return R
''',
})
RIGHT["vit"].update({
    "class token and position embeddings joined by F.pad, blocks by index": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n = (image_size // patch) * (image_size // patch)
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, d_model) * 0.02)
        self.blocks = nn.ModuleList(TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth))
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        x = F.pad(self.patch_embed(images), (0, 0, 1, 0))             # an empty slot at position 0
        x = x + F.pad(self.cls_token, (0, 0, 0, x.shape[1] - 1))    # the class token into the slot
        x = x + self.pos_embed
        maps = []
        for i in range(len(self.blocks)):
            out = self.blocks[i](x, return_attention=return_attention)
            if return_attention:
                x, w = out
                maps.append(w)
            else:
                x = out
        logits = self.head(self.norm(x)[:, 0])
        if return_attention:
            return logits, maps
        return logits
''',
})

# ---- red team, round 10 (2026-12-04) ----
WRONG["vit"].update({
    "return_attention=True puts the blocks in eval mode (the model's own flag untouched)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
        maps = []
        if return_attention:
            self.blocks.eval()                      # deterministic maps for the plots
        for block in self.blocks:
            if return_attention:
                h, w = block(h, return_attention=True)
                maps.append(w)
            else:
                h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    "the class token cast to float32 before the concatenation": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.float().expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    "pos_embed a plain tensor attribute (not an nn.Parameter)": _VIT_INIT.replace(
        "self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))",
        "self.pos_embed = 0.02 * torch.randn(1, n_patches + 1, d_model)") + '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed.to(tokens.device)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
})
WRONG["vit_parameter_count"].update({
    "the attention's output projection without its bias (4 d^2 + 3 d)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + (4 * d * d + 3 * d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + d + (n + 1) * d + depth * block + 2 * d + (d + 1) * n_classes
''',
})
WRONG["attention_rollout"].update({
    "(mean + I) / 2: the rows assumed to sum to 2": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = (A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)) / 2
        R = A_hat if R is None else A_hat @ R
    return R
''',
    "identity added and rows renormalised per head, then the heads averaged": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        M = A + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = (M / M.sum(-1, keepdim=True)).mean(1)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
WRONG["patch_embedding"].update({
    "a GELU after the projection (an extra nonlinearity)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return F.gelu(self.proj(patchify(images, self.patch)))
''',
})
WRONG["patchify"].update({
    "pixel_unshuffle, then a reshape without the transpose": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"{H}x{W} is not a multiple of {patch}")
    return F.pixel_unshuffle(images, patch).reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
})
RIGHT["patchify"].update({
    "one band of patch rows at a time (split along H), concatenated": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"{H}x{W} images cannot be cut into {patch}x{patch} patches")
    bands = images.split(patch, dim=2)                                           # H/p bands [B, C, p, W]
    rows = [b.reshape(B, C, patch, W // patch, patch).permute(0, 3, 1, 2, 4).flatten(2) for b in bands]
    return torch.cat(rows, dim=1)                                                # [B, N, C p p]
''',
})
RIGHT["vit_parameter_count"].update({
    "a list of parameter shapes, math.prod of each": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    shapes = [(d, in_channels * patch * patch), (d,), (1, 1, d), (1, n + 1, d)]
    block = [(d,), (d,), (3 * d, d), (3 * d,), (d, d), (d,), (d,), (d,), (d_ff, d), (d_ff,), (d, d_ff), (d,)]
    shapes += block * depth + [(d,), (d,), (n_classes, d), (n_classes,)]
    return sum(math.prod(s) for s in shapes)
''',
})

# red team 11, 2026-12-04
WRONG["patchify"].update({
    "squeezed: a batch of one loses its dimension": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError("not a multiple of the patch size")
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch).squeeze(0)
''',
})
WRONG["patch_embedding"].update({
    "torch.manual_seed(0) in __init__ (every PatchEmbedding starts the same)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        torch.manual_seed(0)                      # reproducible initialisation
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        return self.proj(patchify(images, self.patch))
''',
})
WRONG["vit"].update({
    "embedding dropout at the model's dropout rate (timm's pos_drop)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.pos_drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = self.pos_drop(torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    "maps kept on the model and appended to across calls": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)
        self.maps = []

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        for block in self.blocks:
            if return_attention:
                h, w = block(h, return_attention=True)
                self.maps.append(w)
            else:
                h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, self.maps) if return_attention else logits
''',
    "logits cast to float32 (as the training loop's .float())": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0])).float()
        return (logits, maps) if return_attention else logits
'''),
    "final LayerNorm without affine parameters": _VIT_INIT.replace(
        "self.norm = nn.LayerNorm(d_model)", "self.norm = nn.LayerNorm(d_model, elementwise_affine=False)") + _VIT_FORWARD,
})
WRONG["vit_parameter_count"].update({
    "the head's bias counted as d, not n_classes": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + d
''',
    "the attention's bias_k and bias_v counted (2 d more per block)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    block = 4 * d + 4 * (d * d + d) + 2 * d + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + (n + 2) * d + depth * block + 2 * d + d * n_classes + n_classes
''',
})
WRONG["attention_rollout"].update({
    "the first head only, not the mean of the heads": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A[:, 0] + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
WRONG["answer_1_3"].update({
    "ViT-B/16 at its 384x384 fine-tuning size": "def answer_1_3():\n    return 24 * 24 + 1, 3 * 16 * 16\n",
})
RIGHT["patchify"].update({
    "a Python loop over the grid, row by row, torch.stack": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"{H}x{W} images cannot be cut into {patch}x{patch} patches")
    tiles = [images[:, :, i:i + patch, j:j + patch].reshape(B, -1)
             for i in range(0, H, patch) for j in range(0, W, patch)]
    return torch.stack(tiles, dim=1) if tiles else images.new_zeros(B, 0, C * patch * patch)
''',
})
RIGHT["vit"].update({
    "blocks made by copy.deepcopy of one block (as nn.TransformerEncoder does)": '''
import copy

class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(0.02 * torch.randn(1, n_patches + 1, d_model))
        block = TransformerBlock(d_model, n_heads, d_ff, dropout)
        self.blocks = nn.ModuleList([copy.deepcopy(block) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)
''' + _VIT_FORWARD,
})

# red team 13, 2026-12-05
# (not wrong: reshape(B, -1, ...) or view(B, -1, d), which fail for an empty batch only: patchify's docstring says B >= 1,
# and five RIGHT answers reshape with -1)
WRONG["patchify"].update({
    "a product with a 0/1 selection matrix (0 * inf is nan: values are mixed, not moved)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {patch}")
    idx = torch.arange(C * H * W, device=images.device).reshape(C, H // patch, patch, W // patch, patch)
    idx = idx.permute(1, 3, 0, 2, 4).reshape(-1)                          # source pixel of each output entry
    select = torch.zeros(C * H * W, C * H * W, dtype=images.dtype, device=images.device)
    select[idx, torch.arange(C * H * W, device=images.device)] = 1.0      # column k picks pixel idx[k]
    out = images.reshape(B, C * H * W) @ select
    return out.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
})
WRONG["vit"].update({
    "return_attention=True runs in eval mode, the caller's mode put back afterwards": _VIT_INIT + '''
    def forward(self, images, return_attention=False):
        was_training = self.training
        if return_attention:
            self.eval()                                   # clean maps for the plots, without dropout
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        self.train(was_training)
        return (logits, maps) if return_attention else logits
''',
    "return_attention=True: eval() then train() (the notebook's plotting pattern), an eval-mode model comes back training": _VIT_INIT + '''
    def forward(self, images, return_attention=False):
        if return_attention:
            self.eval()
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        if return_attention:
            self.train()
        return (logits, maps) if return_attention else logits
''',
    "the class token expanded to the notebook's global D_MODEL": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], 1, D_MODEL), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["attention_rollout"].update({
    "computed in float32 for stability, cast back (float64 maps lose their precision)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A32 = A.float()
        A_hat = A32.mean(1) + torch.eye(A.shape[-1], device=A.device)
        A_hat = A_hat / A_hat.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R.to(attn_maps[0].dtype)
''',
})
RIGHT["vit"].update({
    "head zero-initialised (big_vision's head_zeroinit), position embeddings scaled by 1 / sqrt(d)": '''
class ViT(nn.Module):
    def __init__(self, image_size=32, patch=8, in_channels=3, n_classes=10, d_model=64, depth=4, n_heads=4, d_ff=128,
                 dropout=0.0):
        super().__init__()
        n_patches = (image_size // patch) ** 2
        self.patch_embed = PatchEmbedding(patch, in_channels, d_model)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, d_model))
        self.pos_embed = nn.Parameter(torch.randn(1, n_patches + 1, d_model) * d_model ** -0.5)
        self.blocks = nn.ModuleList([TransformerBlock(d_model, n_heads, d_ff, dropout) for _ in range(depth)])
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_classes)
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
''' + _VIT_FORWARD,
})
RIGHT["vit_parameter_count"].update({
    "q, k, v counted per head (d // n_heads outputs each), summed over the heads": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    d_head = d // n_heads
    qkv = n_heads * 3 * (d * d_head + d_head)
    block = 2 * 2 * d + qkv + (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + d + (n + 1) * d + depth * block + 2 * d + (d + 1) * n_classes
''',
})
RIGHT["attention_rollout"].update({
    "started from the identity on the maps' dtype and device, every layer multiplied on the left": '''
def attention_rollout(attn_maps):
    A0 = attn_maps[0]
    eye = torch.eye(A0.shape[-1], dtype=A0.dtype, device=A0.device)
    R = eye.expand(A0.shape[0], -1, -1)
    for A in attn_maps:
        A_hat = A.mean(1) + eye
        R = (A_hat / A_hat.sum(-1, keepdim=True)) @ R
    return R
''',
})
WRONG["vit"].update({
    "return_attention=True: the maps recomputed in a second pass under torch.no_grad() (for the plots)": _VIT_INIT + '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        h0 = h
        for block in self.blocks:
            h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        if not return_attention:
            return logits
        maps = []
        with torch.no_grad():
            g = h0
            for block in self.blocks:
                g, w = block(g, return_attention=True)
                maps.append(w)
        return logits, maps
''',
})
WRONG["attention_rollout"].update({
    "rows divided by the head mean's row sums, the identity's 1 left out of the normaliser": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        M = A.mean(1)
        A_hat = (M + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)) / M.sum(-1, keepdim=True)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
WRONG["patchify"].update({
    "Tensor.unfold twice, then reshaped into F.unfold's [B, C p p, N] layout and transposed (grid and pixels mixed)": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {patch}")
    x = images.unfold(2, patch, patch).unfold(3, patch, patch)           # [B, C, H/p, W/p, p, p]
    return x.reshape(B, C * patch * patch, -1).transpose(1, 2)            # as F.unfold(...).transpose(1, 2)
''',
})
WRONG["attention_rollout"].update({
    "rows renormalised with F.normalize's default p=2 (unit length, not unit sum)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = F.normalize(A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device), dim=-1)
        R = A_hat if R is None else A_hat @ R
    return R
''',
})

# ---- red team 15 (reviewer G) ----
WRONG["patch_embedding"].update({
    # red team 15: the tokens are written into a buffer made on the CPU (no device=): a model on a GPU fails
    "a loop over the patches filling a buffer made on the CPU (no device=)": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        patches = patchify(images, self.patch)
        B, N, _ = patches.shape
        tokens = torch.zeros(B, N, self.proj.out_features, dtype=patches.dtype)
        for n in range(N):
            tokens[:, n] = self.proj(patches[:, n])
        return tokens
''',
})
WRONG["vit"].update({
    # red team 15: a global switch flipped for the whole notebook when a model is built (every float32 matmul after it)
    "torch.set_float32_matmul_precision('high') in __init__ (a global switch, for speed)": _VIT_INIT.replace(
        "        super().__init__()\n", "        super().__init__()\n        torch.set_float32_matmul_precision(\"high\")\n")
    + '''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(len(tokens), -1, -1), tokens], 1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
''',
    # red team 15: the caller chooses whether gradients are recorded; under a caller's torch.no_grad() this
    # forward builds the graph anyway (memory of every activation kept during evaluation)
    "forward under torch.enable_grad() (the maps always differentiable; a caller's no_grad overridden)": _vit('''
    def forward(self, images, return_attention=False):
        with torch.enable_grad():
            tokens = self.patch_embed(images)
            h = torch.cat([self.cls_token.expand(len(tokens), -1, -1), tokens], 1) + self.pos_embed
            maps = []
            for block in self.blocks:
                if return_attention:
                    h, w = block(h, return_attention=True)
                    maps.append(w)
                else:
                    h = block(h)
            logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["vit_parameter_count"].update({
    # red team 15: a partial patch at the border counted as a patch (ceil): the ViT has (image_size // patch)^2 patches
    "partial border patches counted (math.ceil of image_size / patch)": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, math.ceil(image_size / patch) ** 2
    block = 4 * d + 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d)
    return (in_channels * patch * patch + 1) * d + d + (n + 1) * d + depth * block + 2 * d + (d + 1) * n_classes
''',
})
WRONG["attention_rollout"].update({
    # red team 15: vit-explain's broadcast: A_hat / A_hat.sum(dim=-1) without keepdim divides column j by row j's sum
    "rows divided by A_hat.sum(dim=-1) without keepdim (column j divided by row j's sum, vit-explain's broadcast)": '''
def attention_rollout(attn_maps):
    R = None
    for A in attn_maps:
        A_hat = A.mean(1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(dim=-1)[:, None, :]
        R = A_hat if R is None else A_hat @ R
    return R
''',
})
WRONG["answer_1_3"].update({
    # red team 15: DeiT's distillation token is not in ViT-B/16: one class token only
    "a distillation token counted too (DeiT)": "def answer_1_3():\n    return 198, 768\n",
})
WRONG["patchify"].update({
    # red team 15: as_strided with the strides of a contiguous tensor reads the wrong elements of a non-contiguous input
    "as_strided with strides computed for a contiguous input": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {patch}")
    p = patch
    x = images.as_strided((B, H // p, W // p, C, p, p), (C * H * W, p * W, p, H * W, W, 1))
    return x.reshape(B, (H // p) * (W // p), C * p * p)
''',
})
RIGHT["patch_embedding"].update({
    # red team 15: written as a wrong answer ("a .view cut fails on a non-contiguous batch"), but a view that only SPLITS
    # dimensions works for any strides (channels_last, sliced): the same tokens as patchify's reshape
    "the patch cut inlined (view splits, permute, reshape) instead of a call to patchify": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)

    def forward(self, images):
        B, C, H, W = images.shape
        p = self.patch
        if H % p or W % p:
            raise ValueError(f"image size {H}x{W} is not a multiple of the patch size {p}")
        x = images.view(B, C, H // p, p, W // p, p).permute(0, 2, 4, 1, 3, 5).reshape(B, -1, C * p * p)
        return self.proj(x)
''',
})
# the text of Exercise 2.1 leaves autograd's switch to the caller; the visible part checks forward under no_grad (the
# checker now mirrors a graph the student's code recorded under enable_grad)
WARNED["vit"] += ["forward under torch.enable_grad() (the maps always differentiable; a caller's no_grad overridden)"]

# ---- red team 17 (reviewer G, 2026-12-05) ----
WRONG["vit"].update({
    # red team 17: one list object kept on the model and refilled at every call: the maps a caller got from an earlier
    # call are replaced by the next call's (maps_a is maps_b)
    # still passes in the checker (results travel by value): needs coursekit's call_without_shared_memory to check that
    # the first result's lists are unchanged after the second call; test_vit's no_shared_memory call then catches it
    "maps list kept on the model, cleared and refilled at every call (one list shared by all calls)": _VIT_INIT + '''        self.attention_maps = []

    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1) + self.pos_embed
        self.attention_maps.clear()
        for block in self.blocks:
            if return_attention:
                h, w = block(h, return_attention=True)
                self.attention_maps.append(w)
            else:
                h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, self.attention_maps) if return_attention else logits
''',
    # red team 17: position rows off by one: the class token is at position 0, so it gets row 0 of pos_embed
    "position rows off by one: the patches get rows 0..N-1, the class token row N": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images) + self.pos_embed[:, :-1]
        cls = (self.cls_token + self.pos_embed[:, -1:]).expand(tokens.shape[0], -1, -1)
        h = torch.cat([cls, tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["attention_rollout"].update({
    # red team 17: vit-explain's rollout zeroes the lowest 90 % of each layer's head mean (discard_ratio=0.9); the
    # exercise's rollout keeps every weight
    "vit-explain's discard_ratio 0.9: the lowest attentions of each layer zeroed": '''
def attention_rollout(attn_maps, discard_ratio=0.9):
    rollout = None
    for A in attn_maps:
        A_bar = A.mean(dim=1)
        flat = A_bar.reshape(A_bar.shape[0], -1)
        k = int(flat.shape[-1] * discard_ratio)
        if k > 0:
            flat = flat.scatter(-1, flat.topk(k, dim=-1, largest=False).indices, 0.0)
        A_hat = flat.reshape(A_bar.shape) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(dim=-1, keepdim=True)
        rollout = A_hat if rollout is None else A_hat @ rollout
    return rollout
''',
    # red team 17: the first layer is not exempt from the residual: Â_1 = rows(mean A_1 + I) too
    "the first layer's head mean starts the product without the identity": '''
def attention_rollout(attn_maps):
    rollout = attn_maps[0].mean(dim=1)
    for A in attn_maps[1:]:
        A_hat = A.mean(dim=1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(dim=-1, keepdim=True)
        rollout = A_hat @ rollout
    return rollout
''',
    # red team 17: the text asks for the input's dtype: float32 maps must give a float32 rollout
    "the product accumulated in float64 for precision, returned in float64": '''
def attention_rollout(attn_maps):
    rollout = None
    for A in attn_maps:
        A = A.double()
        A_hat = A.mean(dim=1) + torch.eye(A.shape[-1], dtype=A.dtype, device=A.device)
        A_hat = A_hat / A_hat.sum(dim=-1, keepdim=True)
        rollout = A_hat if rollout is None else A_hat @ rollout
    return rollout
''',
})

# ---- red team 18 (reviewer G) ----
WRONG.setdefault("patch_embedding", {}).update({
    # red team 18: nn.Conv2d is off limits in this exercise, also when it is only built to borrow its initialisation
    "proj initialised from an nn.Conv2d built in __init__ (off limits), the conv's init copied": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        conv = nn.Conv2d(in_channels, d_model, kernel_size=patch, stride=patch)   # most ViT code's layer: its init
        self.proj = nn.Linear(in_channels * patch * patch, d_model)
        with torch.no_grad():
            self.proj.weight.copy_(conv.weight.flatten(1))
            self.proj.bias.copy_(conv.bias)

    def forward(self, images):
        return self.proj(patchify(images, self.patch))
''',
    # red team 18: proj is a trained nn.Linear with a bias; a frozen bias never learns (no gradient reaches it)
    "proj's bias frozen (requires_grad False: 'the position embeddings already add an offset')": '''
class PatchEmbedding(nn.Module):
    def __init__(self, patch, in_channels, d_model):
        super().__init__()
        self.patch = patch
        self.proj = nn.Linear(in_channels * patch * patch, d_model)
        self.proj.bias.requires_grad_(False)

    def forward(self, images):
        return self.proj(patchify(images, self.patch))
''',
})
_VIT_INIT_RATE = _VIT_INIT + "        self.drop_rate = dropout\n"


def _vit_rate(forward):
    return _VIT_INIT_RATE + "\n" + forward


WRONG.setdefault("vit", {}).update({
    # red team 18: "the model has no other dropout": stochastic depth (timm's drop_path) at the dropout rate is one
    "stochastic depth (timm's drop_path) at the dropout rate on every block's update": _vit_rate('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        p = self.drop_rate
        maps = []
        for block in self.blocks:
            if return_attention:
                new, w = block(h, return_attention=True)
                maps.append(w)
            else:
                new = block(h)
            if self.training and p > 0:
                keep = (torch.rand(h.shape[0], 1, 1, dtype=h.dtype, device=h.device) >= p).to(h.dtype) / (1 - p)
                new = h + (new - h) * keep
            h = new
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    # red team 18: "the model has no other dropout": a dropout on the patch tokens (timm's pos_drop, cls token spared)
    "dropout at the model's rate on the patch tokens only (the class token spared)": _vit_rate('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        p = self.drop_rate
        tokens = F.dropout(tokens + self.pos_embed[:, 1:], p, self.training)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1) + self.pos_embed[:, :1], tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    # red team 18: "the model has no other dropout": FLIP's patch dropout (a random half of the patches kept in training)
    "patch dropout in training (FLIP: a random subset of the patch tokens kept, at the dropout rate)": _vit_rate('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images) + self.pos_embed[:, 1:]
        p = self.drop_rate
        if self.training and p > 0:
            n_keep = max(1, int(tokens.shape[1] * (1 - p)))
            idx = torch.rand(tokens.shape[0], tokens.shape[1], device=tokens.device).argsort(1)[:, :n_keep]
            tokens = tokens.gather(1, idx[..., None].expand(-1, -1, tokens.shape[-1]))
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1) + self.pos_embed[:, :1], tokens], dim=1)
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
# the text puts nn.Conv2d off limits: the visible part's guard catches it being built in __init__
WARNED["patch_embedding"].append("proj initialised from an nn.Conv2d built in __init__ (off limits), the conv's init copied")

# ---- red team 20 ----
WRONG["vit"].update({
    # red team 20: the patch tokens detached ("the patch embedding is a fixed tokenizer"): the logits still have a
    # graph (class token, position embeddings, blocks, head), but no gradient ever reaches patch_embed.proj, so the
    # ViT never learns its patch embedding
    "patch tokens detached (a frozen tokenizer: patch_embed never trains)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images).detach()
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    # red team 20: torch.no_grad() inside forward, around the patch embedding only (the text: no torch.no_grad()
    # inside forward): patch_embed gets no gradient
    "the patch embedding run under torch.no_grad() inside forward": _vit('''
    def forward(self, images, return_attention=False):
        with torch.no_grad():
            tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
''' + _blocks_loop() + '''
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
    # red team 20: return_attention honoured only in evaluation mode ("the maps are for the plots"): a model in
    # training mode returns an empty list of maps
    "maps collected only in eval mode (an empty list in training mode)": _vit('''
    def forward(self, images, return_attention=False):
        tokens = self.patch_embed(images)
        h = torch.cat([self.cls_token.expand(tokens.shape[0], -1, -1), tokens], dim=1) + self.pos_embed
        maps = []
        for block in self.blocks:
            if return_attention and not self.training:
                h, w = block(h, return_attention=True)
                maps.append(w)
            else:
                h = block(h)
        logits = self.head(self.norm(h[:, 0]))
        return (logits, maps) if return_attention else logits
'''),
})
WRONG["vit_parameter_count"].update({
    # red team 20: every parameter tensor allocated (torch.empty) and counted with numel(): the model's weights are
    # built after all, without its layers (a ViT with d_model=8192 and depth=48 needs over 100 GB)
    "each parameter tensor allocated with torch.empty and counted by numel()": '''
def vit_parameter_count(image_size, patch, in_channels, n_classes, d_model, depth, n_heads, d_ff):
    d, n = d_model, (image_size // patch) ** 2
    shapes = [(d, in_channels * patch * patch), (d,), (1, 1, d), (1, n + 1, d)]
    for _ in range(depth):
        shapes += [(d,), (d,), (3 * d, d), (3 * d,), (d, d), (d,), (d,), (d,), (d_ff, d), (d_ff,), (d, d_ff), (d,)]
    shapes += [(d,), (d,), (n_classes, d), (n_classes,)]
    return sum(torch.empty(s).numel() for s in shapes)
''',
})
WRONG["patchify"].update({
    # red team 20: a bare `raise ValueError` (no message): the text asks for a ValueError that SAYS the size is not a
    # multiple of the patch
    "a bare ValueError without a message": '''
def patchify(images, patch):
    B, C, H, W = images.shape
    if H % patch or W % patch:
        raise ValueError
    x = images.reshape(B, C, H // patch, patch, W // patch, patch).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(B, (H // patch) * (W // patch), C * patch * patch)
''',
})
# red team 20: the text says "no torch.no_grad() ... inside" forward: the visible part catches it (no gradient reaches
# the patch embedding)
WARNED["vit"].append("the patch embedding run under torch.no_grad() inside forward")
