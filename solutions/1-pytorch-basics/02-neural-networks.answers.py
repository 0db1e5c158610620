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

# ------------------------------------------------------------------------------------------------
# Issue 8 ("Unit I hardened"): wrong answers a careful reviewer found slipping through, and more
# valid styles. Large scores, float64 computed in float32, in-place changes to the caller's
# tensors, ignored arguments, the global RNG, outputs on the CPU, broken backward, train/eval.
# ------------------------------------------------------------------------------------------------

WRONG["log_softmax"].update({
    "F.log_softmax inside (off limits)": '''
def log_softmax(z, dim=-1):
    return F.log_softmax(z, dim=dim)
''',
    "Tensor.logsumexp (off limits)": '''
def log_softmax(z, dim=-1):
    return z - z.logsumexp(dim=dim, keepdim=True)
''',
    "float64 logits computed in float32": '''
def log_softmax(z, dim=-1):
    s = z.float() - z.float().amax(dim=dim, keepdim=True)
    return (s - s.exp().sum(dim=dim, keepdim=True).log()).to(z.dtype)
''',
    "max subtracted from the caller's tensor in place": '''
def log_softmax(z, dim=-1):
    z -= z.amax(dim=dim, keepdim=True)
    return z - z.exp().sum(dim=dim, keepdim=True).log()
''',
    "detached (no gradient flows back)": '''
def log_softmax(z, dim=-1):
    s = (z - z.amax(dim=dim, keepdim=True)).detach()
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "max taken of the positive part only (clamp(min=0))": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True).clamp(min=0)
    s = z - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "result made on the CPU (torch.empty_like without device)": '''
def log_softmax(z, dim=-1):
    out = torch.empty(z.shape, dtype=z.dtype)
    m = z.amax(dim=dim, keepdim=True)
    out.copy_(z - m - (z - m).exp().sum(dim=dim, keepdim=True).log())
    return out
''',
})

WRONG["cross_entropy"].update({
    "float64 logits computed in float32": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits.float(), dim=1).gather(1, target.unsqueeze(1)).squeeze(1).to(logits.dtype)
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
    "loss detached from the graph": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1).detach()
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
    "one-hot mask made on the CPU": '''
def cross_entropy(logits, target, reduction="mean"):
    mask = torch.zeros(logits.shape, dtype=logits.dtype)
    mask[torch.arange(len(target)), target.cpu()] = 1.0
    nll = -(mask * log_softmax(logits, dim=1)).sum(1)
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
    "max subtracted from the caller's logits in place": '''
def cross_entropy(logits, target, reduction="mean"):
    logits -= logits.amax(dim=1, keepdim=True)
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
    "F.nll_loss to pick the true class (off limits)": '''
def cross_entropy(logits, target, reduction="mean"):
    return F.nll_loss(log_softmax(logits, dim=1), target, reduction=reduction)
''',
    "an unknown reduction silently means 'none'": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    return nll
''',
})

