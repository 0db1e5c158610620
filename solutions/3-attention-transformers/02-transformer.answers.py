"""Answer variants for 02-transformer.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

# Shared first lines of many variants (each variant is that header + its own methods).
_DECODER_BLOCK_INIT = '''
class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = LayerNorm(d_model)
        self.cross_attn = MultiHeadAttention(d_model, n_heads)
        self.norm3 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)
'''

_TRANSFORMER_BLOCK_INIT = '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)
'''


WRONG = {
    "transformer_block": {
        "post-norm: LN(x + MHA(x))": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        x = self.norm1(x + self.dropout(self.self_attn(x, x, x, mask=mask)[0]))
        return self.norm2(x + self.dropout(self.linear2(torch.relu(self.linear1(x)))))
''',
        "residual added to LN(x), not to x": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = h + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return h + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "one norm for both sublayers": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm1(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "the mask not passed to the attention": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "GELU instead of ReLU": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(F.gelu(self.linear1(h))))
''',
        "no activation in the FFN": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(self.linear1(h)))
''',
        "no residual around the FFN": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "returns (x, weights)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        a, w = self.self_attn(h, h, h, mask=mask)
        x = x + self.dropout(a)
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h)))), w
''',
        "F.dropout without training=self.training (active in eval)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        p = self.dropout.p
        h = self.norm1(x)
        x = x + F.dropout(self.self_attn(h, h, h, mask=mask)[0], p)
        h = self.norm2(x)
        return x + F.dropout(self.linear2(torch.relu(self.linear1(h))), p)
''',
        "dropout only after the FFN": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, mask=mask)[0]
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "mask inverted (True = forbidden)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=None if mask is None else ~mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "nn.TransformerEncoderLayer inside (off limits)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        d = x.shape[-1]
        layer = nn.TransformerEncoderLayer(d, self.self_attn.n_heads, self.linear1.out_features, dropout=self.dropout.p,
                                           batch_first=True, norm_first=True, dtype=x.dtype)
        a = self.self_attn
        with torch.no_grad():
            layer.self_attn.in_proj_weight.copy_(torch.cat([a.q_proj.weight, a.k_proj.weight, a.v_proj.weight]))
            layer.self_attn.in_proj_bias.copy_(torch.cat([a.q_proj.bias, a.k_proj.bias, a.v_proj.bias]))
            layer.self_attn.out_proj.weight.copy_(a.out_proj.weight)
            layer.self_attn.out_proj.bias.copy_(a.out_proj.bias)
            for n in ("norm1", "norm2", "linear1", "linear2"):
                getattr(layer, n).weight.copy_(getattr(self, n).weight)
                getattr(layer, n).bias.copy_(getattr(self, n).bias)
        layer.train(self.training)
        return layer(x, src_mask=None if mask is None or mask.dim() != 2 else ~mask)
''',
        "dropout on the residual stream (dropout(x + sublayer))": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = self.dropout(x + self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return self.dropout(x + self.linear2(torch.relu(self.linear1(h))))
''',
        "nn.LayerNorm with eps=1e-6": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model, eps=1e-6)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = nn.LayerNorm(d_model, eps=1e-6)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "in-place residual (x += ...)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x += self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x += self.dropout(self.linear2(torch.relu(self.linear1(h))))
        return x
''',
        "n_heads ignored (one head)": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, 1)
        self.norm2 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "always causal (a causal mask added inside)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        causal = causal_mask(x.shape[1], device=x.device)
        mask = causal if mask is None else mask & causal
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "F.scaled_dot_product_attention via getattr on the projections (off limits)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        a = self.self_attn
        B, T, d = x.shape
        h = self.norm1(x)
        q, k, v = (p(h).view(B, T, a.n_heads, a.d_k).transpose(1, 2) for p in (a.q_proj, a.k_proj, a.v_proj))
        sdpa = getattr(torch.nn.functional, "scaled_" + "dot_product_attention")
        o = sdpa(q, k, v, attn_mask=None if mask is None else mask.unsqueeze(-3))
        x = x + self.dropout(a.out_proj(o.transpose(1, 2).reshape(B, T, d)))
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "parallel sublayers (the FFN reads norm1(x) too)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "dropout probability hard-coded to 0.1": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "dropout on each sublayer's input as well": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.dropout(self.norm1(x))
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.dropout(self.norm2(x))
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "hand-made dropout mask without the 1 / (1 - p) rescaling": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        if not self.training:
            return t
        return t * (torch.rand_like(t) >= self.dropout.p)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self._drop(self.linear2(torch.relu(self.linear1(h))))
''',
    },
    "answer_2_2": {
        "the layer norms forgotten": '''
def answer_2_2():
    return 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64)
''',
        "no biases": '''
def answer_2_2():
    return 4 * 64 * 64 + 2 * 64 * 256 + 2 * 2 * 64
''',
        "attention weights per head": '''
def answer_2_2():
    return 4 * 4 * (64 * 64 + 64) + (64 * 256 + 256) + (256 * 64 + 64) + 4 * 64
''',
        "a float": '''
def answer_2_2():
    return 49984.0
''',
    },
    "decoder_block": {
        "no causal mask in the self-attention": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "the future instead of the past (triu)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = torch.ones(x.shape[1], x.shape[1], dtype=torch.bool, device=x.device).triu()
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "causal mask on the cross-attention too": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        T, S = x.shape[1], memory.shape[1]
        cross = torch.ones(T, S, dtype=torch.bool, device=x.device).tril()
        if memory_mask is not None:
            cross = cross & memory_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=cross)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "the memory normalised again (norm2)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h, m = self.norm2(x), self.norm2(memory)
        x = x + self.dropout(self.cross_attn(h, m, m, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "keys and values from x (self-attention twice)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, h, h, mask=mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "queries from the memory, keys and values from the target": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(memory, h, h)[0].mean(1, keepdim=True))
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "cross-attention before self-attention": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "tgt_mask ignored": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "memory_mask ignored": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "tgt_mask replaces the causal mask": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device) if tgt_mask is None else tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "causal mask made on the CPU": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1])
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "post-norm": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        x = self.norm1(x + self.dropout(self.self_attn(x, x, x, mask=mask)[0]))
        x = self.norm2(x + self.dropout(self.cross_attn(x, memory, memory, mask=memory_mask)[0]))
        return self.norm3(x + self.dropout(self.linear2(torch.relu(self.linear1(x)))))
''',
        "no dropout on the cross-attention": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.cross_attn(h, memory, memory, mask=memory_mask)[0]
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "causal mask hides the diagonal (tril(-1))": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.shape[1]
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril(-1)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "tgt_mask combined by | instead of &": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask | tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "the FFN reads norm2(x) (norm3 unused)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "tgt_mask also applied to the queries (transposed)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask & tgt_mask.transpose(-2, -1)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "causal mask sized by the memory length S": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.shape[1]
        mask = causal_mask(memory.shape[1], device=x.device)[:T, :T]
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "dropout on each sublayer's input as well": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask

        h = self.dropout(self.norm1(x))
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.dropout(self.norm2(x))
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.dropout(self.norm3(x))
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
        "the memory dropped out before the cross-attention": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask

        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h, m = self.norm2(x), self.dropout(memory)
        x = x + self.dropout(self.cross_attn(h, m, m, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    },
    "answer_3_2": {
        "a: causal cross-attention": '''
def answer_3_2():
    return "a"
''',
        "c: queries from the encoder": '''
def answer_3_2():
    return "c"
''',
        "d: depends on source tokens <= t": '''
def answer_3_2():
    return "d"
''',
    },
    "greedy_decode": {
        "BOS kept in the output": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt
''',
        "no padding after eos": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "stops when the first row ends": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.any():
            break
    return tgt[:, 1:]
''',
        "always max_len steps": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
    return tgt[:, 1:]
''',
        "only the last token fed to the model": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt[:, -1:])[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "the logits of the first position": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, 0].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "one row at a time": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    rows = []
    for b in range(src.shape[0]):
        tgt = torch.full((1, 1), bos, dtype=torch.long, device=src.device)
        for _ in range(max_len):
            nxt = model(src[b:b + 1], tgt)[:, -1].argmax(-1)
            tgt = torch.cat([tgt, nxt[:, None]], 1)
            if nxt.item() == eos:
                break
        rows.append(tgt[0, 1:])
    L = max(len(r) for r in rows)
    return torch.stack([torch.cat([r, torch.full((L - len(r),), eos, dtype=torch.long)]) for r in rows])
''',
        "sampled instead of argmax": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        probs = torch.softmax(model(src, tgt)[:, -1], -1)
        nxt = torch.multinomial(probs, 1)[:, 0].masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "one call too many (checks after the next call)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len + 1):
        logits = model(src, tgt)
        if done.all() or tgt.shape[1] > max_len:
            break
        nxt = logits[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
    return tgt[:, 1:]
''',
        "pads finished rows with 0 instead of eos": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, 0)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "one token short (range(max_len - 1))": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max(max_len - 1, 1)):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "max_len counts the BOS": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    while tgt.shape[1] < max(max_len, 2):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
        "softmax over the time axis before the argmax": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        probs = torch.softmax(model(src, tgt), dim=1)
        nxt = probs[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
    },
    "generate": {
        "temperature multiplies the logits": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] * temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "temperature ignored": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :]
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "top_k ignored": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "top k + 1 kept (threshold off by one)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            k = min(top_k + 1, logits.shape[-1])
            kth = torch.topk(logits, k, dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "the global random generator": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1)], 1)
    return idx
''',
        "a fixed seed of its own (generator ignored)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    own = torch.Generator().manual_seed(0)
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=own)], 1)
    return idx
''',
        "no cropping to block_size": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    for _ in range(n_tokens):
        logits = model(idx)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "cropped to the first block_size tokens": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, :block_size]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "always the argmax": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        idx = torch.cat([idx, model(context)[:, -1, :].argmax(-1, keepdim=True)], 1)
    return idx
''',
        "only the new tokens returned": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx[:, prompt.shape[1]:]
''',
        "top_k larger than the vocabulary fails": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "the first position's logits": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, 0, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "model.eval() inside (the caller's mode changed)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    model.eval()
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "model.eval() then model.train() (an eval model left in training mode)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    model.eval()
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    model.train()
    return idx
''',
        "softmax by hand without subtracting the max (overflows)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        e = logits.exp()
        idx = torch.cat([idx, torch.multinomial(e / e.sum(-1, keepdim=True), 1, generator=generator)], 1)
    return idx
''',
        "top-k threshold shared by the whole batch": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values.min()
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "context cropped to block_size - 1": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -(block_size - 1):]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "top-k positions returned instead of token ids": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            logits = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "all tokens drawn at once from the prompt's distribution": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    if n_tokens == 0:
        return prompt
    block_size = getattr(model, "block_size", None)
    context = prompt if block_size is None else prompt[:, -block_size:]
    logits = model(context)[:, -1, :] / temperature
    if top_k is not None:
        kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    new = torch.multinomial(torch.softmax(logits, -1), n_tokens, replacement=True, generator=generator)
    return torch.cat([prompt, new], 1)
''',
        "top-k masks logits <= the (k+1)-th largest (top_k >= V drops the least likely)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k + 1, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits <= kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
        "softmax over the batch (dim=0)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, 0), 1, generator=generator)], 1)
    return idx
''',
        "block_size looked for only on an nn.Module (a plain function's block_size ignored)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = model.block_size if isinstance(model, nn.Module) and hasattr(model, "block_size") else None
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
    },
    "answer_5_2": {
        "bits (log base 2)": '''
def answer_5_2():
    return math.log2(96)
''',
        "the probability 1/96": '''
def answer_5_2():
    return 1 / 96
''',
        "the unigram entropy": '''
def answer_5_2():
    return 3.25
''',
    },
}

RIGHT = {
    "transformer_block": {
        "functional ReLU, dropout modules as in PyTorch (three of them)": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.linear1, self.linear2 = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model)
        self.norm1, self.norm2 = LayerNorm(d_model), LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        self.dropout1, self.dropout2 = nn.Dropout(dropout), nn.Dropout(dropout)

    def _sa(self, x, mask):
        return self.dropout1(self.self_attn(x, x, x, mask=mask)[0])

    def _ff(self, x):
        return self.dropout2(self.linear2(self.dropout(F.relu(self.linear1(x)))))

    def forward(self, x, mask=None):
        x = x + self._sa(self.norm1(x), mask)
        return x + self._ff(self.norm2(x))
''',
        "nn.LayerNorm and F.dropout with training=self.training": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, mask=None):
        p = self.dropout.p
        h = self.norm1(x)
        out, _ = self.self_attn(h, h, h, mask)
        x = x + F.dropout(out, p, training=self.training)
        return x + F.dropout(self.linear2(self.linear1(self.norm2(x)).clamp(min=0)), p, training=self.training)
''',
    },
    "answer_2_2": {
        "counted with the class": '''
def answer_2_2():
    return sum(p.numel() for p in TransformerBlock(64, 4, 256).parameters())
''',
    },
    "decoder_block": {
        "mask built with tril of ones on x's device, sublayers as methods": '''
class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.self_attn, self.cross_attn = MultiHeadAttention(d_model, n_heads), MultiHeadAttention(d_model, n_heads)
        self.norm1, self.norm2, self.norm3 = LayerNorm(d_model), LayerNorm(d_model), LayerNorm(d_model)
        self.linear1, self.linear2 = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.size(1)
        mask = torch.tril(torch.ones(T, T, device=x.device)).bool()
        if tgt_mask is not None:
            mask = tgt_mask & mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask)[0])
        x = x + self.dropout(self.cross_attn(self.norm2(x), memory, memory, memory_mask)[0])
        return x + self.dropout(self.linear2(F.relu(self.linear1(self.norm3(x)))))
''',
        "nn.LayerNorm, masks broadcast via unsqueeze": '''
class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.cross_attn = MultiHeadAttention(d_model, n_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.shape[1]
        pos = torch.arange(T, device=x.device)
        mask = pos[None, :] <= pos[:, None]
        if tgt_mask is not None:
            mask = mask.unsqueeze(0) & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        return x + self.dropout(self.linear2(torch.relu(self.linear1(self.norm3(x)))))
''',
    },
    "answer_3_2": {
        "upper case with a space": '''
def answer_3_2():
    return " B"
''',
    },
    "greedy_decode": {
        "a list of columns and a running count": '''
def greedy_decode(model, src, max_len, bos, eos):
    with torch.no_grad():
        B = src.size(0)
        tokens = [torch.full((B,), bos, dtype=torch.long, device=src.device)]
        finished = torch.zeros(B, dtype=torch.bool, device=src.device)
        while len(tokens) <= max_len and not bool(finished.all()):
            logits = model(src, torch.stack(tokens, 1))
            nxt = torch.where(finished, torch.full_like(tokens[0], eos), logits[:, -1, :].argmax(dim=-1))
            tokens.append(nxt)
            finished |= nxt == eos
        return torch.stack(tokens[1:], 1)
''',
        "preallocated output filled with eos, trimmed": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    out = torch.full((B, max_len + 1), eos, dtype=torch.long, device=src.device)
    out[:, 0] = bos
    alive = torch.ones(B, dtype=torch.bool, device=src.device)
    t = 0
    while t < max_len and alive.any():
        nxt = model(src, out[:, :t + 1])[:, t].argmax(-1)
        out[:, t + 1] = torch.where(alive, nxt, out[:, t + 1])
        alive = alive & (nxt != eos)
        t += 1
    return out[:, 1:t + 1].clone()
''',
    },
    "generate": {
        "probs ** (1 / T), renormalised; top k by sort": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = prompt.clone()
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = out[:, -bs:] if bs else out
        logits = model(ctx)[:, -1]
        if top_k is not None and top_k < logits.shape[-1]:
            thresh = logits.sort(dim=-1, descending=True).values[:, top_k - 1:top_k]
            logits = torch.where(logits >= thresh, logits, torch.full_like(logits, -float("inf")))
        p = torch.softmax(logits, -1) ** (1.0 / temperature)
        p = p / p.sum(-1, keepdim=True)
        out = torch.cat([out, torch.multinomial(p, 1, generator=generator)], dim=1)
    return out
''',
        "inverse-CDF draw from generator, sampling among the top k indices": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    for _ in range(n_tokens):
        if getattr(model, "block_size", None) is not None:   # red team 15: was hasattr (a block_size of None failed)
            idx_cond = idx[:, -model.block_size:]
        else:
            idx_cond = idx
        logits = model(idx_cond)[:, -1, :] / temperature
        k = logits.shape[-1] if top_k is None else min(top_k, logits.shape[-1])
        values, indices = logits.topk(k, dim=-1)
        cdf = torch.softmax(values, -1).cumsum(-1)
        u = torch.rand(idx.shape[0], 1, generator=generator, device=logits.device)
        choice = torch.searchsorted(cdf, u * cdf[:, -1:]).clamp(max=k - 1)
        idx = torch.cat([idx, indices.gather(1, choice)], 1)
    return idx
''',
    },
    "answer_5_2": {
        "minus the log of 1/96": '''
def answer_5_2():
    return -math.log(1 / 96)
''',
    },
}

WARNED = {
    "transformer_block": ["post-norm: LN(x + MHA(x))", "residual added to LN(x), not to x", "one norm for both sublayers", "the mask not passed to the attention", "GELU instead of ReLU", "returns (x, weights)", "dropout only after the FFN", "nn.TransformerEncoderLayer inside (off limits)"],
    "decoder_block": ["no causal mask in the self-attention", "the future instead of the past (triu)", "causal mask on the cross-attention too", "the memory normalised again (norm2)", "tgt_mask ignored", "memory_mask ignored", "tgt_mask replaces the causal mask"],
    "greedy_decode": ["BOS kept in the output", "no padding after eos", "stops when the first row ends", "always max_len steps", "only the last token fed to the model", "the logits of the first position", "one row at a time", "sampled instead of argmax"],
    "generate": ["temperature multiplies the logits", "temperature ignored", "top_k ignored", "the global random generator", "no cropping to block_size", "cropped to the first block_size tokens", "the first position's logits", "only the new tokens returned"],
}

EQUIVALENT = {
    "greedy_decode": {
        "clone@18:4#0": 'the output holds integer token ids, which never require grad: .detach() returns the same tensor values',
        "dim@14:52#1": 'tgt is 2-D [B, T]: dim=-1 is dim=1',
    },
    "generate": {
        "clone@20:4#0": 'the output holds integer token ids, which never require grad: .detach() returns the same tensor values',
        "dim@19:43#1": 'idx is 2-D [B, T]: dim=-1 is dim=1',
        "args@15:37#0": 'min(a, b) == min(b, a)',
    },
}

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["greedy_decode"].update({
    "BOS column made on the CPU": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
    "finished-rows mask made on the CPU": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})

# ---- red team, round 4 (2026-12-03) ----
WRONG.setdefault("transformer_block", {}).update({
    "hand-made dropout whose keep-mask is drawn on the CPU": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        if p == 1:
            return torch.zeros_like(t)
        return t * (torch.rand(t.shape) >= p) / (1 - p)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self._drop(self.linear2(torch.relu(self.linear1(h))))
''',
    "the FFN reads norm2 of the attention output, not of the stream": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        a = self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        x = x + a
        return x + self.dropout(self.linear2(torch.relu(self.linear1(self.norm2(a)))))
''',
    "the FFN's residual adds to the block's input (attention output lost)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        y = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        return x + self.dropout(self.linear2(torch.relu(self.linear1(self.norm2(y)))))
''',
})
WRONG.setdefault("decoder_block", {}).update({
    "memory_mask before tgt_mask in the signature": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, memory_mask=None, tgt_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "hand-made dropout whose keep-mask is drawn on the CPU": _DECODER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        if p == 1:
            return torch.zeros_like(t)
        return t * (torch.rand(t.shape) >= p) / (1 - p)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self._drop(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self._drop(self.linear2(torch.relu(self.linear1(h))))
''',
    "in-place residual (x += ...), the caller's x changed": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x += self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x += self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        x += self.dropout(self.linear2(torch.relu(self.linear1(h))))
        return x
''',
})
WRONG.setdefault("greedy_decode", {}).update({
    "eos looked for in the whole target, BOS included (wrong when bos == eos)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    for _ in range(max_len):
        done = (tgt == eos).any(1)
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        if (tgt == eos).any(1).all():
            break
    return tgt[:, 1:]
''',
})
WRONG.setdefault("generate", {}).update({
    "output preallocated on the CPU": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    B, T0 = prompt.shape
    out = torch.empty(B, T0 + n_tokens, dtype=torch.long)
    out[:, :T0] = prompt
    block_size = getattr(model, "block_size", None)
    for t in range(T0, T0 + n_tokens):
        context = out[:, :t] if block_size is None else out[:, max(0, t - block_size):t]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        out[:, t] = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)[:, 0]
    return out
''',
    "inverse-CDF uniforms drawn on the CPU": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        cdf = torch.softmax(logits, -1).cumsum(-1)
        u = torch.rand(idx.shape[0], 1, generator=generator)
        nxt = torch.searchsorted(cdf, u * cdf[:, -1:]).clamp(max=logits.shape[-1] - 1)
        idx = torch.cat([idx, nxt], 1)
    return idx
''',
    "context cropped once, before the loop": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    block_size = getattr(model, "block_size", None)
    context = prompt if block_size is None else prompt[:, -block_size:]
    new = []
    for _ in range(n_tokens):
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)
        context = torch.cat([context, nxt], 1)
        new.append(nxt)
    return torch.cat([prompt] + new, 1)
''',
    "temperature applied only when top_k is None": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :]
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        else:
            logits = logits / temperature
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
    "probs ** temperature (inverse of the right power)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :]
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        p = torch.softmax(logits, -1) ** temperature
        idx = torch.cat([idx, torch.multinomial(p / p.sum(-1, keepdim=True), 1, generator=generator)], 1)
    return idx
''',
})
RIGHT.setdefault("transformer_block", {}).update({
    "in-place ReLU on linear1's output, sublayers via a helper": _TRANSFORMER_BLOCK_INIT + '''
    def _res(self, x, f):
        return x + self.dropout(f(x))

    def forward(self, x, mask=None):
        x = self._res(x, lambda t: self.self_attn(self.norm1(t), self.norm1(t), self.norm1(t), mask)[0])
        return self._res(x, lambda t: self.linear2(torch.relu_(self.linear1(self.norm2(t)))))
''',
})
RIGHT.setdefault("generate", {}).update({
    "kthvalue threshold, top_k == 1 as argmax": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt.clone()
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        logits = model(idx if bs is None else idx[:, -bs:])[:, -1, :].float() / temperature
        V = logits.shape[-1]
        if top_k == 1:
            nxt = logits.argmax(-1, keepdim=True)
        else:
            if top_k is not None and top_k < V:
                kth = torch.kthvalue(logits, V - top_k + 1, dim=-1, keepdim=True).values
                logits = torch.where(logits >= kth, logits, torch.full_like(logits, float("-inf")))
            nxt = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1, generator=generator)
        idx = torch.cat((idx, nxt), dim=-1)
    return idx
''',
})
RIGHT.setdefault("answer_5_2", {}).update({
    "three decimals": '''
def answer_5_2():
    return 4.564
''',
})
RIGHT.setdefault("greedy_decode", {}).update({
    "BOS column by full_like of src, stop test on the new column": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full_like(src[:, :1], bos)
    done = torch.zeros_like(src[:, 0], dtype=torch.bool)
    for _ in range(max_len):
        nxt = torch.where(done, torch.full_like(src[:, 0], eos), model(src, tgt)[:, -1].argmax(-1))
        done |= nxt == eos
        tgt = torch.cat((tgt, nxt.unsqueeze(1)), dim=1)
        if bool((tgt[:, -1] == eos).all()):
            break
    return tgt[:, 1:]
''',
})

# ---- red team, round 5 ----
WRONG.setdefault("transformer_block", {}).update({
    "one dropout mask per forward, shared by both sublayers": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        p = self.dropout.p
        keep = 1.0
        if self.training and p > 0:
            keep = (torch.rand_like(x) >= p).to(x.dtype) / (1 - p) if p < 1 else torch.zeros_like(x)
        h = self.norm1(x)
        x = x + keep * self.self_attn(h, h, h, mask=mask)[0]
        h = self.norm2(x)
        return x + keep * self.linear2(torch.relu(self.linear1(h)))
''',
    "dropout once, on the sum of both sublayers' outputs": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        a = self.self_attn(h, h, h, mask=mask)[0]
        f = self.linear2(torch.relu(self.linear1(self.norm2(x + a))))
        return x + self.dropout(a + f)
''',
    "the FFN reads the stream before the attention's dropout": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        a = self.self_attn(h, h, h, mask=mask)[0]
        f = self.linear2(torch.relu(self.linear1(self.norm2(x + a))))
        return x + self.dropout(a) + self.dropout(f)
''',
    "hand-made dropout by bernoulli, divided by 1 - p (nan at p = 1)": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        if not self.training:
            return t
        p = self.dropout.p
        return t * torch.bernoulli(torch.full_like(t, 1 - p)) / (1 - p)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self._drop(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG.setdefault("decoder_block", {}).update({
    "causal mask cached as a fixed 1024 x 1024 buffer (nanoGPT style)": '''
class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = LayerNorm(d_model)
        self.cross_attn = MultiHeadAttention(d_model, n_heads)
        self.norm3 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer("causal", causal_mask(1024), persistent=False)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.shape[1]
        mask = self.causal[:T, :T]
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "one dropout mask per forward, shared by the three sublayers": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        p = self.dropout.p
        keep = 1.0
        if self.training and p > 0:
            keep = (torch.rand_like(x) >= p).to(x.dtype) / (1 - p) if p < 1 else torch.zeros_like(x)
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + keep * self.self_attn(h, h, h, mask=mask)[0]
        h = self.norm2(x)
        x = x + keep * self.cross_attn(h, memory, memory, mask=memory_mask)[0]
        h = self.norm3(x)
        return x + keep * self.linear2(torch.relu(self.linear1(h)))
''',
    "the FFN reads the stream before the sublayers' dropout": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        a = self.self_attn(h, h, h, mask=mask)[0]
        c = self.cross_attn(self.norm2(x + a), memory, memory, mask=memory_mask)[0]
        f = self.linear2(torch.relu(self.linear1(self.norm3(x + a + c))))
        return x + self.dropout(a) + self.dropout(c) + self.dropout(f)
''',
    "the memory detached before the cross-attention": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h, m = self.norm2(x), memory.detach()
        x = x + self.dropout(self.cross_attn(h, m, m, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG.setdefault("generate", {}).update({
    "no torch.no_grad() (a graph is built at every step)": '''
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)], dim=1)
    return idx
''',
    "softmax(logits) ** (1 / T) renormalised (underflows at small temperatures)":
        RIGHT["generate"]["probs ** (1 / T), renormalised; top k by sort"],
})
RIGHT.setdefault("transformer_block", {}).update({
    "hand-made dropout: bernoulli keep-mask on t's device, p = 1 handled": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        if p >= 1:
            return t * 0
        return t * torch.bernoulli(torch.full_like(t, 1 - p)) / (1 - p)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm2(x)))))
''',
})
RIGHT.setdefault("decoder_block", {}).update({
    "masks by torch.logical_and, F.dropout with training=self.training": _DECODER_BLOCK_INIT + '''
    def _sub(self, out):
        return F.dropout(out, self.dropout.p, training=self.training)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.size(1)
        self_mask = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        if tgt_mask is not None:
            self_mask = torch.logical_and(self_mask, tgt_mask)
        h = self.norm1(x)
        x = x + self._sub(self.self_attn(h, h, h, self_mask)[0])
        x = x + self._sub(self.cross_attn(self.norm2(x), memory, memory, memory_mask)[0])
        return x + self._sub(self.linear2(F.relu(self.linear1(self.norm3(x)))))
''',
})
RIGHT.setdefault("generate", {}).update({
    "Gumbel-max trick with noise from the generator": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        scores = model(out if bs is None else out[:, -bs:])[:, -1, :] / temperature
        if top_k is not None and top_k < scores.shape[-1]:
            kth = scores.topk(top_k, dim=-1).values[:, -1:]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        u = torch.rand(scores.shape, generator=generator, device=scores.device, dtype=scores.dtype)
        gumbel = -torch.log(-torch.log(u.clamp_min(torch.finfo(u.dtype).tiny)))
        out = torch.cat([out, (scores + gumbel).argmax(-1, keepdim=True)], dim=1)
    return out
''',
    "top k on the probabilities, multinomial renormalises": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    seq = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        logits = model(seq[:, -bs:] if bs is not None else seq)[:, -1]
        probs = F.softmax(logits / temperature, dim=-1)
        if top_k is not None:
            k = min(top_k, probs.shape[-1])
            thresh = probs.topk(k, dim=-1).values[:, -1:]
            probs = torch.where(probs >= thresh, probs, torch.zeros_like(probs))
        seq = torch.cat([seq, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return seq
''',
})
# softmax(logits) ** (1 / T) underflows to all zeros at small temperatures (0.36 ** 1000 = 0 in float32) and
# torch.multinomial then raises: not a valid alternative after all (kept above as a WRONG answer)
RIGHT["generate"].pop("probs ** (1 / T), renormalised; top k by sort")
WARNED["transformer_block"].append("hand-made dropout by bernoulli, divided by 1 - p (nan at p = 1)")

# ---- red team, round 6 (2026-12-03) ----
WRONG.setdefault("greedy_decode", {}).update({
    "model.eval() inside when it is a module (the caller's training mode lost)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    if isinstance(model, nn.Module):
        model.eval()
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
    "model.eval() then model.train() when it is a module (an eval model left in training mode)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    if hasattr(model, "eval"):
        model.eval()
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    if hasattr(model, "train"):
        model.train()
    return tgt[:, 1:]
''',
})

WRONG.setdefault("transformer_block", {}).update({
    "FFN weights read through .data (no gradient reaches them)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        f = F.linear(torch.relu(F.linear(h, self.linear1.weight.data, self.linear1.bias.data)),
                     self.linear2.weight.data, self.linear2.bias.data)
        return x + self.dropout(f)
''',
    "no mask: an all-True [T, T] mask made on the CPU": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        if mask is None:
            mask = torch.ones(x.shape[1], x.shape[1], dtype=torch.bool)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})

WRONG.setdefault("decoder_block", {}).update({
    "cross-attention projections read through .data (no gradient reaches them)": _DECODER_BLOCK_INIT + '''
    def _cross(self, q_in, mem, mask):
        a = self.cross_attn
        B, Tq, d = q_in.shape
        S = mem.shape[1]
        q = F.linear(q_in, a.q_proj.weight.data, a.q_proj.bias.data).view(B, Tq, a.n_heads, a.d_k).transpose(1, 2)
        k = F.linear(mem, a.k_proj.weight.data, a.k_proj.bias.data).view(B, S, a.n_heads, a.d_k).transpose(1, 2)
        v = F.linear(mem, a.v_proj.weight.data, a.v_proj.bias.data).view(B, S, a.n_heads, a.d_k).transpose(1, 2)
        out, _ = attention(q, k, v, mask=None if mask is None else mask.unsqueeze(-3))
        return F.linear(out.transpose(1, 2).reshape(B, Tq, d), a.out_proj.weight.data, a.out_proj.bias.data)

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        x = x + self.dropout(self._cross(self.norm2(x), memory, memory_mask))
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "no memory_mask: an all-True [T, S] mask made on the CPU": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        if memory_mask is None:
            memory_mask = torch.ones(x.shape[1], memory.shape[1], dtype=torch.bool)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})

WRONG.setdefault("generate", {}).update({
    "model.eval() inside, the caller's mode restored only if it was training": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    was = getattr(model, "training", None)
    if was is not None:
        model.eval()
    idx = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = idx if bs is None else idx[:, -bs:]
        logits = model(ctx)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    if was:
        model.train()
    return idx
''',
})

RIGHT.setdefault("generate", {}).update({
    "the context kept cropped (the new token appended to the cropped context), the output rebuilt from the prompt": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    bs = getattr(model, "block_size", None)
    idx = prompt
    new = []
    for _ in range(n_tokens):
        ctx = idx if bs is None else idx[:, -bs:]
        logits = model(ctx)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)
        new.append(nxt)
        idx = torch.cat([ctx, nxt], 1)
    return torch.cat([prompt] + new, 1)
''',
    "torch.inference_mode() instead of no_grad": '''
@torch.inference_mode()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt.clone()
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = idx if bs is None else idx[:, -bs:]
        logits = model(ctx)[:, -1, :] / temperature
        if top_k is not None and top_k < logits.shape[-1]:
            v, _ = torch.topk(logits, top_k, dim=-1)
            logits = torch.where(logits < v[:, [-1]], torch.full_like(logits, float("-inf")), logits)
        probs = F.softmax(logits, dim=-1)
        idx = torch.cat((idx, torch.multinomial(probs, num_samples=1, generator=generator)), dim=1)
    return idx
''',
})

RIGHT.setdefault("greedy_decode", {}).update({
    "raw argmax while decoding, every row padded after its first eos at the end": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        if (tgt[:, 1:] == eos).any(1).all():
            break
    out = tgt[:, 1:]
    seen = (out == eos).long().cumsum(1) > 0
    return out.masked_fill(seen, eos)
''',
})

# ---- red team, round 6, second batch ----
WRONG.setdefault("generate", {}).update({
    "model.requires_grad_(False) on top of no_grad (the caller's model frozen for good)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    if isinstance(model, nn.Module):
        model.requires_grad_(False)
    idx = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = idx if bs is None else idx[:, -bs:]
        logits = model(ctx)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
    "generator None replaced by a fresh torch.Generator() (the same text at every call)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    if generator is None:
        generator = torch.Generator(device=prompt.device)
    idx = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = idx if bs is None else idx[:, -bs:]
        logits = model(ctx)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], 1)
    return idx
''',
})
WRONG.setdefault("greedy_decode", {}).update({
    "model.requires_grad_(False) instead of no_grad (the caller's model frozen for good)": '''
def greedy_decode(model, src, max_len, bos, eos):
    if isinstance(model, nn.Module):
        model.requires_grad_(False)
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], 1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})

# ---- red team, round 7 (2026-12-04) ----
WRONG["generate"].update({
    "top-k: the other logits set to -1e9 (a large negative number), not -inf": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, -1e9)
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
    "temperature divides the probabilities (multinomial renormalises them)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :]
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1) / temperature
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
})
WRONG["greedy_decode"].update({
    "the stop test reads the finished rows of the step before (one call too many)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], dim=1)
        if done.all():
            break
        done = done | (nxt == eos)
    return tgt[:, 1:]
''',
    "the argmax over every position's logits at once (flattened), not the last position": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logits = model(src, tgt)
        nxt = (logits.reshape(B, -1).argmax(-1) % logits.shape[-1]).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], dim=1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})
WRONG["transformer_block"].update({
    "x cast to float32 on entry (float64 inputs lose precision)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        x = x.float()
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "the mask given a head dimension here as well (mask.unsqueeze(1))": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        if mask is not None:
            mask = mask.unsqueeze(1)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["decoder_block"].update({
    "the cross-attention's residual adds to the block's input (self-attention output lost)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x1 = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x1)
        x2 = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x2)
        return x2 + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "the causal mask only when no tgt_mask is given (tgt_mask replaces it)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = tgt_mask if tgt_mask is not None else causal_mask(x.shape[1], device=x.device)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["answer_2_2"].update({
    "one layer norm counted": '''
def answer_2_2():
    d, d_ff = 64, 256
    return 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d) + 2 * d
''',
})
RIGHT["generate"].update({
    "top k scattered into a row of -inf, Gumbel noise from the generator via exponential draws": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = prompt.clone()
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        logits = model(out if bs is None else out[:, -bs:])[:, -1] / temperature
        if top_k is not None and top_k < logits.shape[-1]:
            vals, ids = logits.topk(top_k, dim=-1)
            logits = torch.full_like(logits, float("-inf")).scatter(-1, ids, vals)
        probs = logits.softmax(-1)
        nxt = torch.multinomial(probs, 1, replacement=True, generator=generator)
        out = torch.cat((out, nxt), dim=-1)
    return out
''',
})
RIGHT["transformer_block"].update({
    "in-place dropout module, F.relu, sublayers as nn.Module methods": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1, self.norm2 = LayerNorm(d_model), LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.linear1, self.linear2 = nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout, inplace=True)

    def attend(self, x, mask):
        h = self.norm1(x)
        return self.dropout(self.self_attn(h, h, h, mask)[0])

    def feed_forward(self, x):
        return self.dropout(self.linear2(F.relu(self.linear1(self.norm2(x)))))

    def forward(self, x, mask=None):
        x = x + self.attend(x, mask)
        return x + self.feed_forward(x)
''',
})
RIGHT["greedy_decode"].update({
    "eos padding by arithmetic, finished rows by logical_or": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tokens = src.new_full((src.shape[0], 1), bos, dtype=torch.long)
    finished = torch.zeros_like(tokens[:, 0], dtype=torch.bool)
    for _ in range(max_len):
        best = model(src, tokens)[:, -1, :].argmax(dim=-1)
        best = torch.where(finished, torch.full_like(best, eos), best)
        tokens = torch.cat((tokens, best.unsqueeze(-1)), dim=-1)
        finished = torch.logical_or(finished, best == eos)
        if bool(finished.all()):
            break
    return tokens[:, 1:]
''',
})

# ---- red team, round 7, second batch (written after the measurement) ----
WRONG["decoder_block"].update({
    "memory_mask used only when a tgt_mask is given too (nested if)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask, cross_mask = causal_mask(x.shape[1], device=x.device), None
        if tgt_mask is not None:
            mask = mask & tgt_mask
            cross_mask = memory_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=cross_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})


# ---- red-team pass 9 (rt9) ----
WRONG["decoder_block"].update({
    "cross-attention queries from the stream x, not norm2(x)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        x = x + self.dropout(self.cross_attn(x, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "a given memory_mask widened to [B, T, S] with an all-True tensor made on the CPU": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        B, T, S = x.shape[0], x.shape[1], memory.shape[1]
        mask = causal_mask(T, device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        if memory_mask is not None:
            memory_mask = memory_mask & torch.ones(B, T, S, dtype=torch.bool)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["transformer_block"].update({
    "a given mask widened to [B, T, T] with an all-True tensor made on the CPU": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        B, T = x.shape[0], x.shape[1]
        if mask is not None:
            mask = mask & torch.ones(B, T, T, dtype=torch.bool)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "the FFN's ReLU applied in place to norm2's output, before linear1": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(self.linear1(torch.relu(h))))
''',
})
WRONG["answer_2_2"].update({
    "each layer norm counted with its weight only": '''
def answer_2_2():
    d, d_ff = 64, 256
    return 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d) + 2 * d
''',
})
RIGHT["transformer_block"].update({
    "the mask expanded to [B, T, T] (a view) before the attention": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        B, T = x.shape[0], x.shape[1]
        if mask is not None:
            mask = mask.expand(B, T, T)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
RIGHT["generate"].update({
    "top-k threshold from a descending sort (the k-th sorted logit)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = prompt
    bs = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        ctx = out[:, -bs:] if bs is not None else out
        logits = model(ctx)[:, -1] / temperature
        if top_k is not None:
            srt = logits.sort(dim=-1, descending=True).values
            thr = srt[:, min(top_k, srt.shape[-1]) - 1].unsqueeze(-1)
            logits = torch.where(logits >= thr, logits, torch.full_like(logits, float("-inf")))
        nxt = torch.multinomial(logits.softmax(-1), 1, generator=generator)
        out = torch.cat((out, nxt), 1)
    return out
''',
})


# ---- red-team pass 10 (rt10) ----
WRONG["decoder_block"].update({
    "causal mask cached at the first forward (the first T kept for later calls)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        if getattr(self, "_causal", None) is None:
            self._causal = causal_mask(x.shape[1], device=x.device)
        mask = self._causal if tgt_mask is None else self._causal & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "causal mask sized by len(x): the batch size, not T": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(len(x), device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["transformer_block"].update({
    "ReLU6 (the FFN clipped at 6)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(F.relu6(self.linear1(h))))
''',
    "keys and values from the un-normalised stream (queries from norm1(x))": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, x, x, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["greedy_decode"].update({
    "argmax of the softmax probabilities (near-equal logits round to a tie)": '''
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        probs = torch.softmax(model(src, tgt)[:, -1], dim=-1)
        next_token = probs.argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, next_token[:, None]], dim=1)
        done = done | (next_token == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})
WRONG["generate"].update({
    "top-k threshold taken before the temperature, compared after it": '''
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :]
        kth = None
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
        logits = logits / temperature
        if kth is not None:
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
})
WRONG["answer_2_2"].update({
    "linear2's bias counted with d_ff entries (256, not 64)": '''
def answer_2_2():
    d, d_ff = 64, 256
    return 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d_ff) + 2 * 2 * d
''',
})
WRONG["answer_5_2"].update({
    "log(95): the padding character left out": '''
def answer_5_2():
    return math.log(95)
''',
})
RIGHT["generate"].update({
    "top-k threshold as the smallest of an unsorted topk (amin)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = [prompt]
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        logits = model(idx if block_size is None else idx[:, -block_size:])[:, -1, :].div(temperature)
        if top_k is not None:
            kth = logits.topk(min(top_k, logits.size(-1)), dim=-1, sorted=False).values.amin(-1, keepdim=True)
            logits = torch.where(logits >= kth, logits, torch.full_like(logits, float("-inf")))
        nxt = torch.multinomial(logits.softmax(-1), 1, generator=generator)
        out.append(nxt)
        idx = torch.cat([idx, nxt], 1)
    return torch.cat(out, 1) if n_tokens else prompt.clone()
''',
})
RIGHT["decoder_block"].update({
    "causal mask from two aranges on x's device, sublayers in a loop": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        pos = torch.arange(x.shape[1], device=x.device)
        self_mask = pos[None, :] <= pos[:, None]
        if tgt_mask is not None:
            self_mask = self_mask & tgt_mask
        sublayers = [(self.norm1, lambda h: self.self_attn(h, h, h, mask=self_mask)[0]),
                     (self.norm2, lambda h: self.cross_attn(h, memory, memory, mask=memory_mask)[0]),
                     (self.norm3, lambda h: self.linear2(F.relu(self.linear1(h))))]
        for norm, fn in sublayers:
            x = x + self.dropout(fn(norm(x)))
        return x
''',
})
RIGHT["greedy_decode"].update({
    "max().indices, the target grown by F.pad and filled in place": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = src.new_full((src.shape[0], 1), bos)
    finished = torch.zeros_like(tgt[:, 0], dtype=torch.bool)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].max(dim=-1).indices
        nxt = torch.where(finished, torch.full_like(nxt, eos), nxt)
        tgt = F.pad(tgt, (0, 1), value=0)
        tgt[:, -1] = nxt
        finished = finished | nxt.eq(eos)
        if bool(finished.all()):
            break
    return tgt[:, 1:]
''',
})
WRONG["greedy_decode"].update({
    "argmax of the log-probabilities (log_softmax rounds near-equal logits to a tie)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        logp = torch.log_softmax(model(src, tgt)[:, -1], dim=-1)
        next_token = torch.where(done, eos, logp.argmax(-1))
        tgt = torch.cat([tgt, next_token[:, None]], dim=1)
        done = done | (next_token == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})
WRONG["generate"].update({
    "top-k threshold from torch.kthvalue(logits, k): the k-th SMALLEST": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.kthvalue(logits, min(top_k, logits.shape[-1]), dim=-1, keepdim=True).values
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], dim=1)
    return idx
''',
})

# red team 11, 2026-12-04
WRONG["transformer_block"].update({
    "PyTorch's extra dropout inside the FFN (linear2(dropout(relu(linear1(h)))))": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(self.dropout(torch.relu(self.linear1(h)))))
''',
    "queries from the stream x, keys and values from norm1(x)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(x, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    "the residual stream detached before the FFN (no gradient through the attention)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = (x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])).detach()
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["decoder_block"].update({
    "PyTorch's extra dropout inside the FFN (linear2(dropout(relu(linear1(h)))))": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(self.dropout(torch.relu(self.linear1(h)))))
''',
    "tgt_mask tested by truthiness (if tgt_mask: fails on a tensor)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["greedy_decode"].update({
    "the whole target re-read from the model's argmax at every position (earlier tokens rewritten)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    bos_col = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    tgt = bos_col
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        pred = model(src, tgt).argmax(-1)                                  # [B, T]: the next token after every position
        pred[:, -1] = pred[:, -1].masked_fill(done, eos)
        tgt = torch.cat([bos_col, pred], dim=1)
        done = done | (pred[:, -1] == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
    "argmax over the time axis (model(...).argmax(1)[:, -1])": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        next_token = model(src, tgt).argmax(1)[:, -1].masked_fill(done, eos)
        tgt = torch.cat([tgt, next_token[:, None]], dim=1)
        done = done | (next_token == eos)
        if done.all():
            break
    return tgt[:, 1:]
''',
})
WRONG["generate"].update({
    "top_k == 1 as the argmax of the softmax probabilities (near-equal logits round to a tie)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        probs = torch.softmax(model(context)[:, -1, :] / temperature, dim=-1)
        if top_k == 1:
            nxt = probs.argmax(-1, keepdim=True)
        else:
            if top_k is not None:
                kth = probs.topk(min(top_k, probs.shape[-1]), dim=-1).values[:, -1:]
                probs = probs.masked_fill(probs < kth, 0.0)
            nxt = torch.multinomial(probs, 1, generator=generator)
        idx = torch.cat([idx, nxt], dim=1)
    return idx
''',
    "top-k threshold from topk(..., sorted=False).values[:, -1:] (not the k-th largest)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1, sorted=False).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], dim=1)
    return idx
''',
    "top-k threshold values[:, -1] without keepdim (broadcast along the vocabulary)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, -1), 1, generator=generator)], dim=1)
    return idx
''',
})
WRONG["answer_5_2"].update({
    "log10(96) (decimal digits, not nats)": '''
def answer_5_2():
    return math.log10(96)
''',
})
# red team 11: topk(..., sorted=False) on the CPU leaves the k-th largest last (a partial sort), so this wrong answer
# cannot be caught by a test that runs on the CPU (on CUDA the order is arbitrary); reported, not kept
WRONG["generate"].pop("top-k threshold from topk(..., sorted=False).values[:, -1:] (not the k-th largest)")
# red team 11: "top k on the probabilities" was a RIGHT answer, but a softmax rounds logits one float32 step apart to
# one probability, so it keeps more than the k largest logits (top_k=1 is then no longer the argmax): wrong
WRONG["generate"]["top k on the probabilities, multinomial renormalises (near-equal logits round to one probability)"] = \
    RIGHT["generate"].pop("top k on the probabilities, multinomial renormalises")
RIGHT["generate"].update({
    "the last position's logits divided and masked in place (/=, masked_fill_)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        logits = model(idx[:, -block_size:] if block_size else idx)[:, -1, :].clone()
        logits /= temperature
        if top_k is not None and top_k < logits.shape[-1]:
            logits.masked_fill_(logits < logits.topk(top_k, dim=-1).values[:, [-1]], float("-inf"))
        idx = torch.cat((idx, torch.multinomial(logits.softmax(dim=-1), 1, generator=generator)), dim=-1)
    return idx
''',
})
RIGHT["decoder_block"].update({
    "the FFN as a method, the masks combined as tgt_mask & causal (the other order)": _DECODER_BLOCK_INIT + '''
    def ffn(self, h):
        return self.linear2(F.relu(self.linear1(h)))

    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        causal = causal_mask(x.size(1), device=x.device)
        self_mask = causal if tgt_mask is None else tgt_mask & causal
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, self_mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, memory_mask)[0])
        return x + self.dropout(self.ffn(self.norm3(x)))
''',
})
# red team 11: PyTorch's extra dropout on the FFN's hidden layer was written as a WRONG answer, but the RIGHT answer
# "dropout modules as in PyTorch (three of them)" already has it, and it keeps the block equal to
# nn.TransformerEncoderLayer in training mode too; the text now says it is allowed. Not wrong: the encoder block's copy
# is dropped (the RIGHT above covers it), the decoder block's becomes a RIGHT answer
WRONG["transformer_block"].pop("PyTorch's extra dropout inside the FFN (linear2(dropout(relu(linear1(h)))))")
RIGHT["decoder_block"]["PyTorch's extra dropout inside the FFN too (linear2(dropout(relu(linear1(h)))))"] = \
    WRONG["decoder_block"].pop("PyTorch's extra dropout inside the FFN (linear2(dropout(relu(linear1(h)))))")
# red team 13, 2026-12-05
WRONG["transformer_block"].update({
    "hand-made dropout scaled by 1 / p instead of 1 / (1 - p) (right only at p = 0.5)": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        keep = torch.rand_like(t) >= p
        return t * keep / p
''' + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm2(x)))))
''',
    "drop path (one keep or drop per sequence) instead of elementwise dropout": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        keep = (torch.rand(t.shape[0], 1, 1, device=t.device) >= p).to(t.dtype)
        return t * keep / (1 - p) if p < 1 else t * 0
''' + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm2(x)))))
''',
    "a dropout mask [T, d] drawn per sublayer and shared by every sequence of the batch": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        keep = (torch.rand(t.shape[1:], device=t.device) >= p).to(t.dtype)
        return t * keep / (1 - p) if p < 1 else t * 0
''' + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm2(x)))))
''',
})
WRONG["decoder_block"].update({
    "hand-made dropout scaled by 1 / p instead of 1 / (1 - p) (right only at p = 0.5)": _DECODER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        return t * (torch.rand_like(t) >= p) / p
''' + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self._drop(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm3(x)))))
''',
    "dropout of whole token vectors (one keep or drop per token) instead of elementwise": _DECODER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        keep = (torch.rand(*t.shape[:-1], 1, device=t.device) >= p).to(t.dtype)
        return t * keep / (1 - p) if p < 1 else t * 0
''' + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self._drop(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm3(x)))))
''',
    "the target padding mask transposed into the self-attention (padded queries attend to nothing)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask & tgt_mask.transpose(-2, -1)
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        return x + self.dropout(self.linear2(torch.relu(self.linear1(self.norm3(x)))))
''',
})
WRONG["greedy_decode"].update({
    "finished rows read from the last token alone (the BOS counts as an eos when bos == eos)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
    for _ in range(max_len):
        finished = tgt[:, -1] == eos
        next_token = model(src, tgt)[:, -1].argmax(-1).masked_fill(finished, eos)
        tgt = torch.cat([tgt, next_token[:, None]], dim=1)
        if (next_token == eos).all():
            break
    return tgt[:, 1:]
''',
    "stops once B eos tokens have been produced in all (a finished row's padding counts)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.long, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        next_token = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, next_token[:, None]], dim=1)
        done = done | (next_token == eos)
        if int((tgt[:, 1:] == eos).sum()) >= B:
            break
    return tgt[:, 1:]
''',
})
WRONG["generate"].update({
    "n_tokens read as the total length, prompt included (max_length, not max_new_tokens)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    while idx.shape[1] < n_tokens:
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        idx = torch.cat([idx, torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)], dim=1)
    return idx
''',
})
WRONG["answer_2_2"].update({
    "the attention's out_proj forgotten (three projections)": '''
def answer_2_2():
    d, d_ff = 64, 256
    return 3 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d) + 2 * 2 * d
''',
})
RIGHT["decoder_block"].update({
    "hand-made elementwise dropout from torch.rand_like, p = 1 handled": _DECODER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        if p >= 1:
            return torch.zeros_like(t)
        return t * (torch.rand_like(t) >= p) / (1 - p)
''' + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self._drop(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm3(x)))))
''',
})
RIGHT["transformer_block"].update({
    "hand-made elementwise dropout by torch.rand_like, scaled by 1 / (1 - p) (p = 1: zeros)": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        p = self.dropout.p
        if not self.training or p == 0:
            return t
        return torch.zeros_like(t) if p >= 1 else t * (torch.rand_like(t) >= p) / (1 - p)
''' + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        return x + self._drop(self.linear2(torch.relu(self.linear1(self.norm2(x)))))
''',
})

# ---- red team 15 (reviewer F) ----
WRONG["generate"].update({
    # red team 15: a new generator on the prompt's device seeded with the caller's initial seed: the caller's
    # generator is never drawn from (never advances), so two calls with one generator write the same text, and a
    # generator that has already drawn starts over from its seed
    "a copy of the generator re-seeded from its initial_seed() on the prompt's device (the caller's never advances)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    if generator is not None:    # a CPU generator cannot draw on a GPU: the same seed, on the prompt's device
        generator = torch.Generator(device=prompt.device).manual_seed(generator.initial_seed())
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
    # red team 15: hasattr instead of getattr(model, "block_size", None): a model whose block_size is None (no
    # window) fails on idx[:, -None:]
    "hasattr(model, 'block_size'): a block_size of None taken as a window": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    for _ in range(n_tokens):
        context = idx[:, -model.block_size:] if hasattr(model, "block_size") else idx
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
})
WRONG["greedy_decode"].update({
    # red team 15: the model decodes in evaluation mode whatever the caller chose, its mode put back afterwards:
    # a model in training mode (batch norm, dropout) runs in the other mode and gives other tokens
    "model.eval() inside, the caller's mode restored afterwards (the model runs in the other mode)": '''
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    was_training = getattr(model, "training", False)
    if isinstance(model, nn.Module):
        model.eval()
    try:
        tgt = torch.full((src.shape[0], 1), bos, dtype=torch.long, device=src.device)
        done = torch.zeros(src.shape[0], dtype=torch.bool, device=src.device)
        for _ in range(max_len):
            nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
            tgt = torch.cat([tgt, nxt[:, None]], 1)
            done = done | (nxt == eos)
            if done.all():
                break
    finally:
        if isinstance(model, nn.Module):
            model.train(was_training)
    return tgt[:, 1:]
''',
})
WRONG["transformer_block"].update({
    # red team 15: nn.TransformerEncoderLayer's key padding mask as an argument before mask: block(x, mask) with the
    # mask by position lands in key_padding_mask and is misread
    "a key_padding_mask argument before mask (a mask by position misread)": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, key_padding_mask=None, mask=None):
        if key_padding_mask is not None:                  # [B, T], True on the real tokens
            pad = key_padding_mask[:, None, :]
            mask = pad if mask is None else mask & pad
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    # red team 15: the FFN's dropout on its hidden layer INSTEAD of its output: with p = 1 linear2's bias still
    # reaches x, and the FFN's output is never dropped
    "the FFN's dropout on its hidden layer only, not on its output": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.linear2(self.dropout(torch.relu(self.linear1(h))))
''',
    # red team 15: a fresh nn.Dropout made inside forward is always in training mode: dropout stays on in eval
    "nn.Dropout made inside forward (a fresh module is in training mode: active in eval)": '''
class TransformerBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, dropout=0.0):
        super().__init__()
        self.norm1 = LayerNorm(d_model)
        self.self_attn = MultiHeadAttention(d_model, n_heads)
        self.norm2 = LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)
        self.p = dropout

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + nn.Dropout(self.p)(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + nn.Dropout(self.p)(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["decoder_block"].update({
    # red team 15: tgt_mask used only together with a memory_mask (a padded batch brings both): a target padding
    # mask given alone is ignored, and padded target keys are attended to
    "tgt_mask used only when a memory_mask is given too": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None and memory_mask is not None:      # a padded batch: both masks
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    # red team 15: the cross-attention's dropout on its queries (its input), not on its output
    "the cross-attention's dropout on its queries, not on its output": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.dropout(self.norm2(x))
        x = x + self.cross_attn(h, memory, memory, mask=memory_mask)[0]
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WARNED["transformer_block"].append("the FFN's dropout on its hidden layer only, not on its output")

# ---- red team 17 (reviewer F) ----
WRONG["transformer_block"].update({
    # red team 17: torch.manual_seed inside forward ("reproducible dropout") resets the global generator at every call:
    # the same entries are dropped at every training step (and every later random draw of the notebook repeats)
    "torch.manual_seed(0) at every forward (reproducible dropout): the same dropout masks at every call": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        torch.manual_seed(0)                    # reproducible dropout
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    # red team 17: the variable h reused: the FFN reads norm2(norm1(x) + attention output), not norm2 of the stream
    "the FFN reads norm2(norm1(x) + attention output): h reused for the second norm": _TRANSFORMER_BLOCK_INIT + '''
    def forward(self, x, mask=None):
        h = self.norm1(x)
        a = self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        x = x + a
        h = self.norm2(h + a)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["decoder_block"].update({
    # red team 17: as in TransformerBlock, a seed at every forward makes every call drop the same entries
    "torch.manual_seed(0) at every forward (reproducible dropout): the same dropout masks at every call": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        torch.manual_seed(0)                    # reproducible dropout
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
    # red team 17: dropout on the two attentions' outputs only: the FFN's output is added undropped
    "no dropout on the FFN's output (only the two attentions dropped)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.linear2(torch.relu(self.linear1(h)))
''',
})
WRONG["generate"].update({
    # red team 17: copy-paste: only the plain branch passes the generator; with top_k the draw comes from the global
    # generator (the same seed no longer gives the same text, and the notebook's other draws shift)
    "the top-k branch draws without the generator (torch.multinomial(probs, 1))": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            probs = torch.softmax(logits.masked_fill(logits < kth, float("-inf")), dim=-1)
            next_token = torch.multinomial(probs, 1)
        else:
            next_token = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)
        idx = torch.cat([idx, next_token], dim=1)
    return idx
''',
})
WRONG["answer_5_2"].update({
    # red team 17: torch.log of a tensor is a 0-d tensor, not the float asked for
    "a 0-d tensor (torch.log(torch.tensor(96.0)))": '''
def answer_5_2():
    return torch.log(torch.tensor(96.0))
''',
})
WARNED["transformer_block"].append("torch.manual_seed(0) at every forward (reproducible dropout): the same dropout masks at every call")
WARNED["decoder_block"].append("torch.manual_seed(0) at every forward (reproducible dropout): the same dropout masks at every call")
WARNED["generate"].append("the top-k branch draws without the generator (torch.multinomial(probs, 1))")
WARNED["answer_5_2"] = WARNED.get("answer_5_2", []) + ["a 0-d tensor (torch.log(torch.tensor(96.0)))"]

# ---- red team 18 ----
WRONG["decoder_block"].update({
    # red team 18: the causal mask lives where x lives; a mask cached in a plain attribute (not a buffer) stays on the
    # device of the first call, so a block moved with .to(device) afterwards mixes devices (or uses a stale mask)
    "causal mask cached in a plain attribute, rebuilt only when T grows (a block moved to another device keeps the old mask)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        T = x.shape[1]
        cached = getattr(self, "_causal", None)
        if cached is None or cached.shape[0] < T:
            cached = self._causal = causal_mask(T, device=x.device)
        mask = cached[:T, :T]
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + self.dropout(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + self.dropout(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["generate"].update({
    # red team 18: torch.topk(..., sorted=False) returns the k largest in no particular order, so its last value is not
    # the k-th largest: fewer than k tokens are kept
    "top-k threshold from an unsorted topk (sorted=False): its last value, not its smallest": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1, sorted=False).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
    # red team 18: torch.default_generator is the CPU generator: with generator=None a prompt on a GPU draws with a CPU
    # generator (an error); None means the default generator of the probabilities' own device (pass None on)
    "generator None replaced by torch.default_generator (the CPU's, whatever the device)": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    generator = generator if generator is not None else torch.default_generator
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, 1, generator=generator)], dim=1)
    return idx
''',
    # red team 18: the draw is made on the CPU (probs.cpu()) and the token moved back: with a prompt and a generator on
    # a GPU (as the notebook's own sampling cell passes, torch.Generator(device=device)) the CPU draw refuses the GPU
    # generator; every draw belongs on the prompt's device
    "the draw made on the CPU (multinomial of probs.cpu()), the token moved back": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    block_size = getattr(model, "block_size", None)
    for _ in range(n_tokens):
        context = idx if block_size is None else idx[:, -block_size:]
        logits = model(context)[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = torch.softmax(logits, dim=-1)
        next_token = torch.multinomial(probs.cpu(), 1, generator=generator).to(idx.device)
        idx = torch.cat([idx, next_token], dim=1)
    return idx
''',
})
WRONG["transformer_block"].update({
    # red team 18: the FFN's hidden-layer dropout copied from nn.TransformerEncoderLayer's default (0.1) instead of the
    # block's `dropout`: with dropout=0 the block still drops hidden units in training mode
    "the FFN's hidden-layer dropout at PyTorch's default 0.1, not the block's dropout": _TRANSFORMER_BLOCK_INIT + '''
        self.hidden_dropout = nn.Dropout(0.1)

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self.dropout(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self.dropout(self.linear2(self.hidden_dropout(torch.relu(self.linear1(h)))))
''',
})
WRONG["answer_2_2"].update({
    # red team 18: the block has two layer norms (norm1, norm2); the final LN of a pre-norm stack belongs to the stack,
    # not to each block
    "three layer norms (the stack's final LN counted in the block)": '''
def answer_2_2():
    d, d_ff = 64, 256
    return 4 * (d * d + d) + (d * d_ff + d_ff) + (d_ff * d + d) + 3 * 2 * d
''',
})

# ---- red team 20 ----
WRONG["transformer_block"].update({
    # red team 20: dropout switched on by autograd's switch as well as the mode ("no dropout when no gradients are
    # recorded"): a block in training mode called under torch.no_grad() (Monte-Carlo dropout, a loss logged without a
    # graph) drops nothing; nn.Dropout depends on the mode only
    "dropout only while gradients are recorded (training=self.training and torch.is_grad_enabled())": _TRANSFORMER_BLOCK_INIT + '''
    def _drop(self, t):
        return F.dropout(t, self.dropout.p, training=self.training and torch.is_grad_enabled())

    def forward(self, x, mask=None):
        h = self.norm1(x)
        x = x + self._drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        return x + self._drop(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["decoder_block"].update({
    # red team 20: the same mistake in the decoder block: under torch.no_grad() a block in training mode drops nothing
    "dropout skipped under torch.no_grad() (the mode alone should decide)": _DECODER_BLOCK_INIT + '''
    def forward(self, x, memory, tgt_mask=None, memory_mask=None):
        drop = self.dropout if torch.is_grad_enabled() else (lambda t: t)
        mask = causal_mask(x.shape[1], device=x.device)
        if tgt_mask is not None:
            mask = mask & tgt_mask
        h = self.norm1(x)
        x = x + drop(self.self_attn(h, h, h, mask=mask)[0])
        h = self.norm2(x)
        x = x + drop(self.cross_attn(h, memory, memory, mask=memory_mask)[0])
        h = self.norm3(x)
        return x + drop(self.linear2(torch.relu(self.linear1(h))))
''',
})
WRONG["greedy_decode"].update({
    # red team 20: the BOS column made as int32 (torch.int): the model's first call gets int32 tokens, not the long
    # [B, T] the docstring promises (the concatenation promotes later calls and the output to long)
    "BOS column made as torch.int (int32 tokens given to the model)": """
