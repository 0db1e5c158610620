"""Answer variants for 03-losses-regularization.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

# The class exercises give __init__ in the released stub; every variant repeats it unchanged.
_DROPOUT_HEAD = '''
class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p
'''

_BN_HEAD = '''
class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
'''

_ES_HEAD = '''
class EarlyStopping:
    def __init__(self, patience=5, min_delta=0.0):
        self.patience, self.min_delta = patience, min_delta
        self.epoch = -1
        self.best_loss = float("inf")
        self.best_epoch = -1
        self.num_bad_epochs = 0
        self.best_state = None
'''

_ES_RESTORE = '''
    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
'''

WRONG = {
    "weighted_cross_entropy": {
        "weighted mean divided by N": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean()
''',
        "log of softmax (overflows for large logits)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    p = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)
    nll = -torch.log(p[torch.arange(len(target)), target])
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
        "weight of the predicted class, not the target": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[logits.argmax(1)]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
        "reduction ignored (always the weighted mean)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    return (w * nll).sum() / w.sum()
''',
    },
    "focal_loss": {
        "gamma on p_t instead of 1 - p_t": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * p_t ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        "gamma on 1 - p (the positive's probability) for every target": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    loss = ce * (1 - p) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        "alpha applied to both classes the same way": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = alpha * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        "alpha on the negatives, 1 - alpha on the positives": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = ((1 - alpha) * targets + alpha * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        "log of sigmoid (infinite for confident logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = -torch.log(p_t) * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
    },
    "dropout": {
        "not scaled": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep
''',
        "scaled in eval mode too": _DROPOUT_HEAD + '''
    def forward(self, x):
        if self.p == 1.0:
            return torch.zeros_like(x)
        if not self.training:
            return x / (1 - self.p)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1 - self.p)
''',
        "drops with probability 1 - p": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) < self.p).to(x.dtype)
        return x * keep / (1 - self.p)
''',
        "classic dropout: unscaled in training, times (1 - p) in eval": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x * (1 - self.p)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep
''',
        "drops in eval mode too": _DROPOUT_HEAD + '''
    def forward(self, x):
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1 - self.p)
''',
        "p = 1 divides by zero (NaN)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1 - self.p)
''',
    },
    "batchnorm": {
        "biased and unbiased variance the wrong way round": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var_u = x.mean(0), x.var(0, correction=1)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var_u * (n - 1) / n)
            var = var_u
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "biased variance for the running estimate too": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "momentum convention flipped (old value weighted by momentum)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)
                self.running_var.mul_(self.momentum).add_((1 - self.momentum) * x.var(0, correction=1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "eval mode uses the batch statistics": _BN_HEAD + '''
    def forward(self, x):
        mean, var = x.mean(0), x.var(0, correction=0)
        if self.training:
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0, correction=1))
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        "eps outside the square root": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0, correction=1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / (torch.sqrt(var) + self.eps) * self.weight + self.bias
''',
        "batch statistics detached (no gradient through mean and var)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0).detach(), x.var(0, correction=0).detach()
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0, correction=1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    },
    "early_stopping": {
        "stores a reference, not a copy": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = model.state_dict()
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        "shallow copy of the state_dict (dict(...), same tensors)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = dict(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        "off by one: stops one epoch late (> patience)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs > self.patience
''' + _ES_RESTORE,
        "off by one: stops one epoch early (>= patience - 1)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience - 1
''' + _ES_RESTORE,
        "bad epochs counted in total, not in a row": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch = val_loss, self.epoch
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        "ties count as improvements (<=)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss <= self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        "min_delta ignored": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        "tracks the highest loss (mode flipped)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if self.best_epoch < 0 or val_loss > self.best_loss + self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    },
}

RIGHT = {
    "weighted_cross_entropy": {
        "logsumexp and advanced indexing": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    rows = torch.arange(logits.shape[0])
    nll = torch.logsumexp(logits, dim=1) - logits[rows, target]
    w = nll.new_ones(nll.shape) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
        "one-hot targets, the lecture's sum over classes": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    t = F.one_hot(target, logits.shape[1]).to(logits.dtype)            # [N, C]
    alpha = torch.ones(logits.shape[1], dtype=logits.dtype) if weight is None else weight
    loss = -(alpha * t * F.log_softmax(logits, dim=1)).sum(dim=1)       # [N]
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / (t * alpha).sum()
''',
    },
    "focal_loss": {
        "logsigmoid and torch.where": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    log_p_t = torch.where(targets > 0.5, F.logsigmoid(logits), F.logsigmoid(-logits))
    p_t = log_p_t.exp()
    loss = -(1 - p_t) ** gamma * log_p_t
    if alpha >= 0:
        loss = torch.where(targets > 0.5, alpha * loss, (1 - alpha) * loss)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
    },
    "dropout": {
        "torch.bernoulli mask": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        if self.p >= 1.0:
            return x * 0.0
        mask = torch.bernoulli(torch.full_like(x, 1.0 - self.p))
        return mask * x / (1.0 - self.p)
''',
        "torch.where": _DROPOUT_HEAD + '''
    def forward(self, x):
        if self.training and self.p > 0:
            scale = 0.0 if self.p == 1 else 1.0 / (1.0 - self.p)
            return torch.where(torch.rand_like(x) < self.p, torch.zeros_like(x), x * scale)
        return x
''',
    },
    "batchnorm": {
        "explicit sums and re-assigned buffers": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.sum(0) / n
            sq = ((x - mean) ** 2).sum(0)
            var = sq / n
            with torch.no_grad():
                m = self.momentum
                self.running_mean = (1 - m) * self.running_mean + m * mean
                self.running_var = (1 - m) * self.running_var + m * sq / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = torch.rsqrt(var + self.eps)
        return (x - mean) * (inv_std * self.weight) + self.bias
''',
    },
    "early_stopping": {
        "clone each tensor; stop flag kept": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        loss = val_loss.item() if torch.is_tensor(val_loss) else float(val_loss)
        improved = loss < self.best_loss - self.min_delta
        if improved:
            self.best_loss = loss
            self.best_epoch = self.epoch
            self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        self.num_bad_epochs = 0 if improved else self.num_bad_epochs + 1
        return bool(self.num_bad_epochs >= self.patience)

    def restore(self, model):
        if self.best_state is None:
            return
        with torch.no_grad():
            current = model.state_dict()
            for k, v in self.best_state.items():
                current[k].copy_(v)
''',
    },
}