WRONG["loss_and_grads"].update({
    "softmax from exp without the max (overflows for large scores)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    loss = cross_entropy(S, y)
    P = S.exp() / S.exp().sum(1, keepdim=True)
    dS = (P - F.one_hot(y, S.shape[1]).to(S.dtype)) / N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "float64 computed in float32": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (params[k].float() for k in ("W1", "b1", "W2", "b2"))
    X32 = X.float()
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X32 @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    grads = {"W1": X32.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
    return loss.to(X.dtype), {k: g.to(X.dtype) for k, g in grads.items()}
''',
    "relu'(0) taken as 1 (Z1 >= 0)": '''
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
    dZ1 = (dS @ W2.T) * (Z1 >= 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "gradients written into the params dict (grads = params)": '''
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
    grads = params
    grads["W1"], grads["b1"], grads["W2"], grads["b2"] = X.T @ dZ1, dZ1.sum(0), A.T @ dS, dS.sum(0)
    return loss, grads
''',
    "loss returned as a Python float": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return -logp[rows, y].mean().item(), {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "one-hot targets made on the CPU": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    T = torch.zeros(N, C, dtype=S.dtype)
    T[torch.arange(N), y.cpu()] = 1.0
    logp = log_softmax(S, dim=1)
    loss = -(T * logp).sum(1).mean()
    dS = (logp.exp() - T) / N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})

WRONG["hand_gd_step"].update({
    "update rounded to float32": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    with torch.no_grad():
        for k, p in params.items():
            p -= (lr * grads[k]).float()
    return float(loss)
''',
    "loss measured after the step": '''
def hand_gd_step(params, X, y, lr):
    _, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return float(loss_and_grads(params, X, y)[0])
''',
    "new tensors put into the caller's dict": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k in params:
        params[k] = params[k] - lr * grads[k]
    return float(loss)
''',
    "lr ignored (a fixed step of 0.5)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= 0.5 * grads[k]
    return float(loss)
''',
})

WRONG["mlp_module"].update({
    "hidden layer detached (no gradient reaches fc1)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1))).detach()))
''',
    "hand-written ReLU whose backward ignores the mask": '''
class _ReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z):
        return z.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        return grad


class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(_ReLU.apply(self.fc1(x.flatten(1)))))
''',
    "dropout mask drawn on the CPU": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p > 0:
            keep = (torch.rand(h.shape) >= self.p).to(h.dtype)
            h = h * keep / max(1.0 - self.p, 1e-12)
        return self.fc2(h)
''',
    "x.view(len(x), -1) (fails on non-contiguous inputs)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.view(len(x), -1)))))
''',
    "dropout without the 1 / (1 - p) scaling": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training:
            h = h * (torch.rand_like(h) >= self.p)
        return self.fc2(h)
''',
})

WRONG["minibatches"].update({
    "range(0, N - 1, batch_size): a last batch of one is lost": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N - 1, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
    "no generator given: a fixed seed (the same order every epoch)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        idx = torch.randperm(N, generator=generator or torch.Generator().manual_seed(0)).to(X.device)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
    "labels rebuilt with torch.tensor (on the CPU)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator) if shuffle else torch.arange(N)
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch.to(X.device)], torch.tensor([int(y[i]) for i in batch])
''',
})

WRONG["train_step"].update({
    "model.train() after the forward pass": '''
def train_step(model, optimizer, xb, yb):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    model.train()
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    "optimizer.step() before loss.backward()": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    optimizer.step()
    loss.backward()
    return loss.item()
''',
    "returns the loss tensor": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.detach()
''',
})

WRONG["evaluate"].update({
    "batch_size ignored (one forward pass over everything)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    with torch.no_grad():
        logits = model(X)
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()
''',
    "shuffled evaluation (draws from the global RNG)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size, shuffle=True):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
    "model.eval() only after the first batch": '''
def evaluate(model, X, y, batch_size=512):
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            model.eval()
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})

WRONG["sgd_momentum_step"].update({
    "momentum buffer aliases the gradient (no clone on the first step)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p if weight_decay else g
            if momentum:
                bufs[i] = d if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
    "weight decay added to the caller's gradient in place": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g.add_(p, alpha=weight_decay)
            if momentum:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
    "buffers made with torch.zeros(p.shape) (float32, on the CPU)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    if "buf" not in state:
        state["buf"] = [torch.zeros(p.shape) for p in params]
        state["started"] = False
    with torch.no_grad():
        for p, g, buf in zip(params, grads, state["buf"]):
            d = g + weight_decay * p
            if state["started"]:
                buf.mul_(momentum).add_(d)
            else:
                buf.copy_(d)
            p.sub_(lr * buf)
    state["started"] = True
''',
    "no torch.no_grad(): fails on parameters that require grad": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    for i, (p, g) in enumerate(zip(params, grads)):
        d = g + weight_decay * p.detach()
        bufs[i] = d.clone() if bufs[i] is None else momentum * bufs[i] + d
        p.sub_(lr * bufs[i])
''',
})

WRONG["adam_step"].update({
    "weight decay added to the caller's gradient in place": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g.add_(p, alpha=weight_decay)
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "averages kept with torch.zeros(p.shape) (float32, on the CPU)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros(p.shape) for p in params], v=[torch.zeros(p.shape) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "betas ignored (the defaults hard-coded)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = 0.9, 0.999
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "eps ignored (1e-8 hard-coded)": '''
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
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + 1e-8)
''',
    "no torch.no_grad(): fails on parameters that require grad": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        g = g + weight_decay * p.detach()
        m.mul_(b1).add_((1 - b1) * g)
        v.mul_(b2).add_((1 - b2) * g * g)
        p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
})

RIGHT["log_softmax"].update({
    "class dim moved last and back (movedim)": '''
def log_softmax(z, dim=-1):
    zt = z.movedim(dim, -1)
    m = zt.amax(-1, keepdim=True)
    out = zt - m - (zt - m).exp().sum(-1, keepdim=True).log()
    return out.movedim(-1, dim)
''',
})

RIGHT["cross_entropy"].update({
    "take_along_dim, mean as sum / N": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -torch.take_along_dim(log_softmax(logits, dim=1), target[:, None], dim=1)[:, 0]
    if reduction == "none":
        return nll
    if reduction == "sum":
        return nll.sum()
    if reduction == "mean":
        return nll.sum() / len(target)
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})

RIGHT["loss_and_grads"].update({
    "addmm, torch.where ReLU, index_put with accumulate": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    N = len(X)
    Z1 = torch.addmm(b1, X, W1)
    A = torch.where(Z1 > 0, Z1, torch.zeros((), dtype=Z1.dtype, device=Z1.device))
    S = torch.addmm(b2, A, W2)
    logp = log_softmax(S)
    idx = torch.arange(N, device=X.device)
    loss = -logp[idx, y].sum() / N
    minus_one = torch.tensor(-1.0, dtype=S.dtype, device=S.device)
    dS = logp.exp().index_put((idx, y), minus_one, accumulate=True) / N
    dZ1 = (dS @ W2.mT) * (Z1 > 0).to(dS.dtype)
    return loss, {"W1": X.mT @ dZ1, "b1": dZ1.sum(0), "W2": A.mT @ dS, "b2": dS.sum(0)}
''',
})

RIGHT["hand_gd_step"].update({
    "copy_ of the updated value under torch.no_grad": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    with torch.no_grad():
        for k, g in grads.items():
            params[k].copy_(params[k] - lr * g)
    return loss.item()
''',
})

RIGHT["mlp_module"].update({
    "nn.ReLU and nn.Dropout modules": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.ReLU()
        self.dropout = nn.Dropout(p=p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.dropout(self.act(self.fc1(torch.flatten(x, start_dim=1)))))
''',
})

RIGHT["minibatches"].update({
    "a generator expression over idx.split(batch_size)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    n = len(y)
    order = torch.randperm(n, generator=generator, device="cpu") if shuffle else torch.arange(n)
    order = order.to(X.device)
    return ((X[b], y[b]) for b in order.split(batch_size))
''',
})

RIGHT["train_step"].update({
    "grads set to None by hand, nll_loss of log_softmax": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    for p in model.parameters():
        p.grad = None
    loss = F.nll_loss(F.log_softmax(model(xb), dim=1), yb)
    loss.backward()
    optimizer.step()
    return float(loss)
''',
})

RIGHT["evaluate"].update({
    "@torch.no_grad(), training mode restored afterwards": '''
@torch.no_grad()
def evaluate(model, X, y, batch_size=512):
    was_training = model.training
    model.eval()
    losses, correct = [], 0
    for xb, yb in minibatches(X, y, batch_size):
        out = model(xb)
        losses.append(F.cross_entropy(out, yb, reduction="none"))
        correct += int((out.argmax(-1) == yb).sum())
    model.train(was_training)
    return float(torch.cat(losses).sum() / len(y)), correct / len(y)
''',
})

RIGHT["sgd_momentum_step"].update({
    "torch's form: state keyed by index, p.add_(buf, alpha=-lr)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g.add(p, alpha=weight_decay) if weight_decay else g
            if momentum:
                buf = state.get(i)
                if buf is None:
                    buf = state[i] = torch.clone(d).detach()
                else:
                    buf.mul_(momentum).add_(d)
                d = buf
            p.add_(d, alpha=-lr)
''',
})

RIGHT["adam_step"].update({
    "one dict of averages per parameter, out-of-place updates": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    state["t"] = t = state.get("t", 0) + 1
    slots = state.setdefault("slots", [{"m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in params])
    with torch.no_grad():
        for p, g, s in zip(params, grads, slots):
            if weight_decay:
                g = g + weight_decay * p
            s["m"] = b1 * s["m"] + (1 - b1) * g
            s["v"] = b2 * s["v"] + (1 - b2) * g * g
            p.sub_(lr * (s["m"] / (1 - b1 ** t)) / ((s["v"] / (1 - b2 ** t)).sqrt() + eps))
''',
})

# WRONG answers that fall into a trap the exercise text explicitly warns about: the visible part
# of the tests (what Validate shows) must catch each of them.
WARNED = {
    "log_softmax": ["no max subtraction (overflows)", "log of a stable softmax (underflows to -inf)",
                    "wrong axis: always the last dim", "F.log_softmax inside (off limits)", "Tensor.logsumexp (off limits)"],
    "cross_entropy": ["naive softmax inside (no max subtraction)", "sum where mean is asked", "mean and sum swapped",
                      "F.nll_loss to pick the true class (off limits)"],
    "loss_and_grads": ["autograd instead of a manual backward (off limits)", "ReLU derivative forgotten",
                       "missing 1/N (gradient of the summed loss)", "bias gradients averaged over the batch"],
    "hand_gd_step": ["new tensors, the caller's params never change", "new tensors put into the caller's dict",
                     "fused backward: W2 updated before the gradient flows through it", "loss measured after the step"],
    "mlp_module": ["no ReLU (a linear model in disguise)", "F.dropout without the training flag (always on)",
                   "dropout on the inputs instead of the hidden layer", "dropout on the logits"],
    "minibatches": ["X and y shuffled with two different permutations", "global random state instead of the generator",
                    "last partial batch dropped", "shuffle ignored"],
    "train_step": ["missing zero_grad (gradients accumulate)", "model.train() missing (eval mode left on)",
                   "model.train() after the forward pass", "summed instead of mean loss", "returns the loss tensor"],
    "evaluate": ["train mode left on (dropout active)", "autograd left on (no torch.no_grad)", "mean of batch means"],
    "sgd_momentum_step": ["weight decay added after the momentum buffer"],
    "adam_step": ["no bias correction", "eps inside the square root", "eps added before the bias correction of v",
                  "decoupled weight decay (AdamW, not Adam)"],
}

# Surviving mutants reviewed as equivalent to the solution (`autograder mutate` keys).
EQUIVALENT = {
    "cross_entropy": {
        "dim@11:31#1": "logits are [N, C] (2-D): log_softmax along dim -1 is along dim 1",
        "dim@12:23#1": "logp is [N, C] (2-D): gather along dim -1 is gather along dim 1",
        "dim@12:43#1": "target.unsqueeze(-1) of a 1-D target is target.unsqueeze(1)",
        "dim@12:55#1": "the gathered tensor is [N, 1]: squeeze(-1) is squeeze(1)",
    },
    "loss_and_grads": {
        "dim@18:26#1": "S is [N, C] (2-D): log_softmax along dim -1 is along dim 1",
    },
    "evaluate": {
        "dim@16:38#1": "logits are [B, C] (2-D): argmax(-1) is argmax(1)",
    },
    "sgd_momentum_step": {
        "const@15:56#0": "weight_decay can't be -1; with weight_decay 0, g + 0 * p equals g for every finite p "
                         "(the docstring's formula and the valid 'slides' form' answer compute it unconditionally)",
    },
    "adam_step": {
        "args@23:26#2": "m and v are both zeros_like(p) on the first call and swapped consistently on every call",
        "const@24:31#0": "weight_decay can't be -1; with weight_decay 0, g + 0 * p equals g for every finite p "
                         "(the docstring's formula adds it unconditionally)",
    },
}

# ------------------------------------------------------------------------------------------------
# "Check your understanding" questions (issue 9): the usual slips, and right answers in other forms.
# ------------------------------------------------------------------------------------------------

WRONG.update({
    "answer_3_5": {
        "weights only, no biases": '''
def answer_3_5():
    return 64 * 128 + 128 * 10
''',
        "one layer only": '''
def answer_3_5():
    return 64 * 128 + 128
''',
        "counts units, not weights": '''
def answer_3_5():
    return 64 + 128 + 10
''',
    },
    "answer_3_6": {
        "no_grad missing": '''
def answer_3_6():
    return "a"
''',
        "shuffled validation set": '''
def answer_3_6():
    return "b"
''',
        "accumulated gradients": '''
def answer_3_6():
    return "d"
''',
        "the reason in words, not a letter": '''
def answer_3_6():
    return "dropout is still active"
''',
    },
})

RIGHT.update({
    "answer_3_5": {
        "the number": '''
def answer_3_5():
    return 9610
''',
        "counted with numel": '''
def answer_3_5():
    return sum(p.numel() for p in MLP(64, 128, 10).parameters())
''',
    },
    "answer_3_6": {
        "upper case, with spaces": '''
def answer_3_6():
    return " C "
''',
    },
})

# ------------------------------------------------------------------------------------------------
# Red team 2026-12-03: more near misses (dict order, a missing class, dropout's scale and in-place
# form, a per-batch mask, an RNG drawn while not shuffling, inputs flattened for the model).
# ------------------------------------------------------------------------------------------------

WRONG["log_softmax"].update({
    # red team 2026-12-03
    "`dim or -1`: dim=0 silently becomes the last dim": '''
def log_softmax(z, dim=-1):
    dim = dim or -1
    s = z - z.amax(dim=dim, keepdim=True)
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "shift by the largest |z| (underflows to -inf)": '''
def log_softmax(z, dim=-1):
    s = z - z.abs().amax(dim=dim, keepdim=True)
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "shift by the mean (overflows)": '''
def log_softmax(z, dim=-1):
    s = z - z.mean(dim=dim, keepdim=True)
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "shifted logits clamped at -87 (float32's exp limit)": '''
def log_softmax(z, dim=-1):
    s = (z - z.amax(dim=dim, keepdim=True)).clamp(min=-87.0)
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
    "log-sum-exp over every dim (one scalar)": '''
def log_softmax(z, dim=-1):
    s = z - z.amax(dim=dim, keepdim=True)
    return s - s.exp().sum().log()
''',
})

WRONG["cross_entropy"].update({
    # red team 2026-12-03
    "squeeze() without a dim (a batch of one gives a 0-dim 'none')": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze()
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
    "mean divided by the number of classes": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.sum() / logits.shape[1]
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
    "an unknown reduction returns None (no error)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
''',
    "F.one_hot(target) without num_classes": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -(F.one_hot(target).to(logits.dtype) * log_softmax(logits, dim=1)).sum(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})

WRONG["loss_and_grads"].update({
    # red team 2026-12-03
    "F.one_hot(y) without num_classes (a batch missing the last class)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    T = F.one_hot(y).to(S.dtype)
    loss = -(T * logp).sum(1).mean()
    dS = (logp.exp() - T) / N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "softmax shifted by the global max (rows underflow to 0/0)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    loss = cross_entropy(S, y)
    E = (S - S.max()).exp()
    dS = E / E.sum(1, keepdim=True)
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "dA = dS @ W2 (W2 not transposed)": '''
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
    dA = dS @ W2
    dZ1 = dA * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "b1's gradient taken before the ReLU mask": '''
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
    dA = dS @ W2.T
    dZ1 = dA * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dA.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})

WRONG["hand_gd_step"].update({
    # red team 2026-12-03
    "zip(params.values(), grads.values()): relies on the dict's order": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for p, g in zip(params.values(), grads.values()):
        p -= lr * g
    return float(loss)
''',
    "gradients recomputed for each key (at partly updated weights)": '''
def hand_gd_step(params, X, y, lr):
    loss0 = None
    for k in params:
        loss, grads = loss_and_grads(params, X, y)
        loss0 = float(loss) if loss0 is None else loss0
        params[k] -= lr * grads[k]
    return loss0
''',
    "lr as a float32 tensor (torch.tensor(lr))": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    step = torch.tensor(lr)
    for k, p in params.items():
        p -= step * grads[k]
    return float(loss)
''',
    "only the weights updated (biases left alone)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k in ("W1", "W2"):
        params[k] -= lr * grads[k]
    return float(loss)
''',
})

WRONG["mlp_module"].update({
    # red team 2026-12-03
    "hand-written dropout scaled by 1 / p instead of 1 / (1 - p)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p > 0:
            h = h * (torch.rand_like(h) >= self.p) / self.p
        return self.fc2(h)
''',
    "nn.Dropout(inplace=True) on the ReLU's output (backward fails in training)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop, inplace=True)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
    "one dropout mask for the whole batch (torch.rand(H))": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p > 0:
            keep = torch.rand(h.shape[1], device=h.device) >= self.p
            h = h * keep.to(h.dtype) / max(1.0 - self.p, 1e-12)
        return self.fc2(h)
''',
    "nn.Dropout() with its default p = 0.5 (p_drop ignored)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout()
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
    "nn.Dropout made inside forward (always in training mode)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        return self.fc2(nn.Dropout(self.p_drop)(F.relu(self.fc1(x.flatten(1)))))
''',
})

WRONG["minibatches"].update({
    # red team 2026-12-03
    "a permutation drawn even when shuffle=False (the RNG is touched)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator)
    if not shuffle:
        idx = torch.arange(N)
    idx = idx.to(X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
    "torch.rand(N, generator=...).argsort() (not randperm's order)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.rand(N, generator=generator).argsort() if shuffle else torch.arange(N)
    idx = idx.to(X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
    "a small last batch merged into the one before": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    starts = list(range(0, N, batch_size))
    if len(starts) > 1 and N - starts[-1] < batch_size:
        starts.pop()
    for i, start in enumerate(starts):
        end = N if i == len(starts) - 1 else start + batch_size
        yield X[idx[start:end]], y[idx[start:end]]
''',
    "the global RNG reseeded from the generator's seed": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        if generator is not None:
            torch.manual_seed(generator.initial_seed())
        idx = torch.randperm(N).to(X.device)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
})

WRONG["train_step"].update({
    # red team 2026-12-03
    "inputs flattened before the model (xb.flatten(1))": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb.flatten(1)), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    "gradient norm clipped to 1 before the step": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
''',
    "the caller's mode restored afterwards (eval stays eval)": '''
def train_step(model, optimizer, xb, yb):
    was_training = model.training
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    model.train(was_training)
    return loss.item()
''',
    "loss reported from a second forward pass after the step": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    F.cross_entropy(model(xb), yb).backward()
    optimizer.step()
    with torch.no_grad():
        return F.cross_entropy(model(xb), yb).item()
''',
})

WRONG["evaluate"].update({
    # red team 2026-12-03
    "accuracy as the mean of batch accuracies": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, accs = 0.0, []
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            accs.append((logits.argmax(1) == yb).float().mean().item())
    return total / len(y), sum(accs) / len(accs)
''',
    "loss summed in a float32 tensor": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = torch.zeros(()), 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").cpu()
            correct += (logits.argmax(1) == yb).sum().item()
    return total.item() / len(y), correct / len(y)
''',
    "argmax over the batch axis": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(0)[: len(yb)] == yb).sum().item()
    return total / len(y), correct / len(y)
''',
    "only dropout layers switched to eval (batch norm keeps training)": '''
def evaluate(model, X, y, batch_size=512):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})

WRONG["sgd_momentum_step"].update({
    # red team 2026-12-03
    "buffers in a module-level dict (shared by every optimizer)": '''
_BUFS = {}


def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if momentum:
                _BUFS[i] = d.clone() if i not in _BUFS else _BUFS[i].mul_(momentum).add_(d)
                d = _BUFS[i]
            p.sub_(lr * d)
''',
    "weight decay only when momentum is on": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            if momentum:
                d = g + weight_decay * p
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                p.sub_(lr * bufs[i])
            else:
                p.sub_(lr * g)
''',
    "stepped with the old buffer, then the buffer updated": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if bufs[i] is None:
                bufs[i] = d.clone()
                p.sub_(lr * d)
            else:
                p.sub_(lr * bufs[i])
                bufs[i].mul_(momentum).add_(d)
''',
    "buffer rebound to a local name (never stored back)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    if "buf" not in state:
        state["buf"] = [torch.zeros_like(p) for p in params]
    with torch.no_grad():
        for p, g, buf in zip(params, grads, state["buf"]):
            buf = momentum * buf + (g + weight_decay * p)
            p.sub_(lr * buf)
''',
})

WRONG["adam_step"].update({
    # red team 2026-12-03
    "step counter in a module-level global (shared by every optimizer)": '''
_T = [0]


def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    _T[0] += 1
    t = _T[0]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "bias correction divides the stored average in place": '''
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
            m_hat = m.div_(1 - b1 ** t)
            p -= lr * m_hat / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "step counter incremented once per parameter": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            state["t"] += 1
            t = state["t"]
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "second moment from |g| instead of g ** 2": '''
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
            v.mul_(b2).add_((1 - b2) * g.abs())
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)) + eps)
''',
})

# ---- device slips that need values to show (coursekit.valued_meta) ----
WRONG["minibatches"].update({
    "permutation drawn on X's device with the CPU generator (fails on a GPU)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator, device=X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
})

# ---- red team round 5 (rta) ----
WRONG["minibatches"].update({
    "a fresh generator seeded like the one passed (the same order every epoch)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        g = None if generator is None else torch.Generator().manual_seed(generator.initial_seed())
        idx = torch.randperm(N, generator=g).to(X.device)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
    "the generator's state restored after the draw (the same order every epoch)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        saved = generator.get_state() if generator is not None else None
        idx = torch.randperm(N, generator=generator).to(X.device)
        if saved is not None:
            generator.set_state(saved)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        yield X[idx[start:start + batch_size]], y[idx[start:start + batch_size]]
''',
})

