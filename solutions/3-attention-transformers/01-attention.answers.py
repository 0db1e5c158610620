"""Answer variants for 01-attention.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

# Shared first lines of many variants (each variant is that header + its own methods).
_MHA_INIT = '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)
'''

_LAYER_NORM_INIT = '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))
'''


WRONG = {
    "attention": {
        # after red team 11: no test passed mask and scale by position
        "scale before mask in the signature": '''
def attention(q, k, v, scale=None, mask=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "no 1/sqrt(d) scaling": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "a given scale also divided by sqrt(d)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "scale or default: scale=0.0 taken as None": '''
def attention(q, k, v, mask=None, scale=None):
    scale = scale or 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "softmax over the queries (dim=-2)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-2).nan_to_num(0.0)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "k.T: every dimension reversed": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.T) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "softmax as exp / sum: overflows": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    e = scores.exp()
    if mask is not None:
        e = e * mask
    weights = (e / e.sum(-1, keepdim=True)).nan_to_num(0.0)
    return weights @ v, weights
''',
        "masked scores set to -1e9: an empty row becomes uniform": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, -1e9)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
''',
        "-1e9 and zeros for empty rows: huge scores still leak": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, -1e9)
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights * mask.any(-1, keepdim=True)
    return weights @ v, weights
''',
        "nan left in rows with no allowed key": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
''',
        "mask read the other way round (True = forbidden)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(mask, 0.0)
    return weights @ v, weights
''',
        "mask multiplied into the scores (forbidden pairs score 0)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores * mask
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
''',
        "a Python loop over the queries": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    outs, ws = [], []
    for i in range(q.shape[-2]):
        s = (q[..., i:i + 1, :] @ k.transpose(-2, -1)) * scale
        if mask is not None:
            m = mask.expand(*mask.shape[:-2], q.shape[-2], k.shape[-2])[..., i:i + 1, :] if mask.dim() >= 2 else mask
            s = s.masked_fill(~m, float("-inf"))
            w = torch.softmax(s, dim=-1).masked_fill(~m, 0.0)
        else:
            w = torch.softmax(s, dim=-1)
        outs.append(w @ v)
        ws.append(w)
    return torch.cat(outs, -2), torch.cat(ws, -2)
''',
        "scaled in place: the caller's q changes": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    q.mul_(scale)
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "F.scaled_dot_product_attention (off limits)": '''
def attention(q, k, v, mask=None, scale=None):
    eye = torch.eye(k.shape[-2], dtype=q.dtype, device=q.device).expand(*k.shape[:-1], k.shape[-2])
    return (F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=scale),
            F.scaled_dot_product_attention(q, k, eye, attn_mask=mask, scale=scale))
''',
        # red team 2026-12-03
        "a given int scale ignored (only floats used as given)": '''
def attention(q, k, v, mask=None, scale=None):
    if not isinstance(scale, float):
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "leading dims flattened for torch.bmm: no broadcasting": '''
def attention(q, k, v, mask=None, scale=None):
    *lead, Tq, d = q.shape
    Tk, dv = k.shape[-2], v.shape[-1]
    scale = 1.0 / math.sqrt(d) if scale is None else scale
    n = math.prod(lead)
    scores = torch.bmm(q.reshape(n, Tq, d), k.reshape(n, Tk, d).transpose(1, 2)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask.expand(*lead, Tq, Tk).reshape(n, Tq, Tk), float("-inf"))
    weights = torch.softmax(scores, dim=-1).nan_to_num(0.0)
    out = torch.bmm(weights, v.reshape(n, Tk, dv))
    return out.reshape(*lead, Tq, dv), weights.reshape(*lead, Tq, Tk)
''',
        "a Python loop over the batch entries": '''
def attention(q, k, v, mask=None, scale=None):
    *lead, Tq, d = q.shape
    Tk, dv = k.shape[-2], v.shape[-1]
    scale = 1.0 / math.sqrt(d) if scale is None else scale
    n = math.prod(lead)
    qs, ks, vs = q.reshape(n, Tq, d), k.reshape(n, Tk, d), v.reshape(n, Tk, dv)
    ms = None if mask is None else mask.expand(*lead, Tq, Tk).reshape(n, Tq, Tk)
    outs, ws = [], []
    for i in range(qs.shape[0]):
        s = (qs[i] @ ks[i].T) * scale
        if ms is not None:
            s = s.masked_fill(~ms[i], float("-inf"))
        w = torch.softmax(s, dim=-1).nan_to_num(0.0)
        outs.append(w @ vs[i])
        ws.append(w)
    return torch.stack(outs).reshape(*lead, Tq, dv), torch.stack(ws).reshape(*lead, Tq, Tk)
''',
        "a default all-True mask made on the CPU": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    if mask is None:
        mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool)
    scores = (q @ k.transpose(-2, -1)) * scale
    scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1).masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "the default scale a float32 tensor (float64 loses precision)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = torch.tensor(q.shape[-1], dtype=torch.float32).rsqrt()
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
        "hand-written stable softmax (row max): fails with no keys": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    e = (scores - scores.amax(-1, keepdim=True)).exp()
    weights = (e / e.sum(-1, keepdim=True)).nan_to_num(0.0)
    return weights @ v, weights
''',
        "masked_fill_ on the softmax output: breaks backward": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights.masked_fill_(~mask, 0.0)
    return weights @ v, weights
''',
    },
    "answer_2_1": {
        "the plain dot product (no 1/sqrt(2))": '''
def answer_2_1():
    return (4.1888, -2.4172)
''',
        "only the query changed (the old key and value of token 2)": '''
def answer_2_1():
    return (2.6372, -1.5543)
''',
        "the output of the old token 2": '''
def answer_2_1():
    return (1.5, -1.0)
''',
        # red team 2026-12-03
        "scale 1/d_k (1/2) instead of 1/sqrt(d_k)": '''
def answer_2_1():
    return (3.1919, -1.6544)
''',
        "X @ W without the transpose": '''
def answer_2_1():
    return (4.3942, -2.4944)
''',
        "the old query with the new key and value": '''
def answer_2_1():
    return (4.6608, -2.7723)
''',
        "the value of token 2 not updated": '''
def answer_2_1():
    return (3.4876, -2.0227)
''',
        "rounded to 2 decimals": '''
def answer_2_1():
    return (3.67, -2.02)
''',
    },
    "causal_mask": {
        "the future instead of the past (triu)": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).triu()
''',
        "a token may not see itself (diagonal excluded)": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril(-1)
''',
        "0/1 floats instead of bools": '''
def causal_mask(T):
    return torch.ones(T, T).tril()
''',
        "the additive 0 / -inf form": '''
def causal_mask(T):
    return torch.full((T, T), float("-inf")).triu(1)
''',
        # red team 2026-12-03
        "sliced from a fixed 512 x 512 buffer": '''
def causal_mask(T):
    return torch.ones(512, 512, dtype=torch.bool).tril()[:T, :T]
''',
        "triu(1): True where forbidden (nn.MultiheadAttention's convention)": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).triu(1)
''',
        "uint8 0/1 mask": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.uint8).tril()
''',
        "the mask with a batch dimension [1, T, T]": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril()[None]
''',
    },
    "padding_mask": {
        "[B, T]: the query dimension missing": '''
def padding_mask(lengths, T):
    return torch.arange(T, device=lengths.device) < lengths[:, None]
''',
        "j <= length: one padding key too many": '''
def padding_mask(lengths, T):
    return (torch.arange(T, device=lengths.device) <= lengths[:, None])[:, None, :]
''',
        "True on the padding": '''
def padding_mask(lengths, T):
    return (torch.arange(T, device=lengths.device) >= lengths[:, None])[:, None, :]
''',
        "made on the CPU whatever lengths' device": '''
def padding_mask(lengths, T):
    return (torch.arange(T)[None, :] < lengths.cpu()[:, None])[:, None, :].to("cpu")
''',
        "the longest length used for every sequence": '''
def padding_mask(lengths, T):
    top = int(lengths.max()) if len(lengths) else 0
    return (torch.arange(T, device=lengths.device) < top)[None, None, :].expand(len(lengths), 1, T).clone()
''',
        # red team 2026-12-03
        "positions made on the CPU (torch.arange(T) without device)": '''
def padding_mask(lengths, T):
    return (torch.arange(T) < lengths[:, None])[:, None, :]
''',
        "squeeze: a batch of one (or T = 1) loses a dimension": '''
def padding_mask(lengths, T):
    return (torch.arange(T, device=lengths.device)[None, :] < lengths[:, None]).squeeze()[..., None, :]
''',
        "T ignored: as wide as the longest sequence": '''
def padding_mask(lengths, T):
    top = int(lengths.max()) if len(lengths) else 0
    return (torch.arange(top, device=lengths.device) < lengths[:, None])[:, None, :]
''',
        "lengths reshaped in place (unsqueeze_)": '''
def padding_mask(lengths, T):
    lengths.unsqueeze_(1)
    return (torch.arange(T, device=lengths.device) < lengths)[:, None, :]
''',
        "one_hot(lengths, T) cumsum: fails when a sequence fills T": '''
def padding_mask(lengths, T):
    return (F.one_hot(lengths.long(), T).cumsum(-1) == 0)[:, None, :]
''',
    },
    "multi_head_attention": {
        "scale 1/sqrt(d_model) instead of 1/sqrt(d_k)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask, scale=1 / math.sqrt(d))
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "heads split with view(B, h, T, d_k): tokens and features scrambled": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, self.n_heads, Tq, self.d_k)
        k = self.k_proj(key).view(B, self.n_heads, Tk, self.d_k)
        v = self.v_proj(value).view(B, self.n_heads, Tk, self.d_k)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.reshape(B, Tq, d)), weights
''',
        "heads concatenated without transposing back": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.reshape(B, Tq, d)), weights
''',
        "the mask without a head dimension": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "weights averaged over the heads": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights.mean(1)
''',
        "out_proj forgotten": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return out.transpose(1, 2).reshape(B, Tq, d), weights
''',
        "self-attention only: key and value ignored": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "bias argument ignored": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "F.multi_head_attention_forward (off limits)": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads = n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        W = torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight])
        b = None if self.q_proj.bias is None else torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias])
        m = None
        if mask is not None:
            m = (~mask.expand(B, Tq, key.shape[1])).repeat_interleave(self.n_heads, 0)
        out, w = F.multi_head_attention_forward(
            query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1), d, self.n_heads, W, b, None, None, False,
            0.0, self.out_proj.weight, self.out_proj.bias, training=False, need_weights=True, attn_mask=m,
            average_attn_weights=False)
        return out.transpose(0, 1), w
''',
        # red team 2026-12-03
        "mask.unsqueeze(1): a 2-D mask misplaced": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(1)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "keys and values reshaped with Tq": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, T, d = query.shape
        q = self.q_proj(query).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, T, d)), weights
''',
        "heads split as (d_k, h): features strided": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.d_k, self.n_heads).permute(0, 3, 1, 2)
        k = self.k_proj(key).view(B, Tk, self.d_k, self.n_heads).permute(0, 3, 1, 2)
        v = self.v_proj(value).view(B, Tk, self.d_k, self.n_heads).permute(0, 3, 1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.permute(0, 2, 3, 1).reshape(B, Tq, d)), weights
''',
        "a default all-True mask made on the CPU": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        if mask is None:
            mask = torch.ones(Tq, Tk, dtype=torch.bool)
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        out, weights = attention(q, k, v, mask=mask.unsqueeze(-3))
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "the head scale a float32 tensor (float64 loses precision)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        q = q * torch.tensor(float(self.d_k)).rsqrt()
        out, weights = attention(q, k, v, mask=mask, scale=1.0)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
        "values projected with k_proj (copy-paste)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.k_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    },
    "answer_4_2": {
        "the biases forgotten": '''
def answer_4_2():
    return 4 * 64 * 64
''',
        "one set of projections per head": '''
def answer_4_2():
    return 8 * 4 * (64 * 64 + 64)
''',
        "three projections, out_proj forgotten": '''
def answer_4_2():
    return 3 * (64 * 64 + 64)
''',
        # red team 2026-12-03
        "one bias vector for the four layers": '''
def answer_4_2():
    return 4 * 64 * 64 + 64
''',
        "per-head d_k x d_k weights": '''
def answer_4_2():
    return 4 * 8 * (8 * 8 + 8)
''',
        "as a float": '''
def answer_4_2():
    return 16640.0
''',
    },
    "sinusoidal_positions": {
        "all the sines first, then all the cosines": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    return torch.cat([torch.sin(angle), torch.cos(angle[:, :d // 2])], 1).float()
''',
        "exponent j/d for every feature j": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    j = torch.arange(d, dtype=torch.float64)
    angle = t / base ** (j / d)
    return torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle)).float()
''',
        "cos on the even features, sin on the odd": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.cos(angle)
    P[:, 1::2] = torch.sin(angle[:, :d // 2])
    return P.float()
''',
        "base ignored (always 10000)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / 10000.0 ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
        "an odd d fails (one cosine too many)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle)
    return P.float()
''',
        "float64 returned": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P
''',
        "a Python loop over positions": '''
def sinusoidal_positions(T, d, base=10000.0):
    w = 1 / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    rows = []
    for t in range(T):
        row = torch.zeros(d, dtype=torch.float64)
        row[0::2] = torch.sin(t * w)
        row[1::2] = torch.cos(t * w[:d // 2])
        rows.append(row)
    return torch.stack(rows).float() if rows else torch.zeros(0, d)
''',
        # red team 2026-12-03
        "angle times base^(2i/d) (not divided)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t * base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
        "positions 1 to T": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(1, T + 1, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
        "exponent i/d (pair index, not 2i)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange((d + 1) // 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
        "odd d: frequencies of d + 1 features, cropped": '''
def sinusoidal_positions(T, d, base=10000.0):
    d2 = d + d % 2
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d2, 2, dtype=torch.float64) / d2)
    return torch.stack([torch.sin(angle), torch.cos(angle)], -1).reshape(T, d2)[:, :d].float()
''',
        "view(T, -1): fails for T = 0": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d + 1, 2, dtype=torch.float64) / d)
    return torch.stack([torch.sin(angle), torch.cos(angle)], -1).view(T, -1)[:, :d].float()
''',
    },
    "answer_5_2": {
        "a: unchanged": '''
def answer_5_2():
    return "a"
''',
        "c: unpredictable": '''
def answer_5_2():
    return "c"
''',
        "d: uniform weights": '''
def answer_5_2():
    return "d"
''',
        # red team 2026-12-03
        "two letters (a and b)": '''
def answer_5_2():
    return "ab"
''',
        "a list holding the letter": '''
def answer_5_2():
    return ["b"]
''',
        "the letter with a period": '''
def answer_5_2():
    return "b."
''',
    },
    "layer_norm": {
        "an elementwise_affine flag before eps in the signature, as in nn.LayerNorm's full one": '''
class LayerNorm(nn.Module):
    def __init__(self, d, elementwise_affine=True, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "unbiased variance (x.var divides by d - 1)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(x.var(-1, keepdim=True) + self.eps) * self.weight + self.bias
''',
        "eps outside the square root": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / (torch.sqrt(var) + self.eps) * self.weight + self.bias
''',
        "variance as mean(x^2) - mean^2": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x * x).mean(-1, keepdim=True) - mu * mu
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "normalised over the batch (dim 0), as batch norm": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(0, keepdim=True)
        var = (x - mu).pow(2).mean(0, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "weight and bias never applied": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps)
''',
        "eps argument ignored": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + 1e-5) * self.weight + self.bias
''',
        "F.layer_norm (off limits)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, self.eps)
''',
        # red team 2026-12-03
        "eps stored as a float32 tensor": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = torch.tensor(eps)
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "x -= mean: the caller's input changed": _LAYER_NORM_INIT + '''
    def forward(self, x):
        x -= x.mean(-1, keepdim=True)
        var = x.pow(2).mean(-1, keepdim=True)
        return x / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "computed in float32, cast back": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xf = x.float()
        mu = xf.mean(-1, keepdim=True)
        var = (xf - mu).pow(2).mean(-1, keepdim=True)
        return ((xf - mu) / torch.sqrt(var + self.eps)).to(x.dtype) * self.weight + self.bias
''',
        "bias added before the scale": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return ((x - mu) / torch.sqrt(var + self.eps) + self.bias) * self.weight
''',
        "weight and bias as plain tensors (not parameters)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = torch.ones(d)
        self.bias = torch.zeros(d)

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    },
}

RIGHT = {
    "attention": {
        "einsum and torch.where": '''
def attention(q, k, v, mask=None, scale=None):
    d = q.shape[-1]
    scores = torch.einsum("...qd,...kd->...qk", q, k) * (d ** -0.5 if scale is None else scale)
    if mask is not None:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = torch.where(mask, weights, torch.zeros((), dtype=weights.dtype, device=weights.device))
    return torch.einsum("...qk,...kv->...qv", weights, v), weights
''',
        "q scaled first, nan_to_num after the softmax": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1 / math.sqrt(q.shape[-1])
    scores = torch.matmul(q * scale, k.transpose(-1, -2))
    if mask is not None:
        scores = scores.masked_fill(mask.logical_not(), -math.inf)
    weights = torch.softmax(scores, dim=-1).nan_to_num(nan=0.0)
    return torch.matmul(weights, v), weights
''',
    },
    "answer_2_1": {
        "by hand, rounded to 3 decimals": '''
def answer_2_1():
    return (3.666, -2.023)
''',
    },
    "causal_mask": {
        "a comparison of positions": '''
def causal_mask(T):
    i = torch.arange(T)
    return i[None, :] <= i[:, None]
''',
        "not the strict upper triangle": '''
def causal_mask(T):
    return ~torch.ones(T, T, dtype=torch.bool).triu(1)
''',
    },
    "padding_mask": {
        "positions as [1, 1, T]": '''
def padding_mask(lengths, T):
    return torch.arange(T, device=lengths.device)[None, None, :] < lengths[:, None, None]
''',
        "a loop over the batch": '''
def padding_mask(lengths, T):
    rows = [torch.arange(T, device=lengths.device) < n for n in lengths]
    return torch.stack(rows)[:, None, :] if rows else torch.zeros(0, 1, T, dtype=torch.bool, device=lengths.device)
''',
    },
    "multi_head_attention": {
        "unflatten, permute and flatten": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.h = n_heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(d_model, d_model, bias=bias) for _ in range(4))

    def split(self, x):                                            # [B, T, d] -> [B, h, T, d_k]
        return x.unflatten(-1, (self.h, -1)).permute(0, 2, 1, 3)

    def forward(self, query, key, value, mask=None):
        q, k, v = self.split(self.q_proj(query)), self.split(self.k_proj(key)), self.split(self.v_proj(value))
        out, weights = attention(q, k, v, mask=None if mask is None else mask[..., None, :, :])
        return self.out_proj(out.permute(0, 2, 1, 3).flatten(-2)), weights
''',
        "one head at a time, concatenated": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads = n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        q, k, v = self.q_proj(query), self.k_proj(key), self.v_proj(value)
        outs, ws = [], []
        for qh, kh, vh in zip(q.chunk(self.n_heads, -1), k.chunk(self.n_heads, -1), v.chunk(self.n_heads, -1)):
            o, w = attention(qh, kh, vh, mask=mask)
            outs.append(o)
            ws.append(w)
        return self.out_proj(torch.cat(outs, -1)), torch.stack(ws, 1)
''',
    },
    "answer_4_2": {
        "counted from the layers": '''
def answer_4_2():
    return sum(p.numel() for p in MultiHeadAttention(64, 8).parameters())
''',
    },
    "sinusoidal_positions": {
        "sin and cos stacked, then interleaved by a reshape": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    w = torch.exp(-math.log(base) * torch.arange(0, d + 1, 2, dtype=torch.float64) / d)
    angle = t * w
    P = torch.stack([torch.sin(angle), torch.cos(angle)], -1).reshape(T, 2 * len(w))
    return P[:, :d].float()
''',
        "computed in float32": '''
def sinusoidal_positions(T, d, base=10000.0):
    j = torch.arange(d)
    angle = torch.arange(T, dtype=torch.float32)[:, None] / base ** ((j - j % 2) / d)
    return torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))
''',
    },
    "answer_5_2": {
        "upper case, with spaces": '''
def answer_5_2():
    return " B"
''',
    },
    "layer_norm": {
        "var_mean with correction=0 and rsqrt": _LAYER_NORM_INIT + '''
    def forward(self, x):
        var, mu = torch.var_mean(x, dim=-1, keepdim=True, correction=0)
        return (x - mu) * torch.rsqrt(var + self.eps) * self.weight + self.bias
''',
        "centred first, then the variance of the centred values": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xc = x - x.mean(-1, keepdim=True)
        return self.weight * xc / (xc.square().mean(-1, keepdim=True) + self.eps).sqrt() + self.bias
''',
    },
}

WARNED = {
    "attention": ["no 1/sqrt(d) scaling", "a given scale also divided by sqrt(d)", "softmax over the queries (dim=-2)",
                  "k.T: every dimension reversed", "softmax as exp / sum: overflows",
                  "masked scores set to -1e9: an empty row becomes uniform", "nan left in rows with no allowed key",
                  "mask read the other way round (True = forbidden)", "a Python loop over the queries",
                  "scaled in place: the caller's q changes", "F.scaled_dot_product_attention (off limits)"],
    "causal_mask": ["the future instead of the past (triu)", "a token may not see itself (diagonal excluded)",
                    "0/1 floats instead of bools", "the additive 0 / -inf form"],
    "padding_mask": ["[B, T]: the query dimension missing", "True on the padding"],
    "multi_head_attention": ["scale 1/sqrt(d_model) instead of 1/sqrt(d_k)",
                             "heads split with view(B, h, T, d_k): tokens and features scrambled",
                             "heads concatenated without transposing back", "the mask without a head dimension",
                             "weights averaged over the heads", "F.multi_head_attention_forward (off limits)"],
    "sinusoidal_positions": ["all the sines first, then all the cosines", "exponent j/d for every feature j",
                             "cos on the even features, sin on the odd", "an odd d fails (one cosine too many)",
                             "float64 returned", "a Python loop over positions"],
    "layer_norm": ["unbiased variance (x.var divides by d - 1)", "eps outside the square root",
                   "variance as mean(x^2) - mean^2", "F.layer_norm (off limits)"],
}

EQUIVALENT = {
    "attention": {
        "args@14:18#0": "transpose(-1, -2) and transpose(-2, -1) swap the same two dimensions",
    },
    "causal_mask": {
        "clone@4:4#0": "a bool tensor made from torch.ones never requires grad: .detach() returns the same values",
    },
    "padding_mask": {
        "clone@8:4#0": "a bool comparison result never requires grad: .detach() returns the same values",
    },
    "multi_head_attention": {
        "args@27:12#0": "transpose(2, 1) and transpose(1, 2) swap the same two dimensions",
        "args@25:12#0": "transpose(2, 1) and transpose(1, 2) swap the same two dimensions",
        "args@26:12#0": "transpose(2, 1) and transpose(1, 2) swap the same two dimensions",
        "args@31:14#2": "transpose(2, 1) and transpose(1, 2) swap the same two dimensions",
    },
    "sinusoidal_positions": {
        "clone@13:4#0": "the encoding is built from constants (arange), never from a tensor that requires grad: .detach() changes nothing",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("attention", {}).update({
    "masked with float32's lowest number: float64 scores below it leak": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, torch.finfo(torch.float32).min)
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "weights returned detached": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights.detach()
''',
    "softmax computed in float32 (dtype=torch.float32)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v.float(), weights
''',
    "default scale 1/sqrt(Tk): the keys counted, not the features": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(k.shape[-2]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "weights renormalised after zeroing: empty rows 0/0": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    weights = torch.softmax((q @ k.transpose(-2, -1)) * scale, dim=-1)
    if mask is not None:
        weights = weights * mask
        weights = weights / weights.sum(-1, keepdim=True)
    return weights @ v, weights
''',
    "nan rows multiplied by the mask (nan * 0 is nan)": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights * mask
    return weights @ v, weights
''',
    "an additive log-mask, nan_to_num: nan gradients for empty rows": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = q.shape[-1] ** -0.5
    scores = q @ k.transpose(-1, -2) * scale
    if mask is not None:
        scores = scores + mask.to(scores.dtype).log()
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.nan_to_num(0.0)
    return weights @ v, weights
''',
    "default scale from the values' width": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(v.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG.setdefault("answer_2_1", {}).update({
    "scores multiplied by sqrt(2) instead of divided": '''
def answer_2_1():
    return (4.6295, -2.7396)
''',
    "the values taken as the tokens themselves (no W_value)": '''
def answer_2_1():
    return (1.6433, -0.3794)
''',
    "softmax over the queries (a column of the table)": '''
def answer_2_1():
    return (3.2182, -1.9297)
''',
})
WRONG.setdefault("causal_mask", {}).update({
    "comparison the wrong way round (keys >= queries)": '''
def causal_mask(T):
    return torch.arange(T)[:, None] <= torch.arange(T)[None, :]
''',
    "tril() == 0: True where forbidden": '''
def causal_mask(T):
    return torch.ones(T, T).tril() == 0
''',
    "int64 0/1 mask from tril": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.long).tril()
''',
})
WRONG.setdefault("padding_mask", {}).update({
    "positions in lengths' dtype: uint8 positions wrap past 255": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, dtype=lengths.dtype, device=lengths.device)
    return (positions < lengths[:, None])[:, None, :]
''',
    "[B, T, 1]: the size-1 dimension on the wrong side": '''
def padding_mask(lengths, T):
    return (torch.arange(T, device=lengths.device) < lengths[:, None])[:, :, None]
''',
    "j < length - 1: the last real token dropped": '''
def padding_mask(lengths, T):
    return (torch.arange(T, device=lengths.device) < lengths[:, None] - 1)[:, None, :]
''',
})
WRONG.setdefault("multi_head_attention", {}).update({
    "weights returned detached (for plotting)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights.detach()
''',
    "keys projected with q_proj (copy-paste)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.q_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "bias argument not passed to out_proj": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "queries scaled before q_proj (the bias escapes the scale)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query / math.sqrt(self.d_k)).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask, scale=1.0)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "values projected from the key input": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG.setdefault("answer_4_2", {}).update({
    "one bias per head instead of per feature": '''
def answer_4_2():
    return 4 * 64 * 64 + 4 * 8
''',
    "the weights of one head only": '''
def answer_4_2():
    return 4 * (64 * 8 + 8)
''',
})
WRONG.setdefault("answer_5_2", {}).update({
    "the letter with its reason": '''
def answer_5_2():
    return "b: the rows are permuted"
''',
})
WRONG.setdefault("sinusoidal_positions", {}).update({
    "pairs counted from 1 (i = 1, 2, ...)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(2, d + 2, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
    "odd d: the last feature left at zero": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d - 1, 2, dtype=torch.float64) / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0:2 * (d // 2):2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle)
    return P.float()
''',
    "transposed: [d, T]": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[None, :]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64)[:, None] / d)
    P = torch.zeros(d, T, dtype=torch.float64)
    P[0::2] = torch.sin(angle)
    P[1::2] = torch.cos(angle[:d // 2])
    return P.float()
''',
})
WRONG.setdefault("layer_norm", {}).update({
    "torch.native_group_norm with one group (F.group_norm reached another way)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        d = x.shape[-1]
        flat = x.reshape(-1, d)
        out = torch.native_group_norm(flat, self.weight, self.bias, flat.shape[0], d, 1, 1, self.eps)[0]
        return out.reshape(x.shape)
''',
    "weight and bias viewed as [1, d]: a 1-D input gains a dimension": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight.view(1, -1) + self.bias.view(1, -1)
''',
    "default eps 1e-6": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "statistics detached (no gradient through mean and variance)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True).detach()
        var = (x - mu).pow(2).mean(-1, keepdim=True).detach()
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "variance clamped at eps instead of eps added": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var.clamp(min=self.eps)) * self.weight + self.bias
''',
    "normalised over every dimension but the first": _LAYER_NORM_INIT + '''
    def forward(self, x):
        dims = tuple(range(1, x.dim())) if x.dim() > 1 else (-1,)
        mu = x.mean(dims, keepdim=True)
        var = (x - mu).pow(2).mean(dims, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
RIGHT.setdefault("attention", {}).update({
    "masked with the dtype's lowest number, masked weights zeroed after": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = torch.matmul(q, k.mT) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
    weights = scores.softmax(-1)
    if mask is not None:
        weights = torch.where(mask, weights, 0.0)
    return torch.matmul(weights, v), weights
''',
})
RIGHT.setdefault("causal_mask", {}).update({
    "numpy's tri": '''
def causal_mask(T):
    return torch.from_numpy(np.tri(T, dtype=bool))
''',
})
RIGHT.setdefault("padding_mask", {}).update({
    "positions 1..T compared with <=": '''
def padding_mask(lengths, T):
    return (torch.arange(1, T + 1, device=lengths.device)[None, None, :] <= lengths[:, None, None])
''',
})
RIGHT.setdefault("multi_head_attention", {}).update({
    "unflatten / permute, contiguous().view to merge": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        split = lambda x: x.unflatten(-1, (self.n_heads, self.d_k)).permute(0, 2, 1, 3)
        q, k, v = split(self.q_proj(query)), split(self.k_proj(key)), split(self.v_proj(value))
        out, weights = attention(q, k, v, mask=None if mask is None else mask[..., None, :, :], scale=self.d_k ** -0.5)
        return self.out_proj(out.permute(0, 2, 1, 3).contiguous().view(B, Tq, d)), weights
''',
})
RIGHT.setdefault("layer_norm", {}).update({
    "std(unbiased=False) and addcmul": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        std = x.std(-1, unbiased=False, keepdim=True)
        return torch.addcmul(self.bias, (x - mu) / (std * std + self.eps).sqrt(), self.weight)
''',
})
RIGHT.setdefault("sinusoidal_positions", {}).update({
    "exp-log frequencies, cos as a shifted sin": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    freq = torch.exp(-math.log(base) * torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = t * freq
    P = torch.empty(T, d, dtype=torch.float64)
    P[:, 0::2] = angle.sin()
    P[:, 1::2] = (angle[:, :d // 2] + math.pi / 2).sin()
    return P.to(torch.float32)
''',
})
WARNED.setdefault("layer_norm", []).append("torch.native_group_norm with one group (F.group_norm reached another way)")

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["padding_mask"].update({
    "a CPU mask filled in a loop over the sequences": '''
def padding_mask(lengths, T):
    mask = torch.zeros(len(lengths), 1, T, dtype=torch.bool)
    for b in range(len(lengths)):
        mask[b, 0, :int(lengths[b])] = True
    return mask
''',
})
RIGHT.setdefault("padding_mask", {}).update({
    "a mask on lengths' device filled in a loop over the sequences": '''
def padding_mask(lengths, T):
    mask = torch.zeros(len(lengths), 1, T, dtype=torch.bool, device=lengths.device)
    for b in range(len(lengths)):
        mask[b, 0, :int(lengths[b])] = True
    return mask
''',
})

# ---- red team, round 5 ----
WRONG["attention"].update({
    "the library's math backend torch._scaled_dot_product_attention_math": '''
def attention(q, k, v, mask=None, scale=None):
    additive = None                            # the backend adds a float mask to the scores
    if mask is not None:
        additive = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill(~mask, float("-inf"))
    out, weights = torch._scaled_dot_product_attention_math(q, k, v, attn_mask=additive, scale=scale)
    if mask is not None:                       # rows with no allowed key: zeros
        weights = weights.masked_fill(~mask, 0.0)
        out = weights @ v
    return out, weights
''',
    "the math backend through torch.ops.aten": '''
def attention(q, k, v, mask=None, scale=None):
    additive = None                            # the backend adds a float mask to the scores
    if mask is not None:
        additive = torch.zeros(mask.shape, dtype=q.dtype, device=q.device).masked_fill(~mask, float("-inf"))
    out, weights = torch.ops.aten._scaled_dot_product_attention_math(q, k, v, attn_mask=additive, scale=scale)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
        out = weights @ v
    return out, weights
''',
    "masked before scaling: -inf times a negative scale": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores * scale, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["answer_2_1"].update({
    "the output of token 1 (row 0), not token 2": '''
def answer_2_1():
    return (1.9987, 0.0004)
''',
    "scale 1/sqrt(3): the number of tokens, not d_k": '''
def answer_2_1():
    return (3.3770, -1.7994)
''',
})
WRONG["padding_mask"].update({
    "rows stacked per sequence: an empty batch fails": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, device=lengths.device)
    return torch.stack([positions < n for n in lengths])[:, None, :]
''',
})
WRONG["multi_head_attention"].update({
    "torch._native_multi_head_attention (nn.MultiheadAttention's fast path)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        W = torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight])
        zeros = query.new_zeros(d)
        b = torch.cat([p.bias if p.bias is not None else zeros for p in (self.q_proj, self.k_proj, self.v_proj)])
        ob = self.out_proj.bias if self.out_proj.bias is not None else zeros
        m = None
        if mask is not None:
            m = ~mask.expand(B, Tq, Tk)[:, None].expand(B, self.n_heads, Tq, Tk)
        return torch._native_multi_head_attention(query, key, value, d, self.n_heads, W, b, self.out_proj.weight, ob,
                                                  m, True, False, None if m is None else 2)
''',
})
WRONG["layer_norm"].update({
    "F.instance_norm over the tokens (a library normalisation)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        d = x.shape[-1]
        y = F.instance_norm(x.reshape(1, -1, d), eps=self.eps).reshape(x.shape)
        return y * self.weight + self.bias
''',
    "F.batch_norm of the transposed tokens (a library normalisation)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        d = x.shape[-1]
        y = F.batch_norm(x.reshape(-1, d).T, None, None, training=True, eps=self.eps).T.reshape(x.shape)
        return y * self.weight + self.bias
''',
    "F.rms_norm of the centred input (a library normalisation)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        return F.rms_norm(x - x.mean(-1, keepdim=True), (x.shape[-1],), self.weight, eps=self.eps) + self.bias
''',
})
RIGHT["attention"].update({
    "torch.where on the scores, empty rows zeroed through mask.any": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = q.size(-1) ** -0.5
    scores = torch.matmul(q, k.swapaxes(-1, -2)) * scale
    if mask is not None:
        scores = torch.where(mask, scores, float("-inf"))
    weights = F.softmax(scores, dim=-1)
    if mask is not None:
        weights = torch.where(mask.any(-1, keepdim=True), weights, 0.0)
    return torch.matmul(weights, v), weights
''',
})
RIGHT["layer_norm"].update({
    "vector_norm of the centred values": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xc = x - x.mean(dim=-1, keepdim=True)
        var = torch.linalg.vector_norm(xc, dim=-1, keepdim=True) ** 2 / x.shape[-1]
        return xc * (var + self.eps).rsqrt() * self.weight + self.bias
''',
})
RIGHT["multi_head_attention"].update({
    "a head dimension added only to a 3-D mask": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        q = self.q_proj(query).reshape(B, Tq, self.n_heads, -1).transpose(1, 2)
        k = self.k_proj(key).reshape(B, key.shape[1], self.n_heads, -1).transpose(1, 2)
        v = self.v_proj(value).reshape(B, value.shape[1], self.n_heads, -1).transpose(1, 2)
        if mask is not None and mask.dim() == 3:
            mask = mask[:, None]                 # [B, 1, Tq or 1, Tk]; a 2-D mask broadcasts as it is
        out, weights = attention(q, k, v, mask=mask, scale=1 / math.sqrt(self.d_k))
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WARNED["attention"] += ["the library's math backend torch._scaled_dot_product_attention_math",
                        "the math backend through torch.ops.aten"]
WARNED["multi_head_attention"] += ["torch._native_multi_head_attention (nn.MultiheadAttention's fast path)"]
WARNED["layer_norm"] += ["F.instance_norm over the tokens (a library normalisation)",
                         "F.batch_norm of the transposed tokens (a library normalisation)",
                         "F.rms_norm of the centred input (a library normalisation)"]

# ---- red team, round 6 ----
WRONG["attention"].update({
    "scores clamped to [-1e4, 1e4] against overflow": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = ((q @ k.transpose(-2, -1)) * scale).clamp(-1e4, 1e4)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "default scale d ** -1 / 2 (precedence: 1 / (2 d))": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = q.shape[-1] ** -1 / 2
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["padding_mask"].update({
    "lengths clamped in place to T": '''
def padding_mask(lengths, T):
    lengths.clamp_(max=T)
    return (torch.arange(T, device=lengths.device) < lengths[:, None])[:, None, :]
''',
})
WRONG["multi_head_attention"].update({
    "mask.unsqueeze_(-3): the caller's mask gains a dimension": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask.unsqueeze_(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "scale passed as sqrt(d_k) (multiplied, not divided)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask, scale=self.d_k ** 0.5)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG["sinusoidal_positions"].update({
    "a fixed table of 5000 positions, sliced (the tutorial's max_len)": '''
def sinusoidal_positions(T, d, base=10000.0):
    max_len = 5000
    t = torch.arange(max_len, dtype=torch.float64)[:, None]
    angle = t / base ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    P = torch.zeros(max_len, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P[:T].float()
''',
    "positions in float16 (half the memory)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float16)[:, None]
    angle = t.float() / base ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
    P = torch.zeros(T, d)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.half().float()
''',
})
WRONG["layer_norm"].update({
    "eps added twice (inside the root and to the std)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / (torch.sqrt(var + self.eps) + self.eps) * self.weight + self.bias
''',
})
RIGHT["attention"].update({
    "default scale a 0-d CPU tensor in q's dtype": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = torch.tensor(q.shape[-1], dtype=q.dtype).rsqrt()
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "mask expanded to the scores, index assignment on a fresh score table": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = torch.matmul(q, k.transpose(-1, -2)) * scale
    if mask is not None:
        mask = mask.expand(scores.shape)
        scores[~mask] = float("-inf")
    weights = scores.softmax(dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
RIGHT["multi_head_attention"].update({
    "heads split by chunk and stacked, merged by cat": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        split = lambda x: torch.stack(x.chunk(self.n_heads, dim=-1), dim=1)     # [B, h, T, d_k]
        q, k, v = split(self.q_proj(query)), split(self.k_proj(key)), split(self.v_proj(value))
        out, weights = attention(q, k, v, mask=None if mask is None else mask.unsqueeze(-3))
        return self.out_proj(torch.cat(out.unbind(1), dim=-1)), weights
''',
})
RIGHT["sinusoidal_positions"].update({
    "a loop over the feature pairs (not the positions)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)
    P = torch.zeros(T, d, dtype=torch.float64)
    for i in range(0, d, 2):
        angle = t / base ** (i / d)
        P[:, i] = torch.sin(angle)
        if i + 1 < d:
            P[:, i + 1] = torch.cos(angle)
    return P.float()
''',
})
RIGHT["layer_norm"].update({
    "statistics in float64, cast back to the input's dtype": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xd = x.double()
        mu = xd.mean(-1, keepdim=True)
        var = ((xd - mu) ** 2).mean(-1, keepdim=True)
        return ((xd - mu) / (var + self.eps).sqrt()).to(x.dtype) * self.weight + self.bias
''',
})
WRONG["layer_norm"].update({
    "eps=0.0 replaced by the default (eps or 1e-5)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps or 1e-5
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = (x - mu).pow(2).mean(-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})

# ---- red team, round 7 (2026-12-04) ----
WRONG["attention"].update({
    "the caller's mask inverted in place (logical_not_)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        forbidden = mask.logical_not_()
        scores = scores.masked_fill(forbidden, float("-inf"))
        weights = torch.softmax(scores, dim=-1).masked_fill(forbidden, 0.0)
    else:
        weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
''',
    "no keys special-cased with zeros made on the CPU in float32": '''
def attention(q, k, v, mask=None, scale=None):
    if k.shape[-2] == 0:
        lead = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
        return torch.zeros(*lead, q.shape[-2], v.shape[-1]), torch.zeros(*lead, q.shape[-2], 0)
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["padding_mask"].update({
    "lengths compared after a cast to int16 (long lengths wrap)": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, device=lengths.device, dtype=torch.int16)
    return (positions < lengths.to(torch.int16)[:, None])[:, None, :]
''',
})
WRONG["multi_head_attention"].update({
    "mask.unsqueeze(1) for every mask": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(1)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "heads concatenated with reshape(B, Tq, d) on [B, h, Tq, d_k] after a permute(0, 2, 3, 1)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.permute(0, 2, 3, 1).reshape(B, Tq, d)), weights
''',
})
WRONG["sinusoidal_positions"].update({
    "odd d: the exponent's denominator is d - 1 (2i / (2 * (d // 2)))": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    i = torch.arange((d + 1) // 2, dtype=torch.float64)
    angle = t / base ** (i / max(d // 2, 1))
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
    "frequencies from linspace(0, 1) over the pairs": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    n = (d + 1) // 2
    angle = t / base ** torch.linspace(0, 1, n, dtype=torch.float64)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["layer_norm"].update({
    "std of the centred values by vector_norm / sqrt(d), squared: nan gradient for a constant token": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xc = x - x.mean(-1, keepdim=True)
        std = torch.sqrt((xc * xc).sum(-1, keepdim=True) / x.shape[-1])
        return xc / torch.sqrt(std * std + self.eps) * self.weight + self.bias
''',
})
WRONG["answer_4_2"].update({
    "the weights only, biases of out_proj forgotten": '''
def answer_4_2():
    return 4 * 64 * 64 + 3 * 64
''',
})
RIGHT["attention"].update({
    "dtype's lowest number, weights multiplied by the mask": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = q.shape[-1] ** -0.5
    scores = torch.einsum("...qd,...kd->...qk", q, k) * scale
    if mask is None:
        weights = scores.softmax(-1)
    else:
        weights = scores.masked_fill(~mask, torch.finfo(scores.dtype).min).softmax(-1) * mask
    return torch.einsum("...qk,...kv->...qv", weights, v), weights
''',
})
RIGHT["padding_mask"].update({
    "lengths as [B, 1, 1] against the positions": '''
def padding_mask(lengths, T):
    return lengths.reshape(-1, 1, 1) > torch.arange(T, device=lengths.device)
''',
})
RIGHT["layer_norm"].update({
    "torch.var with correction=0, rsqrt, in-place on the fresh statistics": _LAYER_NORM_INIT + '''
    def forward(self, x):
        var = torch.var(x, dim=-1, correction=0, keepdim=True)
        inv = var.add_(self.eps).rsqrt_()
        return (x - x.mean(-1, keepdim=True)) * inv * self.weight + self.bias
''',
})
RIGHT["multi_head_attention"].update({
    "queries pre-scaled by 1/sqrt(d_k), attention with scale=1.0, heads merged by flatten": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, _ = query.shape
        split = lambda t: t.unflatten(-1, (self.n_heads, self.d_k)).transpose(1, 2)
        q = split(self.q_proj(query)) / math.sqrt(self.d_k)
        k, v = split(self.k_proj(key)), split(self.v_proj(value))
        if mask is not None and mask.dim() == 3:
            mask = mask[:, None]
        out, weights = attention(q, k, v, mask=mask, scale=1.0)
        return self.out_proj(out.transpose(1, 2).flatten(2)), weights
''',
})
RIGHT["layer_norm"].update({
    "variance as the biased std squared (std backward is finite at 0)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(-1, keepdim=True)
        var = x.std(-1, correction=0, keepdim=True) ** 2
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})

# ---- red team, round 7, second batch (written after the measurement) ----
WRONG["attention"].update({
    "a 1-D mask widened with an all-True [Tq, Tk] tensor made on the CPU": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        if mask.dim() == 1:
            mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool) & mask
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["multi_head_attention"].update({
    "a [B, 1, Tk] mask widened to [B, Tq, Tk] with an all-True tensor made on the CPU": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            if mask.shape[-2] == 1:
                mask = mask & torch.ones(Tq, Tk, dtype=torch.bool)
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})


# ---- red-team pass 9 (rt9) ----
_MHA_INIT_RT9 = '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)
'''
WRONG["multi_head_attention"].update({
    "a head dimension added when the mask's first size is the batch size (a [Tq, Tk] mask with Tq == B misread)": _MHA_INIT_RT9 + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None and mask.shape[0] == B:
            mask = mask.unsqueeze(1)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "a head dimension only for a padding mask [B, 1, Tk] (a [B, Tq, Tk] mask left as it is)": _MHA_INIT_RT9 + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None and mask.dim() == 3 and mask.shape[1] == 1:
            mask = mask.unsqueeze(1)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG["attention"].update({
    "nan_to_num on the output of unmasked-after-softmax weights (nan gradients for empty rows)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return torch.nan_to_num(weights @ v, nan=0.0), torch.nan_to_num(weights, nan=0.0)
''',
})
WRONG["padding_mask"].update({
    "positions and lengths compared as float32 (exact only up to 2^24)": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, device=lengths.device, dtype=torch.float32)
    return (positions < lengths.float()[:, None])[:, None, :]
''',
})
WRONG["sinusoidal_positions"].update({
    "the base rounded to an int (torch.tensor(int(base)))": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / torch.tensor(int(base), dtype=torch.float64) ** (two_i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["layer_norm"].update({
    "unbiased variance rescaled by (d - 1) / d (nan when d = 1)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        d = x.shape[-1]
        mu = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True) * (d - 1) / d
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
RIGHT["multi_head_attention"].update({
    "a 2-D mask as [1, 1, Tq, Tk], a 3-D one as [B, 1, Tq, Tk] (explicit indexing)": _MHA_INIT_RT9 + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask[None, None] if mask.dim() == 2 else mask[:, None]
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
RIGHT["causal_mask"].update({
    "the transposed upper triangle": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).triu().T
''',
})
RIGHT["sinusoidal_positions"].update({
    "angle as t times (1 / base) ** (2i / d), interleaved by stack and flatten(-2)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    freq = (1.0 / base) ** (torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = t * freq
    P = torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1).flatten(-2)[:, :d]
    return P.float()
''',
})


# ---- red-team pass 10 (rt10) ----
WRONG["layer_norm"].update({
    "a 1e-12 floor under var + eps (eps=0.0 and a tiny variance)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(torch.clamp(var + self.eps, min=1e-12)) * self.weight + self.bias
''',
    "eps squared inside the root (var + eps ** 2)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps ** 2) * self.weight + self.bias
''',
})
WRONG["padding_mask"].update({
    "positions .to(lengths): lengths' dtype too (uint8 wraps)": '''
def padding_mask(lengths, T):
    positions = torch.arange(T).to(lengths)
    return (positions < lengths[:, None])[:, None, :]
''',
})
WRONG["answer_2_1"].update({
    "row 2: the third token (x^(2) read as index 2)": '''
def answer_2_1():
    X_new = torch.tensor([[2.0, -1.0], [0.0, 1.0], [2.0, 2.0]])
    out, _ = attention(X_new @ W_query.T, X_new @ W_key.T, X_new @ W_value.T)
    return tuple(float(x) for x in out[2])
''',
    "the new token's output with a causal mask": '''
def answer_2_1():
    X_new = torch.tensor([[2.0, -1.0], [0.0, 1.0], [2.0, 2.0]])
    out, _ = attention(X_new @ W_query.T, X_new @ W_key.T, X_new @ W_value.T, mask=causal_mask(3))
    return tuple(float(x) for x in out[1])
''',
})
WRONG["multi_head_attention"].update({
    "out_proj bias added once per head (per-head output projections summed)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        W = self.out_proj.weight.view(d, self.n_heads, self.d_k)
        total = 0
        for i in range(self.n_heads):
            total = total + F.linear(out[:, i], W[:, i], self.out_proj.bias)
        return total, weights
''',
})
WRONG["sinusoidal_positions"].update({
    "positions normalised to [0, 1) (t / T)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None] / max(T, 1)
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / base ** (two_i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["answer_4_2"].update({
    "in-projection biases forgotten (only out_proj's bias counted)": '''
def answer_4_2():
    return 4 * 64 * 64 + 64
''',
})
RIGHT["attention"].update({
    "torch.where with a 0-d CPU -inf tensor": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = torch.matmul(q, k.transpose(-1, -2)) * scale
    if mask is None:
        weights = torch.softmax(scores, dim=-1)
    else:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
        weights = torch.where(mask, torch.softmax(scores, dim=-1), torch.tensor(0.0, dtype=scores.dtype))
    return torch.matmul(weights, v), weights
''',
})
RIGHT["multi_head_attention"].update({
    "any mask reshaped to [-1, 1, Tq or 1, Tk]": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        split = lambda t, T: t.reshape(B, T, self.n_heads, self.d_k).permute(0, 2, 1, 3)
        q, k, v = split(self.q_proj(query), Tq), split(self.k_proj(key), Tk), split(self.v_proj(value), Tk)
        if mask is not None:
            mask = mask.reshape(-1, 1, *mask.shape[-2:])
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.permute(0, 2, 1, 3).reshape(B, Tq, d)), weights
''',
})
RIGHT["sinusoidal_positions"].update({
    "one frequency per feature, sin or cos chosen by torch.where on the parity": '''
def sinusoidal_positions(T, d, base=10000.0):
    j = torch.arange(d)
    freq = 1.0 / base ** ((2 * (j // 2)).double() / d)
    angle = torch.outer(torch.arange(T, dtype=torch.float64), freq)
    return torch.where(j % 2 == 0, angle.sin(), angle.cos()).to(torch.float32)
''',
})
RIGHT["sinusoidal_positions"].update({
    "frequencies by torch.logspace over the pairs (float64)": '''
def sinusoidal_positions(T, d, base=10000.0):
    n = (d + 1) // 2
    freq = torch.logspace(0.0, -2.0 * (n - 1) / d, n, base=base, dtype=torch.float64)
    angle = torch.arange(T, dtype=torch.float64)[:, None] * freq
    P = torch.stack([angle.sin(), angle.cos()], dim=-1).reshape(T, 2 * n)[:, :d]
    return P.to(torch.float32)
''',
})

# red team 11, 2026-12-04
WRONG["attention"].update({
    "d read as q.shape[1] (right for 2-D inputs only)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "softmax(dim=1) (the keys only for 2-D inputs)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "scores[~mask] = -inf (boolean indexing: a broadcasting mask breaks)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores[~mask] = float("-inf")
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = torch.nan_to_num(weights, nan=0.0)
    return weights @ v, weights
''',
    "softmax stabilised with the global maximum (rows far below it underflow to 0/0)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    e = torch.exp(scores - scores.detach().amax()) if scores.numel() else scores.exp()
    weights = torch.nan_to_num(e / e.sum(-1, keepdim=True), nan=0.0)
    return weights @ v, weights
''',
    "scale split as sqrt(scale) on q and on k (a negative scale gives nan)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    root = math.sqrt(scale) if scale >= 0 else float("nan")
    scores = (q * root) @ (k * root).transpose(-2, -1)             # balanced: neither factor grows
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["padding_mask"].update({
    "unsqueeze(0) instead of unsqueeze(1): [1, B, T]": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, device=lengths.device)
    return (positions < lengths[:, None]).unsqueeze(0)
''',
})
WRONG["multi_head_attention"].update({
    "d_k = d_model / n_heads (a float)": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model / n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "mask inverted (~mask): nn.MultiheadAttention's convention": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = ~mask.unsqueeze(-3)                  # True = masked out, as nn.MultiheadAttention's attn_mask
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "heads merged with Tk (reshape(B, Tk, d)): cross-attention breaks": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tk, d)), weights
''',
})
WRONG["sinusoidal_positions"].update({
    "exponent with floor division (2i // d is 0 for every pair)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2)
    angle = t / base ** (two_i // d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["layer_norm"].update({
    "keepdim forgotten: the mean of each token broadcast along the features": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(dim=-1)
        var = (x - mu).pow(2).mean(dim=-1)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "weight.data and bias.data in forward (the parameters get no gradient)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight.data + self.bias.data
''',
})
RIGHT["attention"].update({
    "scores and softmax in float64, cast back to q's dtype": '''
def attention(q, k, v, mask=None, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q.double() @ k.double().transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    weights = weights.to(q.dtype)
    return weights @ v, weights
''',
})
RIGHT["multi_head_attention"].update({
    "out_proj split into per-head column blocks, the per-head products summed, its bias added once": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        h, dk = self.n_heads, self.d_k
        q = self.q_proj(query).unflatten(-1, (h, dk)).transpose(1, 2)
        k = self.k_proj(key).unflatten(-1, (h, dk)).transpose(1, 2)
        v = self.v_proj(value).unflatten(-1, (h, dk)).transpose(1, 2)
        out, weights = attention(q, k, v, mask=None if mask is None else mask.unsqueeze(-3))   # [B, h, Tq, dk]
        W = self.out_proj.weight.reshape(d, h, dk).permute(1, 2, 0)                           # [h, dk, d]: head i's columns
        y = (out @ W).sum(dim=1)                                                              # [B, Tq, d]
        return (y if self.out_proj.bias is None else y + self.out_proj.bias), weights
''',
})
WRONG["layer_norm"].update({
    "variance as mean(x^2) - mean^2 computed in float64, cast back (float64 features around 1e9 lose every digit)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        x64 = x.double()                                              # float64: enough digits for mean(x^2) - mean^2
        mu = x64.mean(dim=-1, keepdim=True)
        var = (x64 * x64).mean(dim=-1, keepdim=True) - mu * mu
        y = (x64 - mu) / torch.sqrt(var + self.eps)
        return y.to(x.dtype) * self.weight + self.bias
''',
})
# red team 13, 2026-12-05
WRONG["attention"].update({
    "a given scale divides the scores (read as a temperature)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
    else:
        scores = (q @ k.transpose(-2, -1)) / scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
    "the scale left out of the masked branch (copy-paste)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    if mask is None:
        weights = torch.softmax((q @ k.transpose(-2, -1)) * scale, dim=-1)
    else:
        scores = (q @ k.transpose(-2, -1)).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1).masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["multi_head_attention"].update({
    "keys projected from the value input and values from the key input (key and value swapped)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
    "every length read from the key (B, T, d = key.shape): the queries reshaped with Tk": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, T, d = key.shape
        q = self.q_proj(query).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, T, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, T, d)), weights
''',
})
WRONG["padding_mask"].update({
    "reshaped with view(-1, 1, T): an empty batch (or T = 0) fails": '''
def padding_mask(lengths, T):
    positions = torch.arange(T, device=lengths.device)
    return (positions[None, :] < lengths[:, None]).view(-1, 1, T)
''',
})
WRONG["sinusoidal_positions"].update({
    "exponent 2i/d with i already stepping by 2 (4i/d)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / base ** (2 * i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["layer_norm"].update({
    "bias initialised to ones (copy-paste of the weight line)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.ones(d))

    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG["answer_2_1"].update({
    "the key of token 2 not updated (new query and value only)": '''
def answer_2_1():
    X_new = torch.tensor([[2.0, -1.0], [0.0, 1.0], [2.0, 2.0]])
    X_old = torch.tensor([[2.0, -1.0], [-1.0, 0.0], [2.0, 2.0]])
    out, _ = attention(X_new @ W_query.T, X_old @ W_key.T, X_new @ W_value.T)
    return tuple(float(x) for x in out[1])
''',
})
RIGHT["attention"].update({
    "k.mT, the softmax as exp(scores - logsumexp), empty rows cleaned by torch.where": '''
def attention(q, k, v, mask=None, scale=None):
    scale = q.shape[-1] ** -0.5 if scale is None else scale
    scores = torch.matmul(q, k.mT) * scale
    if mask is not None:
        scores = torch.where(mask, scores, float("-inf"))
    weights = torch.exp(scores - torch.logsumexp(scores, dim=-1, keepdim=True))
    if mask is not None:
        weights = torch.where(mask, weights, 0.0)
    return torch.matmul(weights, v), weights
''',
})
RIGHT["sinusoidal_positions"].update({
    "angles by torch.outer in float64, sin and cos written into an empty float32 tensor": '''
def sinusoidal_positions(T, d, base=10000.0):
    freq = 1.0 / torch.pow(torch.tensor(base, dtype=torch.float64), torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = torch.outer(torch.arange(T, dtype=torch.float64), freq)
    P = torch.empty(T, d)
    P[:, 0::2] = angle.sin()
    P[:, 1::2] = angle[:, :d // 2].cos()
    return P
''',
})
# red team 13 (written after the first measurement; it slipped: no test passed bias by position)
WRONG["multi_head_attention"].update({
    "a dropout argument before bias, as in nn.MultiheadAttention's signature (bias by position lost)": '''
class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.0, bias=True):
        super().__init__()
        self.n_heads, self.d_k = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})

# ---- red team 15 (reviewer F) ----
WRONG["causal_mask"].update({
    # red team 15: one tensor per T kept and handed out again: a caller's in-place change (mask[2] = False, as the
    # test of Exercise 1.1 does) leaks into every later causal_mask(T)
    "masks cached per T in a dict (the same tensor handed out at every call)": '''
_CAUSAL_MASKS = {}


def causal_mask(T):
    if T not in _CAUSAL_MASKS:
        _CAUSAL_MASKS[T] = torch.ones(T, T, dtype=torch.bool).tril()
    return _CAUSAL_MASKS[T]
''',
})
WRONG["sinusoidal_positions"].update({
    # red team 15: functools.lru_cache returns the same tensor for the same arguments: a caller that scales the
    # codes in place (P.mul_(0.1)) changes what every later call returns
    "functools.lru_cache (the same tensor handed out at every call)": '''
import functools


@functools.lru_cache(maxsize=None)
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / base ** (two_i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
    # red team 15: the PyTorch tutorial's [1, T, d] buffer, ready to add to x [B, T, d]: not the [T, d] asked for
    "a batch dimension in front: [1, T, d]": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / base ** (two_i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float().unsqueeze(0)
''',
})
WRONG["multi_head_attention"].update({
    # red team 15: the annotated transformer's view(nbatches, -1, h, d_k): with no keys (Tk = 0, an empty memory)
    # the -1 cannot be inferred from 0 elements, and the layer fails where attention returns zeros
    "heads split with view(B, -1, h, d_k): no keys (Tk = 0) fails": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B = query.shape[0]
        q = self.q_proj(query).view(B, -1, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, -1, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, -1, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        out = out.transpose(1, 2).reshape(B, -1, self.n_heads * self.d_k)
        return self.out_proj(out), weights
''',
    # red team 15: nn.MultiheadAttention's key_padding_mask before the mask: forward(query, key, value, mask) with the
    # mask by position lands in key_padding_mask ([B, Tk] expected) and is misread
    "a key_padding_mask argument before mask, as in nn.MultiheadAttention (a mask by position misread)": _MHA_INIT + '''
    def forward(self, query, key, value, key_padding_mask=None, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]
        if key_padding_mask is not None:                     # [B, Tk], True on the real keys
            pad = key_padding_mask[:, None, :]
            mask = pad if mask is None else mask & pad
        q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG["layer_norm"].update({
    # red team 15: the centred values are pow's saved input: dividing them in place breaks the backward pass
    "the centred values divided in place (pow's saved input changed: backward fails)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xc = x - x.mean(dim=-1, keepdim=True)
        var = xc.pow(2).mean(dim=-1, keepdim=True)
        xc.div_(torch.sqrt(var + self.eps))
        return xc * self.weight + self.bias
''',
    # red team 15: eps as a buffer (so that .to(device) moves it): an extra state_dict entry, and nn.LayerNorm's
    # weights no longer load by name
    "eps registered as a buffer (an extra state_dict entry)": '''
class LayerNorm(nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.register_buffer("eps", torch.tensor(eps, dtype=torch.float64))
        self.weight = nn.Parameter(torch.ones(d))
        self.bias = nn.Parameter(torch.zeros(d))

    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG["attention"].update({
    # red team 15: transpose_ works in place on the caller's k (its shape and strides change)
    "k.transpose_(-2, -1) in place (the caller's k transposed)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose_(-2, -1)) * scale
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WARNED["attention"].append("k.transpose_(-2, -1) in place (the caller's k transposed)")
# red team 15: written as WRONG ("no keys (Tk = 0) fails"), but view(B, -1, h, d_k) infers -1 = 0 when Tk = 0; it fails
# only for an empty batch (B = 0), which the text does not ask for (and a RIGHT answer with view(B, T, h, -1) fails
# there too): right by the text
RIGHT["multi_head_attention"]["heads split with view(B, -1, h, d_k) (the annotated transformer)"] = \
    WRONG["multi_head_attention"].pop("heads split with view(B, -1, h, d_k): no keys (Tk = 0) fails")
# the texts of Exercises 3.1 and 5.1 ask for a new tensor at every call; no_shared_memory (in the student's kernel
# when graded) catches a cache in the visible tests
WARNED["causal_mask"] += ["masks cached per T in a dict (the same tensor handed out at every call)"]
WARNED["sinusoidal_positions"] += ["functools.lru_cache (the same tensor handed out at every call)"]

# ---- red team 17 (reviewer F) ----
WRONG["attention"].update({
    # red team 17: the mask applied only after the softmax (masked weights set to 0): the softmax still spread weight
    # over the forbidden keys, so the allowed weights of a masked row no longer sum to 1
    "masked weights zeroed after the softmax, no -inf before it (rows not renormalised)": '''
def attention(q, k, v, mask=None, scale=None):
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    weights = torch.softmax((q @ k.transpose(-2, -1)) * scale, dim=-1)
    if mask is not None:
        weights = weights.masked_fill(~mask, 0.0)
    return weights @ v, weights
''',
})
WRONG["answer_2_1"].update({
    # red team 17: tuple(out[1]) is a tuple of 0-d tensors, not of floats
    "a tuple of 0-d tensors (tuple(out[1]))": '''
def answer_2_1():
    X_new = torch.tensor([[2.0, -1.0], [0.0, 1.0], [2.0, 2.0]])
    out, _ = attention(X_new @ W_query.T, X_new @ W_key.T, X_new @ W_value.T)
    return tuple(out[1])
''',
})
WRONG["padding_mask"].update({
    # red team 17: the key mask expanded over the queries, [B, T, T]: not the [B, 1, T] asked for (and it no longer
    # broadcasts against cross-attention scores [B, Tq, T] with Tq != T)
    "[B, T, T]: the mask expanded over the queries": '''
def padding_mask(lengths, T):
    keys = torch.arange(T, device=lengths.device) < lengths[:, None]      # [B, T]
    return keys[:, None, :].expand(-1, T, -1)
''',
})
WRONG["multi_head_attention"].update({
    # red team 17: the projections written by hand as x @ W + b: nn.Linear computes x @ W.T + b
    "projections as x @ W (the weight not transposed; nn.Linear computes x @ W.T + b)": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        B, Tq, d = query.shape
        Tk = key.shape[1]

        def project(layer, x):
            return x @ layer.weight + (layer.bias if layer.bias is not None else 0.0)

        q = project(self.q_proj, query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
        k = project(self.k_proj, key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        v = project(self.v_proj, value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
        if mask is not None:
            mask = mask.unsqueeze(-3)
        out, weights = attention(q, k, v, mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG["sinusoidal_positions"].update({
    # red team 17: base ** two_i / d is (base ** 2i) / d, not base ** (2i / d): the power is taken first
    "precedence: base ** 2i / d (the power taken before the division)": '''
def sinusoidal_positions(T, d, base=10000.0):
    t = torch.arange(T, dtype=torch.float64)[:, None]
    two_i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = t / (base ** two_i / d)
    P = torch.zeros(T, d, dtype=torch.float64)
    P[:, 0::2] = torch.sin(angle)
    P[:, 1::2] = torch.cos(angle[:, :d // 2])
    return P.float()
''',
})
WRONG["layer_norm"].update({
    # red team 17: F.normalize divides by max(||x - mean||, eps): no eps inside the root (and eps compared with a
    # norm, not added to a variance), so a token of tiny variance is blown up to unit variance
    "F.normalize of the centred values times sqrt(d) (eps clamps the norm, not inside the root)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        xc = x - x.mean(dim=-1, keepdim=True)
        return F.normalize(xc, dim=-1, eps=self.eps) * math.sqrt(x.shape[-1]) * self.weight + self.bias
''',
})
WARNED["attention"].append("masked weights zeroed after the softmax, no -inf before it (rows not renormalised)")
WARNED["answer_2_1"] = WARNED.get("answer_2_1", []) + ["a tuple of 0-d tensors (tuple(out[1]))"]
WARNED["padding_mask"].append("[B, T, T]: the mask expanded over the queries")
WARNED["layer_norm"].append("F.normalize of the centred values times sqrt(d) (eps clamps the norm, not inside the root)")

# ---- red team 18 ----
WRONG["causal_mask"].update({
    # red team 18: the mask must be [T, T] for every T (T: int >= 0); a table precomputed for a fixed context (4096,
    # a common model's length) cloned at each call is a new tensor every time, but fails for T > 4096
    "a 4096 x 4096 table made once, a clone of its top-left T x T corner at each call": '''
_CAUSAL_TABLE = torch.ones(4096, 4096, dtype=torch.bool).tril()


def causal_mask(T):
    return _CAUSAL_TABLE[:T, :T].clone()
''',
    # red team 18: torch.empty's memory is not zeros: only the entries on and below the diagonal are written, so the
    # entries above it (False in a causal mask) hold whatever the memory held before
    "torch.empty with True written on and below the diagonal only (the rest uninitialised)": '''
def causal_mask(T):
    mask = torch.empty(T, T, dtype=torch.bool)
    rows, cols = torch.tril_indices(T, T)
    mask[rows, cols] = True
    return mask
''',
})
WRONG["layer_norm"].update({
    # red team 18: torch.native_layer_norm is F.layer_norm's own kernel (off limits: the library does the work)
    "torch.native_layer_norm (F.layer_norm's kernel, called directly)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        return torch.native_layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)[0]
''',
    # red team 18: torch.native_batch_norm is F.batch_norm's kernel (off limits: a library normalisation); with the
    # tokens as its channels it normalises every token over its features
    "torch.native_batch_norm with the tokens as channels (F.batch_norm's kernel, called directly)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        d = x.shape[-1]
        y = torch.native_batch_norm(x.reshape(1, -1, d), None, None, None, None, True, 0.0, self.eps)[0]
        return y.reshape(x.shape) * self.weight + self.bias
''',
})
WRONG["answer_4_2"].update({
    # red team 18: the question asks for 8 heads AND 4 heads, but the answer is the first number as an int, not a pair
    "both numbers as a tuple (8 heads, 4 heads)": '''
def answer_4_2():
    return (4 * (64 * 64 + 64), 4 * (64 * 64 + 64))
''',
})

# red team 20 (reviewer F)
WRONG["answer_2_1"].update({
    # red team 20: the text asks for a tuple of two floats; out[1].tolist() is a list
    "a list from .tolist() (not a tuple)": '''
def answer_2_1():
    X_new = torch.tensor([[2.0, -1.0], [0.0, 1.0], [2.0, 2.0]])
    out, _ = attention(X_new @ W_query.T, X_new @ W_key.T, X_new @ W_value.T)
    return out[1].tolist()
''',
})
WRONG["sinusoidal_positions"].update({
    # red team 20: the formula written out with math.sin / math.cos in a list comprehension over the positions: a Python
    # loop over positions (and features) that runs no tensor operation until torch.tensor, so no op count sees it
    "a list comprehension over positions with math.sin / math.cos, then torch.tensor": '''
def sinusoidal_positions(T, d, base=10000.0):
    rows = [[math.sin(t / base ** (2 * (j // 2) / d)) if j % 2 == 0 else math.cos(t / base ** (2 * (j // 2) / d))
             for j in range(d)] for t in range(T)]
    return torch.tensor(rows, dtype=torch.float32).reshape(T, d)
''',
    # red team 20: one NumPy row per position in a Python loop, converted at the end: the loop over positions runs NumPy,
    # not torch, so no op count sees it
    "a Python loop over positions filling a NumPy array, converted at the end": '''
def sinusoidal_positions(T, d, base=10000.0):
    freqs = 1.0 / base ** (2 * (np.arange(d) // 2) / d)
    P = np.zeros((T, d))
    for t in range(T):
        angle = t * freqs
        P[t] = np.where(np.arange(d) % 2 == 0, np.sin(angle), np.cos(angle))
    return torch.from_numpy(P).float()
''',
})
WRONG["multi_head_attention"].update({
    # red team 20: an inference habit: no graph in eval mode. eval() selects no other computation here (no dropout); it
    # must not switch gradients off (saliency maps, a frozen-mode fine-tuning backpropagate through eval mode)
    "no gradient in eval mode (torch.set_grad_enabled(self.training))": _MHA_INIT + '''
    def forward(self, query, key, value, mask=None):
        with torch.set_grad_enabled(self.training and torch.is_grad_enabled()):
            B, Tq, d = query.shape
            Tk = key.shape[1]
            q = self.q_proj(query).view(B, Tq, self.n_heads, self.d_k).transpose(1, 2)
            k = self.k_proj(key).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
            v = self.v_proj(value).view(B, Tk, self.n_heads, self.d_k).transpose(1, 2)
            out, weights = attention(q, k, v, mask=None if mask is None else mask.unsqueeze(-3))
            return self.out_proj(out.transpose(1, 2).reshape(B, Tq, d)), weights
''',
})
WRONG["layer_norm"].update({
    # red team 20: the text: "the same computation in training and evaluation"; here the statistics are taken without a
    # graph in eval mode (an inference shortcut), so no gradient reaches x through the mean and variance there
    "statistics detached in eval mode (the same computation in training and evaluation, but not the same gradient)": _LAYER_NORM_INIT + '''
    def forward(self, x):
        mu = x.mean(dim=-1, keepdim=True)
        var = (x - mu).pow(2).mean(dim=-1, keepdim=True)
        if not self.training:
            mu, var = mu.detach(), var.detach()
        return (x - mu) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
# red team 20: the text asks for a tuple: the visible part catches it
WARNED["answer_2_1"] = WARNED.get("answer_2_1", []) + ["a list from .tolist() (not a tuple)"]
# red team 20: the two loops outside torch (math.sin in a list comprehension, NumPy rows one position at a time): the
# text warns, and the visible tests forbid math.sin, math.cos, numpy.sin and numpy.cos (a built-in of another library no
# longer forbids torch's operator of that name too)
WARNED["sinusoidal_positions"] = WARNED.get("sinusoidal_positions", []) + [
    "a list comprehension over positions with math.sin / math.cos, then torch.tensor",
    "a Python loop over positions filling a NumPy array, converted at the end"]