@torch.no_grad()
def greedy_decode(model, src, max_len, bos, eos):
    B = src.shape[0]
    tgt = torch.full((B, 1), bos, dtype=torch.int, device=src.device)
    done = torch.zeros(B, dtype=torch.bool, device=src.device)
    for _ in range(max_len):
        nxt = model(src, tgt)[:, -1].argmax(-1).masked_fill(done, eos)
        tgt = torch.cat([tgt, nxt[:, None]], dim=1)
        done = done | (nxt == eos)
        if done.all():
            break
    return tgt[:, 1:]
""",
})
WRONG["generate"].update({
    # red team 20: inverse-CDF sampling with ONE uniform per row drawn before the loop and reused at every step: each
    # token has the right distribution on its own, but the draws of a text are not independent (a flat model writes
    # the same token again and again)
    "inverse CDF with one uniform per row, drawn once before the loop": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    idx = prompt
    bs = getattr(model, "block_size", None)
    u = torch.rand(prompt.shape[0], 1, generator=generator, device=prompt.device)     # [B, 1]
    for _ in range(n_tokens):
        logits = model(idx if bs is None else idx[:, -bs:])[:, -1, :] / temperature
        if top_k is not None:
            kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[:, -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        cdf = torch.softmax(logits, dim=-1).cumsum(-1)
        nxt = (cdf < u.to(cdf.dtype)).sum(-1, keepdim=True).clamp_max(logits.shape[-1] - 1)
        idx = torch.cat([idx, nxt], dim=1)
    return idx
''',
    # red team 20: the Gumbel-max trick with the noise drawn at the first step only and added again at every later
    # step: one draw per text, not one per token
    "Gumbel noise drawn at the first step and reused for every token": '''
@torch.no_grad()
def generate(model, prompt, n_tokens, temperature=1.0, top_k=None, generator=None):
    out = prompt
    bs = getattr(model, "block_size", None)
    noise = None
    for _ in range(n_tokens):
        scores = model(out if bs is None else out[:, -bs:])[:, -1, :] / temperature
        if top_k is not None and top_k < scores.shape[-1]:
            kth = scores.topk(top_k, dim=-1).values[:, -1:]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        if noise is None:
            u = torch.rand(scores.shape, generator=generator, device=scores.device, dtype=scores.dtype)
            noise = -torch.log(-torch.log(u.clamp_min(torch.finfo(u.dtype).tiny)))
        out = torch.cat([out, (scores + noise).argmax(-1, keepdim=True)], dim=1)
    return out
''',
})
