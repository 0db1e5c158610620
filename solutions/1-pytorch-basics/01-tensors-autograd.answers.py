"""Answer variants for 01-tensors-autograd.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
"""

WRONG = {
    "pairwise_sq_dists": {
        "square root taken (plain distances)": '''
def pairwise_sq_dists(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1).sqrt()
''',
        "cross term with the wrong sign": '''
def pairwise_sq_dists(x, y):
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) + 2 * x @ y.T).clamp_min(0)
''',
        "transposed: [M, N]": '''
def pairwise_sq_dists(x, y):
    return ((y[:, None, :] - x[None, :, :]) ** 2).sum(-1)
''',
        "expansion without the clamp (negative values)": '''
def pairwise_sq_dists(x, y):
    return (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
''',
        "summed over the wrong axis": '''
def pairwise_sq_dists(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(1)
''',
        "computed in float32 always": '''
def pairwise_sq_dists(x, y):
    x, y = x.float(), y.float()
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
''',
        "torch.cdist (off limits)": '''
def pairwise_sq_dists(x, y):
    return torch.cdist(x, y) ** 2
''',
    },
    "sigmoid_with_grad": {
        "exp(z) / (1 + exp(z)): nan at z = 100": '''
def sigmoid_with_grad(z):
    e = torch.exp(z)
    g = e / (1 + e)
    return g, g * (1 - g)
''',
        "derivative from z instead of g: z (1 - z)": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(-z))
    return g, z * (1 - z)
''',
        "sign flipped in the exponent": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(z))
    return g, g * (1 - g)
''',
        "slope as exp(-z) / (1 + exp(-z))**2: nan for very negative z": '''
def sigmoid_with_grad(z):
    e = torch.exp(-z)
    return 1 / (1 + e), e / (1 + e) ** 2
''',
        "torch.sigmoid (off limits)": '''
def sigmoid_with_grad(z):
    g = torch.sigmoid(z)
    return g, g * (1 - g)
''',
    },
    "tanh_with_grad": {
        "textbook formula: inf / inf = nan for large |z|": '''
def tanh_with_grad(z):
    ep, em = torch.exp(z), torch.exp(-z)
    g = (ep - em) / (ep + em)
    return g, 1 - g ** 2
''',
        "derivative 1 - z**2": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = torch.sign(z) * (1 - e) / (1 + e)
    return g, 1 - z ** 2
''',
        "derivative 1 - g (square forgotten)": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = torch.sign(z) * (1 - e) / (1 + e)
    return g, 1 - g
''',
        "sign(z) forgotten: |tanh|": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = (1 - e) / (1 + e)
    return g, 1 - g * g
''',
    },
    "relu_with_grad": {
        "derivative 1 at z = 0": '''
def relu_with_grad(z):
    return z.clamp_min(0), (z >= 0).to(z.dtype)
''',
        "derivative sign(z)": '''
def relu_with_grad(z):
    return z.clamp_min(0), torch.sign(z)
''',
        "in-place clamp_ modifies z": '''
def relu_with_grad(z):
    dg = (z > 0).to(z.dtype)
    return z.clamp_(min=0), dg
''',
        "boolean derivative": '''
def relu_with_grad(z):
    return z.clamp_min(0), z > 0
''',
        "abs instead of max(0, z)": '''
def relu_with_grad(z):
    return z.abs(), (z > 0).to(z.dtype)
''',
    },
    "sigmoid_neuron_grads": {
        "sigma'(z) forgotten": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    return y, x.clone(), w.clone(), torch.ones_like(y)
''',
        "sigma(z) used in place of sigma'(z)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    return y, y * x, y * w, y
''',
        "w and x swapped": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    return y, s * w, s * x, s
''',
        "bias forgotten in z": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x)
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
        "autograd (off limits)": '''
def sigmoid_neuron_grads(w, x, b):
    w, x, b = (t.detach().clone().requires_grad_(True) for t in (w, x, b))
    y = torch.sigmoid(w @ x + b)
    gw, gx, gb = torch.autograd.grad(y, [w, x, b])
    return y.detach(), gw, gx, gb
''',
    },
    "numerical_grad": {
        "forward difference": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone().contiguous()
    base = float(f(x0))
    grad = torch.zeros_like(x0)
    for i in range(x0.numel()):
        xp = x0.clone()
        xp.view(-1)[i] += eps
        grad.view(-1)[i] = (float(f(xp)) - base) / eps
    return grad
''',
        "divides by eps instead of 2 eps": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone().contiguous()
    grad = torch.zeros_like(x0)
    for i in range(x0.numel()):
        xp, xm = x0.clone(), x0.clone()
        xp.view(-1)[i] += eps
        xm.view(-1)[i] -= eps
        grad.view(-1)[i] = (float(f(xp)) - float(f(xm))) / eps
    return grad
''',
        "perturbs x in place and forgets to restore it": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().double()            # same tensor when x is already float64
    flat = x0.view(-1) if x0.is_contiguous() else x0.reshape(-1)
    grad = torch.zeros(flat.numel(), dtype=torch.float64)
    for i in range(flat.numel()):
        flat[i] += eps
        f_plus = float(f(x0))
        flat[i] -= 2 * eps
        f_minus = float(f(x0))
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.reshape(x.shape)
''',
        "evaluates in the dtype of x (float32 rounding)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().clone().contiguous()
    grad = torch.zeros_like(x0)
    for i in range(x0.numel()):
        xp, xm = x0.clone(), x0.clone()
        xp.view(-1)[i] += eps
        xm.view(-1)[i] -= eps
        grad.view(-1)[i] = (float(f(xp)) - float(f(xm))) / (2 * eps)
    return grad.to(torch.float64)
''',
        "flattened input and result": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).reshape(-1).clone()
    grad = torch.zeros_like(x0)
    for i in range(x0.numel()):
        xp, xm = x0.clone(), x0.clone()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (float(f(xp)) - float(f(xm))) / (2 * eps)
    return grad
