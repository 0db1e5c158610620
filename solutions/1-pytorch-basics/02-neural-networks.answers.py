"""Answer variants for 02-neural-networks.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "log_softmax": {
        "no max subtraction (overflows)": '''
def log_softmax(z, dim=-1):
    return z - z.exp().sum(dim=dim, keepdim=True).log()
''',
        "log of a stable softmax (underflows to -inf)": '''
def log_softmax(z, dim=-1):
    e = (z - z.amax(dim=dim, keepdim=True)).exp()
    return (e / e.sum(dim=dim, keepdim=True)).log()
''',
        "max subtracted inside but not added back": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    return z - (z - m).exp().sum(dim=dim, keepdim=True).log()
''',
        "wrong axis: always the last dim": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=-1, keepdim=True)
    s = z - m
    return s - s.exp().sum(dim=-1, keepdim=True).log()
''',
        "global max instead of per-row max": '''
def log_softmax(z, dim=-1):
    s = z - z.max()
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    },
    "cross_entropy": {
        "sum where mean is asked": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "none":
        return nll
    return nll.sum()
''',
        "mean and sum swapped": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.sum()
    if reduction == "sum":
        return nll.mean()
    return nll
''',
        "logp[:, target] (an N x N block)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1)[:, target]
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    return nll.mean(0)
''',
        "softmax over the batch axis": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=0).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    return nll
''',
        "naive softmax inside (no max subtraction)": '''
def cross_entropy(logits, target, reduction="mean"):
    p = logits.exp() / logits.exp().sum(1, keepdim=True)
    nll = -p.gather(1, target.unsqueeze(1)).squeeze(1).log()
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    return nll
''',
    },
    "loss_and_grads": {
        "missing 1/N (gradient of the summed loss)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    rows = torch.arange(X.shape[0])
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
        "ReLU derivative forgotten": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = dS @ W2.T
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
        "bias gradients averaged over the batch": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.mean(0), "W2": A.T @ dS, "b2": dS.mean(0)}
''',
        "softmax without subtracting the one-hot target": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp() / N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
        "autograd instead of a manual backward (off limits)": '''
def loss_and_grads(params, X, y):
    leaves = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    S = torch.relu(X @ leaves["W1"] + leaves["b1"]) @ leaves["W2"] + leaves["b2"]
    loss = cross_entropy(S, y)
    loss.backward()
    return loss.detach(), {k: v.grad for k, v in leaves.items()}
''',
    },
    "hand_gd_step": {
        "gradient ascent (+ instead of -)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p += lr * grads[k]
    return float(loss)
''',
        "new tensors, the caller's params never change": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    params = {k: p - lr * grads[k] for k, p in params.items()}
    return float(loss)
''',
        "fused backward: W2 updated before the gradient flows through it": '''
def hand_gd_step(params, X, y, lr):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    W2 -= lr * (A.T @ dS)
    b2 -= lr * dS.sum(0)
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    W1 -= lr * (X.T @ dZ1)
    b1 -= lr * dZ1.sum(0)
    return float(loss)
''',
        "returns the loss after the step": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return float(loss_and_grads(params, X, y)[0])
''',
    },
    "mlp_module": {
        "F.dropout without the training flag (always on)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        return self.fc2(F.dropout(F.relu(self.fc1(x.flatten(1))), self.p_drop))
''',
        "no ReLU (a linear model in disguise)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(self.fc1(x.flatten(1))))
''',
        "dropout on the inputs instead of the hidden layer": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(self.drop(x.flatten(1)))))
''',
        "dropout on the logits": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.drop(self.fc2(F.relu(self.fc1(x.flatten(1)))))
''',
    },
    "minibatches": {
        "shuffle ignored": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    for start in range(0, X.shape[0], batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
''',
        "global random state instead of the generator": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
        "last partial batch dropped": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N - batch_size + 1, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
        "X and y shuffled with two different permutations": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        ix = torch.randperm(N, generator=generator).to(X.device)
        iy = torch.randperm(N, generator=generator).to(X.device)
    else:
        ix = iy = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[ix[start:start + batch_size]], y[iy[start:start + batch_size]]
''',
    },
    "train_step": {
        "missing zero_grad (gradients accumulate)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
        "model.train() missing (eval mode left on)": '''
def train_step(model, optimizer, xb, yb):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
        "zero_grad between backward and step": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()
''',
        "summed instead of mean loss": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb, reduction="sum")
    loss.backward()
    optimizer.step()
    return loss.item() / len(yb)
''',
    },
    "evaluate": {
        "train mode left on (dropout active)": '''
def evaluate(model, X, y, batch_size=512):
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
        "autograd left on (no torch.no_grad)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    for xb, yb in minibatches(X, y, batch_size):
        logits = model(xb)
        total += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
        "mean of batch means": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    losses, correct = [], 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            losses.append(F.cross_entropy(logits, yb).item())
            correct += (logits.argmax(1) == yb).sum().item()
    return sum(losses) / len(losses), correct / len(y)
''',
        "accuracy as a count": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), float(correct)
''',
    },
    "sgd_momentum_step": {
        "weight decay added after the momentum buffer": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            bufs[i] = g.clone() if bufs[i] is None else momentum * bufs[i] + g
            p -= lr * (bufs[i] + weight_decay * p)
''',
        "dampened momentum (buf = m*buf + (1-m)*d)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            bufs[i] = d.clone() if bufs[i] is None else momentum * bufs[i] + (1 - momentum) * d
            p -= lr * bufs[i]
''',
        "decoupled weight decay (p *= 1 - lr*wd)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            p.mul_(1 - lr * weight_decay)
            bufs[i] = g.clone() if bufs[i] is None else momentum * bufs[i] + g
            p -= lr * bufs[i]
''',
        "momentum buffer never stored (state ignored)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for p, g in zip(params, grads):
            p -= lr * (g + weight_decay * p)
''',
    },
    "adam_step": {
        "no bias correction": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["m"] = [torch.zeros_like(p) for p in params]
        state["v"] = [torch.zeros_like(p) for p in params]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * m / (v.sqrt() + eps)
''',
        "eps inside the square root": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / (v / (1 - b2 ** t) + eps).sqrt()
''',
        "eps added before the bias correction of v": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v.sqrt() + eps) / math.sqrt(1 - b2 ** t))
''',
        "decoupled weight decay (AdamW, not Adam)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            p.mul_(1 - lr * weight_decay)
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
        "step counter reset every call (t = 1 forever)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1)) / ((v / (1 - b2)).sqrt() + eps)
''',
    },
}

RIGHT = {
    "log_softmax": {
        "log-sum-exp written out, torch.max": '''
def log_softmax(z, dim=-1):
    m = torch.max(z, dim=dim, keepdim=True).values
    lse = m + torch.log(torch.sum(torch.exp(z - m), dim=dim, keepdim=True))
    return z - lse
''',
    },
    "cross_entropy": {
        "one-hot mask instead of gather": '''
def cross_entropy(logits, target, reduction="mean"):
    onehot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    nll = -(onehot * log_softmax(logits, dim=-1)).sum(1)
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
    },
    "loss_and_grads": {
        "one-hot matrix and softmax from exp": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    Z1 = X @ W1 + b1
    A = torch.relu(Z1)
    S = A @ W2 + b2
    T = F.one_hot(y, C).to(S.dtype)
    E = torch.exp(S - S.max(dim=1, keepdim=True).values)
    P = E / E.sum(dim=1, keepdim=True)
    loss = cross_entropy(S, y)
    dS = (P - T) / N
    dZ1 = torch.where(Z1 > 0, dS @ W2.T, torch.zeros_like(Z1))
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    },
    "hand_gd_step": {
        "sub_ under torch.no_grad": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    with torch.no_grad():
        for k in params:
            params[k].sub_(grads[k], alpha=lr)
    return loss.item()
''',
    },
    "mlp_module": {
        "functional dropout with the training flag": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = torch.relu(self.fc1(x.reshape(x.shape[0], -1)))
        return self.fc2(F.dropout(h, self.p_drop, training=self.training))
''',
    },
    "minibatches": {
        "torch.split over the index": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = len(X)
    idx = torch.randperm(N, generator=generator) if shuffle else torch.arange(N)
    for batch in torch.split(idx.to(X.device), batch_size):
        yield X[batch], y[batch]
''',
    },
    "train_step": {
        "nn.CrossEntropyLoss, zero_grad(set_to_none=False)": '''
def train_step(model, optimizer, xb, yb):
    model.train(True)
    optimizer.zero_grad(set_to_none=False)
    logits = model(xb)
    loss = nn.CrossEntropyLoss()(logits, yb)
    loss.backward()
    optimizer.step()
    return float(loss.detach())
''',
    },
    "evaluate": {
        "inference_mode, one pass per batch via index slices": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    losses, hits = [], []
    with torch.inference_mode():
        for start in range(0, len(y), batch_size):
            logits = model(X[start:start + batch_size])
            losses.append(F.cross_entropy(logits, y[start:start + batch_size], reduction="none"))
            hits.append(logits.argmax(1) == y[start:start + batch_size])
    return torch.cat(losses).mean().item(), torch.cat(hits).float().mean().item()
''',
    },
    "sgd_momentum_step": {
        "the slides' form: delta = a*delta - lr*d, w += delta": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    if "delta" not in state:
        state["delta"] = [torch.zeros_like(p) for p in params]
    with torch.no_grad():
        for p, g, delta in zip(params, grads, state["delta"]):
            d = g + weight_decay * p
            delta.mul_(momentum).sub_(lr * d)
            p.add_(delta)
''',
    },
    "adam_step": {
        "torch's arrangement: step size lr/bc1, denominator sqrt(v)/sqrt(bc2) + eps": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    state["step"] = state.get("step", 0) + 1
    t = state["step"]
    for i, (p, g) in enumerate(zip(params, grads)):
        if weight_decay:
            g = g.add(p, alpha=weight_decay)
        m = state.setdefault(("m", i), torch.zeros_like(p))
        v = state.setdefault(("v", i), torch.zeros_like(p))
        m.lerp_(g, 1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        denom = (v.sqrt() / math.sqrt(1 - beta2 ** t)).add_(eps)
        with torch.no_grad():
            p.addcdiv_(m, denom, value=-lr / (1 - beta1 ** t))
''',
    },
}
