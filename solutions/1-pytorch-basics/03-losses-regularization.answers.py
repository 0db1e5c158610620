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
        'calls F.cross_entropy': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    return F.cross_entropy(logits, target, weight=weight, reduction=reduction)
''',
        'nll_loss reached through torch._C._nn.nll_loss_nd': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = torch._C._nn.nll_loss_nd
    return nll(F.log_softmax(logits, dim=1), target, weight, {"none": 0, "mean": 1, "sum": 2}[reduction], -100)
''',
        'cross_entropy_loss through torch.ops.aten': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    op = torch.ops.aten.cross_entropy_loss
    return op(logits, target, weight, {"none": 0, "mean": 1, "sum": 2}[reduction])
''',
        'log-probabilities in float32 (cast back)': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits.float(), dim=1).to(logits.dtype)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
        "row max subtracted in place (changes the caller's logits)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    z = logits.detach() if not logits.requires_grad else logits
    z -= z.max(dim=1, keepdim=True).values.detach()
    nll = torch.logsumexp(z, dim=1) - z.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
        'one-hot: class weights of ones made on the CPU when weight is None': '''
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
        'per-example losses rebuilt with torch.tensor (no gradient)': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = torch.tensor([-log_p[n, int(c)].item() for n, c in enumerate(target)], dtype=logits.dtype, device=logits.device)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
        # red team 2026-12-03
        'weighted mean with 1e-8 added to the denominator': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / (w.sum() + 1e-8)}[reduction]
''',
        'weighted mean divided by the sum of all class weights': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    denom = len(target) if weight is None else weight.sum()
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / denom}[reduction]
''',
        'F.one_hot without num_classes (width from the largest target)': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    t = F.one_hot(target).to(logits.dtype)
    alpha = torch.ones_like(logits[0]) if weight is None else weight
    loss = -(alpha * t * F.log_softmax(logits, dim=1)).sum(dim=1)
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / (t * alpha).sum()}[reduction]
''',
        "logsumexp shifted by the global max, not each row's": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    m = logits.max()
    lse = m + torch.log(torch.exp(logits - m).sum(dim=1))
    nll = lse - logits.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
        'class weights cast to float32': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight.float()[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
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
        "calls torchvision's sigmoid_focal_loss under another name": '''
from torchvision.ops import sigmoid_focal_loss as _library_focal

def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    return _library_focal(logits, targets, alpha=alpha, gamma=gamma, reduction=reduction)
''',
        "calls the copy torchvision's RetinaNet imports": '''
import torchvision.models.detection.retinanet as _retinanet

def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    return _retinanet.sigmoid_focal_loss(logits, targets, alpha, gamma, reduction)
''',
        'alpha = 0 taken as no weighting (alpha > 0)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha > 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'negative alpha still applied': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = (alpha * targets + (1 - alpha) * (1 - targets)) * ce * (1 - p_t) ** gamma
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'logits clamped to +-50 in place': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    z = logits.detach().clamp_(-50, 50) if not logits.requires_grad else logits.clamp(-50, 50)
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'log of p_t clamped at 1e-7 (wrong for confident logits)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = -torch.log(p_t.clamp(min=1e-7)) * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'computed in float32 (cast back)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    z, t = logits.float(), targets.float()
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    loss = loss.to(logits.dtype)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'modulating factor detached (no gradient through (1 - p_t)**gamma)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma).detach()
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'alpha_t built with torch.full on the CPU': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = torch.exp(-ce)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        pos = torch.full(logits.shape, alpha, dtype=logits.dtype)
        loss = torch.where(targets > 0.5, pos, 1 - pos) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        # red team 2026-12-03
        'weighting off only for alpha == -1 (other negative alphas applied)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha != -1:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'alpha as a float32 tensor (torch.tensor(alpha))': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        a = torch.tensor(alpha)
        loss = (a * targets + (1 - a) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'binary cross-entropy of the probabilities (log clamped at -100)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy(p, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
        'mean divided by the number of positives': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.sum() / targets.sum().clamp(min=1), "sum": loss.sum()}[reduction]
''',
        'factor as exp(gamma * log1p(-p_t)) (nan for gamma = 0, p_t = 1)': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * torch.exp(gamma * torch.log1p(-p_t))
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
        'calls F.dropout': _DROPOUT_HEAD + '''
    def forward(self, x):
        return F.dropout(x, self.p, self.training)
''',
        'wraps nn.Dropout': _DROPOUT_HEAD + '''
    def forward(self, x):
        layer = nn.Dropout(self.p)
        layer.train(self.training)
        return layer(x)
''',
        'torch.dropout through torch._VF': _DROPOUT_HEAD + '''
    def forward(self, x):
        return torch._VF.dropout(x, self.p, self.training)
''',
        'mask drawn on the CPU (torch.rand(x.shape))': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x * 0.0
        keep = (torch.rand(x.shape) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        "drops in place (changes the caller's x)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x.detach().zero_() if not x.requires_grad else x * 0.0
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        if x.requires_grad:
            return x * keep / (1.0 - self.p)
        return x.mul_(keep).div_(1.0 - self.p)
''',
        'p = 1 returns zeros in eval mode too': _DROPOUT_HEAD + '''
    def forward(self, x):
        if self.p == 1.0:
            return torch.zeros_like(x)
        if not self.training or self.p == 0.0:
            return x
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        'one mask per row, shared by its features': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x[..., :1]) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        'same mask on every call (cached)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        mask = getattr(self, "_mask", None)
        if mask is None or mask.shape != x.shape or mask.device != x.device:
            mask = self._mask = (torch.rand_like(x) >= self.p)
        return x * mask.to(x.dtype) / (1.0 - self.p)
''',
        'scale as a float32 tensor': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        scale = torch.tensor(1.0 / (1.0 - self.p))
        return x * (torch.rand_like(x) >= self.p) * scale
''',
        'eval mode under torch.no_grad (no gradient)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            with torch.no_grad():
                return x.clone()
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        # red team 2026-12-03
        'divides by p instead of 1 - p': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / self.p
''',
        'mask drawn with numpy (CPU, global numpy RNG)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.from_numpy(np.random.rand(*x.shape) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        'p = 1 returns torch.zeros(x.shape) (float32)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros(x.shape, device=x.device)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
        'train mode under torch.no_grad (no gradient)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        with torch.no_grad():
            if self.p == 1.0:
                return torch.zeros_like(x)
            keep = (torch.rand_like(x) >= self.p).to(x.dtype)
            return x * keep / (1.0 - self.p)
''',
        'flattened with view (fails on a non-contiguous input)': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        flat = x.view(-1)
        keep = (torch.rand_like(flat) >= self.p).to(x.dtype)
        return (flat * keep / (1.0 - self.p)).view(x.shape)
''',
        'train or eval read from torch.is_grad_enabled()': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not torch.is_grad_enabled() or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
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
        'calls F.batch_norm': _BN_HEAD + '''
    def forward(self, x):
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training,
                            self.momentum, self.eps)
''',
        'wraps an nn.BatchNorm1d sharing its parameters and buffers': _BN_HEAD + '''
    def forward(self, x):
        layer = nn.BatchNorm1d(self.num_features, self.eps, self.momentum).to(x.dtype)
        layer.weight, layer.bias = self.weight, self.bias
        layer.running_mean, layer.running_var = self.running_mean, self.running_var
        layer.train(self.training)
        return layer(x)
''',
        'torch.batch_norm directly': _BN_HEAD + '''
    def forward(self, x):
        bn = torch.batch_norm
        return bn(x, self.weight, self.bias, self.running_mean, self.running_var, self.training, self.momentum,
                  self.eps, False)
''',
        'one-pass variance E[x^2] - E[x]^2': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            var = (x * x).mean(0) - mean * mean
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'statistics in float32 (cast back)': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.float().mean(0).to(x.dtype)
            var = x.float().var(0, correction=0).to(x.dtype)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'eval mode adds eps to running_var in place': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        var = self.running_var
        var += self.eps
        out = (x - self.running_mean) / torch.sqrt(var) * self.weight + self.bias
        var -= self.eps
        return out
''',
        'centres x in place': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        if not x.requires_grad:
            x -= mean
            return x / torch.sqrt(var + self.eps) * self.weight + self.bias
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'momentum hard-coded 0.1': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(0.9).add_(0.1 * mean)
                self.running_var.mul_(0.9).add_(0.1 * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'eps hard-coded 1e-5': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + 1e-5) * self.weight + self.bias
''',
        'running statistics updated outside no_grad (they require grad)': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var * n / (n - 1)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'custom autograd.Function whose backward raises': _BN_HEAD + '''
    class _Normalize(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, mean, var, eps):
            return (x - mean) / torch.sqrt(var + eps)

        @staticmethod
        def backward(ctx, grad):
            raise NotImplementedError("backward")

    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return self._Normalize.apply(x, mean, var, self.eps) * self.weight + self.bias
''',
        # red team 2026-12-03
        'eps as a float32 tensor': _BN_HEAD + '''
    def forward(self, x):
        eps = torch.tensor(self.eps)
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + eps) * self.weight + self.bias
''',
        'momentum as a float32 tensor': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            m = torch.tensor(self.momentum)
            with torch.no_grad():
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'Bessel factor from num_features instead of the batch size': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = self.num_features
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'eps left out in eval mode': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var) * self.weight + self.bias
''',
        'running statistics updated in eval mode too': _BN_HEAD + '''
    def forward(self, x):
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0, correction=0)
        if n > 1:
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        if not self.training:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
        'train mode normalises with the just-updated running statistics': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0, correction=1))
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
        'best_loss kept as a tensor': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        'epoch counted from 1': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch = self.epoch + 2 if self.epoch < 0 else self.epoch + 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch - 1, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        'parameters only (buffers not saved or restored)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.detach().clone() for k, v in model.named_parameters()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state, strict=False)
''',
        'min_delta on the wrong side (best + min_delta)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss + self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        'restore before any step raises': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        model.load_state_dict(self.best_state)
''',
        'num_bad_epochs not kept up to date (counted only when stopping)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch = val_loss, self.epoch
            self.best_state = copy.deepcopy(model.state_dict())
        self.num_bad_epochs = 0
        return self.epoch - self.best_epoch >= self.patience
''' + _ES_RESTORE,
        # red team 2026-12-03
        'stops only while num_bad_epochs == patience (False again once past it)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs == self.patience
