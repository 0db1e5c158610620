"""Answer variants for 03-transfer-learning.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
WARNED: the wrong answers that fall into a trap the exercise text warns about (the visible tests alone catch them).
EQUIVALENT: machine-made mutants reviewed as behaving like the solution on every valid input.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "replace_head": {
        "in_features hard-coded to 64": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(64, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
        "new head in the default dtype (float32 on the CPU)": '''
def replace_head(model, n_classes):
    model.head = nn.Linear(model.head.in_features, n_classes)
    return model
''',
        "returns the new head instead of the model": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model.head
''',
        "a new model instead of a new head (the model passed in is unchanged)": '''
def replace_head(model, n_classes):
    old = model.head
    return nn.Sequential(model.body, nn.Linear(old.in_features, n_classes, device=old.weight.device,
                                               dtype=old.weight.dtype))
''',
        "old head's out_features as the new in_features": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.out_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
        "a layer stacked on top of the old head": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Sequential(old, nn.Linear(old.out_features, n_classes, device=old.weight.device,
                                              dtype=old.weight.dtype))
    return model
''',
        "no bias": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, bias=False, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
        "keeps the old head's first rows": '''
def replace_head(model, n_classes):
    old = model.head
    new = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    k = min(n_classes, old.out_features)
    with torch.no_grad():
        new.weight[:k] = old.weight[:k]
        new.bias[:k] = old.bias[:k]
    model.head = new
    return model
''',
        "head initialised to zeros": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.zeros_(model.head.weight)
    nn.init.zeros_(model.head.bias)
    return model
''',
        "a fresh network with n_classes outputs (the pretrained body is lost)": '''
def replace_head(model, n_classes):
    return ShapesNet(n_classes=n_classes)
''',
        # red team 2026-12-03
        "puts the model in eval mode": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model.eval()
''',
        "small normal initialisation (std 0.01)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.normal_(model.head.weight, std=0.01)
    return model
''',
        "bias initialised to zero": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.zeros_(model.head.bias)
    return model
''',
        "new head on the CPU (dtype only)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, dtype=old.weight.dtype)
    return model
''',
        "frozen if the old head was frozen": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    model.head.requires_grad_(old.weight.requires_grad)
    return model
''',
    },
    "freeze": {
        "ignores trainable (always freezes)": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad = False
    return module
''',
        "eval() instead of freezing": '''
def freeze(module, trainable=False):
    module.train(trainable)
    return module
''',
        "only the module's own parameters (recurse=False)": '''
def freeze(module, trainable=False):
    for p in module.parameters(recurse=False):
        p.requires_grad_(trainable)
    return module
''',
        "one level of children only": '''
def freeze(module, trainable=False):
    for child in module.children():
        for p in child.parameters(recurse=False):
            p.requires_grad_(trainable)
    return module
''',
        "requires_grad inverted": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(not trainable)
    return module
''',
        "freezes and switches to eval mode": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    module.train(trainable)
    return module
''',
        "clears the gradients instead": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.grad = None
    return module
''',
        "returns nothing": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
''',
        # red team 2026-12-03
        "also clears the gradients": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
        p.grad = None
    return module
''',
        "also stops BatchNorm's running statistics": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    for m in module.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.track_running_stats = trainable
    return module
''',
        "leaf modules only (misses a container's own parameters)": '''
def freeze(module, trainable=False):
    for m in module.modules():
        if not list(m.children()):
            for p in m.parameters():
                p.requires_grad_(trainable)
    return module
''',
        "conv and linear layers only (BatchNorm's scale and shift left trainable)": '''
def freeze(module, trainable=False):
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.requires_grad_(trainable)
    return module
''',
        "buffers too": '''
def freeze(module, trainable=False):
    for t in [*module.parameters(), *module.buffers()]:
        t.requires_grad_(trainable)
    return module
''',
    },
    "probe_trainable_params": {
        "the weight only, no bias": '''
probe_trainable_params = 64 * 3
''',
        "the old head (7 classes)": '''
probe_trainable_params = 64 * 7 + 7
''',
        "the whole network": '''
probe_trainable_params = sum(p.numel() for p in replace_head(pretrained_shapes_net(), 3).parameters())
''',
        # red team 2026-12-03
        "parameter tensors counted, not numbers": '''
probe_trainable_params = 2
''',
        "replace_head before freeze (the new head frozen too)": '''
probe_trainable_params = sum(p.numel() for p in freeze(replace_head(pretrained_shapes_net(), 3)).parameters()
                             if p.requires_grad)
''',
        "BatchNorm's scale and shift counted as trainable": '''
probe_trainable_params = 64 * 3 + 3 + 2 * (16 + 32 + 64)
''',
        "a float": '''
probe_trainable_params = 195.0
''',
    },
    "frozen_body_answer": {
        "a: frozen means constant": '''
frozen_body_answer = "a"
''',
        "c: gradient flowing through changes the weights": '''
frozen_body_answer = "c"
''',
        "d: an error": '''
frozen_body_answer = "d"
''',
        # red team 2026-12-03
        "two letters": '''
frozen_body_answer = "b, c"
''',
        "a list": '''
frozen_body_answer = ["b"]
''',
        "the option's index": '''
frozen_body_answer = 1
''',
    },
    "body_output_shape": {
        "the 64x64 input keeps a 2x2 map": '''
body_output_shape = (5, 64, 2, 2)
''',
        "the pool's output before the flatten": '''
body_output_shape = (5, 64, 1, 1)
''',
        "an error for the wrong image size": '''
body_output_shape = None
''',
        # red team 2026-12-03
        "a list": '''
body_output_shape = [5, 64]
''',
        "channels times the 2x2 map, flattened": '''
body_output_shape = (5, 256)
''',
        "no batch dimension": '''
body_output_shape = (64,)
''',
        "the 4x4 map of a 32x32 image": '''
body_output_shape = (5, 64, 4, 4)
''',
    },
    "cosine_similarity_matrix": {
        "columns normalised (dim=0)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=0, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=0, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
        "b not normalised": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    return (a / a.norm(dim=1, keepdim=True).clamp_min(eps)) @ b.T
''',
        "no eps: nan for a zero row": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    return (a / a.norm(dim=1, keepdim=True)) @ (b / b.norm(dim=1, keepdim=True)).T
''',
        "cosine distance 1 - cos": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return 1 - a_hat @ b_hat.T
''',
        "divided by the squared length": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / (a * a).sum(1, keepdim=True).clamp_min(eps)
    b_hat = b / (b * b).sum(1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
        "transposed result [M, N]": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return b_hat @ a_hat.T
''',
        "normalises the inputs in place": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a /= a.norm(dim=1, keepdim=True).clamp_min(eps)
    b /= b.norm(dim=1, keepdim=True).clamp_min(eps)
    return a @ b.T
''',
        "F.normalize (off limits)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    return F.normalize(a, dim=1, eps=eps) @ F.normalize(b, dim=1, eps=eps).T
''',
        "F.cosine_similarity with broadcasting (off limits)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    return F.cosine_similarity(a[:, None, :], b[None, :, :], dim=-1, eps=eps)
''',
        "computed in float32 whatever the input": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a, b = a.float(), b.float()
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
        "detached (no gradient)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a, b = a.detach(), b.detach()
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
        "through numpy (loses the device and the gradient)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    an, bn = a.detach().cpu().numpy(), b.detach().cpu().numpy()
    an = an / np.maximum(np.linalg.norm(an, axis=1, keepdims=True), eps)
    bn = bn / np.maximum(np.linalg.norm(bn, axis=1, keepdims=True), eps)
    return torch.from_numpy(an @ bn.T)
''',
        # red team 2026-12-03
        "eps added to the length": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / (a.norm(dim=1, keepdim=True) + eps)
    b_hat = b / (b.norm(dim=1, keepdim=True) + eps)
    return a_hat @ b_hat.T
''',
        "eps clamps the squared length": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / (a * a).sum(1, keepdim=True).clamp_min(eps).sqrt()
    b_hat = b / (b * b).sum(1, keepdim=True).clamp_min(eps).sqrt()
    return a_hat @ b_hat.T
''',
        "eps clamps the product of the lengths": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na, nb = a.norm(dim=1), b.norm(dim=1)
    return (a @ b.T) / (na[:, None] * nb[None, :]).clamp_min(eps)
''',
        "nan replaced by zeros made on the CPU": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    s = (a @ b.T) / (a.norm(dim=1)[:, None] * b.norm(dim=1)[None, :])
    return torch.where(torch.isnan(s), torch.zeros(s.shape, dtype=s.dtype), s)
''',
        "absolute value (similarity in [0, 1])": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return (a_hat @ b_hat.T).abs()
''',
        "nn.CosineSimilarity module (off limits another way)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    return nn.CosineSimilarity(dim=-1, eps=eps)(a[:, None, :], b[None, :, :])
''',
    },
    "knn_predict": {
        "the k least similar (smallest values, as for distances)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1, largest=False).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
        "Euclidean distance instead of cosine": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    dists = torch.cdist(query_feats, train_feats)
    nearest = dists.topk(k, dim=1, largest=False).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
        "torch.mode: ties go to the smallest label": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    return train_labels[nearest].mode(dim=1).values
''',
        "bincount argmax: ties go to the smallest label": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    return F.one_hot(votes, int(train_labels.max()) + 1).sum(1).argmax(1)
''',
        "skips the nearest neighbour (as if the query were a training image)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(min(k + 1, len(train_labels)), dim=1).indices[:, 1:]
    votes = train_labels[nearest]
    kk = votes.shape[1]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(kk, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, kk).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (kk + 1) + (kk - first)).argmax(1)
''',
        "labels assumed to be 0..(number of distinct labels - 1)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = len(train_labels.unique())
    counts = F.one_hot(votes.clamp_max(n_labels - 1), n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes.clamp_max(n_labels - 1), rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
        "ties broken by the farthest neighbour": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    last = torch.full_like(counts, -1).scatter_reduce(1, votes, rank, reduce="amax")
    return (counts * (k + 1) + last).argmax(1)
''',
        "the label of the single nearest neighbour, whatever k": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    return train_labels[sims.argmax(1)]
''',
        # red team 2026-12-03
        "k from the notebook's K_NEIGHBOURS": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    k = min(K_NEIGHBOURS, len(train_labels))
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
        "ties broken by the total similarity": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n).sum(1).to(sims.dtype)
    total = torch.zeros_like(counts).scatter_add(1, votes, top.values + 1)     # in (0, 2k]
    return (counts + total / (2 * k + 1)).argmax(1)
''',
        "similarity-weighted vote": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    score = torch.zeros(len(votes), n, dtype=sims.dtype, device=sims.device).scatter_add(1, votes, top.values)
    score = score.masked_fill(F.one_hot(votes, n).sum(1) == 0, -float("inf"))
    return score.argmax(1)
''',
        "the index among the distinct labels, not the label": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    uniq, inv = train_labels.unique(return_inverse=True)
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = inv[nearest]
    counts = F.one_hot(votes, len(uniq)).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
        "similarities in float32 whatever the input": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats.float(), train_feats.float())
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    },
}

RIGHT = {
    "replace_head": {
        "nn.Linear(...).to(the old weight)": '''
def replace_head(model, n_classes):
    model.head = nn.Linear(model.head.in_features, n_classes).to(model.head.weight)
    return model
''',
        "setattr with the weight's shape": '''
def replace_head(model, n_classes):
    w = model.head.weight
    setattr(model, "head", nn.Linear(w.shape[1], n_classes, bias=True).to(device=w.device, dtype=w.dtype))
    return model
''',
    },
    "freeze": {
        "module.requires_grad_": '''
def freeze(module, trainable=False):
    module.requires_grad_(trainable)
    return module
''',
        "named_parameters and an attribute": '''
def freeze(module, trainable=False):
    for _, p in module.named_parameters():
        p.requires_grad = bool(trainable)
    return module
''',
        "every sub-module's own parameters": '''
def freeze(module, trainable=False):
    for m in module.modules():
        for p in m.parameters(recurse=False):
            p.requires_grad_(trainable)
    return module
''',
    },
    "probe_trainable_params": {
        "counted with code": '''
probe_trainable_params = sum(p.numel() for p in replace_head(freeze(pretrained_shapes_net()), 3).parameters()
                             if p.requires_grad)
''',
        "factored": '''
probe_trainable_params = 3 * (64 + 1)
''',
    },
    "frozen_body_answer": {
        "upper case": '''
frozen_body_answer = "B"
''',
    },
    "body_output_shape": {
        "measured": '''
body_output_shape = tuple(pretrained_shapes_net().body(torch.zeros(5, 3, 64, 64)).shape)
''',
    },
    "cosine_similarity_matrix": {
        "divide the dot products by the outer product of the lengths": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na = a.norm(dim=1).clamp_min(eps)
    nb = b.norm(dim=1).clamp_min(eps)
    return (a @ b.T) / (na[:, None] * nb[None, :])
''',
        "einsum and rsqrt of the clamped squared length": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a * (a * a).sum(1, keepdim=True).clamp_min(eps * eps).rsqrt()
    b_hat = b * (b * b).sum(1, keepdim=True).clamp_min(eps * eps).rsqrt()
    return torch.einsum("nd,md->nm", a_hat, b_hat)
''',
    },
    "knn_predict": {
        "a loop over queries, with a Counter": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    from collections import Counter
    sims = cosine_similarity_matrix(query_feats, train_feats)
    order = sims.argsort(dim=1, descending=True)[:, :k]
    out = []
    for row in order.tolist():
        labels = [int(train_labels[j]) for j in row]          # nearest first
        counts = Counter(labels)
        best = max(counts.values())
        out.append(next(l for l in labels if counts[l] == best))  # the nearest among the most voted
    return torch.tensor(out, dtype=torch.int64, device=query_feats.device)
''',
        "votes plus a fraction of each label's best similarity": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = torch.zeros(len(votes), n, dtype=sims.dtype, device=sims.device).scatter_add_(
        1, votes, torch.ones_like(top.values))
    best = torch.full_like(counts, -2.0).scatter_reduce(1, votes, top.values, reduce="amax")
    return (counts + (best + 2) / 8).argmax(1)     # (best + 2) / 8 in (0, 0.375]: never outweighs a vote
''',
    },
}

WARNED = {
    "replace_head": ["in_features hard-coded to 64", "new head in the default dtype (float32 on the CPU)",
                     "returns the new head instead of the model",
                     "a new model instead of a new head (the model passed in is unchanged)",
                     "in_features read from the body's last convolution (out_channels)"],
    "freeze": ["ignores trainable (always freezes)", "eval() instead of freezing",
               "only the module's own parameters (recurse=False)", "one level of children only",
               "freezes and switches to eval mode"],
    "cosine_similarity_matrix": ["columns normalised (dim=0)", "b not normalised", "no eps: nan for a zero row",
                                 "normalises the inputs in place", "F.normalize (off limits)",
                                 "F.cosine_similarity with broadcasting (off limits)"],
    "knn_predict": ["the k least similar (smallest values, as for distances)", "Euclidean distance instead of cosine",
                    "torch.mode: ties go to the smallest label", "bincount argmax: ties go to the smallest label"],
}

_TWO_D = "the tensor is 2-D ([M, N] or [N, D]), so dim -1 is dim 1"

EQUIVALENT = {
    "cosine_similarity_matrix": {"dim@9:23#1": _TWO_D, "dim@10:23#1": _TWO_D},
    "knn_predict": {
        "dim@11:27#1": _TWO_D,
        "dim@17:51#1": _TWO_D,
        "clone@17:4#0": "the result is an int64 label tensor: it never requires grad, so .detach() changes nothing",
        "const@13:41#1": "one more label column that no neighbour votes for: its score is 0, below every voted label's",
        # score = votes * m + (k - first), first = rank of the label's nearest neighbour, 0..k-1, so k - first is in 1..k
        "arith@17:22#0": "m = k - 1 still ranks by votes first: a label with one more vote has first <= k - 1 - votes, "
                         "so its score is higher by at least 1; ties in votes go to the smaller first as before",
        "const@17:26#0": "m = k: one more vote adds k while k - first differs by at most k - 1, so votes decide first, "
                         "then the nearest neighbour, as with m = k + 1",
        "const@17:26#1": "m = k + 2: a larger weight on the votes; k - first (at most k) still never outweighs one vote",
    },
}

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("replace_head", {}).update({
    "keeps the old head when the number of classes is unchanged": '''
def replace_head(model, n_classes):
    old = model.head
    if old.out_features != n_classes:
        model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "new weight, but the old head's bias kept for the first rows": '''
def replace_head(model, n_classes):
    old = model.head
    new = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    k = min(n_classes, old.out_features)
    with torch.no_grad():
        new.bias[:k] = old.bias[:k]
    model.head = new
    return model
''',
    "a bias only if the old head had one": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, bias=old.bias is not None,
                           device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "nn.LazyLinear (in_features unknown until the first call)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.LazyLinear(n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "Xavier-uniform initialisation": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.xavier_uniform_(model.head.weight)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "each module's weight and bias attributes only": '''
def freeze(module, trainable=False):
    for m in module.modules():
        for name in ("weight", "bias"):
            p = getattr(m, name, None)
            if isinstance(p, nn.Parameter):
                p.requires_grad_(trainable)
    return module
''',
    "toggles requires_grad": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        if p.requires_grad != trainable:
            p.requires_grad_(not p.requires_grad)
        else:
            p.requires_grad_(not trainable)
    return module
''',
})
WRONG.setdefault("probe_trainable_params", {}).update({
    "a head for all 10 shapes classes": '''
probe_trainable_params = 64 * 10 + 10
''',
    "a string": '''
probe_trainable_params = "195"
''',
})
WRONG.setdefault("body_output_shape", {}).update({
    "the whole network's output (the logits)": '''
body_output_shape = (5, 7)
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "eps argument ignored (1e-8 hard-coded)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(1e-8)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(1e-8)
    return a_hat @ b_hat.T
''',
    "nan_to_num instead of eps": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = torch.nan_to_num(a / a.norm(dim=1, keepdim=True))
    b_hat = torch.nan_to_num(b / b.norm(dim=1, keepdim=True))
    return a_hat @ b_hat.T
''',
    "eps replaced by the dtype's machine epsilon": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    eps = torch.finfo(a.dtype).eps
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
    "result written into a buffer made on the CPU": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    out = torch.zeros(len(a), len(b), dtype=a.dtype)
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return out + a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "a tie goes to the single nearest neighbour's label, tied or not": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    best = counts.max(1).values
    tie = (counts == best[:, None]).sum(1) > 1
    return torch.where(tie, votes[:, 0], counts.argmax(1))
''',
    "first rank initialised with zeros (amin over 0: ties to the smallest label)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.zeros_like(counts).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "ties broken by the larger mean similarity": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n).sum(1).to(sims.dtype)
    total = torch.zeros_like(counts).scatter_add(1, votes, top.values)
    mean = total / counts.clamp_min(1)                         # in [-1, 1]
    return (counts * 4 + mean).argmax(1)
''',
})

RIGHT.setdefault("knn_predict", {}).update({
    "only the training vectors normalised (a query's length does not change its ranking)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    t_hat = train_feats / train_feats.norm(dim=1, keepdim=True).clamp_min(1e-8)
    sims = query_feats @ t_hat.T
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
RIGHT.setdefault("cosine_similarity_matrix", {}).update({
    "linalg.vector_norm, torch.maximum with eps, clamped to [-1, 1]": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na = torch.linalg.vector_norm(a, dim=1, keepdim=True).clamp(min=eps)
    nb = torch.linalg.vector_norm(b, dim=1, keepdim=True).clamp(min=eps)
    return torch.mm(a / na, (b / nb).t()).clamp(-1.0, 1.0)
''',
})
RIGHT.setdefault("probe_trainable_params", {}).update({
    "a numpy integer": '''
probe_trainable_params = np.int64(3 * 64) + 3
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "kaiming_uniform_ with a = sqrt(5), as nn.Linear.reset_parameters does": '''
def replace_head(model, n_classes):
    old = model.head
    new = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.kaiming_uniform_(new.weight, a=5 ** 0.5)
    model.head = new
    return model
''',
})

# ---- red team, round 5 ----
WRONG.setdefault("replace_head", {}).update({
    "dtype and device of the model's first parameter (the body's), not the old head's": '''
def replace_head(model, n_classes):
    first = next(model.parameters())
    model.head = nn.Linear(model.head.in_features, n_classes, device=first.device, dtype=first.dtype)
    return model
''',
    "in_features read from the body's last convolution (out_channels)": '''
def replace_head(model, n_classes):
    old = model.head
    last_conv = [m for m in model.body.modules() if isinstance(m, nn.Conv2d)][-1]
    model.head = nn.Linear(last_conv.out_channels, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "in_features measured with a forward pass of the body (its BatchNorm statistics move)": '''
def replace_head(model, n_classes):
    old = model.head
    with torch.no_grad():
        d = model.body(torch.zeros(2, 3, 32, 32, device=old.weight.device, dtype=old.weight.dtype)).shape[1]
    model.head = nn.Linear(d, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "trunc_normal_(std=0.02) and a zero bias (the ViT recipe, not nn.Linear's)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.trunc_normal_(model.head.weight, std=0.02)
    nn.init.zeros_(model.head.bias)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "every parameter replaced by a new nn.Parameter (gradients and optimiser links lost)": '''
def freeze(module, trainable=False):
    for m in module.modules():
        for name, p in list(m._parameters.items()):
            if p is not None:
                m._parameters[name] = nn.Parameter(p.detach(), requires_grad=trainable)
    return module
''',
    "requires_grad set on p.data (a detached alias: the parameter is unchanged)": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.data.requires_grad_(trainable)
    return module
''',
    "only the parameters that currently require grad are touched": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        if p.requires_grad:
            p.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "sqrt of the sum of squares, then clamped (nan gradient for a zero row)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / (a * a).sum(1, keepdim=True).sqrt().clamp_min(eps)
    b_hat = b / (b * b).sum(1, keepdim=True).sqrt().clamp_min(eps)
    return a_hat @ b_hat.T
''',
    "zero rows masked with torch.where after dividing by the raw length (nan gradient)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na, nb = a.norm(dim=1, keepdim=True), b.norm(dim=1, keepdim=True)
    a_hat = torch.where(na > eps, a / na, a / eps)
    b_hat = torch.where(nb > eps, b / nb, b / eps)
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "a loop over queries, result made on the CPU (torch.tensor without device=)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    from collections import Counter
    sims = cosine_similarity_matrix(query_feats, train_feats)
    order = sims.topk(k, dim=1).indices
    out = []
    for row in order.tolist():
        labels = [int(train_labels[j]) for j in row]
        counts = Counter(labels)
        best = max(counts.values())
        out.append(next(l for l in labels if counts[l] == best))
    return torch.tensor(out, dtype=torch.int64)
''',
    "votes through NumPy (the result comes back on the CPU)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices].cpu().numpy()         # [M, k], nearest first
    n = int(votes.max()) + 1 if votes.size else 1
    counts = np.stack([np.bincount(v, minlength=n) for v in votes]) if len(votes) else np.zeros((0, n), np.int64)
    first = np.full_like(counts, k)
    for m, v in enumerate(votes):
        for r in range(k - 1, -1, -1):
            first[m, v[r]] = r
    return torch.from_numpy((counts * (k + 1) + (k - first)).argmax(1).astype(np.int64))
''',
    "votes plus the label's best similarity (a negative similarity is worth less than a vote)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n).sum(1).to(sims.dtype)
    best = torch.full_like(counts, -2.0).scatter_reduce(1, votes, top.values, reduce="amax")
    return (counts + best).argmax(1)
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "Euclidean distance between the normalised vectors (the same order as the cosine)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    q = query_feats / query_feats.norm(dim=1, keepdim=True).clamp_min(1e-8)
    t = train_feats / train_feats.norm(dim=1, keepdim=True).clamp_min(1e-8)
    nearest = torch.cdist(q, t).topk(k, dim=1, largest=False).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
RIGHT.setdefault("body_output_shape", {}).update({
    "measured, a torch.Size": '''
body_output_shape = pretrained_shapes_net().body(torch.zeros(5, 3, 64, 64)).shape
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "uniform in +-1/sqrt(in_features) by hand, on the old weight's device and dtype": '''
def replace_head(model, n_classes):
    old = model.head
    new = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    bound = old.in_features ** -0.5
    with torch.no_grad():
        new.weight.uniform_(-bound, bound)
        new.bias.uniform_(-bound, bound)
    model.head = new
    return model
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "a loop over queries: bincount, then the nearest among the most voted": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    out = []
    for s in sims:
        votes = train_labels[s.topk(k).indices]                      # nearest first
        counts = torch.bincount(votes, minlength=int(train_labels.max()) + 1)
        tied = counts == counts.max()
        out.append(votes[tied[votes]][0])                            # the nearest among the most voted
    return torch.stack(out)
''',
})

# ---- red team, round 6 (rt6/rte) ----
WRONG.setdefault("replace_head", {}).update({
    "global RNG reseeded (torch.manual_seed(0)) for a reproducible head": '''
def replace_head(model, n_classes):
    old = model.head
    torch.manual_seed(0)
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "a deep copy of the old head with new weight and bias parameters (out_features left stale)": '''
import copy

def replace_head(model, n_classes):
    old = model.head
    new = copy.deepcopy(old)
    new.weight = nn.Parameter(torch.empty(n_classes, old.in_features, device=old.weight.device, dtype=old.weight.dtype))
    new.bias = nn.Parameter(torch.empty(n_classes, device=old.weight.device, dtype=old.weight.dtype))
    new.reset_parameters()
    new.requires_grad_(True)
    model.head = new
    return model
''',
    "head built under torch.inference_mode() (inference tensors: it cannot be trained)": '''
def replace_head(model, n_classes):
    old = model.head
    with torch.inference_mode():
        model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "only parameters whose name contains weight or bias": '''
def freeze(module, trainable=False):
    for name, p in module.named_parameters():
        if "weight" in name or "bias" in name:
            p.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "topk(sorted=False): ranks of the neighbours not in similarity order": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1, sorted=False).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "ties broken by the rank of the label's farthest member among the k": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    last = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amax", include_self=False)
    return (counts * (k + 1) + (k - last)).argmax(1)
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "zero rows replaced by eps only where the length is exactly 0": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na, nb = a.norm(dim=1, keepdim=True), b.norm(dim=1, keepdim=True)
    na = na.masked_fill(na == 0, eps)
    nb = nb.masked_fill(nb == 0, eps)
    return (a / na) @ (b / nb).T
''',
})
RIGHT.setdefault("cosine_similarity_matrix", {}).update({
    "both sets normalised in one go (torch.cat), then split": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    both = torch.cat([a, b])
    both = both / both.norm(dim=1, keepdim=True).clamp_min(eps)
    return both[:len(a)] @ both[len(a):].T
''',
})
RIGHT.setdefault("freeze", {}).update({
    "module.apply over every sub-module's own parameters": '''
def freeze(module, trainable=False):
    def _set(m):
        for p in m.parameters(recurse=False):
            p.requires_grad = trainable
    module.apply(_set)
    return module
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "the old head's own class, factory keywords from the old weight": '''
def replace_head(model, n_classes):
    old = model.head
    kw = {"device": old.weight.device, "dtype": old.weight.dtype}
    setattr(model, "head", type(old)(old.weight.shape[1], n_classes, bias=True, **kw))
    return model
''',
})

# ---- red team, round 7 (rt7/c) ----
WRONG.setdefault("replace_head", {}).update({
    "also freezes the body (the linear probe in one step)": '''
def replace_head(model, n_classes):
    old = model.head
    for p in model.parameters():
        p.requires_grad_(False)
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    "also clears the model's gradients (model.zero_grad())": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    model.zero_grad()
    return model
''',
    "initialised by hand with torch.rand / sqrt(in_features) (every weight and bias positive)": '''
def replace_head(model, n_classes):
    old = model.head
    d, kw = old.in_features, {"device": old.weight.device, "dtype": old.weight.dtype}
    head = nn.Linear(d, n_classes, **kw)
    with torch.no_grad():
        head.weight.copy_(torch.rand(n_classes, d, **kw) / d ** 0.5)
        head.bias.copy_(torch.rand(n_classes, **kw) / d ** 0.5)
    model.head = head
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "also switches autograd off while frozen (torch.set_grad_enabled(trainable))": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    torch.set_grad_enabled(trainable)
    return module
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "eps defaults to F.normalize's 1e-12": '''
def cosine_similarity_matrix(a, b, eps=1e-12):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
    "result clamped to [0, 1] (features assumed non-negative)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return (a_hat @ b_hat.T).clamp(0, 1)
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "ties broken by each label's best similarity, scattered into zeros (a negative best counts as 0)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n).sum(1).to(sims.dtype)
    best = torch.zeros_like(counts).scatter_reduce(1, votes, top.values, reduce="amax")
    return (counts * 3 + best).argmax(1)
''',
    "ties broken by the smallest training index among the tied labels (not the nearest)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n).sum(1)
    N = len(train_labels)
    first = torch.full_like(counts, N).scatter_reduce(1, votes, nearest, reduce="amin")
    return (counts * (N + 1) + (N - first)).argmax(1)
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "built on meta, then to_empty on the old head's device, reset_parameters and the old dtype": '''
def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device="meta", dtype=old.weight.dtype)
    head.to_empty(device=old.weight.device)
    head.reset_parameters()
    model.head = head
    return model
''',
})
RIGHT.setdefault("cosine_similarity_matrix", {}).update({
    "computed in float64, cast back to the input's dtype": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a64, b64 = a.double(), b.double()
    a_hat = a64 / a64.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b64 / b64.norm(dim=1, keepdim=True).clamp_min(eps)
    return (a_hat @ b_hat.T).to(a.dtype)
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "for each neighbour, the count of its label among the k; the first (nearest) with the most wins": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]                      # [M, k], nearest first
    same = (votes[:, :, None] == votes[:, None, :]).sum(-1)                 # [M, k]: votes of each neighbour's label
    return votes.gather(1, same.argmax(1, keepdim=True)).squeeze(1)         # argmax: the first of the maxima
''',
})


# ---- red-team pass 9 (reviewer e) ----
WRONG.setdefault("replace_head", {}).update({
    "uniform in +-1/in_features by hand (1/fan_in, not 1/sqrt(fan_in))": '''
def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    with torch.no_grad():
        bound = 1.0 / old.in_features
        head.weight.uniform_(-bound, bound)
        head.bias.uniform_(-bound, bound)
    model.head = head
    return model
''',
    "weight scaled by 0.001 after nn.Linear's initialisation (timm's head_init_scale)": '''
def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    with torch.no_grad():
        head.weight.mul_(0.001)
        head.bias.mul_(0.001)
    model.head = head
    return model
''',
    "puts the model in train mode": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    model.train()
    return model
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "lengths detached (treated as constants: wrong gradient)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps).detach()
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps).detach()
    return a_hat @ b_hat.T
''',
    "rows shorter than eps zeroed (not divided by eps)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na, nb = a.norm(dim=1, keepdim=True), b.norm(dim=1, keepdim=True)
    a_hat = torch.where(na < eps, torch.zeros_like(a), a / na.clamp_min(eps))
    b_hat = torch.where(nb < eps, torch.zeros_like(b), b / nb.clamp_min(eps))
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "training vectors not normalised (dot products with unit queries)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    q = query_feats / query_feats.norm(dim=1, keepdim=True).clamp_min(1e-8)
    sims = q @ train_feats.T
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "one_hot of the votes with its inferred number of classes, score counts * k - rank": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]                   # [M, k], nearest first
    onehot = F.one_hot(votes)                                           # [M, k, L'], L' = votes.max() + 1
    counts = onehot.sum(1)                                              # [M, L']
    rank = torch.arange(k, device=votes.device)[None, :, None]
    first = torch.where(onehot.bool(), rank, k).amin(1)                 # [M, L'], k where absent
    return (counts * k - first).argmax(1)
''',
})
# ---- red-team pass 9 (reviewer e), second batch ----
WRONG.setdefault("knn_predict", {}).update({
    "lengths not clamped: a zero training vector gives nan similarities, which topk ranks first": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = (query_feats / query_feats.norm(dim=1, keepdim=True)) @ (train_feats / train_feats.norm(dim=1, keepdim=True)).T
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
WARNED["knn_predict"].append("lengths not clamped: a zero training vector gives nan similarities, which topk ranks first")
# ---- red-team pass 10 (reviewer e) ----
WRONG.setdefault("replace_head", {}).update({
    "the old head object reused: new weight and bias Parameters, then reset_parameters()": '''
def replace_head(model, n_classes):
    head = model.head
    w = head.weight
    head.out_features = n_classes
    head.weight = nn.Parameter(torch.empty(n_classes, head.in_features, device=w.device, dtype=w.dtype))
    head.bias = nn.Parameter(torch.empty(n_classes, device=w.device, dtype=w.dtype))
    head.reset_parameters()
    return model
''',
    "bias drawn uniformly in +-1/sqrt(n_classes) (the fan-out), weight as nn.Linear": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    with torch.no_grad():
        bound = 1 / n_classes ** 0.5
        model.head.bias.uniform_(-bound, bound)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "unfreezing clears the stale gradients (p.grad = None when trainable)": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
        if trainable:
            p.grad = None
    return module
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "lengths clamped to [eps, 1/eps] (a two-sided safety clamp)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp(eps, 1 / eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp(eps, 1 / eps)
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "training lengths clamped at 1e-12 (F.normalize's eps), not cosine_similarity_matrix's eps": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    q = query_feats / query_feats.norm(dim=1, keepdim=True).clamp_min(1e-12)
    t = train_feats / train_feats.norm(dim=1, keepdim=True).clamp_min(1e-12)
    sims = q @ t.T
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "odd k forced (k - 1 when k is even, to avoid ties)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    if k % 2 == 0:
        k -= 1
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "ties broken by the sum of the tied labels' ranks (lowest total wins)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    onehot = F.one_hot(votes, n_labels)                                   # [M, k, L]
    counts = onehot.sum(1)
    rank = torch.arange(k, device=votes.device)[None, :, None]
    rank_sum = (onehot * rank).sum(1)                                     # [M, L]
    return (counts * k * k - rank_sum).argmax(1)
''',
})
RIGHT.setdefault("freeze", {}).update({
    "module.apply over every sub-module's own parameters": '''
def freeze(module, trainable=False):
    def _set(m):
        for p in m.parameters(recurse=False):
            p.requires_grad = bool(trainable)
    module.apply(_set)
    return module
''',
})
RIGHT.setdefault("cosine_similarity_matrix", {}).update({
    "reciprocal of torch.maximum(length, full_like eps), einsum": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na = torch.linalg.norm(a, dim=1, keepdim=True)
    nb = torch.linalg.norm(b, dim=1, keepdim=True)
    a_hat = a * torch.maximum(na, torch.full_like(na, eps)).reciprocal()
    b_hat = b * torch.maximum(nb, torch.full_like(nb, eps)).reciprocal()
    return torch.einsum("nd,md->nm", a_hat, b_hat)
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "most-voted labels masked, then the one with the smallest first rank": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices                                 # [M, k], nearest first
    votes = train_labels[nearest]
    L = int(train_labels.max()) + 1
    counts = torch.zeros(len(votes), L, dtype=torch.int64, device=votes.device)
    counts.scatter_add_(1, votes, torch.ones_like(votes))
    rank = torch.arange(k, device=votes.device).expand_as(votes).contiguous()
    first = torch.full((len(votes), L), k, dtype=torch.int64, device=votes.device)
    first.scatter_reduce_(1, votes, rank, reduce="amin")
    best = counts == counts.max(1, keepdim=True).values
    return torch.where(best, first, k + 1).argmin(1)
''',
})
WARNED["knn_predict"].append("training lengths clamped at 1e-12 (F.normalize's eps), not cosine_similarity_matrix's eps")

# red team 11, 2026-12-04
WRONG.setdefault("replace_head", {}).update({
    "head wrapped in nn.Sequential(nn.Dropout(0.5), nn.Linear) (not an nn.Linear)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(old.in_features, n_classes, device=old.weight.device,
                                                          dtype=old.weight.dtype))
    return model
''',
    "He initialisation (kaiming_normal_) for the new head": '''
def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    nn.init.kaiming_normal_(head.weight, nonlinearity="relu")
    model.head = head
    return model
''',
    "nn.Linear's bounds, drawn from a local generator seeded 0 (the same head every call)": '''
def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    g = torch.Generator(device=old.weight.device).manual_seed(0)
    bound = 1 / old.in_features ** 0.5
    with torch.no_grad():
        head.weight.uniform_(-bound, bound, generator=g)
        head.bias.uniform_(-bound, bound, generator=g)
    model.head = head
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    "unfreezing also switches the module back to train mode": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    if trainable:
        module.train()
    return module
''',
    "requires_grad set on the state_dict's tensors (detached copies)": '''
def freeze(module, trainable=False):
    for name, t in module.state_dict().items():
        if t.is_floating_point():
            t.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("probe_trainable_params", {}).update({
    "a bias per input feature (64 * 3 + 64)": '''
probe_trainable_params = 64 * 3 + 64
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "lengths without keepdim (a [N] vector broadcast over the columns)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1).clamp_min(eps)
    b_hat = b / b.norm(dim=1).clamp_min(eps)
    return a_hat @ b_hat.T
''',
    "L1 length (abs().sum) instead of the Euclidean length": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.abs().sum(1, keepdim=True).clamp_min(eps)
    b_hat = b / b.abs().sum(1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
    "lengths below eps set to eps in place (norm[norm < eps] = eps): no backward": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    na = a.norm(dim=1, keepdim=True)
    nb = b.norm(dim=1, keepdim=True)
    na[na < eps] = eps
    nb[nb < eps] = eps
    return (a / na) @ (b / nb).T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    "training lengths clamped at 1e-6 (a common eps), not cosine_similarity_matrix's 1e-8": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    q = query_feats / query_feats.norm(dim=1, keepdim=True).clamp_min(1e-6)
    t = train_feats / train_feats.norm(dim=1, keepdim=True).clamp_min(1e-6)
    nearest = (q @ t.T).topk(k, dim=1).indices
    votes = train_labels[nearest]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "ten classes hard-coded (F.one_hot(votes, 10), the shapes set's)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = F.one_hot(votes, 10).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "argsort ascending, the last k (nearest last): ties go to the farthest": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.argsort(dim=1)[:, -k:]]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "model.add_module('head', ...)": '''
def replace_head(model, n_classes):
    w = model.head.weight
    model.add_module("head", nn.Linear(model.head.in_features, n_classes, device=w.device, dtype=w.dtype))
    return model
''',
})
RIGHT.setdefault("cosine_similarity_matrix", {}).update({
    "F.linear of the normalised rows": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / torch.linalg.vector_norm(a, dim=-1, keepdim=True).clamp_min(eps)
    b_hat = b / torch.linalg.vector_norm(b, dim=-1, keepdim=True).clamp_min(eps)
    return F.linear(a_hat, b_hat)
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "first rank of each label by argmax of the one-hot over the k ranks": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]                   # [M, k], nearest first
    onehot = F.one_hot(votes, int(train_labels.max()) + 1)              # [M, k, L]
    counts = onehot.sum(1)                                              # [M, L]
    first = onehot.argmax(1)                                            # first rank where each label appears (0 if absent)
    return (counts * (k + 1) - first).argmax(1)
''',
    "ties by each label's best similarity over all N training vectors": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)           # [M, N]
    L = int(train_labels.max()) + 1
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = torch.zeros(len(sims), L, dtype=sims.dtype, device=sims.device).scatter_add_(
        1, votes, torch.ones_like(votes, dtype=sims.dtype))
    best = torch.full_like(counts, -2.0).scatter_reduce(1, train_labels.expand_as(sims), sims, reduce="amax")
    return (counts * 4 + best).argmax(1)        # a tied label's nearest member is always among the k
''',
})
WARNED["knn_predict"].append("training lengths clamped at 1e-6 (a common eps), not cosine_similarity_matrix's 1e-8")
# red team 11, 2026-12-04, second batch
WRONG.setdefault("knn_predict", {}).update({
    "training vectors identical in direction to the query left out (leave-one-out: similarity 1 skipped)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    sims = sims.masked_fill(sims >= 1 - 1e-6, -2.0)                      # the query itself, if it is a training image
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
RIGHT.setdefault("replace_head", {}).update({
    "built under a torch.device context on the old weight's device": '''
def replace_head(model, n_classes):
    old = model.head
    with torch.device(old.weight.device):
        model.head = nn.Linear(old.in_features, n_classes, dtype=old.weight.dtype)
    return model
''',
})

# red team 13, 2026-12-05
WRONG.setdefault("knn_predict", {}).update({
    "dot products divided by the product of the lengths, clamped at eps as a whole (not each length)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    lengths = query_feats.norm(dim=1)[:, None] * train_feats.norm(dim=1)[None, :]      # [M, N]
    sims = (query_feats @ train_feats.T) / lengths.clamp_min(1e-8)
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = F.one_hot(votes, int(train_labels.max()) + 1).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
    "one-hot with num_classes=train_labels.max() (the largest label has no column)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]
    counts = F.one_hot(votes, int(train_labels.max())).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
WRONG.setdefault("freeze", {}).update({
    "floating-point buffers too (BatchNorm's running statistics 'frozen' with the weights)": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    for b in module.buffers():
        if b.is_floating_point():
            b.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("replace_head", {}).update({
    "uniform in +-1/sqrt(in_features + n_classes) by hand (a Glorot-style bound)": '''
import math

def replace_head(model, n_classes):
    old = model.head
    head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    bound = 1 / math.sqrt(old.in_features + n_classes)
    with torch.no_grad():
        head.weight.uniform_(-bound, bound)
        head.bias.uniform_(-bound, bound)
    model.head = head
    return model
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    "b transposed first, then normalised along dim=1 (its columns)": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    bT = b.T                                                           # [D, M]
    return a_hat @ (bT / bT.norm(dim=1, keepdim=True).clamp_min(eps))
''',
})
WRONG.setdefault("probe_trainable_params", {}).update({
    "the old head's parameters counted as well (7 * 64 + 7 more)": '''
probe_trainable_params = 64 * 3 + 3 + 64 * 7 + 7
''',
})
RIGHT.setdefault("knn_predict", {}).update({
    "number of labels from the neighbours' own votes (votes.max() + 1)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    votes = train_labels[sims.topk(k, dim=1).indices]                  # [M, k], nearest first
    n = int(votes.max()) + 1
    counts = F.one_hot(votes, n).sum(1)                                # [M, n]
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) - first).argmax(1)
''',
})
RIGHT.setdefault("freeze", {}).update({
    "requires_grad set through named_parameters, the flag coerced with bool()": '''
def freeze(module, trainable=False):
    flag = bool(trainable)
    for _, p in module.named_parameters():
        if p.requires_grad != flag:
            p.requires_grad = flag
    return module
''',
})
# the text says "change nothing else: ... not the buffers": the visible part now checks their requires_grad flags
WARNED.setdefault("freeze", []).append("floating-point buffers too (BatchNorm's running statistics 'frozen' with the weights)")

# red team 15 (reviewer E)
WRONG.setdefault("replace_head", {}).update({
    # red team 15: the text asks for a freshly initialised nn.Linear (trainable); after freeze(model) the new head must still learn
    "the new head's requires_grad copied from the old head (a frozen network gets a frozen head)": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    model.head.requires_grad_(old.weight.requires_grad)
    return model
''',
})
WRONG.setdefault("replace_head", {}).update({
    # red team 15: 'everything else stays untouched': the old head becomes a registered submodule, so model.parameters(), the state_dict and an optimiser over the model now include it
    'the old head kept as model.old_head (registered: its parameters stay in model.parameters())': '''
def replace_head(model, n_classes):
    old = model.head
    model.old_head = old
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    # red team 15: the text: every parameter at any depth (module.parameters()), not only one level of children
    'parameters of the module and of its direct children only (one level down)': '''
def freeze(module, trainable=False):
    for p in module.parameters(recurse=False):
        p.requires_grad_(trainable)
    for child in module.children():
        for p in child.parameters(recurse=False):
            p.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("freeze", {}).update({
    # red team 15: 'change nothing else: not the buffers': a float buffer not named running_* (a fixed positional table, a mask) gets requires_grad
    'every floating-point tensor of the state_dict except the running statistics (other buffers frozen/unfrozen too)': '''
def freeze(module, trainable=False):
    for name, t in module.state_dict(keep_vars=True).items():
        if t.is_floating_point() and "running" not in name:
            t.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    # red team 15: clamping |x|^2 at eps clamps the length at sqrt(eps) = 1e-4, not at eps: short rows lose their direction
    'squared lengths clamped at eps (sum of squares, clamp_min(eps), sqrt)': '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / (a * a).sum(1, keepdim=True).clamp_min(eps).sqrt()
    b_hat = b / (b * b).sum(1, keepdim=True).clamp_min(eps).sqrt()
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    # red team 15: the text: the label with most votes wins; similarity only breaks ties (this is weighted kNN)
    'votes weighted by similarity (the label with the largest summed similarity)': '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n_labels = int(train_labels.max()) + 1
    score = torch.zeros(len(query_feats), n_labels, dtype=sims.dtype, device=sims.device)
    score.scatter_add_(1, votes, top.values)
    return score.argmax(1)
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    # red team 17: the text divides by max(length, eps); a smooth sqrt(length^2 + eps^2) changes rows near or below eps (and any row for a large eps)
    'lengths smoothed as sqrt(|x|^2 + eps^2) instead of max(|x|, eps)': '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / ((a * a).sum(1, keepdim=True) + eps ** 2).sqrt()
    b_hat = b / ((b * b).sum(1, keepdim=True) + eps ** 2).sqrt()
    return a_hat @ b_hat.T
''',
    # red team 17: the same values, but the lengths are treated as constants: the gradient (features of a network being trained) is wrong
    'lengths detached (no gradient through the normalisation)': '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).detach().clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).detach().clamp_min(eps)
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    # red team 17: a tie goes to the label whose nearest member is most similar, not to the smallest sum of ranks (a Borda count)
    "ties broken by the smallest sum of the ranks of the label's neighbours (Borda count)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    rank_sum = torch.zeros_like(counts).scatter_add(1, votes, rank)
    return (counts * (k * k + 1) - rank_sum).argmax(1)
''',
    # red team 17: the tie-break is the most similar member, not the member that comes first in the training set
    "ties broken by the training index of each label's first neighbour (position in train_feats, not similarity)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    n = len(train_feats)
    first = torch.full_like(counts, n).scatter_reduce(1, votes, nearest, reduce="amin")
    return (counts * (n + 1) + (n - first)).argmax(1)
''',
})
WRONG.setdefault("replace_head", {}).update({
    # red team 17: an old head without a bias has no old.bias to read the device and dtype from (the text: the old head's weight)
    "device and dtype read from the old head's bias": '''
def replace_head(model, n_classes):
    old = model.head
    model.head = nn.Linear(old.in_features, n_classes, device=old.bias.device, dtype=old.bias.dtype)
    return model
''',
})
# ---- red team 18 (reviewer E) ----
WRONG.setdefault("freeze", {}).update({
    # red team 18: the text: change nothing else, not train/eval mode; BatchNorm layers switched to eval when frozen (and back to train when unfrozen) change the mode
    "BatchNorm layers switched with the flag (eval when frozen, train when unfrozen)": '''
def freeze(module, trainable=False):
    for p in module.parameters():
        p.requires_grad_(trainable)
    for m in module.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.train(trainable)                  # frozen statistics go with frozen weights
    return module
''',
    # red team 18: every parameter at any depth: only the leaf modules' own parameters are walked (a module with parameters of its own and children is skipped)
    "only the parameters of leaf modules (modules without children)": '''
def freeze(module, trainable=False):
    for m in module.modules():
        if not any(True for _ in m.children()):
            for p in m.parameters():
                p.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("replace_head", {}).update({
    # red team 18: the head is drawn inside torch.random.fork_rng, which restores the generator afterwards: every call draws the same head
    "new head drawn inside torch.random.fork_rng() (the caller's random stream kept; the same head every call)": '''
def replace_head(model, n_classes):
    old = model.head
    with torch.random.fork_rng():
        model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    # red team 18: the text: same dtype as a, float64 inputs compared in float64; the product is computed in float32
    "the matrix product in float32 (a_hat.float() @ b_hat.float().T), cast back": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.norm(dim=1, keepdim=True).clamp_min(eps)
    return (a_hat.float() @ b_hat.float().T).to(a.dtype)
''',
})
WRONG.setdefault("knn_predict", {}).update({
    # red team 18: similarities rounded to 6 decimals before ranking: float64 neighbours that differ beyond that tie, and the lower index wins
    "similarities rounded to 6 decimals before ranking (float noise ignored)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats).round(decimals=6)
    nearest = sims.argsort(dim=1, descending=True, stable=True)[:, :k]
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})
WARNED["freeze"] = WARNED.get("freeze", []) + ["BatchNorm layers switched with the flag (eval when frozen, train when unfrozen)"]
WRONG.setdefault("replace_head", {}).update({
    # red team 19: the text: the new head takes the old head's dtype, whatever it is; only float64 is carried over here, so a
    # bfloat16 or float16 network (half precision, as under autocast or .half()) gets a float32 head
    "dtype carried over only for float64 (a half-precision network gets a float32 head)": '''
def replace_head(model, n_classes):
    old = model.head
    dtype = torch.float64 if old.weight.dtype == torch.float64 else torch.float32
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=dtype)
    return model
''',
    # red team 19: the text: a new nn.Linear assigned to model.head; with an unchanged class count this re-initialises the old head
    # object in place: a frozen head stays frozen (the linear probe trains nothing), and whoever holds the old head sees it change
    "same class count: the old head re-initialised in place (reset_parameters), not replaced": '''
def replace_head(model, n_classes):
    old = model.head
    if old.out_features == n_classes:
        old.reset_parameters()
        return model
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
})
WRONG.setdefault("cosine_similarity_matrix", {}).update({
    # red team 19: float64 inputs are divided by lengths rounded to float32 (a .float() habit): every similarity is off by up to
    # 1e-7 relative, float64 results with float32 precision
    "lengths computed in float32 (a.float().norm), float64 rows divided by them": '''
def cosine_similarity_matrix(a, b, eps=1e-8):
    a_hat = a / a.float().norm(dim=1, keepdim=True).clamp_min(eps)
    b_hat = b / b.float().norm(dim=1, keepdim=True).clamp_min(eps)
    return a_hat @ b_hat.T
''',
})
WRONG.setdefault("knn_predict", {}).update({
    # red team 19: the training vectors' lengths rounded to float32: float64 neighbours whose similarities differ by less than
    # float32's precision are ranked by the rounding error of their lengths, not by their similarity
    "training lengths computed in float32 (train_feats.float().norm)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    t_hat = train_feats / train_feats.float().norm(dim=1, keepdim=True).clamp_min(1e-8)
    q_hat = query_feats / query_feats.norm(dim=1, keepdim=True).clamp_min(1e-8)
    sims = q_hat @ t_hat.T
    nearest = sims.topk(k, dim=1).indices
    votes = train_labels[nearest]
    n_labels = int(train_labels.max()) + 1
    counts = F.one_hot(votes, n_labels).sum(1)
    rank = torch.arange(k, device=votes.device).expand_as(votes)
    first = torch.full_like(counts, k).scatter_reduce(1, votes, rank, reduce="amin")
    return (counts * (k + 1) + (k - first)).argmax(1)
''',
})

# ---- red team 20 (reviewer E) ----
WRONG.setdefault("replace_head", {}).update({
    # red team 20: the text: the head is drawn from PyTorch's global generator (the one the notebook seeds), which every call moves
    # on; torch.seed() reseeds it from the clock: every head, and every draw of the notebook after it, is no longer reproducible
    "global generator reseeded at random (torch.seed()) so that each call draws a new head": '''
def replace_head(model, n_classes):
    old = model.head
    torch.seed()
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device, dtype=old.weight.dtype)
    return model
''',
    # red team 20: the text: create the head with dtype= and device=; torch.set_default_dtype as a plain call leaves the default
    # dtype of the whole notebook float64 (or half) after a float64 (or half) network
    "torch.set_default_dtype(old head's dtype) before nn.Linear, never restored": '''
def replace_head(model, n_classes):
    old = model.head
    torch.set_default_dtype(old.weight.dtype)
    model.head = nn.Linear(old.in_features, n_classes, device=old.weight.device)
    return model
''',
    # red team 20: the text: create the head there with device=; torch.set_default_device as a plain call leaves every tensor the
    # notebook makes afterwards on the old head's device (on 'meta', or on the GPU)
    "torch.set_default_device(old head's device) before nn.Linear, never restored": '''
def replace_head(model, n_classes):
    old = model.head
    torch.set_default_device(old.weight.device)
    model.head = nn.Linear(old.in_features, n_classes, dtype=old.weight.dtype)
    return model
''',
})
WRONG.setdefault("freeze", {}).update({
    # red team 20: the text: every parameter gets requires_grad = trainable; a shortcut on the first parameter's flag leaves a partly
    # frozen module partly frozen (freeze(model.body), then freeze(model): the head stays trainable)
    "returns early when the first parameter already has the flag (a partly frozen module stays partly frozen)": '''
def freeze(module, trainable=False):
    first = next(module.parameters(), None)
    if first is None or first.requires_grad == trainable:
        return module
    for p in module.parameters():
        p.requires_grad_(trainable)
    return module
''',
})
WRONG.setdefault("knn_predict", {}).update({
    # red team 20: the text: the label with most votes wins; half the best similarity (in [-0.5, 0.5]) is a whole vote apart at
    # cosines exactly 1 and -1: one vote at cosine 1 then ties two votes at cosine -1, and the smaller label wins the tie
    "votes plus half of each label's best similarity (a whole vote at cosines 1 and -1)": '''
def knn_predict(train_feats, train_labels, query_feats, k):
    sims = cosine_similarity_matrix(query_feats, train_feats)
    top = sims.topk(k, dim=1)
    votes = train_labels[top.indices]
    n = int(train_labels.max()) + 1
    counts = torch.zeros(len(votes), n, dtype=sims.dtype, device=sims.device).scatter_add_(
        1, votes, torch.ones_like(top.values))
    best = torch.full_like(counts, -1.0).scatter_reduce(1, votes, top.values, reduce="amax")
    return (counts + best / 2).argmax(1)
''',
})
