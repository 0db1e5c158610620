"""Answer variants for 04-latent-diffusion.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: machine-made mutants reviewed as behaving like the solution on every valid input.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

_CA_INIT = '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.to_q = nn.Linear(query_dim, query_dim)
        self.to_k = nn.Linear(context_dim, query_dim)
        self.to_v = nn.Linear(context_dim, query_dim)
        self.to_out = nn.Linear(query_dim, query_dim)
'''


def _ca(body):
    return _CA_INIT + body


_TOK_HEAD = '''
def tokenize(captions, vocab):
'''

_LOSS_HEAD = '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
'''

_SAMPLE_HEAD = '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
'''

_CA_QKV = '''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
'''

_SAMPLE_SETUP = '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
'''

WRONG = {
    "latent_scale": {
        "the std, not its inverse": '''
def latent_scale(latents):
    return latents.double().std().item()
''',
        "mean of the per-channel stds": '''
def latent_scale(latents):
    return 1.0 / latents.double().std(dim=(0, 2, 3)).mean().item() if latents.dim() == 4 else 1.0 / latents.double().std().item()
''',
        "root mean square (no mean subtracted)": '''
def latent_scale(latents):
    return 1.0 / latents.double().pow(2).mean().sqrt().item()
''',
        "without Bessel's correction": '''
def latent_scale(latents):
    return 1.0 / latents.double().std(correction=0).item()
''',
        "returns a tensor": '''
def latent_scale(latents):
    return 1.0 / latents.double().std()
''',
        "std computed in the input's dtype": '''
def latent_scale(latents):
    return 1.0 / latents.std().item()
''',
        "mean absolute value": '''
def latent_scale(latents):
    return 1.0 / latents.double().abs().mean().item()
''',
        # red team 2026-12-03
        "one over the variance": '''
def latent_scale(latents):
    return 1.0 / latents.double().var().item()
''',
        "per-example stds, averaged": '''
def latent_scale(latents):
    return 1.0 / latents.double().flatten(1).std(dim=1).mean().item() if latents.dim() > 1 else 1.0 / latents.double().std().item()
''',
        "centred in place (aliases a float64 input)": '''
def latent_scale(latents):
    z = latents.double()
    z -= z.mean()
    return 1.0 / (z.pow(2).sum() / (z.numel() - 1)).sqrt().item()
''',
        "result rounded through float32": '''
def latent_scale(latents):
    return (1.0 / latents.double().std()).float().item()
''',
        "numpy std in the input's dtype": '''
def latent_scale(latents):
    import numpy as np
    return float(1.0 / np.std(latents.detach().float().cpu().numpy(), ddof=1))
''',
    },
    "answer_2_2": {
        "the image size": "def answer_2_2():\n    return 768 * 768 * 3\n",
        "3 channels kept": "def answer_2_2():\n    return 96 * 96 * 3\n",
        "f = 8 applied to the area": "def answer_2_2():\n    return 768 * 768 * 4 // 8\n",
        # red team 2026-12-03
        "Stable Diffusion 1.x latent (64 x 64 x 4)": "def answer_2_2():\n    return 64 * 64 * 4\n",
        "channels forgotten": "def answer_2_2():\n    return 96 * 96\n",
        "side not squared": "def answer_2_2():\n    return 768 // 8 * 4\n",
        "a float": "def answer_2_2():\n    return 768 / 8 * 768 / 8 * 4\n",
    },
    "tokenize": {
        "no start token": _TOK_HEAD + '''
    rows = [[vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(max(len(r) for r in rows), 1)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "mask True at the words": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.zeros(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = True
    return ids, mask
''',
        "not lower-cased": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "split(' ') keeps empty pieces": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split(" ") if c] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "special ids hard-coded 0, 1, 2": _TOK_HEAD + '''
    rows = [[1] + [vocab.get(w, 2) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), L, dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "unknown words dropped": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab[w] for w in c.lower().split() if w in vocab] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "start token counted as padding": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, 1:len(r)] = False
    return ids, mask
''',
        # red team 2026-12-03
        "pads on the left": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, L - len(r):] = torch.tensor(r, dtype=torch.int64)
        mask[b, L - len(r):] = False
    return ids, mask
''',
        "unknown words mapped to <pad>": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<pad>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "truncated to CLIP's 77 tokens": _TOK_HEAD + '''
    rows = [([vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()])[:77] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
        "mask from ids == <pad>": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.int64)
    return ids, ids == vocab["<pad>"]
''',
        "squeezed for a batch of one": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids.squeeze(0), mask.squeeze(0)
''',
    },
    "CrossAttention": {
        "no padding mask": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        out = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(-1) @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
        "mask polarity inverted (True = keep)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(~key_padding_mask[:, None, None, :], -1e9)
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "scaled by sqrt(query_dim), not sqrt(d_k)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "heads split without the transpose": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).reshape(B, h, T_q, d // h)
        k = self.to_k(context).reshape(B, h, T_k, d // h)
        v = self.to_v(context).reshape(B, h, T_k, d // h)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).reshape(B, T_q, d))
'''),
        "softmax over the queries": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], -1e9)
        return self.to_out((s.softmax(-2) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "one head whatever n_heads": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        q, k, v = self.to_q(x), self.to_k(context), self.to_v(context)
        s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1] // self.n_heads)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, :], float("-inf"))
        return self.to_out(s.softmax(-1) @ v)
'''),
        "no output projection": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return (s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d)
'''),
        "F.scaled_dot_product_attention (off limits)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        m = None if key_padding_mask is None else ~key_padding_mask[:, None, None, :]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=m)
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
        "values from x (self-attention values)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        out = (s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d)
        return self.to_out(out) + x
'''),
        # red team 2026-12-03
        "masked after the softmax, renormalised": _ca(_CA_QKV + '''
        a = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(-1)
        if key_padding_mask is not None:
            a = a.masked_fill(key_padding_mask[:, None, None, :], 0.0)
            a = a / a.sum(-1, keepdim=True)
        return self.to_out((a @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "softmax in float32": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        a = s.float().softmax(-1).to(v.dtype)
        return self.to_out((a @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "scaled by the context's head width": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(context.shape[-1] // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "additive mask built on the CPU": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            bias = torch.zeros(key_padding_mask.shape, dtype=s.dtype).masked_fill(key_padding_mask, float("-inf"))
            s = s + bias[:, None, None, :]
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
        "nn.MultiheadAttention via torch.nn.modules.activation": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        from torch.nn.modules.activation import MultiheadAttention
        d = x.shape[-1]
        mha = MultiheadAttention(d, self.n_heads, kdim=context.shape[-1], vdim=context.shape[-1], batch_first=True,
                                 dtype=x.dtype, device=x.device)
        mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight = self.to_q.weight, self.to_k.weight, self.to_v.weight
        mha.in_proj_bias = nn.Parameter(torch.cat([self.to_q.bias, self.to_k.bias, self.to_v.bias]))
        mha.out_proj = self.to_out
        return mha(x, context, context, key_padding_mask=key_padding_mask, need_weights=False)[0]
'''),
        "sdpa reached through torch.ops.aten": _ca(_CA_QKV + '''
        m = None if key_padding_mask is None else ~key_padding_mask[:, None, None, :]
        out = torch.ops.aten._scaled_dot_product_attention_math(q, k, v, attn_mask=m)[0]
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
    },
    "answer_3_3": {
        "transposed": "def answer_3_3():\n    return (9, 64)\n",
        "the feature map's side": "def answer_3_3():\n    return (8, 9)\n",
        "keys = pixels (self-attention)": "def answer_3_3():\n    return (64, 64)\n",
        # red team 2026-12-03
        "start token forgotten": "def answer_3_3():\n    return (64, 8)\n",
        "a list": "def answer_3_3():\n    return [64, 9]\n",
        "channels counted as positions": "def answer_3_3():\n    return (8 * 8 * 4, 9)\n",
        "with the batch dimension": "def answer_3_3():\n    return (1, 64, 9)\n",
    },
    "latent_diffusion_loss": {
        "ids dropped, mask kept": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, pad_mask), noise)
''',
        "no caption dropout": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids, pad_mask), noise)
''',
        "tokens dropped one by one, not captions": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, L, generator=generator) < p_uncond).to(z0.device)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "compared with z0, not the noise": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), z0)
''',
        "sum instead of mean": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise, reduction="sum")
''',
        "ids and mask changed in place": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids[drop] = empty_ids[drop]
    pad_mask[drop] = empty_mask[drop]
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids, pad_mask), noise)
''',
        "t from 1..T-1": _LOSS_HEAD + '''
    t = torch.randint(1, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "draws from the global generator": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,)).to(z0.device)
    noise = torch.randn(z0.shape, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "drop drawn before the noise": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "loss returned as a float": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    with torch.no_grad():
        return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        # red team 2026-12-03
        "noise drawn in float32": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator).to(device=z0.device, dtype=z0.dtype)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "t left on the CPU": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "empty captions made on the CPU": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "dropped with probability 1 - p_uncond": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) > p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
        "the whole batch dropped at once": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    if torch.rand(1, generator=generator).item() < p_uncond:
        ids, pad_mask = empty_captions(B, L, device=ids.device)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids, pad_mask), noise)
''',
        "schedule cast to float32": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod.float()), t, ids_in, mask_in), noise)
''',
    },
    "guided_ddim_sample": {
        "empty captions' mask not set (all False)": _SAMPLE_HEAD + '''
    empty_ids, _ = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, torch.zeros_like(pad_mask)])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "halves swapped (empty captions first)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_u, eps_c = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "steps from linspace(T - 1, 0, n)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    steps = torch.linspace(T - 1, 0, n_steps).round().long().tolist()
    z = z_T
    for i, t in enumerate(steps):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, steps[i + 1] if i + 1 < len(steps) else -1, z, alphas_cumprod)
    return z
''',
        "leading spacing: (n - 1 - i) * s": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range((n_steps - 1) * stride, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride if t > 0 else -1, z, alphas_cumprod)
    return z
''',
        "guidance ignored (conditional only)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(eps_c, t, t - stride, z, alphas_cumprod)
    return z
''',
        "two model calls per step": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((B,), t, dtype=torch.int64, device=z_T.device)
        eps_c = model(z, t_in, ids, pad_mask)
        eps_u = model(z, t_in, empty_ids, empty_mask)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "one step too few (stops at t = s - 1 without the last jump)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, stride - 1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "z_T updated in place": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z_T, z_T]), t_in, ids_in, mask_in).chunk(2)
        z_T.copy_(ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z_T, alphas_cumprod))
    return z_T
''',
        # red team 2026-12-03
        "guidance as cond + w (cond - uncond)": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(eps_c + w * (eps_c - eps_u), t, t - stride, z, alphas_cumprod)
    return z
''',
        "each step to t - stride - 1": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride - 1, z, alphas_cumprod)
    return z
''',
        "last step to t = 0, not the clean latent": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, max(t - stride, 0), z, alphas_cumprod)
    return z
''',
        "t_in made on the CPU": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "under torch.no_grad() inside": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    with torch.no_grad():
        for t in range(T - 1, -1, -stride):
            t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
            eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
            z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
        "schedule cast to float32": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    abar = alphas_cumprod.float()
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, abar)
    return z
''',
    },
}

RIGHT = {
    "latent_scale": {
        "variance by hand": '''
def latent_scale(latents):
    x = latents.double().flatten()
    return float(1 / ((x - x.mean()).pow(2).sum() / (x.numel() - 1)).sqrt())
''',
        "numpy": '''
def latent_scale(latents):
    import numpy as np
    return float(1.0 / np.std(latents.detach().double().cpu().numpy(), ddof=1))
''',
    },
    "answer_2_2": {"written out": "def answer_2_2():\n    return 36864\n"},
    "tokenize": {
        "pad_sequence": _TOK_HEAD + '''
    from torch.nn.utils.rnn import pad_sequence
    rows = [torch.tensor([vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()], dtype=torch.int64)
            for c in captions]
    ids = pad_sequence(rows, batch_first=True, padding_value=vocab["<pad>"])
    lengths = torch.tensor([len(r) for r in rows])
    return ids, torch.arange(ids.shape[1])[None, :] >= lengths[:, None]
''',
    },
    "CrossAttention": {
        "einsum, masked_fill with the dtype's minimum": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        h = self.n_heads
        q = self.to_q(x).unflatten(-1, (h, -1))                      # [B, T_q, h, d_k]
        k = self.to_k(context).unflatten(-1, (h, -1))
        v = self.to_v(context).unflatten(-1, (h, -1))
        s = torch.einsum("bqhd,bkhd->bhqk", q, k) * q.shape[-1] ** -0.5
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], torch.finfo(s.dtype).min)
        out = torch.einsum("bhqk,bkhd->bqhd", s.softmax(-1), v)
        return self.to_out(out.flatten(-2))
'''),
        "additive mask": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        h = self.n_heads
        q = self.to_q(x).view(B, T_q, h, -1).permute(0, 2, 1, 3)
        k = self.to_k(context).view(B, -1, h, d // h).permute(0, 2, 3, 1)       # [B, h, d_k, T_k]
        v = self.to_v(context).view(B, -1, h, d // h).permute(0, 2, 1, 3)
        s = (q / math.sqrt(d // h)) @ k
        if key_padding_mask is not None:
            s = s + torch.zeros_like(key_padding_mask, dtype=s.dtype).masked_fill(key_padding_mask, float("-inf"))[:, None, None, :]
        return self.to_out((torch.softmax(s, dim=-1) @ v).permute(0, 2, 1, 3).reshape(B, T_q, d))
'''),
    },
    "answer_3_3": {"a list turned tuple": "def answer_3_3():\n    return tuple([64, 9])\n"},
    "latent_diffusion_loss": {
        "indexing copies": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = ids.clone(), pad_mask.clone()
    ids_in[drop], mask_in[drop] = empty_ids[drop], empty_mask[drop]
    pred = model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in)
    return ((pred - noise) ** 2).mean()
''',
    },
    "guided_ddim_sample": {
        "timesteps as a tensor, guidance by hand": _SAMPLE_HEAD + '''
    e_ids, e_mask = empty_captions(B, L, device=ids.device)
    ids2, mask2 = torch.cat([ids, e_ids]), torch.cat([pad_mask, e_mask])
    z = z_T.clone()
    steps = (T - 1 - stride * torch.arange(n_steps)).tolist()
    for t in steps:
        eps = model(z.repeat(2, *([1] * (z.dim() - 1))), torch.full((2 * B,), t, device=z.device), ids2, mask2)
        eps = eps[B:] + w * (eps[:B] - eps[B:])
        z = ddim_step(eps, t, max(t - stride, -1), z, alphas_cumprod)
    return z
''',
    },
}

WARNED = {
    "latent_scale": ["the std, not its inverse", "mean of the per-channel stds", "root mean square (no mean subtracted)",
                     "without Bessel's correction", "returns a tensor"],
    "tokenize": ["no start token", "mask True at the words", "not lower-cased", "unknown words dropped", "start token counted as padding"],
    "CrossAttention": ["no padding mask", "mask polarity inverted (True = keep)", "F.scaled_dot_product_attention (off limits)"],
    "latent_diffusion_loss": ["ids dropped, mask kept", "no caption dropout", "tokens dropped one by one, not captions",
                              "compared with z0, not the noise", "sum instead of mean", "ids and mask changed in place"],
    "guided_ddim_sample": ["empty captions' mask not set (all False)", "two model calls per step", "halves swapped (empty captions first)"],
}

EQUIVALENT = {
    "CrossAttention": {
        "args@23:12#0": "transpose(2, 1) is transpose(1, 2)",
        "args@24:12#0": "transpose(2, 1) is transpose(1, 2)",
        "args@25:12#0": "transpose(2, 1) is transpose(1, 2)",
        "args@26:21#0": "transpose(-1, -2) is transpose(-2, -1)",
        "args@30:27#2": "transpose(2, 1) is transpose(1, 2)",
        "arith@26:53#0": "query_dim is divisible by n_heads, so d / h == d // h",
    },
    "latent_diffusion_loss": {
        "args@19:11#0": "the mean squared error is symmetric in its two arguments",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("latent_scale", {}).update({
    "numpy without .detach().cpu()": '''
def latent_scale(latents):
    import numpy as np
    return float(1.0 / np.std(latents.double().numpy(), ddof=1))
''',
    "an epsilon added to the std": '''
def latent_scale(latents):
    return 1.0 / (latents.double().std().item() + 1e-8)
''',
    "only the first 10000 entries (a sample)": '''
def latent_scale(latents):
    return 1.0 / latents.double().flatten()[:10000].std().item()
''',
    "bfloat16 and float16 widened to float32 only": '''
def latent_scale(latents):
    x = latents if latents.dtype == torch.float64 else latents.float()
    return 1.0 / x.std().item()
''',
})
WRONG.setdefault("answer_2_2", {}).update({
    "f = 16 per side": "def answer_2_2():\n    return 48 * 48 * 4\n",
    "a numpy integer": "def answer_2_2():\n    return np.int64(96 * 96 * 4)\n",
})
WRONG.setdefault("tokenize", {}).update({
    "punctuation stripped from the words": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w.strip(".,;:!?"), vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
    "words found with a regex ([\\w<>]+)": _TOK_HEAD + '''
    import re
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in re.findall(r"[\\w<>]+", c.lower())] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
    "ids as int32": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int32)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int32)
        mask[b, :len(r)] = False
    return ids, mask
''',
    "pad_sequence without batch_first: [L, B]": _TOK_HEAD + '''
    from torch.nn.utils.rnn import pad_sequence
    rows = [torch.tensor([vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()]) for c in captions]
    ids = pad_sequence(rows, padding_value=vocab["<pad>"])
    mask = pad_sequence([torch.zeros(len(r), dtype=torch.bool) for r in rows], padding_value=True)
    return ids, mask
''',
})
WRONG.setdefault("CrossAttention", {}).update({
    "softmax by hand without subtracting the max": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        e = s.exp()
        if key_padding_mask is not None:
            e = e.masked_fill(key_padding_mask[:, None, None, :], 0.0)
        a = e / e.sum(-1, keepdim=True)
        return self.to_out((a @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    "mask without the head dimension ([:, None, :])": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    "heads split interleaved: view(B, T, d_k, h)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, d // h, h).permute(0, 3, 1, 2)
        k = self.to_k(context).view(B, T_k, d // h, h).permute(0, 3, 1, 2)
        v = self.to_v(context).view(B, T_k, d // h, h).permute(0, 3, 1, 2)
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    "dropout on the attention weights": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        a = F.dropout(s.softmax(-1), p=0.1, training=self.training)
        return self.to_out((a @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "generator None replaced by a fresh torch.Generator() (the same draws every call)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    generator = torch.Generator() if generator is None else generator
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "drops drawn in float64": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator, dtype=torch.float64) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "one noise latent shared by the whole batch": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape[1:], generator=generator, dtype=z0.dtype).to(z0.device).expand_as(z0)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "empty captions made on the CPU": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
    "classifier_free_guidance's arguments swapped": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_u, eps_c, w), t, t - stride, z, alphas_cumprod)
    return z
''',
    "stride (T - 1) // n_steps": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = max((T - 1) // n_steps, 1)
''' + _SAMPLE_SETUP + '''
    for i in range(n_steps):
        t = T - 1 - i * stride
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride if i < n_steps - 1 else -1, z, alphas_cumprod)
    return z
''',
})
RIGHT.setdefault("latent_scale", {}).update({
    "torch.var_mean, then the square root": '''
def latent_scale(latents):
    var, _ = torch.var_mean(latents.detach().to(torch.float64))
    return float(var.rsqrt())
''',
})
RIGHT.setdefault("tokenize", {}).update({
    "rows padded as lists, then torch.tensor": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab[w] if w in vocab else vocab["<unk>"] for w in c.lower().split()] for c in captions]
    L = max(map(len, rows))
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.long)
    mask = torch.tensor([[False] * len(r) + [True] * (L - len(r)) for r in rows])
    return ids, mask
''',
})
RIGHT.setdefault("CrossAttention", {}).update({
    "torch.where with -inf, heads by reshape and permute": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        h = self.n_heads
        q = self.to_q(x).reshape(B, T_q, h, -1).permute(0, 2, 1, 3)
        k = self.to_k(context).reshape(B, -1, h, d // h).permute(0, 2, 1, 3)
        v = self.to_v(context).reshape(B, -1, h, d // h).permute(0, 2, 1, 3)
        s = torch.matmul(q, k.transpose(-1, -2)) * (d // h) ** -0.5
        if key_padding_mask is not None:
            s = torch.where(key_padding_mask[:, None, None, :], float("-inf"), s)
        out = torch.matmul(torch.softmax(s, dim=-1), v)
        return self.to_out(out.permute(0, 2, 1, 3).reshape(B, T_q, d))
'''),
})
RIGHT.setdefault("latent_diffusion_loss", {}).update({
    "noise drawn flat and reshaped; masks combined with |": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.numel(), generator=generator, dtype=z0.dtype).view(z0.shape).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = (pad_mask | drop) & empty_mask | (pad_mask & ~drop)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["latent_diffusion_loss"].update({
    "timesteps drawn on z0's device with the CPU generator (fails on a GPU)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator, device=z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
})

# ---- red team, round 5 ----
WRONG["latent_scale"].update({
    "one-pass variance: (sum x^2 - (sum x)^2 / n) / (n - 1)": '''
def latent_scale(latents):
    x = latents.double().flatten()
    n = x.numel()
    return 1.0 / ((x.pow(2).sum() - x.sum() ** 2 / n) / (n - 1)).sqrt().item()
''',
    "std of the per-channel-centred latents": '''
def latent_scale(latents):
    x = latents.double()
    if x.dim() == 4:
        x = x - x.mean((0, 2, 3), keepdim=True)
    return 1.0 / x.std().item()
''',
})
WRONG["tokenize"].update({
    "vocab.get(w) or <unk>: a word with id 0 becomes <unk>": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w) or vocab["<unk>"] for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
    "mask from arange(L) > lengths (off by one)": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.int64)
    lengths = torch.tensor([len(r) for r in rows])
    return ids, torch.arange(L)[None, :] > lengths[:, None]
''',
})
WRONG["CrossAttention"].update({
    "padding filled with -1e4 (an old BERT constant)": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], -1e4)
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    "heads merged without the transpose back": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).reshape(B, T_q, d))
'''),
    "padded scores multiplied by 0 (not -inf)": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s * (~key_padding_mask)[:, None, None, :]
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG["latent_diffusion_loss"].update({
    "t drawn as int32": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator, dtype=torch.int32).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "empty captions from tokenize([''] * B): length 1, broadcast": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = tokenize([""] * B, VOCAB)
    ids_in = torch.where(drop, empty_ids.to(ids.device), ids)
    mask_in = torch.where(drop, empty_mask.to(ids.device), pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "loss computed in float32": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in).float(), noise.float())
''',
})
WRONG["guided_ddim_sample"].update({
    "the model's input detached (gradient only through the DDIM update)": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]).detach(), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
    "the guided noise detached": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w).detach(), t, t - stride, z, alphas_cumprod)
    return z
''',
    "steps range(T - 1, 0, -stride): misses t = 0 when the stride is 1": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, 0, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, max(t - stride, -1), z, alphas_cumprod)
    return z
''',
    "latents doubled with repeat(2, 1, 1, 1): images only": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(z.repeat(2, 1, 1, 1), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT["latent_scale"].update({
    "statistics.stdev of the entries": '''
def latent_scale(latents):
    import statistics
    return 1.0 / statistics.stdev(latents.detach().double().flatten().tolist())
''',
})
RIGHT["CrossAttention"].update({
    "softmax by hand, max subtracted; -inf through torch.where": _ca(_CA_QKV + '''
        s = torch.einsum("bhqd,bhkd->bhqk", q, k) / math.sqrt(q.shape[-1])
        if key_padding_mask is not None:
            s = torch.where(key_padding_mask[:, None, None, :], torch.tensor(float("-inf"), dtype=s.dtype, device=s.device), s)
        e = (s - s.amax(-1, keepdim=True)).exp()
        a = e / e.sum(-1, keepdim=True)
        return self.to_out((a @ v).transpose(1, 2).flatten(2))
'''),
})
RIGHT["latent_diffusion_loss"].update({
    "rows replaced by arithmetic on the drop mask": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    keep = (torch.rand(B, 1, generator=generator) >= p_uncond).to(ids.device)
    e_ids, e_mask = empty_captions(B, L, device=ids.device)
    ids_in = ids * keep + e_ids * ~keep
    mask_in = (pad_mask & keep) | (e_mask & ~keep)
    return (model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in) - noise).square().mean()
''',
})
RIGHT["guided_ddim_sample"].update({
    "halves by indexing, guidance by torch.lerp": _SAMPLE_HEAD + '''
    e_ids, e_mask = empty_captions(B, L, device=ids.device)
    ids2, mask2 = torch.cat((ids, e_ids), 0), torch.cat((pad_mask, e_mask), 0)
    z = z_T
    for i in range(n_steps):
        t = T - 1 - i * stride
        eps = model(torch.cat((z, z), 0), torch.full((2 * B,), t, dtype=torch.long, device=z.device), ids2, mask2)
        z = ddim_step(torch.lerp(eps[B:], eps[:B], w), t, t - stride, z, alphas_cumprod)
    return z
''',
})


# ---- instructor names rebound by the answer (the tests no longer read them from the student's kernel) ----
# The old tests took empty_captions (and VOCAB) from the student's kernel: a notebook whose empty_captions leaves the
# mask all False hid a sampler whose unconditional half reads the padding as words.
WRONG.setdefault("guided_ddim_sample", {}).update({
    "empty captions' mask all False, with empty_captions rebound to match": _SAMPLE_HEAD + """
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z