''' + _ES_RESTORE,
        'min_delta taken as relative (best * (1 - min_delta))': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss * (1 - self.min_delta):
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        'the first epoch is always the best (even a nan loss)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if self.best_state is None or val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
        'restore with load_state_dict(assign=True) (the model shares the saved tensors)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state, assign=True)
''',
        'saves the weights every epoch (the last, not the best)': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        self.best_state = copy.deepcopy(model.state_dict())
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
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
    alpha = torch.ones(logits.shape[1], dtype=logits.dtype, device=logits.device) if weight is None else weight
    loss = -(alpha * t * F.log_softmax(logits, dim=1)).sum(dim=1)       # [N]
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / (t * alpha).sum()
''',
        'take_along_dim and index_select': '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -torch.take_along_dim(torch.log_softmax(logits, dim=-1), target.unsqueeze(-1), dim=-1).squeeze(-1)
    w = torch.ones_like(nll) if weight is None else weight.index_select(0, target)
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / w.sum()
    raise ValueError(reduction)
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
        'softplus form, exp(-ce) for p_t': '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = targets * F.softplus(-logits) + (1 - targets) * F.softplus(logits)   # -log p_t
    loss = ce * (-torch.expm1(-ce)) ** gamma                                   # 1 - p_t = -expm1(-ce)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction)
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
        'Tensor.bernoulli_ on an empty_like mask': _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        q = 1.0 - self.p
        mask = torch.empty_like(x).bernoulli_(q)
        return x * mask / q if q > 0 else x * mask
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
        'var_mean, rsqrt and lerp_ on the buffers': _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            var, mean = torch.var_mean(x, dim=0, correction=0)
            with torch.no_grad():
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * (n / (n - 1)), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return torch.addcmul(self.bias, (x - mean) * torch.rsqrt(var + self.eps), self.weight)
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
        'deepcopy of the model, its state_dict on restore': _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        loss = float(val_loss)
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = loss, self.epoch, 0
            self.best_state = copy.deepcopy(model).state_dict()
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state:
            model.load_state_dict(self.best_state)
''',
    },
}

# WRONG answers that fall into a trap the exercise text warns about: the visible part of the tests catches them.
WARNED = {
    "weighted_cross_entropy": ["weighted mean divided by N", "log of softmax (overflows for large logits)",
                               "calls F.cross_entropy", "nll_loss reached through torch._C._nn.nll_loss_nd",
                               "cross_entropy_loss through torch.ops.aten"],
    "focal_loss": ["gamma on p_t instead of 1 - p_t", "alpha on the negatives, 1 - alpha on the positives",
                   "log of sigmoid (infinite for confident logits)", "negative alpha still applied",
                   "calls torchvision's sigmoid_focal_loss under another name", "calls the copy torchvision's RetinaNet imports"],
    "dropout": ["not scaled", "scaled in eval mode too", "drops with probability 1 - p",
                "classic dropout: unscaled in training, times (1 - p) in eval", "drops in eval mode too",
                "p = 1 divides by zero (NaN)", "p = 1 returns zeros in eval mode too", "same mask on every call (cached)",
                "calls F.dropout", "wraps nn.Dropout", "torch.dropout through torch._VF"],
    "batchnorm": ["biased and unbiased variance the wrong way round", "biased variance for the running estimate too",
                  "momentum convention flipped (old value weighted by momentum)", "eval mode uses the batch statistics",
                  "calls F.batch_norm", "wraps an nn.BatchNorm1d sharing its parameters and buffers", "torch.batch_norm directly"],
    "early_stopping": ["stores a reference, not a copy", "shallow copy of the state_dict (dict(...), same tensors)",
                       "off by one: stops one epoch late (> patience)", "off by one: stops one epoch early (>= patience - 1)",
                       "bad epochs counted in total, not in a row", "ties count as improvements (<=)", "min_delta ignored",
                       "min_delta on the wrong side (best + min_delta)"],
}

# Surviving mutants reviewed as equivalent to the solution (autograder mutate).
EQUIVALENT = {
    "weighted_cross_entropy": {
        "delete@28:4#0": "an unknown reduction is unspecified by the docstring (valid answers raise KeyError or fall back), so no test may demand ValueError",
        "dim@15:34#1": "logits are [N, C] (docstring), so dim=-1 is dim=1",
        "dim@16:52#1": "the gathered tensor is [N, 1], so squeeze(-1) is squeeze(1)",
        "dim@16:24#1": "log_p is [N, C] and the index [N, 1], so gather(-1, ...) is gather(1, ...)",
    },
    "focal_loss": {
        "delete@28:4#0": "an unknown reduction is unspecified by the docstring (valid answers raise KeyError or fall back), so no test may demand ValueError",
    },
    "dropout": {
        "clone@24:12#0": "p = 1: torch.zeros_like(x) already has no autograd history, .detach() changes nothing",
        "compare@25:16#0": "rand_like(x) == p has probability ~0 (2**-24 per entry in float32): > and >= draw the same masks",
    },
}

# ------------------------------------------------------------------------------------------------
# "Check your understanding" questions (issue 9): the usual slips, and right answers in other forms.
# ------------------------------------------------------------------------------------------------

WRONG.update({
    "answer_2_2": {
        "the plain reciprocal 1 / n": '''
def answer_2_2():
    return 1 / 20
''',
        "N / n without the K": '''
def answer_2_2():
    return 1000 / 20
''',
        "upside down (K n / N)": '''
def answer_2_2():
    return 10 * 20 / 1000
''',
        "a string": '''
def answer_2_2():
    return "5"
''',
        # red team 2026-12-03
        'the frequency n / N': '''
def answer_2_2():
    return 20 / 1000
''',
        'the digit 7 taken as its count': '''
def answer_2_2():
    return 1000 / (10 * 7)
''',
        'a 0-d tensor': '''
def answer_2_2():
    return torch.tensor(1000 / (10 * 20))
''',
    },
    "answer_9_1": {
        "the test set was used": '''
def answer_9_1():
    return "a"
''',
        "restore kept the last epoch": '''
def answer_9_1():
    return "b"
''',
        "early stopping is always worse": '''
def answer_9_1():
    return "c"
''',
        # red team 2026-12-03
        'two letters': '''
def answer_9_1():
    return "b, d"
''',
        'a list': '''
def answer_9_1():
    return ["d"]
''',
        'the index of d': '''
def answer_9_1():
    return 3
''',
    },
})

RIGHT.update({
    "answer_2_2": {
        "an int": '''
def answer_2_2():
    return 5
''',
        "a tensor's item": '''
def answer_2_2():
    counts = torch.full((10,), 20.0)
    return (1000 / (10 * counts))[7].item()
''',
    },
    "answer_9_1": {
        "upper case": '''
def answer_9_1():
    return "D"
''',
    },
})

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "weights applied only in the reductions ('none' unweighted)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    if reduction == "none":
        return nll
    if reduction == "sum":
        return (w * nll).sum()
    return (w * nll).sum() / w.sum()
''',
    "logsumexp without keepdim (a square batch broadcasts silently)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = logits - torch.logsumexp(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
    "torch._C._nn.nll_loss (the ATen binding of F.nll_loss)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    return torch._C._nn.nll_loss(F.log_softmax(logits, dim=1), target, weight,
                                 {"none": 0, "mean": 1, "sum": 2}[reduction], -100)
''',
    "one-hot rows from torch.eye(K)[target] (made on the CPU, float32)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    t = torch.eye(logits.shape[1])[target]
    alpha = torch.ones(logits.shape[1]) if weight is None else weight
    w = (t * alpha).sum(1)
    loss = -(alpha * t * F.log_softmax(logits, dim=1)).sum(1)
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
    "class weights normalised to sum to 1 first": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else (weight / weight.sum())[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
    "weight normalised in place (changes the caller's weight)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    if weight is None:
        w = torch.ones_like(nll)
    else:
        weight /= weight.sum()          # scale does not matter for the weighted mean...
        w = weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "mean over the last dimension only (right for 1-D logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(-1), "sum": loss.sum()}[reduction]
''',
    "sum over dim 0 only (right for 1-D logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum(0)}[reduction]
''',
    "factor multiplied int(gamma) times (fractional gamma truncated)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce
    for _ in range(int(gamma)):
        loss = loss * (1 - p_t)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
    "reduction passed on to binary_cross_entropy_with_logits": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction=reduction)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss
''',
    "alpha_t from torch.where with Python scalars (float32)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = torch.where(targets > 0.5, alpha, 1 - alpha) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
    "mean divided by len(logits) (the first dimension only)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.sum() / len(logits), "sum": loss.sum()}[reduction]
''',
    "default alpha = 0.75 (the value the notebook trains with)": '''
def focal_loss(logits, targets, alpha=0.75, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
})
WRONG.setdefault("dropout", {}).update({
    "one mask per feature, shared by the whole batch": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x[:1]) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    "mask from torch.randint(0, 2) (always drops half)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.randint_like(x, 0, 2)
        return x * keep / (1.0 - self.p)
''',
    "mask from Python's random module (CPU, not seeded by torch)": _DROPOUT_HEAD + '''
    def forward(self, x):
        import random
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.tensor([random.random() >= self.p for _ in range(x.numel())], dtype=x.dtype).reshape(x.shape)
        return x * keep / (1.0 - self.p)
''',
    "survivors scaled by the fraction actually kept": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / keep.mean().clamp_min(1e-12)
''',
    "eval mode returns x.detach() (no gradient)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x.detach()
        if self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "Bessel factor from x.numel() (right only for one feature)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.numel()
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "weight and bias applied in train mode only": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
''',
    "Bessel factor with integer division n // (n - 1)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * (n // (n - 1)))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "batch variance measured around running_mean": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            var = ((x - self.running_mean) ** 2).mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "best_loss lowered by every lower loss, even one that is no improvement": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_epoch, self.num_bad_epochs = self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        self.best_loss = min(self.best_loss, val_loss)
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "counter reset after signalling a stop": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs >= self.patience:
            self.num_bad_epochs = 0
            return True
        return False