WRONG["mlp_module"].update({
    "nn.Dropout1d on [B, H] (drops whole examples, not units)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout1d(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
})

WRONG["cross_entropy"].update({
    "reduction=None accepted as 'none' (no error)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction in ("none", None):
        return nll
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})

WRONG["train_step"].update({
    "logits cast to float32 before the loss (an AMP habit)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb).float(), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    "model.training = True (only the top module's flag)": '''
def train_step(model, optimizer, xb, yb):
    model.training = True
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})

WRONG["adam_step"].update({
    "step counter as a float32 tensor, as torch.optim keeps it": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(step=torch.zeros(()), m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["step"] += 1
    t = state["step"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
    "v updated from the gradient before weight decay": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            v.mul_(b2).add_((1 - b2) * g * g)
            g = g + weight_decay * p
            m.mul_(b1).add_((1 - b1) * g)
            p -= lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
})

WRONG["evaluate"].update({
    "logits cast to float32 before the loss": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb).float()
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})

WRONG["sgd_momentum_step"].update({
    "momentum buffers keyed by the parameter's shape": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for p, g in zip(params, grads):
            d = g + weight_decay * p
            if momentum:
                key = tuple(p.shape)
                state[key] = d.clone() if key not in state else state[key].mul_(momentum).add_(d)
                d = state[key]
            p.sub_(lr * d)
''',
})

RIGHT["log_softmax"].update({
    "the max detached (the shift's gradient cancels)": '''
def log_softmax(z, dim=-1):
    m = z.detach().amax(dim=dim, keepdim=True)
    s = z - m
    return s - torch.log(torch.sum(torch.exp(s), dim=dim, keepdim=True))
''',
})

RIGHT["cross_entropy"].update({
    "advanced indexing logp[arange(N), target]": '''
def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction)
    logp = log_softmax(logits, dim=1)
    nll = -logp[torch.arange(len(target), device=logits.device), target]
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
})

RIGHT["mlp_module"].update({
    "dropout before the ReLU (it commutes: zeros and a positive scale)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(torch.relu(self.drop(self.fc1(nn.Flatten()(x)))))
''',
})

RIGHT["sgd_momentum_step"].update({
    "buffers keyed by position, zero-initialised (m * 0 + d = d on the first step)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = torch.add(g, p, alpha=weight_decay)
            if momentum != 0:
                buf = state.setdefault(i, torch.zeros_like(p))
                buf.mul_(momentum).add_(d)
                d = buf
            p.add_(d, alpha=-lr)
''',
})

RIGHT["adam_step"].update({
    "state keyed by the parameter tensors themselves, as torch.optim does": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    with torch.no_grad():
        for p, g in zip(params, grads):
            if p not in state:
                state[p] = (torch.zeros_like(p), torch.zeros_like(p))
            m, v = state[p]
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
})

# Library routes the text puts off limits, reached by a name the first lists did not hold.
WRONG["log_softmax"].update({
    "the row's log-sum-exp read off torch.logcumsumexp's last entry": '''
def log_softmax(z, dim=-1):
    lse = z.logcumsumexp(dim).narrow(dim, z.shape[dim] - 1, 1) if z.shape[dim] else z
    return z - lse
''',
})
WRONG["sgd_momentum_step"].update({
    "torch.optim's functional SGD with buffers kept in state": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    from torch.optim.sgd import sgd
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        sgd(params, list(grads), bufs, weight_decay=weight_decay, momentum=momentum, lr=lr, dampening=0.0,
            nesterov=False, maximize=False, foreach=False)
''',
})
WRONG["adam_step"].update({
    "torch.optim.Adam made for each call and its state carried in `state`": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    leaves = [p.detach().requires_grad_(True) for p in params]   # share memory with params
    opt = torch.optim.Adam(leaves, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=False)
    for i, (q, g) in enumerate(zip(leaves, grads)):
        q.grad = g.clone()
        if i in state:
            opt.state[q] = state[i]
    opt.step()
    for i, q in enumerate(leaves):
        state[i] = opt.state[q]
''',
})
WARNED["log_softmax"].append("the row's log-sum-exp read off torch.logcumsumexp's last entry")
WARNED["sgd_momentum_step"].append("torch.optim's functional SGD with buffers kept in state")
WARNED["adam_step"].append("torch.optim.Adam made for each call and its state carried in `state`")
WRONG["evaluate"].update({
    "torch.set_grad_enabled(False) as a plain call (autograd stays off afterwards)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    torch.set_grad_enabled(False)
    total_loss, correct = 0.0, 0
    for xb, yb in minibatches(X, y, batch_size):
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
})
WARNED["evaluate"].append("torch.set_grad_enabled(False) as a plain call (autograd stays off afterwards)")

# ------------------------------------------------------------------------------------------------
# Red team 6 (rtb): a negative dim other than -1, reduction names in another case, a float32 dropout
# scale, a reseeded global RNG, a private shuffle in evaluation, frozen parameters; more right forms.
# ------------------------------------------------------------------------------------------------

WRONG["log_softmax"].update({
    "every negative dim taken as the last one": '''
def log_softmax(z, dim=-1):
    if dim < 0:
        dim = z.dim() - 1
    s = z - z.amax(dim=dim, keepdim=True)
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
})
WRONG["cross_entropy"].update({
    "reduction compared case-insensitively ('Mean' accepted)": '''
def cross_entropy(logits, target, reduction="mean"):
    reduction = reduction.lower()
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})
WRONG["mlp_module"].update({
    "hand-written dropout mask in float32 (bool * 1 / (1 - p))": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p_drop > 0:
            if self.p_drop >= 1:
                h = h * 0
            else:
                h = h * ((torch.rand(h.shape, device=h.device) >= self.p_drop) * (1 / (1 - self.p_drop)))
        return self.fc2(h)
''',
})
WRONG["train_step"].update({
    "torch.manual_seed(0) in every step (the same dropout masks every step)": '''
def train_step(model, optimizer, xb, yb):
    torch.manual_seed(0)
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    "shuffled with a private seeded generator (the global RNG untouched)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size, shuffle=True, generator=torch.Generator().manual_seed(0)):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
    "parameters frozen (requires_grad_(False)) instead of torch.no_grad()": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    model.requires_grad_(False)
    total_loss, correct = 0.0, 0
    for xb, yb in minibatches(X, y, batch_size):
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
})
RIGHT["loss_and_grads"].update({
    "ReLU mask as torch.sign(A), softmax by torch.softmax": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    Z1 = X @ W1 + b1
    A = torch.relu(Z1)
    S = A @ W2 + b2
    loss = cross_entropy(S, y)
    dS = (torch.softmax(S, dim=1) - F.one_hot(y, C).to(S.dtype)) / N
    dZ1 = (dS @ W2.T) * torch.sign(A)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
RIGHT["train_step"].update({
    "model.zero_grad() instead of optimizer.zero_grad()": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    model.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return float(loss)
''',
})
# Not listed: a valid sgd_momentum_step written with torch._foreach_add_/_foreach_mul_ (in place on the params)
# passes in one kernel but fails when graded: under forbid()'s TorchDispatchMode the _foreach_ in-place ops do not
# bump the tensors' version counters, so coursekit/probe.py never sends the updated params back (reported).
RIGHT["adam_step"].update({
    "torch's single-tensor form: lerp_, addcmul_, addcdiv_": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if "exp_avg" not in state:
        state["step"] = 0
        state["exp_avg"] = [torch.zeros_like(p) for p in params]
        state["exp_avg_sq"] = [torch.zeros_like(p) for p in params]
    state["step"] += 1
    step = state["step"]
    bc1, bc2 = 1 - beta1 ** step, 1 - beta2 ** step
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["exp_avg"], state["exp_avg_sq"]):
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)
            m.lerp_(g, 1 - beta1)
            v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
            denom = (v.sqrt() / math.sqrt(bc2)).add_(eps)
            p.addcdiv_(m, denom, value=-lr / bc1)
''',
})

# Red team 6 (rtb), second round: forward-mode autodiff, which the text puts off limits (torch.func, torch.autograd)
# but which reaches neither .backward() nor torch.autograd.grad; and a log-sum-exp by pairwise logaddexp, not off limits.
WRONG["loss_and_grads"].update({
    "gradients by torch.func.jacfwd (forward mode, off limits)": '''
def loss_and_grads(params, X, y):
    def loss_fn(p):
        return F.cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
    return loss_fn(params), torch.func.jacfwd(loss_fn)(params)
''',
    "gradients by dual numbers (torch.autograd.forward_ad, off limits)": '''
import torch.autograd.forward_ad as fwAD

def loss_and_grads(params, X, y):
    def loss_fn(p):
        return F.cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
    grads = {}
    for k, v in params.items():
        basis = torch.eye(v.numel(), dtype=v.dtype, device=v.device)
        g = []
        for i in range(v.numel()):
            with fwAD.dual_level():
                p = dict(params)
                p[k] = fwAD.make_dual(v, basis[i].reshape(v.shape))
                g.append(fwAD.unpack_dual(loss_fn(p)).tangent)
        grads[k] = torch.stack(g).reshape(v.shape)
    return loss_fn(params), grads
''',
})
WARNED["loss_and_grads"] += ["gradients by torch.func.jacfwd (forward mode, off limits)",
                             "gradients by dual numbers (torch.autograd.forward_ad, off limits)"]
RIGHT["log_softmax"].update({
    "log-sum-exp by a reduce of torch.logaddexp over the slices": '''
import functools

def log_softmax(z, dim=-1):
    lse = functools.reduce(torch.logaddexp, z.unbind(dim))
    return z - lse.unsqueeze(dim)
''',
})

RIGHT["cross_entropy"].update({
    "F.kl_div of the log-probabilities against one-hot targets": '''
def cross_entropy(logits, target, reduction="mean"):
    logp = log_softmax(logits, dim=1)
    onehot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
    nll = F.kl_div(logp, onehot, reduction="none").sum(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})
# Not listed either (reported): valid in-place updates through .data (`p.data -= lr * grads[k]` in hand_gd_step,
# `p.data.add_(d, alpha=-lr)` in sgd_momentum_step) pass in one kernel but fail when graded: an in-place change
# through .data does not bump p's version counter, so coursekit/probe.py never sends the new values back.

# Red team 6 (rtb): a valid MLP that the tests rejected (strict load_state_dict of fc1/fc2 keys only, while its
# state_dict also lists net.1.* and net.4.*); the tests now load with strict=False.
RIGHT["mlp_module"].update({
    "fc1 and fc2 also held in an nn.Sequential that forward runs": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.net = nn.Sequential(nn.Flatten(), self.fc1, nn.ReLU(), nn.Dropout(p_drop), self.fc2)

    def forward(self, x):
        return self.net(x)
''',
})
RIGHT["minibatches"].update({
    "a list of all the batches, built eagerly": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = len(X)
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    return [(X[b], y[b]) for b in idx.split(batch_size)]
''',
})
# Not listed (reported): adam_step state keyed by id(p) passes in one kernel but fails when graded, where each call
# gets fresh copies of the parameters (new ids); state keyed by position works in both, and the docstring now says so.
RIGHT["cross_entropy"].update({
    "a dict of the three reductions (a KeyError for any other name)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target[:, None])[:, 0]
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
})

# ------------------------------------------------------------------------------------------------
# Red team round 7 (rt7/a, 2026-12-04)
# ------------------------------------------------------------------------------------------------
WRONG["cross_entropy"].update({
    "target.unsqueeze_(1) (the caller's target becomes [N, 1])": '''
def cross_entropy(logits, target, reduction="mean"):
    logp = log_softmax(logits, dim=1)
    nll = -logp.gather(1, target.unsqueeze_(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})
WRONG["loss_and_grads"].update({
    "gradients by torch.func.jacrev (reverse mode, off limits)": '''
def loss_and_grads(params, X, y):
    def loss_of(p):
        return cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
    p = {k: v.detach() for k, v in params.items()}
    return loss_of(p), dict(torch.func.jacrev(loss_of)(p))
''',
    "gradients by torch.autograd.functional.jacobian (off limits)": '''
def loss_and_grads(params, X, y):
    keys = list(params)
    def loss_of(*ts):
        p = dict(zip(keys, ts))
        return cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
    ts = tuple(params[k].detach() for k in keys)
    grads = torch.autograd.functional.jacobian(loss_of, ts)
    return loss_of(*ts), dict(zip(keys, grads))
''',
    "gradients from autograd's engine called directly (torch._C, off limits)": '''
def loss_and_grads(params, X, y):
    keys = list(params)
    leaves = [params[k].detach().clone().requires_grad_(True) for k in keys]
    p = dict(zip(keys, leaves))
    loss = cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
    grads = torch.autograd.Variable._execution_engine.run_backward(
        (loss,), (torch.ones_like(loss),), False, False, tuple(leaves), False, False)
    return loss.detach(), dict(zip(keys, grads))
''',
    "autograd switched back on inside the function, then its engine": '''
def loss_and_grads(params, X, y):
    keys = list(params)
    with torch.enable_grad():                       # so it also works under the test's torch.no_grad()
        leaves = [params[k].detach().clone().requires_grad_(True) for k in keys]
        p = dict(zip(keys, leaves))
        loss = cross_entropy(torch.relu(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], y)
        grads = torch.autograd.Variable._execution_engine.run_backward(
            (loss,), (torch.ones_like(loss),), False, False, tuple(leaves), False, False)
    return loss.detach(), dict(zip(keys, grads))
''',
})
WRONG["mlp_module"].update({
    "every weight and bias initialised to zero (hidden units stay identical)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)
        for layer in (self.fc1, self.fc2):          # a clean start
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
    "weights initialised to the constant 0.01 (no symmetry breaking)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)
        nn.init.constant_(self.fc1.weight, 0.01)     # small weights
        nn.init.constant_(self.fc2.weight, 0.01)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
})
WRONG["evaluate"].update({
    "default batch_size of 128 (not the signature's 512)": '''
def evaluate(model, X, y, batch_size=128):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["minibatches"].update({
    "batch size capped at N // 2 (an epoch is never one batch)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    batch_size = max(1, min(batch_size, N // 2 or 1))
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch], y[batch]
''',
})
RIGHT["evaluate"].update({
    "batch means times batch sizes, summed, over N": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    loss_sum, hits = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            out = model(xb)
            loss_sum += F.cross_entropy(out, yb).item() * len(yb)
            hits += int((out.max(dim=1).indices == yb).sum())
    return loss_sum / len(y), hits / len(y)
''',
})
RIGHT["mlp_module"].update({
    "F.relu(inplace=True) on fc1's output, F.dropout with the training flag": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.reshape(x.shape[0], -1)), inplace=True)
        return self.fc2(F.dropout(h, self.p_drop, training=self.training))
''',
})
RIGHT["hand_gd_step"].update({
    "p.add_(grads[k], alpha=-lr), the loss with .item()": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k in params:
        params[k].add_(grads[k], alpha=-lr)
    return loss.item()
''',
})
# the text of Exercise 2.1 now names autograd's engine and asks for a function that works under torch.no_grad();
# the visible call runs under it
WARNED["loss_and_grads"] += ["gradients from autograd's engine called directly (torch._C, off limits)",
                             "autograd switched back on inside the function, then its engine"]

# ------------------------------------------------------------------------------------------------
# Red team round 7 (rt7/i, 2026-12-04)
# ------------------------------------------------------------------------------------------------
WRONG["mlp_module"].update({
    "He init for fc1 and zero biases, as init_two_layer in section 2": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)
        nn.init.kaiming_normal_(self.fc1.weight, nonlinearity="relu")   # He init before the ReLU
        nn.init.zeros_(self.fc1.bias)
        nn.init.zeros_(self.fc2.bias)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
    "biases zeroed (nn.Linear's random weights kept)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)
        with torch.no_grad():
            self.fc1.bias.zero_()
            self.fc2.bias.zero_()

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
    'weights drawn from N(0, 0.01^2) ("small random numbers")': '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)
        nn.init.normal_(self.fc1.weight, std=0.01)
        nn.init.normal_(self.fc2.weight, std=0.01)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
})
WRONG["cross_entropy"].update({
    'reduction in ("mean") (a string, not a tuple: "" and "me" accepted)': '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction in ("mean"):
        return nll.mean()
    if reduction in ("sum"):
        return nll.sum()
    if reduction in ("none"):
        return nll
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})
WRONG["evaluate"].update({
    "correct when the label's logit equals the row max (ties all count)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            label_logit = logits.gather(1, yb[:, None])[:, 0]
            correct += (label_logit >= logits.amax(1)).sum().item()
    return total_loss / len(y), correct / len(y)
''',
    "loss as -log(softmax) (underflows for confident mistakes)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            probs = F.softmax(logits, dim=1)
            total_loss += -probs.gather(1, yb[:, None]).log().sum().item()
            correct += (probs.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["train_step"].update({
    "loss as F.nll_loss of log(softmax) (underflows for confident mistakes)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.nll_loss(torch.log(F.softmax(model(xb), dim=1)), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["minibatches"].update({
    "labels cast to int64 (yb = y[batch].long())": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch], y[batch].long()
''',
})
WRONG["hand_gd_step"].update({
    "the loss returned through float32 (loss.float().item())": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return loss.float().item()
''',
})
RIGHT["mlp_module"].update({
    "x.reshape(-1, fc1.in_features), torch.relu, F.dropout": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = torch.relu(self.fc1(x.reshape(-1, self.fc1.in_features)))
        return self.fc2(F.dropout(h, p=self.p_drop, training=self.training))
''',
})
RIGHT["cross_entropy"].update({
    # red team 16: the empty batch's guard (logp.new_zeros(0), outside the graph) dropped: logp[:, target] is [0, 0]
    # there and its diagonal an empty [0] in the graph, so backward() works as for F.cross_entropy
    "a match statement, nll by torch.diagonal of logp[:, target]": '''
def cross_entropy(logits, target, reduction="mean"):
    logp = log_softmax(logits, dim=1)
    nll = -torch.diagonal(logp[:, target])        # [0, 0] -> [0] for an empty batch, in the graph
    match reduction:
        case "mean":
            return nll.mean()
        case "sum":
            return nll.sum()
        case "none":
            return nll
        case _:
            raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
''',
})
RIGHT["evaluate"].update({
    "zip of X.split and y.split, per-example losses kept in a list": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    nll, hits = [], []
    with torch.no_grad():
        for xb, yb in zip(X.split(batch_size), y.split(batch_size)):
            out = model(xb)
            nll.append(F.cross_entropy(out, yb, reduction="none"))
            hits.append(out.argmax(dim=1).eq(yb))
    return torch.cat(nll).sum().item() / len(y), torch.cat(hits).sum().item() / len(y)
''',
})
RIGHT["loss_and_grads"].update({
    "einsum for every product, softmax via torch.where of a shifted exp": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    Z1 = torch.einsum("nd,dh->nh", X, W1) + b1
    A = torch.where(Z1 > 0, Z1, 0.0)
    S = torch.einsum("nh,hc->nc", A, W2) + b2
    logp = log_softmax(S, dim=1)
    onehot = torch.zeros_like(S).scatter_(1, y[:, None], 1.0)
    loss = -(onehot * logp).sum() / N
    dS = (logp.exp() - onehot) / N
    dZ1 = torch.einsum("nc,hc->nh", dS, W2) * (Z1 > 0)
    return loss, {"W1": torch.einsum("nd,nh->dh", X, dZ1), "b1": dZ1.sum(0),
                  "W2": torch.einsum("nh,nc->hc", A, dS), "b2": dS.sum(0)}
''',
})
RIGHT["minibatches"].update({
    "X and y permuted once, then split into batches": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    if shuffle:
        idx = torch.randperm(len(X), generator=generator).to(X.device)
        X, y = X[idx], y[idx]
    yield from zip(X.split(batch_size), y.split(batch_size))
''',
})

# ---- red-team pass 9 (reviewer b) ----
WRONG["log_softmax"].update({
    "torch._log_softmax, the kernel behind F.log_softmax (off limits)": '''
def log_softmax(z, dim=-1):
    return torch._log_softmax(z, dim, False)
''',
    "torch.ops.aten._log_softmax (off limits)": '''
def log_softmax(z, dim=-1):
    return torch.ops.aten._log_softmax.default(z, dim, False)
''',
    "output passed through nan_to_num (masked -inf becomes the float min)": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    s = z - m
    return torch.nan_to_num(s - s.exp().sum(dim=dim, keepdim=True).log())
''',
})
WRONG["cross_entropy"].update({
    "default reduction 'sum' (the signature says 'mean')": '''
def cross_entropy(logits, target, reduction="sum"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
    "reduction compared with `is` (a 'mean' built at run time is rejected)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction is "mean":
        return nll.mean()
    if reduction is "sum":
        return nll.sum()
    if reduction is "none":
        return nll
    raise ValueError(reduction)
''',
    "mean kept as a [1] tensor (mean(0, keepdim=True))": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean(0, keepdim=True)
    if reduction == "sum":
        return nll.sum(0, keepdim=True)
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["loss_and_grads"].update({
    "loss returned with shape [1] (mean(0, keepdim=True))": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[rows, y].mean(0, keepdim=True)
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "softmax probabilities clamped to 1e-7 (to keep log finite)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp().clamp(min=1e-7)
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
WRONG["hand_gd_step"].update({
    "loss rounded to 6 decimals for the log (round(float(loss), 6))": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return round(float(loss), 6)
''',
})
WRONG["mlp_module"].update({
    "x.squeeze().flatten(1) (a batch of one loses its batch dim)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.squeeze().flatten(1)))))
''',
})
WRONG["minibatches"].update({
    "shuffle only when a generator is given": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle and generator is not None:
        idx = torch.randperm(N, generator=generator).to(X.device)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        b = idx[start:start + batch_size]
        yield X[b], y[b]
''',
    "y moved to X's device with a copy cast to int64 only when it is an integer tensor": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        b = idx[start:start + batch_size]
        yb = y[b]
        yield X[b], (yb.long() if not yb.is_floating_point() else yb)
''',
})
WRONG["train_step"].update({
    "model.requires_grad_(True) (unfreezes frozen layers)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    model.requires_grad_(True)
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    "loss divided by a hard-coded batch size of 64 (reduction='sum' / 64)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb, reduction="sum") / 64
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    "batch mean times batch_size (the last batch counted as full)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb).item() * min(batch_size, len(y))
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
    "prediction from a float32 softmax (float64 logits that differ by 1e-9 tie)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.float().softmax(1).argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    "momentum buffers keyed by id(p)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    with torch.no_grad():
        for p, g in zip(params, grads):
            d = g + weight_decay * p
            if momentum != 0:
                buf = state.get(id(p))
                if buf is None:
                    buf = state[id(p)] = d.clone()
                else:
                    buf.mul_(momentum).add_(d)
                d = buf
            p.sub_(lr * d)
''',
    "first buffer taken from the raw gradient (weight decay missed on step 1)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("buf", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if momentum != 0:
                if bufs[i] is None:
                    bufs[i] = g.clone()
                else:
                    bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    "the paper's efficient form: eps added to sqrt(v) before the bias correction": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    step = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            p.addcdiv_(m, v.sqrt() + eps, value=-step)
''',
    "averages keyed by id(p)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    with torch.no_grad():
        for p, g in zip(params, grads):
            g = g + weight_decay * p
            m, v = state.setdefault(id(p), (torch.zeros_like(p), torch.zeros_like(p)))
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
})
RIGHT["log_softmax"].update({
    "log of the sum as log1p(sum - 1) (the sum is at least 1)": '''
def log_softmax(z, dim=-1):
    s = z - z.amax(dim=dim, keepdim=True)
    return s - torch.log1p(s.exp().sum(dim=dim, keepdim=True) - 1)
''',
})
RIGHT["cross_entropy"].update({
    "torch.where over a class-index comparison, summed per row": '''
def cross_entropy(logits, target, reduction="mean"):
    logp = log_softmax(logits, dim=1)
    hit = torch.arange(logits.shape[1], device=logits.device) == target[:, None]
    nll = -torch.where(hit, logp, torch.zeros((), dtype=logp.dtype, device=logp.device)).sum(1)
    if reduction == "mean":
        return nll.sum() / len(nll)
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(f"unknown reduction {reduction!r}")
''',
})
RIGHT["mlp_module"].update({
    "hand-written dropout: a rand_like(h) > p mask, scaled by 1 / (1 - p), p = 1 special-cased": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p > 0:
            h = h * (torch.rand_like(h) > self.p) / (1 - self.p) if self.p < 1 else h * 0
        return self.fc2(h)
''',
})
RIGHT["minibatches"].update({
    "index_select on X and y": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    n = len(X)
    order = torch.randperm(n, generator=generator).to(X.device) if shuffle else torch.arange(n, device=X.device)
    for b in order.split(batch_size):
        yield X.index_select(0, b), y.index_select(0, b)
''',
})

# --- red-team pass 10 (reviewer b) ---------------------------------------------------------------
WRONG["mlp_module"].update({
    "torch.manual_seed(0) in __init__ (every new MLP starts from the same weights)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        torch.manual_seed(0)                      # "reproducible" initialisation
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
    "log_softmax on the output (log-probabilities, not logits)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return F.log_softmax(self.fc2(self.drop(h)), dim=1)
''',
})
WRONG["train_step"].update({
    "soft targets F.one_hot(yb) without num_classes": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    logits = model(xb)
    loss = F.cross_entropy(logits, F.one_hot(yb).to(logits.dtype))
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["cross_entropy"].update({
    "an empty batch guarded: sum / max(N, 1) (0, not nan, for the mean)": '''
def cross_entropy(logits, target, reduction="mean"):
    logp = log_softmax(logits, dim=1)
    nll = -logp.gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.sum() / max(nll.shape[0], 1)
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["sgd_momentum_step"].update({
    "weight decay skipped for 1-D parameters (biases)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p if p.dim() > 1 else g
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
    "first-step flag never advanced (buf = d at every step)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    first = state.get("step", 0) == 0
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if momentum != 0:
                bufs[i] = d.clone() if first else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    "bias corrections from float32 tensors (torch.tensor(beta) ** t)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = torch.tensor(betas[0]), torch.tensor(betas[1])
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(betas[0]).add_(g, alpha=1 - betas[0])
            v.mul_(betas[1]).add_(g * g, alpha=1 - betas[1])
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
    "v's bias correction outside the square root (sqrt(v) / (1 - b2**t))": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / (v.sqrt() / (1 - b2 ** t) + eps))
''',
})
WRONG["minibatches"].update({
    "batches from idx.chunk(ceil(N / batch_size))": '''
import math

def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for batch in idx.chunk(math.ceil(N / batch_size)):
        yield X[batch], y[batch]
''',
})
WRONG["evaluate"].update({
    "prediction by torch.topk(logits, 1) (ties not broken towards the first class)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.topk(1, dim=1).indices[:, 0] == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
RIGHT["log_softmax"].update({
    "z minus the whole log-sum-exp (m + log sum exp(z - m))": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    lse = m + torch.log(torch.sum(torch.exp(z - m), dim=dim, keepdim=True))
    return z - lse
''',
})
RIGHT["cross_entropy"].update({
    "log-sum-exp per row minus the true logit (no log_softmax matrix)": '''
def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none") or not isinstance(reduction, str):
        raise ValueError(f"bad reduction {reduction!r}")
    m = logits.amax(dim=1)
    lse = m + (logits - m[:, None]).exp().sum(dim=1).log()
    nll = lse - logits.gather(1, target[:, None])[:, 0]
    return {"mean": nll.mean, "sum": nll.sum, "none": lambda: nll}[reduction]()
''',
})
RIGHT["mlp_module"].update({
    "nn.Flatten and nn.ReLU modules, F.dropout on the module's flag": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(in_features, hidden)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        return self.fc2(F.dropout(self.act(self.fc1(self.flatten(x))), self.p_drop, self.training))
''',
})
RIGHT["evaluate"].update({
    "logits of every batch concatenated, one loss and one accuracy at the end": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(xb) for xb, _ in minibatches(X, y, batch_size)])
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(dim=1) == y).double().mean()
    return loss.item(), acc.item()
''',
})
WARNED["cross_entropy"].append("an empty batch guarded: sum / max(N, 1) (0, not nan, for the mean)")
WARNED["mlp_module"].append("torch.manual_seed(0) in __init__ (every new MLP starts from the same weights)")

# red team 11, 2026-12-04
WRONG["log_softmax"].update({
    "1e-8 added inside the log for safety (the sum is already >= 1)": '''
def log_softmax(z, dim=-1):
    s = z - z.amax(dim=dim, keepdim=True)
    return s - torch.log(s.exp().sum(dim=dim, keepdim=True) + 1e-8)
''',
})
WRONG["cross_entropy"].update({
    "target.squeeze() first (targets that come as [N, 1]; a batch of one becomes 0-dim)": '''
def cross_entropy(logits, target, reduction="mean"):
    target = target.squeeze()
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["loss_and_grads"].update({
    "1/N applied before the one-hot is subtracted (P / N - onehot)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp() / N
    dS[rows, y] -= 1
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    "ReLU mask from X @ W1 (the bias left out of the mask)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    A = (X @ W1 + b1).clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (X @ W1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
WRONG["mlp_module"].update({
    "dropout masks from a generator seeded in __init__ (every new MLP drops the same units)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop
        self.gen = torch.Generator().manual_seed(0)          # "reproducible" dropout masks

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p_drop > 0:
            if self.p_drop >= 1:
                h = h * 0
            else:
                keep = torch.rand(h.shape, generator=self.gen, dtype=h.dtype) >= self.p_drop
                h = h * keep.to(h.device) / (1 - self.p_drop)
        return self.fc2(h)
''',
})
WRONG["train_step"].update({
    "xb, yb moved to the notebook's global device (not the model's)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    xb, yb = xb.to(device), yb.to(device)
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    "zero_grad at the end, after the step (stale gradients used by the first step)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    "batches moved to the notebook's global device (not the model's)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            xb, yb = xb.to(device), yb.to(device)
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
    "prediction from a softmax over the batch axis (softmax(0).argmax(1))": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (torch.softmax(logits, dim=0).argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    "weight decay scaled by lr inside d (d = g + lr * weight_decay * p)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + lr * weight_decay * p
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    "averages started at the first gradient (m = g, v = g^2) instead of bias correction": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    with torch.no_grad():
        first = "m" not in state
        if first:
            state["m"], state["v"] = [], []
        for i, (p, g) in enumerate(zip(params, grads)):
            g = g + weight_decay * p
            if first:
                state["m"].append(g.clone())
                state["v"].append(g * g)
            else:
                state["m"][i].mul_(b1).add_(g, alpha=1 - b1)
                state["v"][i].mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * state["m"][i] / (state["v"][i].sqrt() + eps))
''',
})
RIGHT["log_softmax"].update({
    "sums without keepdim, then unsqueeze(dim) (a negative dim counts from the end of the full shape)": '''
def log_softmax(z, dim=-1):
    m = torch.amax(z, dim=dim)
    s = z - m.unsqueeze(dim)
    return s - torch.log(torch.exp(s).sum(dim=dim)).unsqueeze(dim)
''',
})
RIGHT["hand_gd_step"].update({
    "params[k] -= lr * grads[k] (augmented assignment on a dict item is in place)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k in grads:
        params[k] -= lr * grads[k]
    return loss.item()
''',
})
RIGHT["train_step"].update({
    "zero_grad after the forward pass, before backward": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    logits = model(xb)
    loss = F.cross_entropy(logits, yb)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.detach())
''',
})
RIGHT["evaluate"].update({
    "batches moved to the model's own device (next(model.parameters()).device)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    dev = next(model.parameters()).device
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            xb, yb = xb.to(dev), yb.to(dev)
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
WRONG["minibatches"].update({
    "xb cast to float32 (X[batch].float(), 'the model wants floats')": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        b = idx[start:start + batch_size]
        yield X[b].float(), y[b]
''',
})
WARNED["mlp_module"].append("dropout masks from a generator seeded in __init__ (every new MLP drops the same units)")

# red team 12, 2026-12-04
WRONG["log_softmax"].update({
    "a single class short-circuited to torch.zeros_like (log 1 = 0, but no gradient flows)": '''
def log_softmax(z, dim=-1):
    if z.shape[dim] == 1:
        return torch.zeros_like(z)              # one class: p = 1, log p = 0
    m = z.amax(dim=dim, keepdim=True)
    s = z - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
})
WRONG["cross_entropy"].update({
    "a single class short-circuited to logits.new_zeros(N) (loss 0, but no graph)": '''
def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(reduction)
    if logits.shape[1] == 1:
        nll = logits.new_zeros(logits.shape[0])   # one class: p = 1, every loss is 0
    else:
        nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    return nll
''',
})
WRONG["hand_gd_step"].update({
    "each gradient clipped to [-1, 1] before the step (for stability)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k].clamp(-1.0, 1.0)
    return float(loss)
''',
})
WRONG["mlp_module"].update({
    "logits squeezed on the last dim (n_classes=1 gives [B], not [B, 1])": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h)).squeeze(-1)
''',
})
WRONG["train_step"].update({
    "gradient values clipped to [-1, 1] before the step (clip_grad_value_)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    torch.nn.utils.clip_grad_value_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()
''',
    "gradients cleared by p.grad = zeros_like(p) for every parameter (frozen ones get a .grad)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["sgd_momentum_step"].update({
    "weight decay written back into the caller's grads list (grads[i] = g + wd * p)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, p in enumerate(params):
            if weight_decay != 0:
                grads[i] = grads[i] + weight_decay * p
            d = grads[i]
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    "weight decay written back into the caller's grads list (grads[i] = g + wd * p)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["t"], state["m"], state["v"] = 0, [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for i, p in enumerate(params):
            if weight_decay != 0:
                grads[i] = grads[i] + weight_decay * p
            g = grads[i]
            m, v = state["m"][i], state["v"][i]
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
    "1e-12 added under the square root (to keep sqrt away from 0)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["t"], state["m"], state["v"] = 0, [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t) + 1e-12).sqrt() + eps))
''',
})
RIGHT["log_softmax"].update({
    "a single class handled as z - z (0, nan where z is not finite, the graph kept)": '''
def log_softmax(z, dim=-1):
    if z.shape[dim] == 1:
        return z - z
    m = z.amax(dim=dim, keepdim=True)
    s = z - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
})
RIGHT["train_step"].update({
    "existing gradients zeroed in place by hand (p.grad.zero_() where p.grad is not None)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    for p in model.parameters():
        if p.grad is not None:
            p.grad.zero_()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
RIGHT["evaluate"].update({
    "the notebook's own cross_entropy(reduction='sum') for the loss": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += cross_entropy(logits, yb, reduction="sum").item()
            correct += int((logits.argmax(dim=1) == yb).sum())
    return total / len(y), correct / len(y)
''',
})
WRONG["minibatches"].update({
    "a torch DataLoader over a TensorDataset (it draws a base seed from the generator too)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    from torch.utils.data import DataLoader, TensorDataset
    yield from DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=shuffle, generator=generator)
''',
})
WRONG["adam_step"].update({
    "m updated from the raw gradient (weight decay reaches v only)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["t"], state["m"], state["v"] = 0, [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            m.mul_(b1).add_(g, alpha=1 - b1)
            gd = g + weight_decay * p
            v.mul_(b2).add_(gd * gd, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
})
WRONG["mlp_module"].update({
    "forward wrapped in torch.no_grad() in eval mode (no gradient reaches the input or the weights)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        with torch.set_grad_enabled(self.training and torch.is_grad_enabled()):
            h = F.relu(self.fc1(x.flatten(1)))
            return self.fc2(self.drop(h))
''',
})

# red team 13, 2026-12-05
WRONG["log_softmax"].update({
    "log-probabilities from torch.distributions.Categorical(logits=...) (logsumexp inside, off limits)": '''
def log_softmax(z, dim=-1):
    zl = z.movedim(dim, -1)
    return torch.distributions.Categorical(logits=zl, validate_args=False).logits.movedim(-1, dim)
''',
})
WRONG["cross_entropy"].update({
    "true-class log-probabilities by torch.take with flat indices from a CPU torch.arange (fails on a GPU)": '''
def cross_entropy(logits, target, reduction="mean"):
    N, C = logits.shape
    logp = log_softmax(logits, dim=1)
    nll = -logp.take(torch.arange(N) * C + target)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["loss_and_grads"].update({
    "1/N taken from X.shape[1] (the number of features, not the batch size)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[1]
    rows = torch.arange(X.shape[0])
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    logp = log_softmax(A @ W2 + b2, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
WRONG["hand_gd_step"].update({
    "returns the loss tensor, not a Python float": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return loss
''',
})
WRONG["mlp_module"].update({
    "nn.Dropout(p_drop or 0.5): p_drop=0 falls back to dropout 0.5": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop or 0.5)                # "no p given: the usual 0.5"
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
    "dropout only while autograd is on (self.training and torch.is_grad_enabled())": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        h = F.dropout(h, self.p_drop, training=self.training and torch.is_grad_enabled())
        return self.fc2(h)
''',
})
WRONG["train_step"].update({
    "xb.requires_grad_(True) on the caller's batch ('so that gradients flow')": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    xb.requires_grad_(True)
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    "inputs flattened before the model (model(xb.flatten(1)))": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb.flatten(1))
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    "weight decay halved (d = g + weight_decay / 2 * p, the penalty's 1/2 kept)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay / 2 * p
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    "bias correction (1 - beta) ** t (a parenthesis slip)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["t"], state["m"], state["v"] = 0, [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1) ** t) / ((v / (1 - b2) ** t).sqrt() + eps))
''',
    "default eps=1e-7 (Keras's default, not torch's 1e-8)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-7, weight_decay=0.0):
    b1, b2 = betas
    if not state:
        state["t"], state["m"], state["v"] = 0, [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + weight_decay * p
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).add_(g * g, alpha=1 - b2)
            p.sub_(lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps))
''',
})
RIGHT["log_softmax"].update({
    "a non-finite max replaced by 0 (torch.where(isfinite(m), m, 0)), as torch's logsumexp does": '''
def log_softmax(z, dim=-1):
    m = z.amax(dim=dim, keepdim=True)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    s = z - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
''',
})
RIGHT["mlp_module"].update({
    "nn.Identity when p_drop == 0, nn.Dropout(p_drop) otherwise": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop) if p_drop > 0 else nn.Identity()
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(torch.flatten(x, 1)))))
''',
})
RIGHT["minibatches"].update({
    "a while loop on a start index (no batch at all for an empty data set)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = len(X)
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    start = 0
    while start < N:
        b = idx[start:start + batch_size]
        yield X[b], y[b]
        start += batch_size
''',
})
WARNED["log_softmax"].append("log-probabilities from torch.distributions.Categorical(logits=...) (logsumexp inside, off limits)")
WARNED["sgd_momentum_step"].append("weight decay halved (d = g + weight_decay / 2 * p, the penalty's 1/2 kept)")
# red team 13, second round (written after the first fixes)
WRONG["evaluate"].update({
    "parameters frozen for the evaluation, then all unfrozen (requires_grad_(True) unfreezes frozen layers)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    model.requires_grad_(False)                  # no graph during evaluation
    total, correct = 0.0, 0
    for xb, yb in minibatches(X, y, batch_size):
        logits = model(xb)
        total += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    model.requires_grad_(True)                   # trainable again for the next train_step
    return total / len(y), correct / len(y)
''',
})
# red team 13, third round: caught once coursekit.valued_meta refuses a CPU tensor as an operator's output
WRONG["evaluate"].update({
    "0-dim CPU accumulators updated in place with the device's sums (cpu += cuda fails on a GPU)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = torch.zeros((), dtype=torch.float64), torch.zeros((), dtype=torch.int64)
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum")
            correct += (logits.argmax(1) == yb).sum()
    return total.item() / len(y), correct.item() / len(y)
''',
})
RIGHT["evaluate"].update({
    "0-dim accumulators made on the data's device": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total = torch.zeros((), dtype=torch.float64, device=X.device)
    correct = torch.zeros((), dtype=torch.int64, device=X.device)
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum")
            correct += (logits.argmax(1) == yb).sum()
    return total.item() / len(y), correct.item() / len(y)
''',
})

# red team 14, 2026-12-05
WRONG["cross_entropy"].update({
    "target range checked with target.max() (fails on an empty batch)": '''
def cross_entropy(logits, target, reduction="mean"):
    if target.min() < 0 or target.max() >= logits.shape[1]:
        raise ValueError("target out of range")
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
    "one-hot rows from torch.eye(C)[target] (made on the CPU)": '''
def cross_entropy(logits, target, reduction="mean"):
    onehot = torch.eye(logits.shape[1], dtype=logits.dtype)[target]
    nll = -(log_softmax(logits, dim=1) * onehot).sum(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["loss_and_grads"].update({
    "bias gradients kept as [1, H] and [1, C] (sum(0, keepdim=True))": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[torch.arange(N), y].mean()
    dS = logp.exp()
    dS[torch.arange(N), y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0, keepdim=True), "W2": A.T @ dS, "b2": dS.sum(0, keepdim=True)}
''',
})
WRONG["mlp_module"].update({
    "nn.Dropout(1 - p_drop): p_drop read as the keep probability (TF's keep_prob)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(1 - p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
})
WRONG["train_step"].update({
    "label smoothing 0.1 in the loss (a training-recipe default)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb, label_smoothing=0.1)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    "model.training = False (only the top module's flag)": '''
def evaluate(model, X, y, batch_size=512):
    model.training = False
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
    "hits counted with argmax(1, keepdim=True) == yb (a [B, B] comparison)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1, keepdim=True) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
WRONG["adam_step"].update({
    "default lr=1e-2 (not torch.optim.Adam's 1e-3)": '''
def adam_step(params, grads, state, lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state["t"] = 0
        state["m"] = [torch.zeros_like(p) for p in params]
        state["v"] = [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            if weight_decay != 0:
                g = g + weight_decay * p
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_(lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps))
''',
})
WRONG["sgd_momentum_step"].update({
    "Nesterov's look-ahead step (p -= lr * (d + momentum * buf))": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = d + momentum * bufs[i]
            p.sub_(lr * d)
''',
})
RIGHT["train_step"].update({
    "F.cross_entropy against one-hot probability targets sized by the logits (F.one_hot(yb, C))": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    logits = model(xb)
    loss = F.cross_entropy(logits, F.one_hot(yb, logits.shape[1]).to(logits.dtype))
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
RIGHT["evaluate"].update({
    "every submodule switched by model.apply(lambda m: m.train(False))": '''
def evaluate(model, X, y, batch_size=512):
    model.apply(lambda m: m.train(False))
    total, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total / len(y), correct / len(y)
''',
})
RIGHT["adam_step"].update({
    "hyper-parameters gathered in a dict with torch.optim.Adam's defaults, m and v keyed by index": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    hp = dict(lr=lr, b1=betas[0], b2=betas[1], eps=eps, wd=weight_decay)
    state["t"] = state.get("t", 0) + 1
    t = state["t"]
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            g = g + hp["wd"] * p
            m = state[("m", i)] = hp["b1"] * state.get(("m", i), torch.zeros_like(p)) + (1 - hp["b1"]) * g
            v = state[("v", i)] = hp["b2"] * state.get(("v", i), torch.zeros_like(p)) + (1 - hp["b2"]) * g * g
            p -= hp["lr"] * (m / (1 - hp["b1"] ** t)) / ((v / (1 - hp["b2"] ** t)).sqrt() + hp["eps"])
''',
})
WARNED["cross_entropy"].append("target range checked with target.max() (fails on an empty batch)")

# ------------------------------------------------------------------------------------------------
# red team 15, 2026-12-05 (reviewer B): global autograd switch, graphs kept in optimizer state, a ReLU
# threshold, a dict unpacked by position, dropout that blocks fc1's gradient or draws in eval mode.
# ------------------------------------------------------------------------------------------------
WRONG["loss_and_grads"].update({
    # red team 15: relu'(z) = 1 for every z > 0; a threshold blocks the gradient of small positive pre-activations
    "ReLU mask with a tolerance (Z1 > 1e-6)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 1e-6)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
    # red team 15: params is a dict keyed by name; its insertion order is not W1, b1, W2, b2 for every caller
    "W1, b1, W2, b2 = params.values() (relies on the dict's order)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params.values()
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
WRONG["hand_gd_step"].update({
    # red team 15: a plain torch.set_grad_enabled(False) leaves autograd off for the rest of the notebook
    # (section 3's loss.backward() then fails); `with torch.no_grad():` restores the mode
    "torch.set_grad_enabled(False) as a plain call (autograd stays off afterwards)": '''
def hand_gd_step(params, X, y, lr):
    torch.set_grad_enabled(False)
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return float(loss)
''',
    # red team 15: loss.numpy() fails for a tensor on a GPU (the network works on any device)
    "loss returned through NumPy (loss.numpy(): fails for a GPU tensor)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k, p in params.items():
        p -= lr * grads[k]
    return float(loss.numpy())
''',
})
WRONG["mlp_module"].update({
    # red team 15: the hidden layer's product with the mask runs under no_grad: in training mode no gradient
    # reaches fc1 (its weights never train), only fc2's
    "dropout mask applied under torch.no_grad() (no gradient reaches fc1 in training)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p_drop > 0:
            with torch.no_grad():              # "the mask needs no gradient"
                keep = (torch.rand_like(h) >= self.p_drop).to(h.dtype)
                h = h * keep / (1 - self.p_drop) if self.p_drop < 1 else h * 0
        return self.fc2(h)
''',
    # red team 15: eval mode draws random numbers (the mask is drawn, then thrown away): evaluation changes every
    # later dropout mask and shuffle, and evaluate() promises to draw none
    "dropout mask drawn in eval mode too (only applied in training)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        keep = (torch.rand_like(h) >= self.p_drop).to(h.dtype)
        if self.training and self.p_drop > 0:
            h = h * keep / (1 - self.p_drop) if self.p_drop < 1 else h * 0
        return self.fc2(h)
''',
})
WRONG["evaluate"].update({
    # red team 15: autograd switched back ON at the end, whatever it was: called under a caller's torch.no_grad(),
    # evaluate leaves autograd on inside that block
    "torch.set_grad_enabled(False), then set_grad_enabled(True) at the end (a caller's no_grad is undone)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    torch.set_grad_enabled(False)
    total_loss, correct = 0.0, 0
    for xb, yb in minibatches(X, y, batch_size):
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    torch.set_grad_enabled(True)
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    # red team 15: a plain torch.set_grad_enabled(False) leaves autograd off for the caller after the step
    "torch.set_grad_enabled(False) as a plain call (autograd stays off afterwards)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("momentum_buffer", [None] * len(params))
    torch.set_grad_enabled(False)
    for i, (p, g) in enumerate(zip(params, grads)):
        d = g + weight_decay * p if weight_decay != 0 else g
        if momentum != 0:
            if bufs[i] is None:
                bufs[i] = d.clone()
            else:
                bufs[i].mul_(momentum).add_(d)
            d = bufs[i]
        p.sub_(lr * d)
''',
    # red team 15: d = g + wd * p outside torch.no_grad(): for parameters that require grad the momentum buffers
    # join autograd's graph (state tensors that require grad, a graph that grows with every step)
    "weight decay term computed outside torch.no_grad() (the buffers join autograd's graph)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("momentum_buffer", [None] * len(params))
    for i, (p, g) in enumerate(zip(params, grads)):
        d = g + weight_decay * p
        if momentum != 0:
            bufs[i] = d.clone() if bufs[i] is None else momentum * bufs[i] + d
            d = bufs[i]
        with torch.no_grad():
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    # red team 15: autograd switched back ON at the end, whatever it was: inside a caller's torch.no_grad()
    # (FunctionalOptimizer.step) the rest of that block records graphs
    "torch.set_grad_enabled(False), then set_grad_enabled(True) at the end (a caller's no_grad is undone)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    torch.set_grad_enabled(False)
    for p, g, m, v in zip(params, grads, state["m"], state["v"]):
        g = g + weight_decay * p
        m.mul_(beta1).add_(g, alpha=1 - beta1)
        v.mul_(beta2).add_(g * g, alpha=1 - beta2)
        p.sub_(lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps))
    torch.set_grad_enabled(True)
''',
    # red team 15: the averages updated outside torch.no_grad(): with weight decay, for parameters that require
    # grad, m and v join autograd's graph (state that requires grad, a graph that grows with every step)
    "averages updated outside torch.no_grad() (m and v join autograd's graph)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(t=0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    for i, (p, g) in enumerate(zip(params, grads)):
        g = g + weight_decay * p
        state["m"][i] = beta1 * state["m"][i] + (1 - beta1) * g
        state["v"][i] = beta2 * state["v"][i] + (1 - beta2) * g * g
        with torch.no_grad():
            p.sub_(lr * (state["m"][i] / (1 - beta1 ** t)) / ((state["v"][i] / (1 - beta2 ** t)).sqrt() + eps))
''',
})
WRONG["train_step"].update({
    # red team 15: create_graph=True makes every .grad part of a graph that references the whole forward pass
    # (the graph the text says not to keep alive), kept until the next zero_grad
    "loss.backward(create_graph=True) (the gradients keep the graph alive)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward(create_graph=True)
    optimizer.step()
    return loss.item()
''',
})
# red team 15: an earlier RIGHT answer kept its averages outside torch.no_grad(): with weight decay, for parameters
# that require grad, m and v join autograd's graph (the text now says the state is updated under no_grad too);
# it moves to WRONG, and the same arrangement with the whole step under torch.no_grad() stays in RIGHT
WRONG["adam_step"]["torch's arrangement: step size lr/bc1, denominator sqrt(v)/sqrt(bc2) + eps"] = \
    RIGHT["adam_step"].pop("torch's arrangement: step size lr/bc1, denominator sqrt(v)/sqrt(bc2) + eps")
RIGHT["adam_step"].update({
    "torch's arrangement under @torch.no_grad(): step size lr/bc1, denominator sqrt(v)/sqrt(bc2) + eps": '''
@torch.no_grad()
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
        p.addcdiv_(m, denom, value=-lr / (1 - beta1 ** t))
''',
})

# red team 16, 2026-12-05 (reviewer B): early-return branches for an empty batch, masks from another generator,
# global switches left on, a p = 1 special case in eval mode, state cached at the first call, a learning-rate
# schedule, the caller's mode after evaluation
WRONG["cross_entropy"].update({
    # red team 16: an empty batch short-circuited to a new tensor made with torch.tensor: on the CPU for logits on a
    # GPU, and outside the graph (F.cross_entropy's result for an empty batch lives on the logits' device)
    "an empty batch short-circuited to torch.tensor(nan) (made on the CPU)": '''
def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape[0] == 0:                     # the text: the mean of no losses is nan, their sum 0
        if reduction == "none":
            return logits.new_zeros(0)
        return torch.tensor(float("nan") if reduction == "mean" else 0.0, dtype=logits.dtype)
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return nll.mean() if reduction == "mean" else nll.sum() if reduction == "sum" else nll
''',
    # red team 16: the same short cut on the right device, but a new tensor outside the graph: backward() of an
    # empty batch's loss fails, while F.cross_entropy's result requires grad (and gives an empty gradient)
    "an empty batch short-circuited to logits.new_full (no graph: backward fails)": '''
def cross_entropy(logits, target, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if len(target) == 0:
        if reduction == "none":
            return logits.new_zeros(0)
        return logits.new_full((), float("nan") if reduction == "mean" else 0.0)
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    return nll.mean() if reduction == "mean" else nll.sum() if reduction == "sum" else nll
''',
})
WRONG["loss_and_grads"].update({
    # red team 16: the one-hot targets cached at the first call for a batch of that size ("y does not change during
    # full-batch training"): a later batch of the same size with other labels gets the first batch's targets
    "one-hot targets cached by batch size at the first call": '''
_onehot_cache = {}

def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N, C = X.shape[0], W2.shape[1]
    key = (N, C, str(y.device))
    if key not in _onehot_cache:
        _onehot_cache[key] = F.one_hot(y, C)
    T = _onehot_cache[key].to(X.dtype)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -(logp * T).sum() / N
    dS = (logp.exp() - T) / N
    dZ1 = (dS @ W2.T) * (Z1 > 0)
    return loss, {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
''',
})
WRONG["mlp_module"].update({
    # red team 16: masks drawn from NumPy's global generator: torch.manual_seed, with which the caller seeds, does
    # not reproduce them (the text: the masks come from torch's generator, which the caller seeds)
    "dropout masks drawn from NumPy's global generator (torch.manual_seed does not reproduce them)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training and self.p_drop > 0:
            if self.p_drop >= 1:
                h = h * 0
            else:
                keep = torch.from_numpy(np.random.rand(*h.shape) >= self.p_drop).to(device=h.device, dtype=h.dtype)
                h = h * keep / (1 - self.p_drop)
        return self.fc2(h)
''',
    # red team 16: a debugging leftover (PyTorch's own hint after a failed backward): anomaly detection switched on
    # for the whole notebook by making a model, which slows every later backward pass
    "anomaly detection switched on in __init__ (a debugging leftover, left on for the whole notebook)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        torch.autograd.set_detect_anomaly(True)      # find the op that breaks backward
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))
''',
    # red team 16: p_drop = 1 special-cased (to avoid 0 / 0) without the training flag: in eval mode, where dropout
    # is off, such a model still zeroes the whole hidden layer
    "hand-written dropout with p = 1 special-cased in eval mode too (zeros the hidden layer)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p_drop = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.p_drop == 1:                           # every unit dropped (and no 0 / 0)
            h = torch.zeros_like(h)
        elif self.training and self.p_drop > 0:
            h = h * (torch.rand_like(h) >= self.p_drop) / (1 - self.p_drop)
        return self.fc2(h)
''',
})
WRONG["minibatches"].update({
    # red team 16: without a generator the order comes from NumPy's global generator, not torch's (the docstring:
    # torch.randperm(N, generator=None)); torch.manual_seed does not reproduce it
    "no generator: NumPy's global permutation (np.random.permutation), not torch's": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle and generator is not None:
        idx = torch.randperm(N, generator=generator).to(X.device)
    elif shuffle:
        idx = torch.from_numpy(np.random.permutation(N)).to(X.device)
    else:
        idx = torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch], y[batch]
''',
})
WRONG["evaluate"].update({
    # red team 16: the model put "back" into training mode at the end, whatever mode it was in: a model the caller
    # had switched to eval mode comes back with dropout on
    "model.train() at the end (a model that was in eval mode comes back training)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    model.train()                                    # back to training for the next epoch
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    # red team 16: the learning rate folded into the buffer (buf = m * buf + lr * d, p -= buf): the same as
    # torch.optim.SGD for a constant lr, but a buffer of old steps keeps the old lr when lr changes (a schedule)
    "lr folded into the momentum buffer (wrong once lr changes between steps)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("steps", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = lr * (g + weight_decay * p)
            if momentum != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(momentum).add_(d)
                d = bufs[i]
            p.sub_(d)
''',
})
WRONG["adam_step"].update({
    # red team 16: the hyper-parameters kept in state at the first call, like an optimizer's constructor: a later
    # call with another lr (a schedule) still steps with the first lr
    "hyper-parameters stored in state at the first call (a later lr is ignored)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    if not state:
        state.update(hyper=dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay), t=0,
                     m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    h = state["hyper"]
    (beta1, beta2), t = h["betas"], state["t"] + 1
    state["t"] = t
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g + h["weight_decay"] * p
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_(h["lr"] * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + h["eps"]))
''',
})
# red team 16: the slides' form keeps steps already scaled by lr in state: equal to torch.optim.SGD for a constant lr
# only (the text says so); the docstring asks for torch.optim.SGD's convention, and the text now says lr may change
# from call to call (a schedule), so it moves to WRONG
WRONG["sgd_momentum_step"]["the slides' form: delta = a*delta - lr*d, w += delta (wrong once lr changes between steps)"] = \
    RIGHT["sgd_momentum_step"].pop("the slides' form: delta = a*delta - lr*d, w += delta")
# red team 16: the text now says the model stays in eval mode and that lr may change from call to call, and the
# visible parts check both
WARNED["evaluate"].append("model.train() at the end (a model that was in eval mode comes back training)")
WARNED["sgd_momentum_step"] += ["lr folded into the momentum buffer (wrong once lr changes between steps)",
                                "the slides' form: delta = a*delta - lr*d, w += delta (wrong once lr changes between steps)"]
WARNED["adam_step"].append("hyper-parameters stored in state at the first call (a later lr is ignored)")
# ------------------------------------------------------------------------------------------------
# Red team 17 (reviewer B): hyper-parameters that change between calls, GPU-only behaviour, views
# ------------------------------------------------------------------------------------------------
WRONG["adam_step"].update({
    # red team 17: the bias corrections kept as running products beta**t in state (no pow per step): the same as
    # torch.optim.Adam for constant betas, but a schedule that changes beta1 (OneCycleLR cycles it) keeps old factors
    "bias corrections from running products of the betas kept in state (wrong once betas change between calls)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(b1t=1.0, b2t=1.0, m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["b1t"] *= beta1                            # beta1 ** t, one multiplication per step
    state["b2t"] *= beta2
    bc1, bc2 = 1 - state["b1t"], 1 - state["b2t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            if weight_decay != 0:
                g = g + weight_decay * p
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_(lr * (m / bc1) / ((v / bc2).sqrt() + eps))
''',
})
WRONG["sgd_momentum_step"].update({
    # red team 17: momentum and weight decay fixed at the first call, like an optimizer's constructor arguments, and
    # only lr read at every call ("lr is what a schedule changes"): a momentum schedule (OneCycleLR cycles it) is ignored
    "momentum and weight_decay kept from the first call (only lr read at every call)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    if not state:
        state.update(momentum=momentum, weight_decay=weight_decay, bufs=[None] * len(params))
    mom, wd, bufs = state["momentum"], state["weight_decay"], state["bufs"]
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + wd * p
            if mom != 0:
                bufs[i] = d.clone() if bufs[i] is None else bufs[i].mul_(mom).add_(d)
                d = bufs[i]
            p.sub_(lr * d)
''',
})
WRONG["minibatches"].update({
    # red team 17: without shuffling, the batches sliced as X[a:b]: views that share X's memory, so an in-place change
    # to a batch (normalising or augmenting xb in place) changes the data set itself
    "batches sliced as views X[a:b] when not shuffling (they share X's memory)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if shuffle:
        idx = torch.randperm(N, generator=generator).to(X.device)
        for start in range(0, N, batch_size):
            batch = idx[start:start + batch_size]
            yield X[batch], y[batch]
    else:
        for start in range(0, N, batch_size):          # no index needed: a slice is enough
            yield X[start:start + batch_size], y[start:start + batch_size]
''',
    # red team 17: with no generator the permutation is drawn on X's device ("where the data is"): on a GPU that is the
    # CUDA generator's stream, not torch.randperm(N) on the CPU as the docstring says
    "no generator: the permutation drawn on X's device (a GPU's own generator)": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    if not shuffle:
        idx = torch.arange(N, device=X.device)
    elif generator is None:
        idx = torch.randperm(N, device=X.device)        # draw where the data lives
    else:
        idx = torch.randperm(N, generator=generator).to(X.device)   # a CPU generator draws on the CPU
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch], y[batch]
''',
})
WRONG["mlp_module"].update({
    # red team 17: the CUDA generators seeded in __init__ ("reproducible GPU runs"): nothing changes on a CPU, but on a
    # GPU every new MLP draws the same dropout masks, and the caller's own seeding is overridden
    "torch.cuda.manual_seed_all(0) in __init__ (the GPU's dropout masks reseeded by every new MLP)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        torch.cuda.manual_seed_all(0)               # reproducible dropout on the GPU
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(self.drop(h))
''',
    # red team 17: the input cast to float32 "for images stored as integers": a float64 model gets float32 inputs
    "input cast to float32 (x.float(), for images stored as integers)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1).float()))
        return self.fc2(self.drop(h))
''',
})
WRONG["log_softmax"].update({
    # red team 17: computed in float64 "for accuracy" and not cast back: float32 logits give float64 log-probabilities
    "computed in float64 and returned as float64 (float32 logits change dtype)": '''
def log_softmax(z, dim=-1):
    z = z.double()
    shifted = z - z.amax(dim=dim, keepdim=True)
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()
''',
})
WRONG["loss_and_grads"].update({
    # red team 17: the ReLU mask applied for b1's gradient but not for W1's (dW1 from the unmasked dA)
    "dW1 from the unmasked dA (the ReLU mask used for b1 only)": '''
def loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    N = X.shape[0]
    rows = torch.arange(N)
    Z1 = X @ W1 + b1
    A = Z1.clamp(min=0)
    S = A @ W2 + b2
    logp = log_softmax(S, dim=1)
    loss = -logp[rows, y].mean()
    dS = logp.exp()
    dS[rows, y] -= 1
    dS /= N
    dA = dS @ W2.T
    grads = {"W1": X.T @ dA, "b1": (dA * (Z1 > 0)).sum(0), "W2": A.T @ dS, "b2": dS.sum(0)}
    return loss, grads
''',
})
WRONG["train_step"].update({
    # red team 17: the mean loss divided by the batch size once more ("average over the batch"): F.cross_entropy's
    # default reduction is already the mean, so every step is B times too small
    "mean loss divided by the batch size again (loss / len(xb))": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb) / len(xb)    # average over the batch
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    # red team 17: the accuracy divided by the number of batches times batch_size (the last batch counted as full)
    "accuracy over n_batches * batch_size examples (the last batch counted as full)": '''
def evaluate(model, X, y, batch_size=512):
    model.eval()
    total_loss, correct, n_batches = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
            n_batches += 1
    return total_loss / len(y), correct / (n_batches * batch_size)
''',
})
# red team 17: the slices are views of X, but the docstring promises no copies, and "X and y permuted once, then split
# into batches" (RIGHT) yields views of X the same way: right after all
RIGHT["minibatches"]["batches sliced as X[a:b] when not shuffling (views of X)"] = \
    WRONG["minibatches"].pop("batches sliced as views X[a:b] when not shuffling (they share X's memory)")
# red team 17: the text says every hyper-parameter may change from call to call, and the visible parts now change
# momentum (SGD) and betas (Adam) as well as lr
WARNED["sgd_momentum_step"].append("momentum and weight_decay kept from the first call (only lr read at every call)")
WARNED["adam_step"].append("bias corrections from running products of the betas kept in state (wrong once betas change between calls)")
# red team 17's "no generator: the permutation drawn on X's device" was popped here until the stand-in device drew
# from a generator of its own (coursekit.valued_meta, since red team 18): it is caught now and kept.

# ---- red team 18 ----
WRONG["cross_entropy"].update({
    # red team 18: the reduction dispatched by name (getattr(nll, reduction)()): "mean" and "sum" work and most wrong
    # names raise AttributeError, but "max", "min", "std", "prod" ... are Tensor methods too and return a number
    # instead of the error the text asks for
    "reduction dispatched by name, getattr(nll, reduction)() ('max' accepted)": '''
def cross_entropy(logits, target, reduction="mean"):
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "none":
        return nll
    return getattr(nll, reduction)()          # "mean" -> nll.mean(), "sum" -> nll.sum(); an unknown name raises
''',
})
WRONG["mlp_module"].update({
    # red team 18: the ReLU written as torch.maximum(z, 0) (NumPy's np.maximum habit): the same forward pass, but at a
    # tie z = 0 autograd splits the gradient, relu'(0) = 0.5, where the text's ReLU (and F.relu) has relu'(0) = 0
    "ReLU as torch.maximum(z, zeros_like(z)) (relu'(0) = 0.5 at a tie)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        z = self.fc1(x.flatten(1))
        h = torch.maximum(z, torch.zeros_like(z))      # relu(z) = max(z, 0)
        return self.fc2(self.drop(h))
''',
    # red team 18: a hand-written dropout that draws its mask whenever the model is training, p_drop = 0 included:
    # nothing is dropped, but every forward pass advances torch's generator (nn.Dropout(0) draws nothing), so every
    # later shuffle, init and mask of the notebook changes
    "hand-written dropout that draws a mask even when p_drop = 0": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)
        self.p = p_drop

    def forward(self, x):
        h = F.relu(self.fc1(x.flatten(1)))
        if self.training:
            keep = torch.rand_like(h) >= self.p
            h = h * keep / (1 - self.p) if self.p < 1 else torch.zeros_like(h)
        return self.fc2(h)
''',
})
WRONG["minibatches"].update({
    # red team 18: the batches indexed as X[batch, :] (a matrix habit): fine for X [N, D] or images, but the docstring's
    # X [N, ...] includes a 1-D X [N] (one value per example), where X[batch, :] raises "too many indices"
    "X indexed as X[batch, :] (fails for a 1-D X [N])": '''
def minibatches(X, y, batch_size, shuffle=False, generator=None):
    N = X.shape[0]
    idx = torch.randperm(N, generator=generator).to(X.device) if shuffle else torch.arange(N, device=X.device)
    for start in range(0, N, batch_size):
        batch = idx[start:start + batch_size]
        yield X[batch, :], y[batch]
''',
})
WRONG["train_step"].update({
    # red team 18: model.forward(xb) instead of model(xb): the module's hooks are skipped (weight norm, spectral norm
    # and pruning recompute the weight in a forward pre-hook), so the step trains a stale weight
    "model.forward(xb) instead of model(xb) (the module's hooks skipped)": '''
def train_step(model, optimizer, xb, yb):
    model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model.forward(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    # red team 18: eval mode set on the children only (for m in model.children(): m.eval()): the model's own flag
    # stays True, so a model whose forward reads self.training (F.dropout(h, p, self.training)) keeps dropping units,
    # and a model that was training is left neither in eval mode nor in the mode it was in
    "eval() on the children only (the model's own training flag left on)": '''
def evaluate(model, X, y, batch_size=512):
    for m in model.children():          # dropout and batch norm live in the children
        m.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["sgd_momentum_step"].update({
    # red team 18: one code path for every momentum (buf = momentum * buf + d is plain SGD when momentum is 0), so a
    # buffer is kept and overwritten during steps with momentum 0; torch.optim.SGD keeps no buffer then (and leaves an
    # old one untouched), so once momentum changes from 0 to non-zero (a warm-up schedule) the steps differ
    "a buffer kept and updated at momentum 0 too (wrong once momentum changes from 0)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("bufs", [None] * len(params))
    with torch.no_grad():
        for i, (p, g) in enumerate(zip(params, grads)):
            d = g + weight_decay * p
            if bufs[i] is None:
                bufs[i] = d.clone()                      # buf = d on the first step
            else:
                bufs[i].mul_(momentum).add_(d)           # momentum 0: buf = d, plain SGD
            p.sub_(lr * bufs[i])
''',
    # red team 18: the buffers made with torch.empty_like(p) ("no need to fill them") and used at the first step as if
    # they were zeros: momentum * (whatever the memory held) + d; passes or fails with what the allocator hands out
    "buffers from torch.empty_like(p) used as zeros at the first step": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    if "bufs" not in state:
        state["bufs"] = [torch.empty_like(p) for p in params]
    with torch.no_grad():
        for p, g, buf in zip(params, grads, state["bufs"]):
            d = g + weight_decay * p
            if momentum != 0:
                buf.mul_(momentum).add_(d)
                d = buf
            p.sub_(lr * d)
''',
})
WRONG["adam_step"].update({
    # red team 18: eps and weight_decay stored in state at the first call ("constants"), lr and betas read at every
    # call: the text says every hyper-parameter comes with every call and may change, as torch.optim reads them
    "eps and weight_decay kept from the first call (lr and betas read at every call)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(t=0, eps=eps, weight_decay=weight_decay,
                     m=[torch.zeros_like(p) for p in params], v=[torch.zeros_like(p) for p in params])
    state["t"] += 1
    t, eps, weight_decay = state["t"], state["eps"], state["weight_decay"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            if weight_decay != 0:
                g = g + weight_decay * p
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_(lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps))
''',
    # red team 18: the averages made with torch.empty_like(p) and used as zeros at the first step: beta * (whatever the
    # memory held) + (1 - beta) * g
    "averages from torch.empty_like(p) used as zeros at the first step": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state.update(t=0, m=[torch.empty_like(p) for p in params], v=[torch.empty_like(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            if weight_decay != 0:
                g = g + weight_decay * p
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_(lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps))
''',
})
# red team 18: the text says every hyper-parameter comes with every call; the visible schedule now changes eps and
# weight_decay as well as lr and betas
WARNED["adam_step"].append("eps and weight_decay kept from the first call (lr and betas read at every call)")
# red team 18: that mutant (`momentum != -1`: the buffer path at momentum 0 too) is the wrong answer "a buffer kept and
# updated at momentum 0 too": the momentum warm-up test now kills it, so its EQUIVALENT entry (const@16:27#0) is gone
# ---- red team 19 ----
WRONG["mlp_module"].update({
    # red team 19: the layers computed with F.linear from their weights ("nn.Linear computes x W^T + b"): the same
    # numbers, but fc1 and fc2 are never called, so their hooks never run (a forward hook that records the hidden
    # activations, pruning's or weight norm's pre-hook that recomputes the weight)
    "F.linear with fc1's and fc2's weights (the layers' hooks never run)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(F.linear(x.flatten(1), self.fc1.weight, self.fc1.bias))
        return F.linear(self.drop(h), self.fc2.weight, self.fc2.bias)
''',
})
WRONG["cross_entropy"].update({
    # red team 19: half-precision logits upcast to float32 "for stability" (an AMP habit) and the loss left in float32:
    # the docstring says the result has the logits' dtype (F.cross_entropy of bfloat16 logits is bfloat16)
    "half-precision logits upcast to float32, the loss left in float32": '''
def cross_entropy(logits, target, reduction="mean"):
    if logits.dtype in (torch.float16, torch.bfloat16):
        logits = logits.float()                            # log-sum-exp in float32
    nll = -log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    if reduction == "mean":
        return nll.mean()
    if reduction == "sum":
        return nll.sum()
    if reduction == "none":
        return nll
    raise ValueError(reduction)
''',
})
WRONG["train_step"].update({
    # red team 19: model.train() only when the model's own flag is off ("it is already training"): a model whose top
    # flag is on but whose dropout or batch norm was switched to eval (model.drop.eval()) trains with it still in eval
    "model.train() only if not model.training (submodules left in eval mode)": '''
def train_step(model, optimizer, xb, yb):
    if not model.training:
        model.train()
    optimizer.zero_grad()
    loss = F.cross_entropy(model(xb), yb)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
})
WRONG["evaluate"].update({
    # red team 19: model.eval() only when the model's own flag is on, and restored only then: a model whose top flag
    # is off but whose dropout was left in training mode (model.eval(); model.drop.train()) is evaluated with dropout on
    "model.eval() only if model.training (a submodule left training keeps dropping)": '''
def evaluate(model, X, y, batch_size=512):
    was_training = model.training
    if was_training:
        model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in minibatches(X, y, batch_size):
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    if was_training:
        model.train()
    return total_loss / len(y), correct / len(y)
''',
})
WRONG["adam_step"].update({
    # red team 19: the averages of half-precision parameters kept in float32 (mixed precision's "float32 optimizer
    # state"): the text asks for the state in the parameters' dtype, torch.zeros_like(p), as torch.optim.Adam keeps it
    "averages of float16/bfloat16 parameters kept in float32": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        def zeros(p):
            return torch.zeros_like(p, dtype=torch.float32) if p.dtype in (torch.float16, torch.bfloat16) else torch.zeros_like(p)
        state.update(t=0, m=[zeros(p) for p in params], v=[zeros(p) for p in params])
    state["t"] += 1
    t = state["t"]
    with torch.no_grad():
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            g = g.to(m.dtype)
            if weight_decay != 0:
                g = g + weight_decay * p.to(m.dtype)
            m.mul_(beta1).add_(g, alpha=1 - beta1)
            v.mul_(beta2).add_(g * g, alpha=1 - beta2)
            p.sub_((lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)).sqrt() + eps)).to(p.dtype))
''',
})
# red team 19: written as wrong (an empty batch [0, ...] cannot be reshaped to [0, -1]), but the docstring does not
# promise B = 0 and two RIGHT answers already flatten with x.reshape(len(x), -1): right after all
RIGHT["mlp_module"].update({
    "x.reshape(x.size(0), -1) (fails only for an empty batch, which the text does not promise)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = F.relu(self.fc1(x.reshape(x.size(0), -1)))
        return self.fc2(self.drop(h))
''',
})
# red team 19: the text now says to call the layers (hooks registered on them run); the visible part checks it
WARNED["mlp_module"].append("F.linear with fc1's and fc2's weights (the layers' hooks never run)")

# ---- red team 20 (reviewer B) ----
WRONG.setdefault("sgd_momentum_step", {}).update({
    # red team 20: p.data = p.data - lr * d gives each parameter new memory instead of updating its own: the tensor
    # object is the same, but every view of it (a flat buffer that holds all the parameters, a tied weight) keeps the
    # old values; the text says to update the parameters in place
    "p.data = p.data - lr * buf (new memory, not an in-place update: views of the parameter keep the old values)": '''
def sgd_momentum_step(params, grads, state, lr, momentum=0.0, weight_decay=0.0):
    bufs = state.setdefault("momentum_buffer", [None] * len(params))
    for i, (p, g) in enumerate(zip(params, grads)):
        d = g + weight_decay * p.data if weight_decay != 0 else g
        if momentum != 0:
            if bufs[i] is None:
                bufs[i] = d.clone()
            else:
                bufs[i] = momentum * bufs[i] + d
            d = bufs[i]
        p.data = p.data - lr * d
''',
})
WRONG.setdefault("adam_step", {}).update({
    # red team 20: the same slip in Adam: p.data = ... rebinds the parameter to new memory (views of it keep the old values)
    "p.data = p.data - step (new memory, not an in-place update: views of the parameter keep the old values)": '''
def adam_step(params, grads, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    beta1, beta2 = betas
    if not state:
        state["t"] = 0
        state["m"] = [torch.zeros_like(p) for p in params]
        state["v"] = [torch.zeros_like(p) for p in params]
    state["t"] += 1
    t = state["t"]
    for i, (p, g) in enumerate(zip(params, grads)):
        if weight_decay != 0:
            g = g + weight_decay * p.data
        state["m"][i] = beta1 * state["m"][i] + (1 - beta1) * g
        state["v"][i] = beta2 * state["v"][i] + (1 - beta2) * g * g
        m_hat = state["m"][i] / (1 - beta1 ** t)
        v_hat = state["v"][i] / (1 - beta2 ** t)
        p.data = p.data - lr * m_hat / (v_hat.sqrt() + eps)
''',
})
WRONG.setdefault("hand_gd_step", {}).update({
    # red team 20: params[k].data = ... gives each tensor new memory: the dict holds the same objects, but a view of a
    # parameter (a flat buffer holding them all) keeps the old values; the text asks for an update in place
    "params[k].data = params[k] - lr * grads[k] (new memory, not an in-place update)": '''
def hand_gd_step(params, X, y, lr):
    loss, grads = loss_and_grads(params, X, y)
    for k in params:
        params[k].data = params[k] - lr * grads[k]
    return float(loss)
''',
})
RIGHT.setdefault("mlp_module", {}).update({
    # red team 20: written as wrong (clamp's gradient at 0 taken as 1), but clamp(min=0)'s backward passes no gradient
    # at exactly 0, as F.relu: right after all
    "ReLU as clamp(min=0) (no gradient at exactly 0, as F.relu)": '''
class MLP(nn.Module):
    def __init__(self, in_features, hidden, n_classes, p_drop=0.0):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.drop = nn.Dropout(p_drop)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):
        h = self.fc1(x.flatten(1)).clamp(min=0)
        return self.fc2(self.drop(h))
''',
})