''',
    },
}

RIGHT = {
    "pairwise_sq_dists": {
        "difference tensor [N, M, D]": '''
def pairwise_sq_dists(x, y):
    diff = x[:, None, :] - y[None, :, :]
    return (diff ** 2).sum(dim=-1)
''',
        "python double loop (slow but right)": '''
def pairwise_sq_dists(x, y):
    out = torch.empty(x.shape[0], y.shape[0], dtype=x.dtype, device=x.device)
    for i in range(x.shape[0]):
        for j in range(y.shape[0]):
            out[i, j] = ((x[i] - y[j]) ** 2).sum()
    return out
''',
        "einsum expansion with torch.clamp": '''
def pairwise_sq_dists(x, y):
    xx = torch.einsum("nd,nd->n", x, x)
    yy = torch.einsum("md,md->m", y, y)
    xy = torch.einsum("nd,md->nm", x, y)
    return torch.clamp(xx[:, None] + yy[None, :] - 2 * xy, min=0.0)
''',
    },
    "sigmoid_with_grad": {
        "textbook 1 / (1 + exp(-z)) (exp overflows to inf, 1/inf = 0: still finite)": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(-z))
    return g, g * (1 - g)
''',
        "via the tanh identity, written by hand": '''
def sigmoid_with_grad(z):
    h = z / 2
    e = torch.exp(-2 * h.abs())
    t = torch.sign(h) * (1 - e) / (1 + e)
    g = 0.5 * (1 + t)
    return g, g * (1 - g)
''',
    },
    "tanh_with_grad": {
        "2 sigmoid(2z) - 1, written by hand": '''
def tanh_with_grad(z):
    g = 2 / (1 + torch.exp(-2 * z)) - 1
    return g, 1 - g * g
''',
        "expm1 for accuracy near 0": '''
def tanh_with_grad(z):
    m = torch.expm1(-2 * z.abs())
    g = -torch.sign(z) * m / (2 + m)
    return g, 1 - g ** 2
''',
    },
    "relu_with_grad": {
        "torch.where": '''
def relu_with_grad(z):
    zero, one = torch.zeros_like(z), torch.ones_like(z)
    return torch.where(z > 0, z, zero), torch.where(z > 0, one, zero)
''',
        "multiply by the mask": '''
def relu_with_grad(z):
    mask = (z > 0).to(z.dtype)
    return z * mask, mask
''',
    },
    "sigmoid_neuron_grads": {
        "via your own sigmoid_with_grad": '''
def sigmoid_neuron_grads(w, x, b):
    y, slope = sigmoid_with_grad(torch.dot(w, x) + b)
    return y, slope * x, slope * w, slope
''',
        "explicit sum, slope from exp": '''
def sigmoid_neuron_grads(w, x, b):
    z = (w * x).sum() + b
    y = 1 / (1 + torch.exp(-z))
    return y, y * (1 - y) * x, y * (1 - y) * w, y * (1 - y)
''',
    },
    "numerical_grad": {
        "one-hot perturbations, no in-place writes": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64)
    n = x0.numel()
    basis = torch.eye(n, dtype=torch.float64)
    values = []
    for i in range(n):
        step = eps * basis[i].reshape(x0.shape)
        values.append((float(f(x0 + step)) - float(f(x0 - step))) / (2 * eps))
    return torch.tensor(values, dtype=torch.float64).reshape(x0.shape)
''',
        "numpy loop with np.nditer-style indices": '''
def numerical_grad(f, x, eps=1e-6):
    base = x.detach().cpu().to(torch.float64).numpy().copy()
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        old = base[idx]
        base[idx] = old + eps
        fp = float(f(torch.from_numpy(base.copy())))
        base[idx] = old - eps
        fm = float(f(torch.from_numpy(base.copy())))
        base[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return torch.from_numpy(grad)
''',
    },
}