''' + _ES_RESTORE,
    "restore hands the state over and forgets it (best_state = None)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
            self.best_state = None          # free the memory
''',
    "restore rebinds the local name model (nothing loaded)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
            self.best_model = copy.deepcopy(model)
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model = self.best_model
''',
    "a nan loss skipped (not counted as a bad epoch)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if math.isnan(val_loss):
            return False
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "state saved with detach() (shares memory with the live weights)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.detach() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "state saved with .cpu() (no copy when the model is on the CPU)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.cpu() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "weighted mean as mean(w * nll) / mean(w), nll from the diagonal of log_p[:, target]": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -torch.diagonal(F.log_softmax(logits, dim=1)[:, target])
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.mean() / w.mean()
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "-log p_t from F.logsigmoid, p_t = exp(-ce)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = -(targets * F.logsigmoid(logits) + (1 - targets) * F.logsigmoid(-logits))
    loss = ce * (1 - torch.exp(-ce)) ** gamma
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
RIGHT.setdefault("dropout", {}).update({
    "keep where rand < 1 - p, masked_fill": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        drop = torch.rand_like(x) >= 1.0 - self.p
        return x.masked_fill(drop, 0.0) / (1.0 - self.p)
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    "detached statistics, buffers updated in place with add_(alpha=)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            var = ((x - mean) ** 2).mean(0)
            m = self.momentum
            self.running_mean.mul_(1 - m).add_(mean.detach(), alpha=m)
            self.running_var.mul_(1 - m).add_(var.detach() * n / (n - 1), alpha=m)
        else:
            mean, var = self.running_mean, self.running_var
        return self.weight * (x - mean) / (var + self.eps).sqrt() + self.bias
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "state copied tensor by tensor with clone(), restored from a deep copy": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        loss = float(val_loss)
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = loss, self.epoch, 0
            self.best_state = {k: v.clone() for k, v in model.state_dict().items()}
            return False
        self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(copy.deepcopy(self.best_state))
''',
})