_given_empty_captions = globals().get("_given_empty_captions", empty_captions)   # the notebook's own, kept once
_sampler_of_this_answer = guided_ddim_sample


def empty_captions(B, L, device="cpu"):
    # wrong only while this answer's sampler is in place: once check puts the solution back, the notebook's own
    # helper answers again (a rebinding left behind would break the answers and cells that follow)
    if globals().get("guided_ddim_sample") is not _sampler_of_this_answer:
        return _given_empty_captions(B, L, device=device)
    ids = torch.full((B, L), VOCAB["<pad>"], dtype=torch.int64, device=device)
    ids[:, 0] = VOCAB["<start>"]
    return ids, torch.zeros(B, L, dtype=torch.bool, device=device)
""",
})

# ---- red team, round 6 (rt6/rte) ----
WRONG.setdefault("latent_scale", {}).update({
    "pooled within-position std (per-position variances averaged)": '''
def latent_scale(latents):
    z = latents.double()
    return 1.0 / z.var(dim=0).mean().sqrt().item()
''',
})
WRONG.setdefault("CrossAttention", {}).update({
    "heads folded into the batch b-major, mask repeated head-major (repeat, not repeat_interleave)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2).reshape(B * h, T_q, d // h)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2).reshape(B * h, T_k, d // h)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2).reshape(B * h, T_k, d // h)
        scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask.repeat(h, 1)[:, None, :], float("-inf"))
        out = torch.bmm(scores.softmax(-1), v).view(B, h, T_q, d // h)
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG.setdefault("tokenize", {}).update({
    "rows sorted by length, longest first (as pack_padded_sequence wants)": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    rows.sort(key=len, reverse=True)
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        pad_mask[b, :len(r)] = False
    return ids, pad_mask
''',
})
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "noise drawn in the schedule's dtype, not z0's": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=alphas_cumprod.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
    "the per-example squared error averaged over the features, summed over the batch": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return (model(z_t, t, ids_in, mask_in) - noise).pow(2).flatten(1).mean(1).sum()
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "n_steps used as the stride": _SAMPLE_HEAD + '''
    stride = n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT.setdefault("CrossAttention", {}).update({
    "heads folded into the batch, mask repeated with repeat_interleave": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2).reshape(B * h, T_q, d // h)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2).reshape(B * h, T_k, d // h)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2).reshape(B * h, T_k, d // h)
        scores = torch.bmm(q * (d // h) ** -0.5, k.transpose(1, 2))
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask.repeat_interleave(h, dim=0)[:, None, :], float("-inf"))
        out = torch.bmm(torch.softmax(scores, dim=-1), v).view(B, h, T_q, d // h)
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
})
RIGHT.setdefault("latent_diffusion_loss", {}).update({
    "generator None replaced by torch.default_generator; drops drawn as [B, 1]": _LOSS_HEAD + '''
    g = torch.default_generator if generator is None else generator
    t = torch.randint(0, T, (B,), generator=g).to(z0.device)
    noise = torch.randn(*z0.shape, generator=g, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, 1, generator=g) < p_uncond).to(ids.device)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return (model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in) - noise).square().mean()
''',
})
RIGHT.setdefault("latent_scale", {}).update({
    "torch.std over every dimension listed, reciprocal in torch": '''
def latent_scale(latents):
    z = latents.detach().to(torch.float64)
    return torch.std(z, dim=tuple(range(z.dim())), correction=1).reciprocal().item()
''',
})

# red team rt7/g 2026-12-04
WRONG.setdefault("tokenize", {}).update({
    "casefold() instead of lower()": '''
def tokenize(captions, vocab):
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.casefold().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.int64)
    lengths = torch.tensor([len(r) for r in rows])
    return ids, torch.arange(L)[None, :] >= lengths[:, None]
''',
    "words split at spaces and tabs only (a regex)": '''
import re


def tokenize(captions, vocab):
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in re.split(r"[ \\t]+", c.lower()) if w] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r)
        pad_mask[b, :len(r)] = False
    return ids, pad_mask
''',
    "mask from ids == <pad>, the start position forced False": '''
def tokenize(captions, vocab):
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.int64)
    pad_mask = ids == vocab["<pad>"]
    pad_mask[:, 0] = False
    return ids, pad_mask
''',
})
WRONG.setdefault("latent_scale", {}).update({
    "rounded to 5 decimals, like 0.18215": '''
def latent_scale(latents):
    return round(1.0 / latents.double().std().item(), 5)
''',
    "Bessel's factor n / (n - 1) on the std, not under the square root": '''
def latent_scale(latents):
    n = latents.numel()
    return 1.0 / (latents.double().std(unbiased=False).item() * n / (n - 1))
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "w == 1 shortcut: the empty captions skipped (B, not 2B)": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    z = z_T
    for t in range(T - 1, -1, -stride):
        if w == 1:
            eps = model(z, torch.full((B,), t, dtype=torch.int64, device=z_T.device), ids, pad_mask)
        else:
            t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
            c, u = model(torch.cat([z, z]), t_in, torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])).chunk(2)
            eps = classifier_free_guidance(c, u, w)
        z = ddim_step(eps, t, t - stride, z, alphas_cumprod)
    return z
''',
    "w == 0 shortcut: the captions skipped (unconditional only)": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    z = z_T
    for t in range(T - 1, -1, -stride):
        if w == 0:
            eps = model(z, torch.full((B,), t, dtype=torch.int64, device=z_T.device), empty_ids, empty_mask)
        else:
            t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
            c, u = model(torch.cat([z, z]), t_in, torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])).chunk(2)
            eps = classifier_free_guidance(c, u, w)
        z = ddim_step(eps, t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "dropped masks as pad_mask | drop (the start token masked too)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, _ = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = pad_mask | drop
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
RIGHT.setdefault("latent_diffusion_loss", {}).update({
    "drops by torch.bernoulli; the empty mask as pad_mask | drop with the start unmasked": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = torch.bernoulli(torch.full((B,), float(p_uncond)), generator=generator).bool().to(z0.device)[:, None]
    empty_ids, _ = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = pad_mask | drop
    mask_in[:, 0] = False
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
RIGHT.setdefault("guided_ddim_sample", {}).update({
    "guidance applied to the two DDIM updates (ddim_step is linear in eps); steps from linspace": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    s = T // n_steps
    e_ids, e_mask = empty_captions(B, L, device=ids.device)
    ids2, mask2 = torch.cat([ids, e_ids]), torch.cat([pad_mask, e_mask])
    z = z_T
    for t in torch.linspace(T - 1, s - 1, n_steps).round().long().tolist():
        eps = model(torch.cat([z, z]), torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device), ids2, mask2)
        z_c = ddim_step(eps[:B], t, t - s, z, alphas_cumprod)
        z_u = ddim_step(eps[B:], t, t - s, z, alphas_cumprod)
        z = classifier_free_guidance(z_c, z_u, w)
    return z
''',
})
RIGHT.setdefault("CrossAttention", {}).update({
    "queries pre-scaled, heads by chunk and stack": '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.h = n_heads
        self.to_q = nn.Linear(query_dim, query_dim)
        self.to_k = nn.Linear(context_dim, query_dim)
        self.to_v = nn.Linear(context_dim, query_dim)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, x, context, key_padding_mask=None):
        d_k = x.shape[-1] // self.h
        q = torch.stack((self.to_q(x) * d_k ** -0.5).chunk(self.h, dim=-1), dim=1)
        k = torch.stack(self.to_k(context).chunk(self.h, dim=-1), dim=1)
        v = torch.stack(self.to_v(context).chunk(self.h, dim=-1), dim=1)
        scores = torch.matmul(q, k.transpose(-1, -2))
        if key_padding_mask is not None:
            scores = torch.where(key_padding_mask[:, None, None, :], torch.finfo(scores.dtype).min, scores)
        out = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.to_out(torch.cat(out.unbind(1), dim=-1))
''',
})

# ---- red-team pass 9 (rt9/h) ----
WRONG.setdefault("tokenize", {}).update({
    "L at least 2 (max(1, words) + 1): all-empty captions get a pad column": '''
def tokenize(captions, vocab):
    words = [caption.lower().split() for caption in captions]
    L = 1 + max(1, max(len(w) for w in words))
    ids = torch.full((len(words), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(words), L, dtype=torch.bool)
    for b, w in enumerate(words):
        row = [vocab["<start>"]] + [vocab.get(x, vocab["<unk>"]) for x in w]
        ids[b, :len(row)] = torch.tensor(row, dtype=torch.int64)
        pad_mask[b, :len(row)] = False
    return ids, pad_mask
''',
    "words by re.split(r'\\\\s+', caption.strip()): an empty caption gives one <unk>": '''
import re

def tokenize(captions, vocab):
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in re.split(r"\\s+", c.lower().strip())] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, row in enumerate(rows):
        ids[b, :len(row)] = torch.tensor(row, dtype=torch.int64)
        pad_mask[b, :len(row)] = False
    return ids, pad_mask
''',
})
WRONG.setdefault("CrossAttention", {}).update({
    "to_q, to_k, to_v without bias (as Stable Diffusion's)": '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.to_q = nn.Linear(query_dim, query_dim, bias=False)
        self.to_k = nn.Linear(context_dim, query_dim, bias=False)
        self.to_v = nn.Linear(context_dim, query_dim, bias=False)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        out = scores.softmax(dim=-1) @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
''',
    "padding filled with -1e9 (finite)": '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.to_q = nn.Linear(query_dim, query_dim)
        self.to_k = nn.Linear(context_dim, query_dim)
        self.to_v = nn.Linear(context_dim, query_dim)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], -1e9)
        out = scores.softmax(dim=-1) @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
''',
})
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "t passed to the model as float (t.float())": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t.float(), ids_in, mask_in), noise)
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "timesteps passed to the model as float": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), float(t), device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        eps = classifier_free_guidance(eps_cond, eps_uncond, w)
        z = ddim_step(eps, t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT.setdefault("guided_ddim_sample", {}).update({
    "steps from torch.arange(0, T, stride).flip(0) + stride - 1": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids2, mask2 = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in (torch.arange(0, T, stride).flip(0) + stride - 1).tolist():
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids2, mask2).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})

# ---- red-team pass 10 (h) ----
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "noise truncated to [-3, 3] for stability": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).clamp(-3.0, 3.0).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
    "noise standardised over the batch (exactly mean 0, std 1)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    noise = (noise - noise.mean()) / noise.std()
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "the model's output cast with .float() (as an autocast sampler does): float64 latents lose precision": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).float().chunk(2)
        eps = classifier_free_guidance(eps_cond, eps_uncond, w)
        z = ddim_step(eps, t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG.setdefault("latent_scale", {}).update({
    "Bessel's correction with len(latents) - 1 (the batch size, not the number of entries)": '''
def latent_scale(latents):
    x = latents.double()
    var = ((x - x.mean()) ** 2).sum() / (len(x) - 1)
    return 1.0 / var.sqrt().item()
''',
})
WRONG.setdefault("answer_3_3", {}).update({
    "a <pad> column counted: (64, 10)": '''
def answer_3_3():
    return (8 * 8, 10)
''',
})
RIGHT.setdefault("tokenize", {}).update({
    "words by re.findall(r'\\\\S+'), the mask from arange against the row lengths": '''
def tokenize(captions, vocab):
    import re
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in re.findall(r"\\S+", c.lower())] for c in captions]
    lengths = torch.tensor([len(r) for r in rows])
    L = int(lengths.max())
    ids = torch.tensor([r + [vocab["<pad>"]] * (L - len(r)) for r in rows], dtype=torch.int64)
    pad_mask = torch.arange(L)[None, :] >= lengths[:, None]
    return ids, pad_mask
''',
})

# red team 11, 2026-12-04
WRONG["latent_scale"].update({
    "std over the last dimension, averaged": '''
def latent_scale(latents):
    return 1.0 / latents.double().std(dim=-1).mean().item()
''',
})
WRONG["answer_2_2"].update({
    "mu and logvar both counted (2 x 4 channels)": "def answer_2_2():\n    return 2 * 96 * 96 * 4\n",
})
WRONG["tokenize"].update({
    "unknown words added to the caller's vocab (vocab.setdefault)": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.setdefault(w, vocab["<unk>"]) for w in c.lower().split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        mask[b, :len(r)] = False
    return ids, mask
''',
})
WRONG["CrossAttention"].update({
    "padding filled with -1e30 (finite, however large)": _ca(_CA_QKV + '''
        s = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], -1e30)
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    "queries and keys each scaled by 1 / sqrt(d_k) (scores divided by d_k)": _ca(_CA_QKV + '''
        s = (q / math.sqrt(d // h)) @ (k / math.sqrt(d // h)).transpose(-2, -1)
        if key_padding_mask is not None:
            s = s.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((s.softmax(-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG["latent_diffusion_loss"].update({
    "the drop draw skipped when p_uncond is 0 or 1 (the generator left elsewhere)": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    if p_uncond <= 0:
        drop = torch.zeros(B, 1, dtype=torch.bool, device=z0.device)
    elif p_uncond >= 1:
        drop = torch.ones(B, 1, dtype=torch.bool, device=z0.device)
    else:
        drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "t moved with .to(z0): cast to z0's dtype too": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t.long(), noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "noise drawn on z0's device with the CPU generator": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype, device=z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    "per-example mean over dims (1, 2, 3) hard-coded (4-D latents only)": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    pred = model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in)
    return (pred - noise).pow(2).mean(dim=(1, 2, 3)).mean()
''',
})
WRONG["guided_ddim_sample"].update({
    "x0 estimate clipped to [-1, 1] (notebook 03's pixel sampler)": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        eps = classifier_free_guidance(eps_c, eps_u, w)
        a_t = alphas_cumprod[t]
        a_prev = alphas_cumprod[t - stride] if t - stride >= 0 else torch.ones_like(a_t)
        x0 = ((z - (1 - a_t).sqrt() * eps) / a_t.sqrt()).clamp(-1, 1)
        z = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return z
''',
    "started from z_T.detach().clone() (not to modify z_T)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T.detach().clone()
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_c, eps_u, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT["latent_scale"].update({
    "np.std of the values as they are, with a float64 accumulator": '''
def latent_scale(latents):
    import numpy as np
    x = latents.detach().cpu()
    x = x.float() if x.dtype in (torch.bfloat16, torch.float16) else x      # numpy has no bfloat16; float32 holds it exactly
    return float(1.0 / np.std(x.numpy(), ddof=1, dtype=np.float64))
''',
})
RIGHT["latent_diffusion_loss"].update({
    "per-example mean over every dimension but the batch, then the batch mean": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    pred = model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in)
    return (pred - noise).pow(2).flatten(1).mean(1).mean()
''',
})
# red team 13, 2026-12-05
WRONG.setdefault("latent_scale", {}).update({
    "numpy with .detach() but no .cpu() (fails for latents on a GPU, where the notebook's mu_train is)": '''
def latent_scale(latents):
    import numpy as np
    return float(1.0 / np.std(latents.detach().double().numpy(), ddof=1))
''',
    "flattened with view(-1) (fails on a non-contiguous view)": '''
def latent_scale(latents):
    return 1.0 / latents.view(-1).double().std().item()
''',
    "std of a float32 copy, widened to float64 afterwards": '''
def latent_scale(latents):
    return 1.0 / latents.float().std().double().item()
''',
})
WRONG.setdefault("tokenize", {}).update({
    "mask from arange(L) >= the number of words (the start token not counted)": _TOK_HEAD + '''
    words = [caption.lower().split() for caption in captions]
    L = 1 + max(len(w) for w in words)
    ids = torch.full((len(captions), L), vocab["<pad>"], dtype=torch.int64)
    for b, ws in enumerate(words):
        ids[b, :len(ws) + 1] = torch.tensor([vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in ws])
    lengths = torch.tensor([len(w) for w in words])
    return ids, torch.arange(L)[None, :] >= lengths[:, None]
''',
})
WRONG.setdefault("CrossAttention", {}).update({
    "one mask row for the whole batch (key_padding_mask[0], a batch-of-one habit)": _ca(_CA_QKV + '''
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[0], float("-inf"))
        out = scores.softmax(dim=-1) @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG.setdefault("latent_diffusion_loss", {}).update({
    "captions dropped where rand > 1 - p_uncond (same rate, other rows)": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) > 1 - p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.where(drop, empty_ids, ids), torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
WRONG.setdefault("guided_ddim_sample", {}).update({
    "guidance as in Ho & Salimans' paper: (1 + w) eps_cond - w eps_uncond": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step((1 + w) * eps_c - w * eps_u, t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT.setdefault("guided_ddim_sample", {}).update({
    "guidance as w eps_cond + (1 - w) eps_uncond, halves with split(B)": _SAMPLE_HEAD + _SAMPLE_SETUP + '''
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_c, eps_u = model(torch.cat([z, z]), t_in, ids_in, mask_in).split(B)
        z = ddim_step(w * eps_c + (1 - w) * eps_u, t, t - stride, z, alphas_cumprod)
    return z
''',
})
RIGHT.setdefault("tokenize", {}).update({
    "split first, each word lowered": _TOK_HEAD + '''
    rows = [[vocab["<start>"]] + [vocab.get(w.lower(), vocab["<unk>"]) for w in caption.split()] for caption in captions]
    L = max(map(len, rows))
    ids = torch.tensor([row + [vocab["<pad>"]] * (L - len(row)) for row in rows], dtype=torch.int64)
    pad_mask = torch.tensor([[False] * len(row) + [True] * (L - len(row)) for row in rows], dtype=torch.bool)
    return ids, pad_mask
''',
})

# ---- red team 15 (reviewer H, 2026-12-05) ----
WRONG["tokenize"].update({
    # red team 15: words split at the ASCII whitespace class [ \\t\\n\\r\\f\\v]: a no-break space (U+00A0), at which str.split()
    # splits, stays inside a word and joins two words into one unknown word
    "words split at ASCII whitespace only (a regex class): a no-break space joins two words": r'''
def tokenize(captions, vocab):
    import re
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in re.split(r"[ \t\n\r\f\v]+", c.lower().strip()) if w]
            for c in captions]
    L = max(len(row) for row in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, row in enumerate(rows):
        ids[b, :len(row)] = torch.tensor(row, dtype=torch.int64)
        pad_mask[b, :len(row)] = False
    return ids, pad_mask
''',
})
WRONG["CrossAttention"].update({
    # red team 15: the mask applied after the softmax (weights of padded keys zeroed, rows renormalised): the softmax still runs
    # over the padded keys, whose large scores underflow the real keys' weights to 0 (0 / 0 = nan)
    "mask applied after the softmax: padded weights zeroed, rows renormalised": '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.to_q = nn.Linear(query_dim, query_dim)
        self.to_k = nn.Linear(context_dim, query_dim)
        self.to_v = nn.Linear(context_dim, query_dim)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        weights = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(dim=-1)
        if key_padding_mask is not None:
            weights = weights * (~key_padding_mask)[:, None, None, :]
            weights = weights / weights.sum(dim=-1, keepdim=True)
        out = weights @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
''',
    # red team 15: the head width taken from the context (context_dim // n_heads) for the 1/sqrt(d_k) scale: the heads are
    # query_dim // n_heads wide (to_k maps the context to query_dim)
    "scale 1/sqrt(context_dim // n_heads): the head width from the context": '''
class CrossAttention(nn.Module):
    def __init__(self, query_dim, context_dim, n_heads):
        super().__init__()
        self.n_heads = n_heads
        self.context_dim = context_dim
        self.to_q = nn.Linear(query_dim, query_dim)
        self.to_k = nn.Linear(context_dim, query_dim)
        self.to_v = nn.Linear(context_dim, query_dim)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, x, context, key_padding_mask=None):
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.context_dim // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        out = scores.softmax(dim=-1) @ v
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
''',
})
WRONG["guided_ddim_sample"].update({
    # red team 15: the empty captions first and the captions second, the halves read accordingly: the same guided estimate,
    # but the text fixes the order of the batch (captions first), which the model's caller relies on
    "empty captions first, the captions second (halves read in that order)": '''
def guided_ddim_sample(model, z_T, ids, pad_mask, alphas_cumprod, n_steps, w):
    B, L, T = z_T.shape[0], ids.shape[1], len(alphas_cumprod)
    stride = T // n_steps
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([empty_ids, ids]), torch.cat([empty_mask, pad_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_uncond, eps_cond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG["latent_diffusion_loss"].update({
    # red team 15: the drop uniforms drawn in z0's dtype (torch.rand(B, dtype=torch.float64)): a float64 draw takes other bits
    # from the generator than torch.rand(B) < p_uncond of the text, so the dropped captions and the generator's end state differ
    "drop uniforms drawn in z0's dtype (float64 draws)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator, dtype=z0.dtype) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
})
WRONG["latent_diffusion_loss"].update({
    # red team 17: the signature's default p_uncond changed to 0.0 (caption dropout only when asked): the text gives
    # p_uncond=0.1, and a caller that relies on the default trains no unconditional model
    "signature's default p_uncond set to 0.0 (caption dropout off unless asked)": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.0, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    # red team 17: the padding mask rebuilt from the ids (ids == <pad>, the start position unmasked) instead of the given
    # pad_mask: right only while no word shares the padding's id; a kept caption must keep the mask it came with
    "the padding mask rebuilt from the ids (ids_in == <pad>), not the given pad_mask": '''
def latent_diffusion_loss(model, z0, ids, pad_mask, alphas_cumprod, p_uncond=0.1, generator=None):
    B, L, T = z0.shape[0], ids.shape[1], len(alphas_cumprod)
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, _ = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = ids_in == VOCAB["<pad>"]
    mask_in[:, 0] = False
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
WRONG["guided_ddim_sample"].update({
    # red team 17: the padding mask of the 2B captions rebuilt from the ids (== <pad>, start unmasked) instead of
    # torch.cat([pad_mask, empty mask]): the captions' own pad_mask is ignored
    "the padding mask rebuilt from the ids (ids_in == <pad>), not the given pad_mask": _SAMPLE_HEAD + '''
    empty_ids, _ = empty_captions(B, L, device=ids.device)
    ids_in = torch.cat([ids, empty_ids])
    mask_in = ids_in == VOCAB["<pad>"]
    mask_in[:, 0] = False
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG["tokenize"].update({
    # red team 17: the captions NFKC-normalised first (fullwidth letters become ASCII, the ligature "ﬁ" becomes "fi"):
    # the words are caption.lower().split(), nothing more, so a fullwidth word is a word of its own (<unk> here)
    "captions NFKC-normalised before lower().split()": _TOK_HEAD + '''
    import unicodedata
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab["<unk>"]) for w in unicodedata.normalize("NFKC", c).lower().split()]
            for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        pad_mask[b, :len(r)] = False
    return ids, pad_mask
''',
})
WRONG["CrossAttention"].update({
    # red team 17: the attention computed by torch.nn.attention.flex_attention (a library attention kernel, with the
    # padding as a score_mod): the exercise is to write the attention, and the library's attention functions are off limits
    "flex_attention with the padding as a score_mod (a library attention)": _ca('''
    def forward(self, x, context, key_padding_mask=None):
        from torch.nn.attention.flex_attention import flex_attention
        B, T_q, d = x.shape
        T_k, h = context.shape[1], self.n_heads
        q = self.to_q(x).view(B, T_q, h, d // h).transpose(1, 2)
        k = self.to_k(context).view(B, T_k, h, d // h).transpose(1, 2)
        v = self.to_v(context).view(B, T_k, h, d // h).transpose(1, 2)
        if key_padding_mask is None:
            out = flex_attention(q, k, v)
        else:
            m = key_padding_mask
            out = flex_attention(q, k, v, score_mod=lambda s, b, hh, qi, ki: torch.where(m[b, ki], float("-inf"), s))
        return self.to_out(out.transpose(1, 2).reshape(B, T_q, d))
'''),
})

# ---- red team 18 (reviewer H, 2026-12-05) ----
WRONG["tokenize"].update({
    # red team 18: each word looked up as written first, then in lower case (to "also support cased vocabularies"): a
    # vocabulary with a cased entry ("Red") then matches a word that the text lower-cases to "red"
    "each word looked up as written, then lower-cased": '''
def tokenize(captions, vocab):
    unk = vocab["<unk>"]
    rows = [[vocab["<start>"]] + [vocab.get(w, vocab.get(w.lower(), unk)) for w in c.split()] for c in captions]
    L = max(len(r) for r in rows)
    ids = torch.full((len(rows), L), vocab["<pad>"], dtype=torch.int64)
    pad_mask = torch.ones(len(rows), L, dtype=torch.bool)
    for b, r in enumerate(rows):
        ids[b, :len(r)] = torch.tensor(r, dtype=torch.int64)
        pad_mask[b, :len(r)] = False
    return ids, pad_mask
''',
})
WRONG["latent_diffusion_loss"].update({
    # red team 18: the noise drawn in at least float32 ("no half-precision noise"): bfloat16 latents get float32 noise,
    # where the text asks for noise of z0's dtype
    "noise drawn in at least float32 (bfloat16 latents get float32 noise)": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=torch.promote_types(z0.dtype, torch.float32)).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    z_t = q_sample(z0, t, noise, alphas_cumprod)
    return F.mse_loss(model(z_t, t, ids_in, mask_in), noise)
''',
})
WRONG["CrossAttention"].update({
    # red team 18: the scale 1 / sqrt(d_k) from torch.sqrt(torch.tensor(d_k)): a float32 number, so float64 scores are
    # divided by a rounded sqrt(8)
    "scale from torch.sqrt(torch.tensor(d_k)) (a float32 sqrt)": _ca(_CA_QKV + '''
        scores = q @ k.transpose(-2, -1) / torch.sqrt(torch.tensor(d // h))
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    # red team 18: the padding filled with float32's lowest value (a float32 habit): float64 scores below -3.4e38 stay
    # below it, and the padding takes the weight
    "padding filled with torch.finfo(torch.float32).min": _ca(_CA_QKV + '''
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], torch.finfo(torch.float32).min)
        return self.to_out((scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
    # red team 18: the softmax upcast to float32 and cast back (diffusers' upcast_softmax): float64 attention is rounded
    # to float32 weights
    "softmax computed in float32 and cast back (upcast_softmax)": _ca(_CA_QKV + '''
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        weights = scores.float().softmax(dim=-1).to(scores.dtype)
        return self.to_out((weights @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})
WRONG["guided_ddim_sample"].update({
    # red team 19: the sampler run in float32 ("sample in full precision"): bfloat16 or float16 latents come back float32,
    # not z_T's dtype
    "half-precision z_T sampled in float32 (the result float32)": _SAMPLE_HEAD + '''
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T.float() if z_T.dtype in (torch.float16, torch.bfloat16) else z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG["latent_diffusion_loss"].update({
    # red team 19: a caption dropped when rand <= p_uncond: a draw of exactly 0.0 drops a caption even at p_uncond = 0
    "drop when rand <= p_uncond (a draw of exactly 0 drops at p_uncond = 0)": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) <= p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    # red team 19: the drop uniforms drawn in z0's dtype (torch.rand(B, dtype=z0.dtype)): float64 latents consume the
    # generator differently from torch.rand(B), and the next batch's draws shift
    "drop uniforms drawn in z0's dtype": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator, dtype=z0.dtype) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
})
WRONG["CrossAttention"].update({
    # red team 19: the padding zeroed AFTER the softmax and the weights renormalised (not -inf before it): the same numbers
    # until a padded key's score is so large that every real key's weight underflows to 0, and 0 / 0 is nan
    "padding zeroed after the softmax, weights renormalised": _ca(_CA_QKV + '''
        weights = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).softmax(dim=-1)
        if key_padding_mask is not None:
            weights = weights.masked_fill(key_padding_mask[:, None, None, :], 0.0)
            weights = weights / weights.sum(-1, keepdim=True)
        return self.to_out((weights @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})

# ---- red team 20 (reviewer H, 2026-12-05) ----
WRONG["latent_diffusion_loss"].update({
    # red team 20: with generator=None the draws are made on z0's device (no copy), from that device's generator: the text
    # says draw on the CPU, from the global (CPU) generator, so the same seed gives the same batch on a CPU and a GPU
    "generator None: drawn on z0's device (the device's generator), not on the CPU": _LOSS_HEAD + '''
    where = "cpu" if generator is not None else z0.device      # a CPU generator draws on the CPU; none: draw in place
    t = torch.randint(0, T, (B,), generator=generator, device=where).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype, device=where).to(z0.device)
    drop = (torch.rand(B, generator=generator, device=where) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    return F.mse_loss(model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in), noise)
''',
    # red team 20: the noise cast to the model's output dtype before the MSE (to silence a dtype mismatch): under bf16
    # autocast the target is then a bf16-rounded noise, not the noise
    "the noise cast to the model output's dtype in the MSE": _LOSS_HEAD + '''
    t = torch.randint(0, T, (B,), generator=generator).to(z0.device)
    noise = torch.randn(z0.shape, generator=generator, dtype=z0.dtype).to(z0.device)
    drop = (torch.rand(B, generator=generator) < p_uncond).to(z0.device)[:, None]
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in = torch.where(drop, empty_ids, ids)
    mask_in = torch.where(drop, empty_mask, pad_mask)
    eps = model(q_sample(z0, t, noise, alphas_cumprod), t, ids_in, mask_in)
    return F.mse_loss(eps, noise.to(eps.dtype))
''',
})
WRONG["guided_ddim_sample"].update({
    # red team 20: the schedule cast to z_T's dtype "so that every step stays in it": in float16/bfloat16, alphas_cumprod
    # near 1 rounds (0.9999 -> 1.0), and 1 - abar, the noise level, loses most of its digits
    "schedule cast to z_T's dtype (half-precision abar near 1 rounds)": _SAMPLE_HEAD + '''
    alphas_cumprod = alphas_cumprod.to(z_T.dtype)
    empty_ids, empty_mask = empty_captions(B, L, device=ids.device)
    ids_in, mask_in = torch.cat([ids, empty_ids]), torch.cat([pad_mask, empty_mask])
    z = z_T
    for t in range(T - 1, -1, -stride):
        t_in = torch.full((2 * B,), t, dtype=torch.int64, device=z_T.device)
        eps_cond, eps_uncond = model(torch.cat([z, z]), t_in, ids_in, mask_in).chunk(2)
        z = ddim_step(classifier_free_guidance(eps_cond, eps_uncond, w), t, t - stride, z, alphas_cumprod)
    return z
''',
})
WRONG["latent_scale"].update({
    # red team 20: the mean taken in the latents' dtype, only the deviations in float64: a bfloat16 or float32 mean is
    # rounded, and every deviation inherits its error (the text: compute it in float64)
    "mean in the latents' dtype, the deviations from it in float64": '''
def latent_scale(latents):
    mean = latents.mean()
    d = latents.double() - mean
    return 1.0 / math.sqrt((d * d).sum().item() / (latents.numel() - 1))
''',
})
WRONG["CrossAttention"].update({
    # red team 20: no mask given: an all-False mask made on the CPU, so one code path serves both cases; on a GPU the
    # masked_fill then meets a CPU mask
    "no mask given: an all-False mask made on the CPU": _ca(_CA_QKV + '''
        if key_padding_mask is None:
            key_padding_mask = torch.zeros(B, T_k, dtype=torch.bool)
        scores = (q @ k.transpose(-2, -1) / math.sqrt(d // h)).masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        return self.to_out((scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(B, T_q, d))
'''),
})