# ---- red team, round 4 (2026-12-04) ----
WRONG.setdefault("dropout", {}).update({
    "mask from a private torch.Generator (torch.manual_seed does not control it)": _DROPOUT_HEAD + '''
    _generator = torch.Generator().manual_seed(1234)     # one stream for every Dropout: "reproducible"

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        u = torch.rand(x.shape, generator=Dropout._generator, dtype=x.dtype).to(x.device)
        return x * (u >= self.p).to(x.dtype) / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "eval mode: weight and bias detached (no gradient to them in eval mode)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        # eval mode: nothing is trained, so the affine parameters are constants here
        x_hat = (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
        return x_hat * self.weight.detach() + self.bias.detach()
''',
    "eval mode: running statistics used, bias forgotten (only the scale)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "stop flag latched: True forever once set, even after an improvement": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        self.stopped = getattr(self, "stopped", False) or self.num_bad_epochs >= self.patience
        return self.stopped
''' + _ES_RESTORE,
    "frozen once stopped: later calls return True without recording their epoch": _ES_HEAD + '''
    def step(self, val_loss, model):
        if self.num_bad_epochs >= self.patience:
            return True                      # already told the caller to stop
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "weight None: per-example weights 1 / B (mean folded into the weights)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.full_like(nll, 1.0 / len(target)) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "signed logit: log p_t = logsigmoid((2t - 1) z)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    signed = (2 * targets - 1) * logits
    log_p_t = F.logsigmoid(signed)
    loss = -torch.sigmoid(-signed) ** gamma * log_p_t
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("dropout", {}).update({
    # tried as RIGHT: autograd differentiates the mask through x and raises (no derivative for aten::bernoulli)
    "torch.bernoulli(x, 1 - p): a mask drawn from x itself (backward raises)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        return x * torch.bernoulli(x, 1.0 - self.p) / (1.0 - self.p)
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "improvement as val_loss + min_delta < best_loss, state through io.BytesIO": _ES_HEAD + '''
    def step(self, val_loss, model):
        import io
        self.epoch += 1
        loss = float(val_loss)
        if loss + self.min_delta < self.best_loss:
            self.best_loss, self.best_epoch, self.num_bad_epochs = loss, self.epoch, 0
            buffer = io.BytesIO()
            torch.save(model.state_dict(), buffer)
            buffer.seek(0)
            self.best_state = torch.load(buffer)
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})

# ---- red team, round 6 (2026-12-04) ----
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "squeeze() without a dim (a batch of one gives a 0-d 'none')": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze()
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "p_t recovered from the alpha-weighted cross-entropy (exp(-alpha_t * ce))": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    alpha_t = alpha * targets + (1 - alpha) * (1 - targets) if alpha >= 0 else None
    ce = F.binary_cross_entropy_with_logits(logits, targets, weight=alpha_t, reduction="none")
    p_t = torch.exp(-ce)
    loss = ce * (1 - p_t) ** gamma
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
})
WRONG.setdefault("dropout", {}).update({
    "exactly round(p * n) entries dropped (a randperm, not independent draws)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        n = x.numel()
        drop = torch.randperm(n, device=x.device)[:round(self.p * n)]
        keep = torch.ones(n, dtype=x.dtype, device=x.device)
        keep[drop] = 0
        return x * keep.reshape(x.shape) / (1.0 - self.p)
''',
    "mask from torch.randint(0, 100) (p rounded to a whole percent)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.randint(0, 100, x.shape, device=x.device) >= 100 * self.p
        return x * keep.to(x.dtype) / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "batch mean detached (the variance keeps its graph)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0).detach()
            var = ((x - mean) ** 2).mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "momentum flipped for the variance only": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "a nan loss stops at once (divergence)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if math.isnan(val_loss):
            self.num_bad_epochs += 1
            return True
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("answer_2_2", {}).update({
    "N / (K + n) (a sum for a product)": '''
def answer_2_2():
    return 1000 / (10 + 20)
''',
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "weighted mean's denominator from the class counts (bincount . weight)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    K = logits.shape[1]
    nll = torch.logsumexp(logits, dim=1) - logits.gather(1, target[:, None])[:, 0]
    alpha = torch.ones(K, dtype=logits.dtype, device=logits.device) if weight is None else weight
    loss = alpha[target] * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    counts = torch.bincount(target, minlength=K).to(logits.dtype)
    return loss.sum() / (counts * alpha).sum()
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "1 - p_t written directly as p (1 - t) + (1 - p) t": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    miss = p * (1 - targets) + (1 - p) * targets                 # 1 - p_t
    loss = ce * miss ** gamma
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    "unbiased x.var(0) for the buffer, rescaled by (n - 1) / n to normalise": _BN_HEAD + '''
    def forward(self, x):
        if not self.training:
            return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
        n = x.shape[0]
        unbiased = x.var(0)
        with torch.no_grad():
            self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
            self.running_var.mul_(1 - self.momentum).add_(self.momentum * unbiased)
        return (x - x.mean(0)) / torch.sqrt(unbiased * (n - 1) / n + self.eps) * self.weight + self.bias
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "num_bad_epochs as epoch - best_epoch": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        loss = float(val_loss)
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch = loss, self.epoch
            self.best_state = copy.deepcopy(model.state_dict())
        self.num_bad_epochs = self.epoch - self.best_epoch
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("dropout", {}).update({
    "survivors multiplied by 1 - p instead of divided": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep * (1.0 - self.p)
''',
})
WARNED.setdefault("dropout", []).append("survivors multiplied by 1 - p instead of divided")
WRONG.setdefault("batchnorm", {}).update({
    "Bessel factor n / (n - 1) applied to the running mean too": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                c = n / (n - 1)
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean * c)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * c)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})

# red team 7b, 2026-12-04
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "nll_loss through its Python decomposition (torch._decomp)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    import torch._decomp.decompositions as _decomp
    log_p = F.log_softmax(logits, dim=1)
    red = {"none": 0, "mean": 1, "sum": 2}[reduction]
    return _decomp.nll_loss_forward(log_p, target, weight, red, -100)[0]
''',
    "nll_loss through its Python reference (torch._refs)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    from torch._refs.nn.functional import nll_loss
    return nll_loss(F.log_softmax(logits, dim=1), target, weight, reduction=reduction)
''',
})
WRONG.setdefault("dropout", {}).update({
    "one coin per feature map for inputs of more than 2 dims (Dropout2d)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        shape = tuple(x.shape[:2]) + (1,) * (x.dim() - 2)     # [B, C, 1, 1]: a channel kept or dropped whole
        keep = (torch.rand(shape, dtype=x.dtype, device=x.device) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    "torch._refs.nn.functional.dropout (a built-in dropout's Python reference)": _DROPOUT_HEAD + '''
    def forward(self, x):
        from torch._refs.nn.functional import dropout
        return dropout(x, self.p, self.training)
''',
    "native_dropout's Python decomposition (torch._decomp)": _DROPOUT_HEAD + '''
    def forward(self, x):
        import torch._decomp.decompositions as _decomp
        return _decomp.native_dropout(x, self.p, self.training)[0]
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "buffers updated between torch.set_grad_enabled(False) and (True) plain calls": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, correction=0)
            torch.set_grad_enabled(False)              # no gradient into the buffers
            m = self.momentum
            self.running_mean.mul_(1 - m).add_(m * mean)
            self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
            torch.set_grad_enabled(True)
        else:
            mean, var = self.running_mean, self.running_var
        x_hat = (x - mean) / torch.sqrt(var + self.eps)
        return x_hat * self.weight + self.bias
''',
    "native_batch_norm's Python decomposition (torch._decomp)": _BN_HEAD + '''
    def forward(self, x):
        import torch._decomp.decompositions as _decomp
        if self.training:
            with torch.no_grad():
                rm, rv = self.running_mean.clone(), self.running_var.clone()
            out = _decomp.native_batch_norm(x, self.weight, self.bias, rm, rv, True, self.momentum, self.eps)[0]
            with torch.no_grad():
                self.running_mean.copy_(rm)
                self.running_var.copy_(rv)
            return out
        return _decomp.native_batch_norm(x, self.weight, self.bias, self.running_mean, self.running_var,
                                         False, self.momentum, self.eps)[0]
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "only tensors converted (.item()): an int loss stays an int best_loss": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        if isinstance(val_loss, torch.Tensor):
            val_loss = val_loss.item()
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "restore() also switches the model to eval mode": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
        model.eval()                  # training is over: the restored model is ready to evaluate
''',
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "per-example -log p from F.kl_div against one-hot targets": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    onehot = F.one_hot(target, num_classes=logits.shape[1]).to(logits.dtype)
    nll = F.kl_div(log_p, onehot, reduction="none").sum(dim=1)          # KL(onehot || p) = -log p_y
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / w.sum()
    raise ValueError(reduction)
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    "variance around the detached batch mean (its gradient path is zero anyway)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            var = ((x - mean.detach()) ** 2).mean(0)
            with torch.no_grad():
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * (n / (n - 1)), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias
''',
})
RIGHT.setdefault("dropout", {}).update({
    "mask from empty_like(x).uniform_() < 1 - p": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        keep = torch.empty_like(x).uniform_() < 1 - self.p
        return torch.where(keep, x / (1 - self.p), torch.zeros_like(x))
''',
})
WARNED.setdefault("weighted_cross_entropy", []).extend([
    "nll_loss through its Python decomposition (torch._decomp)", "nll_loss through its Python reference (torch._refs)"])
WARNED.setdefault("dropout", []).extend([
    "torch._refs.nn.functional.dropout (a built-in dropout's Python reference)",
    "native_dropout's Python decomposition (torch._decomp)"])
WARNED.setdefault("batchnorm", []).append("native_batch_norm's Python decomposition (torch._decomp)")
# red team 7b, second round (after the measurement)
WRONG.setdefault("dropout", {}).update({
    "_fused_dropout's Python decomposition (torch._decomp), p = 1 handled": _DROPOUT_HEAD + '''
    def forward(self, x):
        import torch._decomp.decompositions as _decomp
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        return _decomp._fused_dropout_decomposition(x, 1.0 - self.p)[0]
''',
})
WARNED.setdefault("dropout", []).append("_fused_dropout's Python decomposition (torch._decomp), p = 1 handled")

# red team 7j, 2026-12-04
WRONG.setdefault("focal_loss", {}).update({
    "alpha < 0: alpha_t = torch.ones(logits.shape) (made on the CPU)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    if alpha < 0:
        alpha_t = torch.ones(logits.shape, dtype=logits.dtype)        # no weighting: a factor of 1 everywhere
    else:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    loss = alpha_t * ce * (1 - p_t) ** gamma
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
    "gamma = 0: modulating factor torch.ones(logits.shape) (made on the CPU)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    if gamma == 0:
        factor = torch.ones(logits.shape, dtype=logits.dtype)         # (1 - p_t) ** 0 = 1: skip the power
    else:
        factor = (1 - p_t) ** gamma
    loss = ce * factor
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
})
WRONG.setdefault("dropout", {}).update({
    "p = 1 returns torch.zeros(x.shape, dtype=x.dtype) (made on the CPU)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros(x.shape, dtype=x.dtype)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    "no dropping under torch.no_grad() (train mode taken as inference)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or not torch.is_grad_enabled() or self.p == 0.0:
            return x                       # eval mode, or no gradients wanted: inference
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    "mask from torch.rand(*x.shape) (fails for a 0-d input)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand(*x.shape, dtype=x.dtype, device=x.device) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "running statistics updated only when autograd is on (not under no_grad)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            if torch.is_grad_enabled():           # a training step, not an evaluation
                with torch.no_grad():
                    self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                    self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "train mode under no_grad normalises with the running statistics (taken as eval)": _BN_HEAD + '''
    def forward(self, x):
        if self.training and torch.is_grad_enabled():
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "best weights in one checkpoint file shared by every EarlyStopping (pytorchtools style)": _ES_HEAD + '''
    def step(self, val_loss, model):
        import os, tempfile
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
            torch.save(model.state_dict(), os.path.join(tempfile.gettempdir(), "rt7j_checkpoint.pt"))
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        import os, tempfile
        if self.best_state is not None:
            model.load_state_dict(torch.load(os.path.join(tempfile.gettempdir(), "rt7j_checkpoint.pt")))
''',
})
# dropped: "weighted mean's denominator clamped (an empty batch gives 0, not nan)": the text says nothing about an
# empty batch, and a test demanding F.cross_entropy's nan there would reject a defensive, otherwise right answer
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "torch.distributions.Categorical(logits=...).log_prob": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -torch.distributions.Categorical(logits=logits).log_prob(target)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
    "log-sum-exp by hand, shifted by the detached row max": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    m = logits.max(dim=1, keepdim=True).values.detach()          # [B, 1]: exp never overflows
    lse = m.squeeze(1) + (logits - m).exp().sum(dim=1).log()     # [B]
    nll = lse - logits.gather(1, target.unsqueeze(1)).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})
RIGHT.setdefault("dropout", {}).update({
    "normal draws below the p-quantile (torch.randn_like)": _DROPOUT_HEAD + '''
    def forward(self, x):
        import statistics
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        threshold = statistics.NormalDist().inv_cdf(self.p)       # P(N(0, 1) < threshold) = p
        drop = torch.randn_like(x) < threshold
        return x.masked_fill(drop, 0.0) / (1 - self.p)
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "best state kept on the CPU (detach().cpu().clone())": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        loss = float(val_loss)
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = loss, self.epoch, 0
            self.best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
''',
})

# ---- red team, round 9 (2026-12-04) ----
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "weighted mean's denominator clamped (an empty batch gives 0, not nan)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum().clamp_min(1e-12)       # "never divide by zero"
''',
    "nll_loss2d through torch.ops.aten (logits viewed as [B, K, 1, 1])": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)[:, :, None, None]
    red = {"none": 0, "mean": 1, "sum": 2}[reduction]
    out, _ = torch.ops.aten.nll_loss2d_forward(log_p, target[:, None, None], weight, red, -100)
    return out.reshape(-1) if reduction == "none" else out
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "gamma as a float32 tensor (torch.tensor(gamma) rounds 0.1)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    gamma = torch.tensor(gamma, device=logits.device)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * torch.pow(1 - p_t, gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": lambda: loss, "mean": loss.mean, "sum": loss.sum}[reduction]()
''',
    "modulating factor detached (treated as a constant weight)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    with torch.no_grad():
        p = torch.sigmoid(logits)
        factor = (1 - (p * targets + (1 - p) * (1 - targets))) ** gamma
    loss = factor * ce
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return {"none": lambda: loss, "mean": loss.mean, "sum": loss.sum}[reduction]()
''',
    "mean divided by the number of positives (RetinaNet's normaliser)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.sum() / targets.sum().clamp_min(1)
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "momentum 0 replaced by the default (self.momentum or 0.1)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            m = self.momentum or 0.1
            with torch.no_grad():
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "train-mode normalisation by F.layer_norm over x.T (a library normaliser)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * x.mean(0))
                self.running_var.mul_(1 - m).add_(m * x.var(0))
            x_hat = F.layer_norm(x.T, (n,), eps=self.eps).T          # each feature over the batch, biased variance
            return x_hat * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    "train-mode normalisation by F.instance_norm over x.T[None]": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * x.mean(0))
                self.running_var.mul_(1 - m).add_(m * x.var(0))
            return F.instance_norm(x.T[None], weight=self.weight, bias=self.bias, eps=self.eps)[0].T
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "restore with load_state_dict(assign=True) (the model takes over the saved tensors)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state, assign=True)
''',
    "relative min_delta (val_loss < best_loss * (1 - min_delta))": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss * (1 - self.min_delta):
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "restore() also resets num_bad_epochs (a fresh patience after rolling back)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
            self.num_bad_epochs = 0
''',
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "computed in float64, cast back to the logits' dtype": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    z = logits.double()
    nll = torch.logsumexp(z, dim=1) - z[torch.arange(len(target), device=z.device), target]
    w = torch.ones_like(nll) if weight is None else weight.double()[target]
    loss = w * nll
    out = {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
    return out.to(logits.dtype)
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "alpha_t as alpha**t * (1 - alpha)**(1 - t), p_t from logsigmoid": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    log_p_t = targets * F.logsigmoid(logits) + (1 - targets) * F.logsigmoid(-logits)
    loss = -(1 - log_p_t.exp()) ** gamma * log_p_t
    if alpha >= 0:
        loss = alpha ** targets * (1 - alpha) ** (1 - targets) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
RIGHT.setdefault("dropout", {}).update({
    "mask from torch.distributions.Bernoulli": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        keep = torch.distributions.Bernoulli(probs=torch.full_like(x, 1 - self.p)).sample()
        return x * keep / (1 - self.p)
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    "buffers updated with lerp_, statistics from torch.var_mean": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            var, mean = torch.var_mean(x, dim=0, correction=0)
            n = x.shape[0]
            with torch.no_grad():
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(var * (n / (n - 1)), self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias
''',
})
# the exercise text now puts the other library normalisers off limits: the visible test's guard catches this one
WARNED.setdefault("batchnorm", []).append("train-mode normalisation by F.layer_norm over x.T (a library normaliser)")

# ---- red-team pass 10 (reviewer c) ----
_R10_FOCAL_TAIL = '''
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction)
'''
WRONG.setdefault("focal_loss", {}).update({
    "modulating factor's base clamped at 1e-8 (for the gradient of gamma < 1)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t).clamp_min(1e-8) ** gamma         # 0 ** gamma has an infinite slope for gamma < 1
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
''' + _R10_FOCAL_TAIL,
    "1e-12 added to the modulating factor's base": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t + 1e-12) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
''' + _R10_FOCAL_TAIL,
})
WRONG.setdefault("dropout", {}).update({
    "mask drawn before the mode check (eval mode uses the global RNG)": _DROPOUT_HEAD + '''
    def forward(self, x):
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "eps added to the batch variance before the running update": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, correction=0) + self.eps
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var) * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "min_delta: weights saved at every lower loss (best_state not at best_epoch)": _ES_HEAD + '''
        self._lowest = float("inf")

    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < getattr(self, "_lowest", float("inf")):
            self._lowest = val_loss
            self.best_state = copy.deepcopy(model.state_dict())     # the lowest loss so far: keep its weights
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "weights re-saved on a tie (<=), counters strict (<)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss <= self.best_loss - self.min_delta:
            self.best_state = copy.deepcopy(model.state_dict())     # as good as the best: keep the newer weights
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "best state kept as float32 copies on the CPU (.cpu().float().clone())": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.detach().cpu().float().clone() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "restore() loads into the model step() saw, not its argument": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        self.model = model
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            self.model.load_state_dict(self.best_state)
''',
    "restore() skipped when the best epoch is the last (model assumed to hold it)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None and self.best_epoch != self.epoch:
            model.load_state_dict(self.best_state)
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "alpha_t and 1 - p_t by torch.lerp": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    one_minus_p_t = torch.lerp(p, 1 - p, targets)                  # p where t = 0, 1 - p where t = 1
    loss = ce * one_minus_p_t.pow(gamma)
    if alpha >= 0:
        loss = loss * torch.lerp(torch.full_like(p, 1 - alpha), torch.full_like(p, alpha), targets)
''' + _R10_FOCAL_TAIL,
})
RIGHT.setdefault("early_stopping", {}).update({
    "improvement as best_loss - val_loss > min_delta": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if self.best_loss - val_loss > self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("dropout", {}).update({
    "exponential draws: keep where E > -log(1 - p)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        keep = torch.empty_like(x).exponential_() > -math.log1p(-self.p)   # P(E > t) = exp(-t) = 1 - p
        return torch.where(keep, x / (1 - self.p), torch.zeros_like(x))
''',
})
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "log-sum-exp by hand: row max detached inside the exp only (extra gradient at the argmax)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    m = logits.max(dim=1).values                                   # [B]
    lse = m + (logits - m.detach()[:, None]).exp().sum(1).log()   # value right, slope of m counted once too often
    nll = lse - logits.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})
# the exercise text and docstring now say eval mode draws no random numbers: the visible test's rng guard catches it
WARNED.setdefault("dropout", []).append("mask drawn before the mode check (eval mode uses the global RNG)")

# red team 11, 2026-12-04
_R11_FOCAL_TAIL = '''
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction)
'''
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "stability shift by each column's max (max over dim 0), not each row's": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    z = logits - logits.max(dim=0, keepdim=True).values
    log_p = z - torch.log(torch.exp(z).sum(dim=1, keepdim=True))
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    return {"none": loss, "sum": loss.sum(), "mean": loss.sum() / w.sum()}[reduction]
''',
    "weighted mean divided by the weights of the classes present (each counted once)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    denom = len(target) if weight is None else weight[target.unique()].sum()
    return loss.sum() / denom
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "stable BCE by hand: z.clamp(min=0) - z t + log1p(exp(-|z|)) (wrong slope at a logit of exactly 0)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = logits.clamp(min=0) - logits * targets + torch.log1p(torch.exp(-logits.abs()))   # the textbook stable BCE
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
''' + _R11_FOCAL_TAIL,
    "stable BCE piecewise by torch.where on the sign of z (nan gradient at large logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    z, t = logits, targets
    ce = torch.where(z >= 0, z * (1 - t) + torch.log1p(torch.exp(-z)), -z * t + torch.log1p(torch.exp(z)))
    p = torch.sigmoid(z)
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
''' + _R11_FOCAL_TAIL,
    "gamma = 0 short-cut to the plain binary cross-entropy (alpha dropped)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    if gamma == 0:
        loss = ce                                                # no focusing: just the cross-entropy
    else:
        p = torch.sigmoid(logits)
        p_t = p * targets + (1 - p) * (1 - targets)
        loss = ce * (1 - p_t) ** gamma
        if alpha >= 0:
            loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
''' + _R11_FOCAL_TAIL,
})
WRONG.setdefault("dropout", {}).update({
    "survivors scaled by 1 / (1 - p + 1e-8) (an epsilon against p = 1)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p + 1e-8)
''',
    "torch.ops.aten.dropout (the ATen operator through torch.ops)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        return torch.ops.aten.dropout(x, self.p, True)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "Bessel correction upside down: biased variance times (n - 1) / n for the buffer": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * (n - 1) / n)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "first training step copies the batch statistics into the buffers (warm start)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                if not getattr(self, "_started", False):      # start the averages from the first batch
                    self.running_mean.copy_(mean)
                    self.running_var.copy_(var * n / (n - 1))
                    self._started = True
                else:
                    m = self.momentum
                    self.running_mean.mul_(1 - m).add_(m * mean)
                    self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "restore() rolls the epoch counter back to best_epoch": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
            self.epoch = self.best_epoch
''',
    "restore() also clears the model's gradients (model.zero_grad())": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
            model.zero_grad()                       # a clean start from the best weights
''',
    "val_loss rounded to 4 decimals (smaller improvements lost, best_loss not the loss)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = round(float(val_loss), 4)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("focal_loss", {}).update({
    "stable BCE by hand with torch.maximum(z, 0) (maximum splits the slope at the tie)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    z, t = logits, targets
    ce = torch.maximum(z, torch.zeros_like(z)) - z * t + torch.log1p(torch.exp(-z.abs()))
    p = torch.sigmoid(z)
    loss = ce * (p * (1 - t) + (1 - p) * t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
''' + _R11_FOCAL_TAIL,
})
RIGHT.setdefault("early_stopping", {}).update({
    "restore() copies tensor by tensor into the live state_dict (copy_ under no_grad)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is None:
            return
        live = model.state_dict()
        with torch.no_grad():
            for k, v in self.best_state.items():
                live[k].copy_(v)
''',
})
RIGHT.setdefault("dropout", {}).update({
    "mask from torch.rand(x.shape, dtype=x.dtype, device=x.device)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        if self.p == 1:
            return torch.zeros_like(x)
        keep = torch.rand(x.shape, dtype=x.dtype, device=x.device) < 1 - self.p
        return x * keep / (1 - self.p)
''',
})
# red team 11, 2026-12-04, second batch (written after the first fixes)
WRONG.setdefault("batchnorm", {}).update({
    "batch variance detached in the normalisation (the mean keeps its graph)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0).detach()
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "step() loads the best weights back itself when it signals a stop": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        stop = self.num_bad_epochs >= self.patience
        if stop:
            model.load_state_dict(self.best_state)             # roll back at once
        return stop
''' + _ES_RESTORE,
})
# red team 12, 2026-12-04
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "sum and mean kept as 1-element tensors (sum(0, keepdim=True))": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum(0, keepdim=True)
    return loss.sum(0, keepdim=True) / w.sum(0, keepdim=True)
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "mean with the count clamped at 1 (an empty input gives 0, not nan)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.sum() / max(loss.numel(), 1)        # no division by zero
    return loss.sum() if reduction == "sum" else loss
''',
    "targets flattened with view (fails for non-contiguous targets)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    z, t = logits.reshape(-1), targets.view(-1)
    p = torch.sigmoid(z)
    ce = F.binary_cross_entropy_with_logits(z, t, reduction="none")
    p_t = p * t + (1 - p) * (1 - t)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * t + (1 - alpha) * (1 - t)) * loss
    loss = loss.reshape(logits.shape)
    return {"none": loss, "mean": loss.mean(), "sum": loss.sum()}[reduction]
''',
    "an empty input's mean taken as 0 (guarded: if loss.numel() == 0)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = torch.exp(-ce)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean() if loss.numel() > 0 else loss.sum()
    return loss.sum() if reduction == "sum" else loss
''',
})
WRONG.setdefault("batchnorm", {}).update({
    "eval mode: 1/sqrt(running_var + eps) cached at the first eval call (stale after more training)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        if getattr(self, "_inv_std", None) is None:          # inference constants, computed once
            self._inv_std = torch.rsqrt(self.running_var + self.eps)
        return (x - self.running_mean) * self._inv_std * self.weight + self.bias
''',
    "eval mode: running statistics snapshot taken at the first eval call": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            if not hasattr(self, "_frozen"):
                self._frozen = (self.running_mean.clone(), self.running_var.clone())
            mean, var = self._frozen
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "never stops at epoch 0 (Keras-style epoch > 0 guard)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.epoch > 0 and self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "no stop before the first improvement (nothing to restore yet)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.best_state is not None and self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "a nan loss resets best_loss to inf (the next loss always improves)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if math.isnan(val_loss):                     # diverged: forget the old best
            self.best_loss = float("inf")
            self.num_bad_epochs += 1
        elif val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("dropout", {}).update({
    "p = 1 returns x.new_zeros(()) (a 0-d zero, not the shape of x)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return x.new_zeros(())
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("answer_2_2", {}).update({
    "N / K * n_7 (left-to-right precedence)": '''
def answer_2_2():
    return 1000 / 10 * 20
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "mean as sum / numel (nan for an empty input, as torch's mean)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    log_p_t = F.logsigmoid(torch.where(targets > 0.5, logits, -logits))
    loss = -(1 - log_p_t.exp()) ** gamma * log_p_t
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    if reduction == "mean":
        return loss.sum() / loss.numel()
    return loss.sum() if reduction == "sum" else loss
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    "eval mode folded into one scale and shift per call": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        scale = self.weight * torch.rsqrt(self.running_var + self.eps)
        return (x - self.running_mean) * scale + self.bias
''',
})
# red team 12, 2026-12-04, second batch (written after the first fixes)
WRONG.setdefault("batchnorm", {}).update({
    "Bessel factor n / (n - 1) cached from the first training batch (stale when the batch size changes)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            if not hasattr(self, "_bessel"):
                n = x.shape[0]
                self._bessel = n / (n - 1)
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * self._bessel)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})


# red team 13, 2026-12-05 (written before any test change; measured: see the report)
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "target entries picked by a flat index into log_p.view(-1) (fails for column-major logits)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    B, K = logits.shape
    nll = -log_p.view(-1)[torch.arange(B, device=logits.device) * K + target]
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
    "log-probabilities in float64 for stability, not cast back": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits.double(), dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight.double()[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "mean divided by the sum of alpha_t (the weighted cross-entropy's convention)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    alpha_t = torch.ones_like(loss)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
    loss = alpha_t * loss
    if reduction == "mean":
        return loss.sum() / alpha_t.sum()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
    "sigmoid written out as 1 / (1 + exp(-z)) (nan gradient for very negative logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = 1 / (1 + torch.exp(-logits))
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("dropout", {}).update({
    "global generator reseeded from the clock on every call (torch.manual_seed no longer controls the mask)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        import time
        torch.manual_seed(time.time_ns() % (2 ** 63))
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "improvement needs a float tolerance beyond min_delta (val_loss < best_loss - min_delta - 1e-8)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta - 1e-8:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "an improvement of at least min_delta counts (best_loss - val_loss >= min_delta; strict only for min_delta = 0)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if self.min_delta > 0:
            improved = self.best_loss - val_loss >= self.min_delta
        else:
            improved = val_loss < self.best_loss
        if improved:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "weights saved at the first step even without an improvement (so restore() always has some)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
            if self.best_state is None:
                self.best_state = copy.deepcopy(model.state_dict())
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    "only a loss above the best counts as bad (a lower one within min_delta is neutral)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        elif not val_loss < self.best_loss:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("batchnorm", {}).update({
    "statistics and normalisation in float64, cast back to x's dtype": _BN_HEAD + '''
    def forward(self, x):
        xd = x.double()
        if self.training:
            n = x.shape[0]
            mean, var = xd.mean(0), xd.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean.double(), self.running_var.double()
        y = (xd - mean) / torch.sqrt(var + self.eps) * self.weight.double() + self.bias.double()
        return y.to(x.dtype)
''',
    "buffers updated under torch.inference_mode()": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.inference_mode():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "deep copy of state_dict(keep_vars=True) (parameters copied as Parameters)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if self.best_loss - val_loss > self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict(keep_vars=True))
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})

# written as a wrong answer (it fails only for an empty batch), then withdrawn: an empty batch is outside the contract
# (see the note on the dropped clamped-denominator answer above; the docstring now says B >= 1), so it is right
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "per-example losses in a Python loop joined by torch.stack": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    losses, weights = [], []
    for i in range(len(target)):
        t = target[i]
        log_p = logits[i] - torch.logsumexp(logits[i], dim=0)
        w = logits.new_ones(()) if weight is None else weight[t]
        losses.append(-w * log_p[t])
        weights.append(w)
    loss = torch.stack(losses)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / torch.stack(weights).sum()
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "best weights copied through model.cpu() (moves the caller's model to the CPU)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.cpu().state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "nll as logsumexp minus the target logit, weighted sum by torch.dot": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    z_t = logits.gather(1, target.unsqueeze(1)).squeeze(1)
    nll = torch.logsumexp(logits, dim=1) - z_t
    w = logits.new_ones(logits.shape[1])[target] if weight is None else weight[target]
    if reduction == "none":
        return w * nll
    total = torch.dot(w, nll)
    return total if reduction == "sum" else total / w.sum()
''',
})
RIGHT.setdefault("focal_loss", {}).update({
    "1 - p_t as sigmoid(-s z) with the signed logit s z, p_t never formed": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    s = 2 * targets - 1
    q = torch.sigmoid(-s * logits)
    loss = F.softplus(-s * logits) * q ** gamma
    if alpha >= 0:
        loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    return {"none": loss, "sum": loss.sum(), "mean": loss.mean()}[reduction]
''',
})
# red team 13, 2026-12-05, second batch (written after the first fixes)
WRONG.setdefault("early_stopping", {}).update({
    "restore() switches autograd off with a plain torch.set_grad_enabled(False) call (left off)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        torch.set_grad_enabled(False)
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
''',
    "step() copies the weights after a plain torch.set_grad_enabled(False) call (left off)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            torch.set_grad_enabled(False)
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("early_stopping", {}).update({
    "state copied under torch.no_grad(), restore() decorated with @torch.no_grad()": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            with torch.no_grad():
                self.best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    @torch.no_grad()
    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(self.best_state)
''',
})
# red team 13, 2026-12-05, third batch: batch norm's other library kernels (the text: "and its relatives")
WRONG.setdefault("batchnorm", {}).update({
    "train mode by torch.ops.aten._batch_norm_with_update (a private batch-norm kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            return torch.ops.aten._batch_norm_with_update(x, self.weight, self.bias, self.running_mean, self.running_var,
                                                          self.momentum, self.eps)[0]
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    "running statistics by torch.batch_norm_update_stats (a library kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                torch.batch_norm_update_stats(x.detach(), self.running_mean, self.running_var, self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    "eval mode by torch.ops.aten._batch_norm_no_update (a private batch-norm kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        return torch.ops.aten._batch_norm_no_update(x, self.weight, self.bias, self.running_mean, self.running_var,
                                                    0.0, self.eps)[0]
''',
})
WARNED.setdefault("batchnorm", []).extend([
    'train mode by torch.ops.aten._batch_norm_with_update (a private batch-norm kernel)',
    'running statistics by torch.batch_norm_update_stats (a library kernel)',
    'eval mode by torch.ops.aten._batch_norm_no_update (a private batch-norm kernel)',
])
WRONG.setdefault("batchnorm", {}).update({
    "train-mode normalisation by F.rms_norm of the centred x.T (a library normaliser)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
            x_hat = F.rms_norm((x - mean).T, (n,), eps=self.eps).T
            return x_hat * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    "train-mode normalisation by torch.ops.aten._fused_rms_norm of the centred x.T": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
            x_hat = torch.ops.aten._fused_rms_norm((x - mean).T.contiguous(), [n], None, self.eps)[0].T
            return x_hat * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WARNED.setdefault("batchnorm", []).extend([
    'train-mode normalisation by F.rms_norm of the centred x.T (a library normaliser)',
    'train-mode normalisation by torch.ops.aten._fused_rms_norm of the centred x.T',
])
# red team 14, 2026-12-05
WRONG.setdefault("batchnorm", {}).update({
    "train-mode normalisation by torch.native_group_norm of x.T[None] (group norm's kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n, c = x.shape
            mean = x.mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
            x_hat = torch.native_group_norm(x.T.contiguous()[None], None, None, 1, c, n, c, self.eps)[0][0].T
            return x_hat * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    "train-mode normalisation by torch.ops.aten.native_group_norm (group norm's ATen kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n, c = x.shape
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
            out = torch.ops.aten.native_group_norm.default(x.T.contiguous().unsqueeze(0), self.weight, self.bias,
                                                           1, c, n, c, self.eps)[0]
            return out[0].T
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    "train-mode normalisation by torch.native_layer_norm of x.T (layer norm's kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * x.mean(0))
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * x.var(0))
            x_hat = torch.native_layer_norm(x.T, [n], None, None, self.eps)[0].T
            return x_hat * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    "step() returns None, not False, while training should go on": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        if self.num_bad_epochs >= self.patience:
            return True
''' + _ES_RESTORE,
})
WRONG.setdefault("weighted_cross_entropy", {}).update({
    "per-example weights gathered in a Python loop into torch.tensor (CPU, float32)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    if weight is None:
        w = torch.ones_like(nll)
    else:
        w = torch.tensor([weight[t].item() for t in target])
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})
WRONG.setdefault("focal_loss", {}).update({
    "cross-entropy clamped at 100 like nn.BCELoss (ce.clamp(max=100))": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none").clamp(max=100.0)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("dropout", {}).update({
    "p = 0 in train mode returns x.detach() (nothing to drop, no graph)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        if self.p == 0.0:
            return x.detach()
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
RIGHT.setdefault("early_stopping", {}).update({
    "Keras-style: returns False at once on an improvement, checks patience only on a bad epoch": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
            return False
        self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
RIGHT.setdefault("weighted_cross_entropy", {}).update({
    "weighted mean as the sum of nll times normalised weights (w / w.sum())": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    if reduction == "mean":
        return (w / w.sum() * nll).sum()
    loss = w * nll
    return loss if reduction == "none" else loss.sum()
''',
})
WARNED.setdefault("batchnorm", []).extend([
    "train-mode normalisation by torch.native_group_norm of x.T[None] (group norm's kernel)",
    "train-mode normalisation by torch.ops.aten.native_group_norm (group norm's ATen kernel)",
])
# red team 15, 2026-12-05 (reviewer C; written before any test change)
WRONG.setdefault("dropout", {}).update({
    # red team 15: the mask's uniforms in bfloat16 (to save memory) take only 256 values in [0, 1): p is rounded to
    # a multiple of 1/256 (0.123 drops 12.5 %, 1e-4 drops 0.2 %), not the probability p the text asks for
    "mask drawn in bfloat16 (torch.rand_like(x, dtype=torch.bfloat16): p rounded to 1/256)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.rand_like(x, dtype=torch.bfloat16) >= self.p
        return x * keep / (1.0 - self.p)
''',
    # red team 15: float16 uniforms are multiples of 2**-11: a small p (1e-4) drops 3.5 times too often
    "mask drawn in float16 (torch.rand_like(x, dtype=torch.float16))": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x, dtype=torch.float16) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    # red team 15: integer draws in [0, 1000): p is used only to a tenth of a percent (p = 1e-4 drops 0.1 %)
    "mask from torch.randint(0, 1000) (p rounded to 0.1 %)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.randint_like(x, 0, 1000) >= self.p * 1000
        return x * keep / (1.0 - self.p)
''',
    # red team 15: the survivors' probabilities as a bfloat16 tensor for torch.bernoulli: 1 - p is rounded to bf16
    # (1 - 1e-4 becomes 1.0: nothing is ever dropped)
    "torch.bernoulli of a bfloat16 probability tensor (1 - p rounded)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.bernoulli(torch.full_like(x, 1.0 - self.p, dtype=torch.bfloat16)).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    # red team 15: p = 1 not special-cased; torch.where hides the inf of x / 0 in the forward pass, but the backward
    # pass multiplies the zero gradient of the unselected branch by 1 / 0: the gradient is nan ("no NaN")
    "p = 1 not special-cased: torch.where(keep, x / (1 - p), 0) (nan gradient)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        keep = torch.rand_like(x) >= self.p
        return torch.where(keep, x / (1.0 - self.p), torch.zeros_like(x))
''',
    # red team 15: the same trap through masked_fill after the division: zeros forward, nan gradient for p = 1
    "p = 1 not special-cased: (x / (1 - p)).masked_fill(dropped, 0) (nan gradient)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        dropped = torch.rand_like(x) < self.p
        return (x / (1.0 - self.p)).masked_fill(dropped, 0.0)
''',
    # red team 15: reseeds the global generator on every call from its initial seed and a per-layer call counter:
    # the masks then depend on how often each layer was called, not on torch's global stream alone (the same seed and
    # the same draws give other masks), and the stream the training loop draws from is reset on every forward
    "global generator reseeded per call from torch.initial_seed() + a per-layer call counter": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        self._calls = getattr(self, "_calls", 0) + 1
        torch.manual_seed(torch.initial_seed() + self._calls)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    # red team 15: the scale 1 / (1 - p) computed once, at the first call: after the layer's p is changed (a dropout
    # schedule: layer.p = 0.1) the survivors are scaled for the old p
    "scale 1 / (1 - p) cached at the first call (stale after p changes)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        if not hasattr(self, "_scale"):
            self._scale = 1.0 / (1.0 - self.p)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep * self._scale
''',
})
WRONG.setdefault("early_stopping", {}).update({
    # red team 15: step() is to only read the model; clearing its gradients first (to keep them out of a deep copy of
    # the whole model) changes it: a caller that accumulates gradients over steps, or inspects them, loses them
    "step() clears the model's gradients (zero_grad) before a deep copy of the model": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            model.zero_grad(set_to_none=True)           # no gradients in the copy
            self.best_state = copy.deepcopy(model).state_dict()
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 15: switches requires_grad off for the copy and back on for every parameter: a frozen layer (fine-tuning
    # only the head) is unfrozen by step(), which is to only read the model
    "step() turns requires_grad off for the copy and on again for every parameter (unfreezes frozen layers)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            model.requires_grad_(False)
            self.best_state = copy.deepcopy(model.state_dict())
            model.requires_grad_(True)
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("batchnorm", {}).update({
    # red team 15: eval mode before any training step skips the normalisation ("the running statistics are still 0
    # and 1, so it does nothing"), forgetting eps: x / sqrt(1 + eps) is not x
    "eval mode with untouched running statistics (0 and 1) returns x * weight + bias (eps forgotten)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
            return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
        if bool((self.running_mean == 0).all()) and bool((self.running_var == 1).all()):
            return x * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 15: the modulating factor's base clamped at 1e-12 (for the gradient of gamma < 1): a confident right
    # answer (logit 30 or more: 1 - p_t of 1e-13 or an exact 0 in float64) keeps far more loss than the formula gives
    "modulating factor's base clamped at 1e-12": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t).clamp(min=1e-12) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
# the docstring warns "p = 1 ... (no division by zero, no NaN)": the visible part checks the gradient at p = 1 too
WARNED.setdefault("dropout", []).extend([
    "p = 1 not special-cased: torch.where(keep, x / (1 - p), 0) (nan gradient)",
    "p = 1 not special-cased: (x / (1 - p)).masked_fill(dropped, 0) (nan gradient)",
])

# red team 16, 2026-12-05 (reviewer C; written before any test change)
WRONG.setdefault("batchnorm", {}).update({
    # red team 16: the denominator as the square root of the mean squared deviation, eps added inside after squaring
    # it back: sqrt's backward at 0 is inf, so a constant feature again gives a nan gradient
    "std as sqrt(mean((x - mean)**2)), then sqrt(std**2 + eps) (nan gradient for a constant feature)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            std = torch.sqrt(((x - mean) ** 2).mean(0))
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * std ** 2 * n / (n - 1))
            return (x - mean) / torch.sqrt(std ** 2 + self.eps) * self.weight + self.bias
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
    # red team 16: the momentum factors computed once, at the first training call: after bn.momentum is changed (a
    # momentum schedule, or momentum set to 0 to freeze the statistics) the layer still uses the old value
    "momentum factors cached at the first training call (stale after bn.momentum changes)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            if not hasattr(self, "_m"):
                self._m = (1 - self.momentum, self.momentum)
            keep, new = self._m
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(keep).add_(new * mean)
                self.running_var.mul_(keep).add_(new * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    # red team 16: eps read once, at the first call: after bn.eps is changed the layer still adds the old one
    "eps cached at the first call (stale after bn.eps changes)": _BN_HEAD + '''
    def forward(self, x):
        if not hasattr(self, "_eps"):
            self._eps = self.eps
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self._eps) * self.weight + self.bias
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 16: the factor detached for gamma < 1 (to dodge the inf slope of (1 - p_t)**gamma at p_t = 1): the values
    # match, but the gradient of every decision loses the factor's part, which torchvision keeps
    "modulating factor detached only for gamma < 1": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    factor = (1 - p_t) ** gamma
    if gamma < 1:
        factor = factor.detach()
    loss = ce * factor
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
    # red team 16: a short-cut for gamma = 0 without weighting (plain binary cross-entropy) written with log(sigmoid):
    # -inf, then inf or nan, for confident logits; the text asks for log p_t from the logits
    "gamma = 0 and alpha < 0 short-cut through torch.sigmoid and log (finite only for moderate logits)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    if gamma == 0 and alpha < 0:
        p = torch.sigmoid(logits)
        loss = -(targets * torch.log(p) + (1 - targets) * torch.log1p(-p))
    else:
        p = torch.sigmoid(logits)
        ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
        p_t = p * targets + (1 - p) * (1 - targets)
        loss = ce * (1 - p_t) ** gamma
        if alpha >= 0:
            loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("early_stopping", {}).update({
    # red team 16: restore() copies tensor by tensor into the parameters with requires_grad switched off and then on
    # for every parameter: a layer the caller froze (fine-tuning only the head) is trainable again after restore()
    "restore() turns requires_grad off to copy, then on for every parameter (unfreezes frozen layers)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.requires_grad_(False)
            for k, v in model.state_dict(keep_vars=True).items():
                v.copy_(self.best_state[k])
            model.requires_grad_(True)
''',
    # red team 16: the copy built from named_parameters() and named_buffers(): that also takes non-persistent buffers,
    # which state_dict() leaves out, so restore()'s load_state_dict fails on a model that has one
    "best state from named_parameters() and named_buffers() (non-persistent buffers too)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = {k: v.detach().clone() for k, v in [*model.named_parameters(), *model.named_buffers()]}
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 16: restore() copies the saved values into model.parameters() by position: the buffers (batch norm's
    # running statistics) are not restored, and the saved entries pair with the wrong parameters once buffers come first
    "restore() zips model.parameters() with the saved state_dict (buffers skipped, pairs shifted)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            with torch.no_grad():
                for p, (k, v) in zip(model.parameters(), self.best_state.items()):
                    p.copy_(v)
''',
})
WRONG.setdefault("dropout", {}).update({
    # red team 16: the draw wrapped in torch.random.fork_rng() ("leave the global generator as it was"): the global
    # stream is never advanced, so every call in train mode draws the same mask
    "mask drawn inside torch.random.fork_rng() (the same mask on every call)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        with torch.random.fork_rng():
            keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
})
RIGHT.setdefault("batchnorm", {}).update({
    # red team 16 (written as wrong, right after all): the variance squared from torch.std; torch's std backward gives
    # 0 where the std is 0, so a constant feature keeps nn.BatchNorm1d's finite gradient
    "variance as std(correction=0) ** 2": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(0)
            var = x.std(0, correction=0) ** 2
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})

# red team 17, 2026-12-05 (reviewer C; written before any test change)
WRONG.setdefault("early_stopping", {}).update({
    # red team 17: a 0-d tensor loss converted through numpy: .numpy() fails for a loss on the GPU (the model's device),
    # and the docstring allows any 0-d tensor
    "val_loss through val_loss.detach().numpy() (a 0-d tensor on the GPU fails)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss.detach().numpy()) if torch.is_tensor(val_loss) else float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 17: .cpu().numpy() without detach(): a validation loss computed with autograd on (a 0-d tensor that
    # requires grad) raises "Can't call numpy() on Tensor that requires grad"
    "val_loss through val_loss.cpu().numpy() (a loss that requires grad fails)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        if isinstance(val_loss, torch.Tensor):
            val_loss = val_loss.cpu().numpy().item()
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 17: an explicit nan guard with np.isnan before the conversion: numpy on a 0-d tensor on the GPU fails
    "nan guard by np.isnan(val_loss) before float() (a 0-d tensor on the GPU fails)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        if np.isnan(val_loss):          # a diverged epoch is a bad epoch
            self.num_bad_epochs += 1
            return self.num_bad_epochs >= self.patience
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.best_epoch = self.epoch
            self.num_bad_epochs = 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("dropout", {}).update({
    # red team 17: torch.inference_mode() taken as eval mode: the mode is self.training alone (a model left in train
    # mode and run under inference_mode still drops, as nn.Dropout does)
    "no dropping under torch.inference_mode() (taken as eval mode)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or torch.is_inference_mode_enabled() or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand_like(x) >= self.p).to(x.dtype)
        return x * keep / (1.0 - self.p)
''',
    # red team 17: keep = rand > p with no p = 0 short-cut: torch.rand can return exactly 0.0 (about once in 2**24
    # float32 draws), so Dropout(0.0) in train mode zeroes an entry now and then instead of returning x unchanged
    "keep where rand > p, no p = 0 short-cut (an exact 0.0 draw is dropped at p = 0)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.rand_like(x) > self.p
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    # red team 17: torch.inference_mode() taken as eval mode: the running statistics normalise and are not updated,
    # though the layer is in train mode (the mode is self.training alone, as in nn.BatchNorm1d)
    "train mode under torch.inference_mode() taken as eval (running statistics used)": _BN_HEAD + '''
    def forward(self, x):
        if self.training and not torch.is_inference_mode_enabled():
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, correction=0)
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    # red team 17: the buffers left alone under torch.inference_mode() (fearing an in-place update there fails):
    # train mode updates them whatever autograd's mode, as nn.BatchNorm1d does
    "running statistics not updated under torch.inference_mode()": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, correction=0)
            if not torch.is_inference_mode_enabled():
                with torch.no_grad():
                    m = self.momentum
                    self.running_mean.mul_(1 - m).add_(m * mean)
                    self.running_var.mul_(1 - m).add_(m * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
    # red team 17: the Bessel factor as torch.tensor(n / (n - 1)), a float32 tensor: a float64 layer's running
    # variance is updated with a factor rounded to float32
    "Bessel factor as torch.tensor(n / (n - 1)) (float32)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean = x.mean(dim=0)
            var = x.var(dim=0, correction=0)
            bessel = torch.tensor(n / (n - 1), device=x.device)
            with torch.no_grad():
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(m * mean)
                self.running_var.mul_(1 - m).add_(m * var * bessel)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 17: the empty input guarded by hand with a new tensor made on the CPU: on the GPU "mean" of no
    # decisions comes back on the wrong device (the mean of nothing is nan, as loss.mean() gives, on logits' device)
    "mean of an empty input as torch.tensor(nan, dtype=...) (made on the CPU)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if loss.numel() == 0:          # the mean of nothing: nan
        return torch.tensor(float("nan"), dtype=loss.dtype)
    return loss.mean()
''',
})
WRONG.setdefault("weighted_cross_entropy", {}).update({
    # red team 17: log-probabilities clamped at -100 as nn.BCELoss clamps its log: a logit a few hundred below the
    # target's costs its full size (|z| up to 1e4), not 100
    "log-probabilities clamped at -100 (like nn.BCELoss)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1).clamp(min=-100)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight.to(logits.dtype)[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})

# red team 17: an earlier RIGHT answer kept entries where rand > p with no p = 0 short-cut, so at p = 0 it drops the
# draws that are exactly 0.0 (torch.rand returns one about once in 2**24 float32 draws): wrong by "p = 0 returns x
# unchanged"; it moves to WRONG, and the same answer with rand >= p stays in RIGHT
WRONG.setdefault("dropout", {}).update({
    # red team 17 (moved from RIGHT): keep = rand > p, so Dropout(0.0) in train mode zeroes an exact 0.0 draw
    "eval mode returns a copy (x.clone()); p = 1 as x * 0; keep where rand > p (p = 0 drops an exact 0.0 draw)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x.clone()
        if self.p == 1.0:
            return x * 0.0
        keep = torch.rand_like(x) > self.p
        return torch.where(keep, x / (1.0 - self.p), torch.zeros_like(x))
''',
})
RIGHT.setdefault("dropout", {}).update({
    "eval mode returns a copy (x.clone()); p = 1 as x * 0": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training:
            return x.clone()
        if self.p == 1.0:
            return x * 0.0
        keep = torch.rand_like(x) >= self.p
        return torch.where(keep, x / (1.0 - self.p), torch.zeros_like(x))
''',
})

# red team 18, 2026-12-05 (reviewer C; written before any test change)
WRONG.setdefault("dropout", {}).update({
    # red team 18: the next rung of the randint ladder: 10000 random integers resolve p only to 0.01 %, so every p the
    # tests used (0.1, 0.123, 1e-4, ...) came out exact; Dropout(1e-6) drops 100 times too many
    "mask from torch.randint(0, 10000) (p rounded to 0.01 %)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.randint_like(x, 0, 10000) >= self.p * 10000
        return x * keep / (1.0 - self.p)
''',
    # red team 18: 16-bit random integers resolve p to 1/65536 (1.5e-5): Dropout(1e-4) drops 7 in 65536 (1.07e-4, within
    # the test's band), Dropout(1e-6) drops 15 times too many
    "mask from 16-bit random integers (torch.randint(0, 2**16): p rounded to 1/65536)": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = torch.randint(0, 2**16, x.shape, device=x.device) >= self.p * 2**16
        return x * keep / (1.0 - self.p)
''',
    # red team 18: torch.dropout_ is the in-place twin of torch.dropout, a built-in dropout function (off limits)
    "torch.dropout_ on a copy of x (the in-place built-in dropout)": _DROPOUT_HEAD + '''
    def forward(self, x):
        return torch.dropout_(x.clone(), self.p, self.training)
''',
})
WRONG.setdefault("early_stopping", {}).update({
    # red team 18: a float tolerance of 1e-12 of its own (the next rung after 1e-8): a loss a few ulps below the best
    # improves by the text (val_loss < best_loss - min_delta) but not here
    "improvement needs a float tolerance of 1e-12 beyond min_delta": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta - 1e-12:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 18: the loss rounded to 12 decimals (against float noise): best_loss is no longer the loss itself, and a
    # loss just below the best (1 - 2**-53 after 1.0) is no improvement
    "val_loss rounded to 12 decimals (round(float(val_loss), 12))": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = round(float(val_loss), 12)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 18: a float32 tensor loss compared with the Python float best_loss - min_delta as it is: torch rounds the
    # threshold to float32, so 0.99999994 (float32) is no improvement on 1.0 with min_delta=5e-8 (it is by the text)
    "a tensor loss compared as it is (float32 comparison), float() only when stored": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = float(val_loss), self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
    # red team 18: .float().item() "to get a float": a float64 tensor loss is rounded to float32 first, so best_loss is
    # not the loss (0.3 becomes 0.30000001192092896)
    "tensor losses through val_loss.float().item() (a float64 loss rounded to float32)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = val_loss.float().item() if torch.is_tensor(val_loss) else float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})
WRONG.setdefault("batchnorm", {}).update({
    # red team 18: torch.var's default is the unbiased variance: used for the normalisation as well as for the buffer
    "unbiased variance for the normalisation too (torch.var's default)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            mean, var = x.mean(0), x.var(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 18: "a negative alpha switches the alpha_t weighting off" read as switching the focal loss off: plain BCE
    "a negative alpha returns the plain binary cross-entropy (focusing off too)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    if alpha < 0:
        loss = ce
    else:
        p = torch.sigmoid(logits)
        p_t = p * targets + (1 - p) * (1 - targets)
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * (1 - p_t) ** gamma * ce
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("weighted_cross_entropy", {}).update({
    # red team 18: the weighted mean's denominator from the class counts, but torch.bincount(target) without minlength
    # is only max(target) + 1 long: the dot product with the K weights fails when the last classes are absent
    "weighted mean's denominator from torch.bincount(target) without minlength": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = F.log_softmax(logits, dim=1)
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    if weight is None:
        weight = torch.ones(logits.shape[1], dtype=logits.dtype, device=logits.device)
    loss = weight[target] * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    counts = torch.bincount(target).to(logits.dtype)
    return loss.sum() / (counts @ weight)
''',
})
# the text names these traps (the other built-in dropout functions are off limits; the batch is normalised with the
# BIASED variance; a negative alpha switches only the alpha_t weighting off): the visible part catches them
WARNED.setdefault("dropout", []).append("torch.dropout_ on a copy of x (the in-place built-in dropout)")
WARNED.setdefault("batchnorm", []).append("unbiased variance for the normalisation too (torch.var's default)")
WARNED.setdefault("focal_loss", []).append("a negative alpha returns the plain binary cross-entropy (focusing off too)")

# red team 19, 2026-12-05 (reviewer C; written before any test change)
WRONG.setdefault("weighted_cross_entropy", {}).update({
    # red team 19: log(softmax) patched with F.log_softmax only where it is not finite: the values agree, but the
    # gradient of the log(softmax) branch at a softmax of 0 is 0 / 0 = nan (torch.where does not hide it)
    "log(softmax) with a F.log_softmax fallback where it is not finite (nan gradient for large logits)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    log_p = torch.log(F.softmax(logits, dim=1))
    log_p = torch.where(torch.isfinite(log_p), log_p, F.log_softmax(logits, dim=1))   # log(0) for large logits
    nll = -log_p.gather(1, target[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / w.sum()
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 19: the same patch for the focal loss: -log(p_t) from the probabilities, BCE-with-logits only where that
    # is infinite (a float32 p_t loses digits long before it reaches 0)
    "log p_t as torch.log(p_t), BCE-with-logits only where that is not finite": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    ce = -torch.log(p_t)
    ce = torch.where(torch.isfinite(ce), ce, F.binary_cross_entropy_with_logits(logits, targets, reduction="none"))
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("dropout", {}).update({
    # red team 19: the mask drawn on the CPU and copied to x's device: on a GPU a host-to-device copy on every call, and
    # the numbers come from the CPU generator, not from the generator of x's device as torch.rand_like(x) takes them
    "mask drawn on the CPU (torch.rand(x.shape)) and copied to x's device": _DROPOUT_HEAD + '''
    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        if self.p == 1.0:
            return torch.zeros_like(x)
        keep = (torch.rand(x.shape, dtype=x.dtype) >= self.p).to(x.device)
        return x * keep / (1.0 - self.p)
''',
})
WRONG.setdefault("batchnorm", {}).update({
    # red team 19: eps added to the standard deviation, not to the variance: (x - mean) / (std + eps)
    "eps added to the standard deviation ((x - mean) / (std + eps))": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            n = x.shape[0]
            mean, var = x.mean(0), x.var(0, correction=0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / (torch.sqrt(var) + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    # red team 19: "before the first step(): nothing to load" read literally (no step() yet): after steps that never
    # improved (nan losses) there are no best weights either, and load_state_dict(None) fails
    "restore() skips only before the first step() (fails when no epoch improved)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.epoch >= 0:                     # before the first step(): nothing to load
            model.load_state_dict(self.best_state)
''',
    # red team 19: "restore() must always have weights": the first loss that is not nan becomes the best, even inf (a
    # diverged first epoch), which is no improvement on inf by the text (inf < inf - min_delta is False)
    "first loss that is not nan always becomes the best (an inf loss improves on inf)": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        first = self.best_state is None and not math.isnan(val_loss)
        if first or val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience
''' + _ES_RESTORE,
})

# ---- red team 20 (reviewer C) ----
WRONG.setdefault("weighted_cross_entropy", {}).update({
    # red team 20: .squeeze() with no dimension: a batch of one gives a 0-d "none" result, not [1]
    "per-example losses squeezed with .squeeze() (a batch of one becomes 0-d)": '''
def weighted_cross_entropy(logits, target, weight=None, reduction="mean"):
    nll = -F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze()
    w = torch.ones_like(nll) if weight is None else weight[target]
    loss = w * nll
    if reduction == "none":
        return loss
    return loss.sum() if reduction == "sum" else loss.sum() / w.sum()
''',
})
WRONG.setdefault("focal_loss", {}).update({
    # red team 20: torch.where with two Python floats makes a float32 tensor: alpha = 0.1 rounded in a float64 loss
    "alpha_t by torch.where with Python floats (a float32 tensor)": '''
def focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="none"):
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = torch.exp(-ce)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = torch.where(targets == 1, alpha, 1 - alpha) * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
''',
})
WRONG.setdefault("batchnorm", {}).update({
    # red team 20: the private kernel torch._native_batch_norm_legit is batch norm itself (a relative of F.batch_norm)
    "torch._native_batch_norm_legit (a private batch-norm kernel)": _BN_HEAD + '''
    def forward(self, x):
        if self.training:
            return torch._native_batch_norm_legit(x, self.weight, self.bias, self.running_mean, self.running_var,
                                                  True, self.momentum, self.eps)[0]
        return (x - self.running_mean) / torch.sqrt(self.running_var + self.eps) * self.weight + self.bias
''',
})
WRONG.setdefault("early_stopping", {}).update({
    # red team 20: load_state_dict(..., assign=True) replaces the parameters (new objects, .grad lost, an optimizer
    # keeps the old ones) instead of loading into them in place
    "restore() by load_state_dict(deepcopy, assign=True): parameters replaced, not loaded in place": _ES_HEAD + '''
    def step(self, val_loss, model):
        self.epoch += 1
        val_loss = float(val_loss)
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.num_bad_epochs = val_loss, self.epoch, 0
            self.best_state = copy.deepcopy(model.state_dict())
        else:
            self.num_bad_epochs += 1
        return self.num_bad_epochs >= self.patience

    def restore(self, model):
        if self.best_state is not None:
            model.load_state_dict(copy.deepcopy(self.best_state), assign=True)
''',
})
