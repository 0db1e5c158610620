"""Answer variants for 01-tensors-autograd.ipynb, run by `autograder check` against the graded tests.

WRONG: plausible wrong answers; each must fail at least one graded test of its exercise.
RIGHT: different but valid answers; each must pass every graded test of its exercise.
Keys are the grade_id of the exercise's solution cell; values map a short name to the cell source.
WARNED: the WRONG answers that fall into a trap the exercise text warns about; the visible part of the
tests alone must catch them.
EQUIVALENT: surviving mutants (`autograder mutate`) reviewed as equivalent to the solution on every
valid input, with the reason.
"""

WRONG = {
    "pairwise_sq_dists": {
        # red team 12: torch's global switches left changed (checked() now watches them)
        "set_float32_matmul_precision('medium') for a faster x @ y.T, left set": '''
def pairwise_sq_dists(x, y):
    torch.set_float32_matmul_precision("medium")
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)
''',
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
        "torch.cdist under another name": '''
from torch import cdist as _distances

def pairwise_sq_dists(x, y):
    return _distances(x, y) ** 2
''',
        "torch._euclidean_dist (the kernel behind torch.cdist)": '''
def pairwise_sq_dists(x, y):
    return torch._euclidean_dist(x, y) ** 2
''',
        "computed in float32 and cast back to the dtype of x": '''
def pairwise_sq_dists(x, y):
    x32, y32 = x.float(), y.float()
    d = ((x32 * x32).sum(1, keepdim=True) + (y32 * y32).sum(1) - 2 * x32 @ y32.T).clamp_min(0)
    return d.to(x.dtype)
''',
        "centres x and y in place first (changes the caller's points)": '''
def pairwise_sq_dists(x, y):
    centre = x.mean(dim=0)              # distances do not change when both sets move
    x -= centre
    y -= centre
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
''',
        "loop into torch.empty(N, M, dtype=x.dtype): on the CPU whatever the device of x": '''
def pairwise_sq_dists(x, y):
    out = torch.empty(len(x), len(y), dtype=x.dtype)
    for i in range(len(x)):
        for j in range(len(y)):
            out[i, j] = ((x[i] - y[j]) ** 2).sum()
    return out
''',
        "NumPy broadcasting (CPU only, no gradient)": '''
def pairwise_sq_dists(x, y):
    xn, yn = x.detach().cpu().numpy(), y.detach().cpu().numpy()
    return torch.from_numpy(((xn[:, None, :] - yn[None, :, :]) ** 2).sum(-1))
''',
        "detached result": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0).detach()
''',
        # red team 2026-12-03
        "clamped at 1e-12 instead of 0 (a point is not at distance 0 from itself)": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(1e-12)   # "safe" for a later sqrt
''',
        "torch.ops.aten._cdist_forward (torch.cdist's kernel)": '''
def pairwise_sq_dists(x, y):
    return torch.ops.aten._cdist_forward(x, y, 2.0, None) ** 2
''',
        "F.pairwise_distance on broadcast rows (adds eps = 1e-6 to every difference)": '''
def pairwise_sq_dists(x, y):
    return torch.nn.functional.pairwise_distance(x[:, None, :], y[None, :, :]) ** 2
''',
        "loop over the D features from the number 0 (D = 0 returns 0)": '''
def pairwise_sq_dists(x, y):
    out = 0
    for k in range(x.shape[1]):
        out = out + (x[:, k, None] - y[None, :, k]) ** 2
    return out
''',
        "rows stacked with torch.stack (fails for an empty x)": '''
def pairwise_sq_dists(x, y):
    return torch.stack([((xi[None, :] - y) ** 2).sum(dim=1) for xi in x])
''',
        "cross term detached (no gradient through x @ y.T)": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    cross = (x @ y.T).detach()
    return (x_sq + y_sq - 2 * cross).clamp_min(0)
''',
    },
    "sigmoid_with_grad": {
        # red team 12: torch's global switches left changed (checked() now watches them)
        "anomaly detection switched on to debug, left on": '''
def sigmoid_with_grad(z):
    torch.autograd.set_detect_anomaly(True)
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
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
        "torch.special.expit (torch.sigmoid under another name)": '''
def sigmoid_with_grad(z):
    g = torch.special.expit(z)
    return g, g * (1 - g)
''',
        "in-place sigmoid_ on a copy": '''
def sigmoid_with_grad(z):
    g = z.clone().sigmoid_()
    return g, g * (1 - g)
''',
        "torch.nn.Sigmoid module": '''
def sigmoid_with_grad(z):
    g = torch.nn.Sigmoid()(z)
    return g, g * (1 - g)
''',
        "computed in float32 and cast back to the dtype of z": '''
def sigmoid_with_grad(z):
    z32 = z.float()
    e = torch.exp(-z32.abs())
    g = torch.where(z32 >= 0, 1 / (1 + e), e / (1 + e))
    return g.to(z.dtype), (g * (1 - g)).to(z.dtype)
''',
        "z clamped to [-20, 20] before the textbook formula": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(-z.clamp(-20, 20)))
    return g, g * (1 - g)
''',
        "negates z in place and back (the caller's z changes while it runs)": '''
def sigmoid_with_grad(z):
    z.neg_()                      # exp(-z) without a temporary...
    g = 1 / (1 + torch.exp(z))
    z.neg_()                      # ...and z is as it was
    return g, g * (1 - g)
''',
        "ones made on the CPU: torch.ones(z.shape)": '''
def sigmoid_with_grad(z):
    one = torch.ones(z.shape, dtype=z.dtype)
    e = torch.exp(-z.abs())
    g = torch.where(z >= 0, one / (one + e), e / (one + e))
    return g, g * (one - g)
''',
        "g detached (computed under torch.no_grad())": '''
def sigmoid_with_grad(z):
    with torch.no_grad():
        e = torch.exp(-z.abs())
        g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
        # red team 2026-12-03
        "z clamped to [-30, 30] (exp(30) is safe)": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(-z.clamp(-30, 30)))
    return g, g * (1 - g)
''',
        "e as torch.tensor(math.e) ** -|z| (e rounded to float32)": '''
def sigmoid_with_grad(z):
    e = torch.tensor(math.e) ** (-z.abs())
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
        "flattened with view(-1): fails on non-contiguous z": '''
def sigmoid_with_grad(z):
    flat = z.view(-1)
    e = torch.exp(-flat.abs())
    g = torch.where(flat >= 0, 1 / (1 + e), e / (1 + e)).view(z.shape)
    return g, g * (1 - g)
''',
        "abs_ in place (the caller's z loses its signs)": '''
def sigmoid_with_grad(z):
    pos = z >= 0
    e = torch.exp(-z.abs_())
    g = torch.where(pos, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
        "Python loop with math.exp over z.tolist() (no gradient, float32)": '''
def sigmoid_with_grad(z):
    values = [1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) for v in z.reshape(-1).tolist()]
    g = torch.tensor(values).reshape(z.shape)
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
        "torch.nn.Tanh module (torch.tanh under another name)": '''
def tanh_with_grad(z):
    g = torch.nn.Tanh()(z)
    return g, 1 - g * g
''',
        "2 torch.sigmoid(2z) - 1 (sigmoid is off limits too)": '''
def tanh_with_grad(z):
    g = 2 * torch.sigmoid(2 * z) - 1
    return g, 1 - g * g
''',
        "computed in float32 and cast back to the dtype of z": '''
def tanh_with_grad(z):
    z32 = z.float()
    e = torch.exp(-2 * z32.abs())
    g = torch.sign(z32) * (1 - e) / (1 + e)
    return g.to(z.dtype), (1 - g * g).to(z.dtype)
''',
        "z clamped to [-10, 10] before the textbook formula": '''
def tanh_with_grad(z):
    zc = z.clamp(-10, 10)           # tanh is 1 to float32 precision beyond 10 anyway
    ep, em = torch.exp(zc), torch.exp(-zc)
    g = (ep - em) / (ep + em)
    return g, 1 - g * g
''',
        "flattened with view(-1): fails on non-contiguous z": '''
def tanh_with_grad(z):
    flat = z.view(-1)
    e = torch.exp(-2 * flat.abs())
    g = (torch.sign(flat) * (1 - e) / (1 + e)).view(z.shape)
    return g, 1 - g * g
''',
        "abs_ in place, signs put back (the caller's z changes while it runs)": '''
def tanh_with_grad(z):
    s = torch.sign(z)
    e = torch.exp(-2 * z.abs_())    # z is now |z|...
    z.mul_(s)                       # ...and has its signs back
    g = s * (1 - e) / (1 + e)
    return g, 1 - g * g
''',
        "g detached (z.detach() first)": '''
def tanh_with_grad(z):
    z = z.detach()
    e = torch.exp(-2 * z.abs())
    g = torch.sign(z) * (1 - e) / (1 + e)
    return g, 1 - g * g
''',
        # red team 2026-12-03
        "z clamped to [-15, 15] before the textbook formula": '''
def tanh_with_grad(z):
    zc = z.clamp(-15, 15)           # exp(30) is far from overflow
    ep, em = torch.exp(zc), torch.exp(-zc)
    g = (ep - em) / (ep + em)
    return g, 1 - g * g
''',
        "sign as z / |z|: nan at z = 0": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = z / z.abs() * (1 - e) / (1 + e)
    return g, 1 - g * g
''',
        "expm1 without abs: overflows for very negative z": '''
def tanh_with_grad(z):
    m = torch.expm1(-2 * z)
    g = -m / (2 + m)
    return g, 1 - g * g
''',
        "ones made on the CPU: torch.ones(z.shape) - g * g": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = torch.sign(z) * (1 - e) / (1 + e)
    return g, torch.ones(z.shape, dtype=z.dtype) - g * g
''',
        "e computed in float32 (z.abs().float())": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs().float())
    g = torch.sign(z) * (1 - e) / (1 + e)
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
        "torch.nn.functional.relu (off limits)": '''
def relu_with_grad(z):
    return torch.nn.functional.relu(z), (z > 0).to(z.dtype)
''',
        "in-place relu_ on a copy": '''
def relu_with_grad(z):
    return z.clone().relu_(), (z > 0).to(z.dtype)
''',
        "computed in float32 and cast back to the dtype of z": '''
def relu_with_grad(z):
    return z.float().clamp_min(0).to(z.dtype), (z > 0).to(z.dtype)
''',
        "zeros made on the CPU: torch.zeros(z.shape)": '''
def relu_with_grad(z):
    zero = torch.zeros(z.shape, dtype=z.dtype)
    return torch.where(z > 0, z, zero), (z > 0).to(z.dtype)
''',
        "flattened with view(-1): fails on non-contiguous z": '''
def relu_with_grad(z):
    flat = z.view(-1)
    return flat.clamp_min(0).view(z.shape), (flat > 0).to(z.dtype).view(z.shape)
''',
        "g detached (z.detach().clamp_min(0))": '''
def relu_with_grad(z):
    return z.detach().clamp_min(0), (z > 0).to(z.dtype)
''',
        # red team 2026-12-03
        "(z + |z|) / 2: overflows for z above half of the largest float": '''
def relu_with_grad(z):
    return (z + z.abs()) / 2, (z > 0).to(z.dtype)
''',
        "torch.heaviside(z, torch.tensor(0.0)): a float32 zero": '''
def relu_with_grad(z):
    return z.clamp_min(0), torch.heaviside(z, torch.tensor(0.0))
''',
        "(z > 0).float(): a float32 derivative for a float64 z": '''
def relu_with_grad(z):
    return z.clamp_min(0), (z > 0).float()
''',
        "torch.max(z, torch.zeros(1)): a zero on the CPU": '''
def relu_with_grad(z):
    return torch.max(z, torch.zeros(1, dtype=z.dtype)), (z > 0).to(z.dtype)
''',
        "torch.ops.aten.relu (torch.relu's kernel)": '''
def relu_with_grad(z):
    return torch.ops.aten.relu(z), (z > 0).to(z.dtype)
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
        "torch.func.grad (off limits)": '''
def sigmoid_neuron_grads(w, x, b):
    neuron = lambda w_, x_, b_: torch.sigmoid(w_ @ x_ + b_)
    gw, gx, gb = torch.func.grad(neuron, argnums=(0, 1, 2))(w, x, b)
    return neuron(w, x, b), gw, gx, gb
''',
        "y.backward() on detached copies (off limits)": '''
def sigmoid_neuron_grads(w, x, b):
    w_, x_, b_ = (t.detach().clone().requires_grad_(True) for t in (w, x, b))
    y = torch.sigmoid(w_ @ x_ + b_)
    y.backward()
    return y.detach(), w_.grad, x_.grad, b_.grad
''',
        "computed in float32 and cast back to the dtype of w": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w.float() @ x.float() + b.float())
    s = y * (1 - y)
    return y.to(w.dtype), (s * x.float()).to(w.dtype), (s * w.float()).to(w.dtype), s.to(w.dtype)
''',
        "z clamped to [-20, 20]": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid((w @ x + b).clamp(-20, 20))
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
        "gradients written into w.grad, x.grad, b.grad (the caller's gradients change)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    w.grad, x.grad, b.grad = s * x, s * w, s        # where autograd would put them
    return y, w.grad, x.grad, b.grad
''',
        "dy_dw and dy_dx filled into torch.zeros(D): on the CPU whatever the device of w": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    dy_dw, dy_dx = torch.zeros(len(w), dtype=w.dtype), torch.zeros(len(x), dtype=x.dtype)
    for i in range(len(w)):
        dy_dw[i] = s * x[i]
        dy_dx[i] = s * w[i]
    return y, dy_dw, dy_dx, s
''',
        "y returned as a Python float": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    return y.item(), s * x, s * w, s
''',
        # red team 2026-12-03
        "dy_db = sigma'(z) * b (b is not its own derivative)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    return y, s * x, s * w, s * b
''',
        "y and dy_db of shape [1] (w[None] @ x)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w[None] @ x + b)
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
        "z clamped to [-30, 30]": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid((w @ x + b).clamp(-30, 30))
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
        "dy_dw from a Python list: torch.tensor([...]) (float32, no device)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    dy_dw = torch.tensor([s.item() * xi for xi in x.tolist()])
    return y, dy_dw, s * w, s
''',
        "x scaled in place: x.mul_(slope)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    dy_dx = s * w
    return y, x.mul_(s), dy_dx, s
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
        "ignores eps (always 1e-6)": '''
def numerical_grad(f, x, eps=1e-6):
    step = 1e-6
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + step
        f_plus = float(f(x0))
        flat[i] = old - step
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * step)
    return grad
''',
        "default step eps = 1e-5": '''
def numerical_grad(f, x, eps=1e-5):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
        "torch.autograd.grad on a float64 copy (off limits)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(x0), x0)
    return grad
''',
        "perturbs x itself when it is float64, restoring it exactly (the version counter moves)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64)          # no copy when x is already float64
    flat = x0.view(-1) if x0.is_contiguous() else x0.reshape(-1)
    grad = torch.zeros(flat.numel(), dtype=torch.float64)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old                          # x is exactly as it was
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.reshape(x.shape)
''',
        "view(-1) of x.to(float64).clone(): fails on a transposed x": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()  # clone keeps the strides of x
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
        "f called with a copy that still requires grad (no detach)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0).detach()
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
        "float32 result for a float32 x": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad.to(x.dtype)
''',
        # red team 2026-12-03
        "f's results kept as tensors (a view of the copy changes with it)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = f(x0)
        flat[i] = old - eps
        f_minus = f(x0)
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
        "one-hot step made with torch.zeros(n) (float32: eps rounded)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).reshape(-1)
    grad = torch.zeros(x0.numel(), dtype=torch.float64)
    for i in range(x0.numel()):
        step = torch.zeros(x0.numel())
        step[i] = eps
        grad[i] = (float(f((x0 + step).reshape(x.shape))) - float(f((x0 - step).reshape(x.shape)))) / (2 * eps)
    return grad.reshape(x.shape)
''',
        "gradient stored in torch.zeros(x.shape) (float32), returned .double()": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros(x.shape)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad.double()
''',
        "loop over len(x): rows, not coordinates": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    grad = torch.zeros_like(x0)
    for i in range(len(x0)):
        xp, xm = x0.clone(), x0.clone()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (float(f(xp)) - float(f(xm))) / (2 * eps)
    return grad
''',
        "differences kept in f's own type and torch.stack-ed (fails when f returns a float)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).reshape(-1)
    steps = eps * torch.eye(x0.numel(), dtype=torch.float64)
    diffs = [(f((x0 + s).reshape(x.shape)) - f((x0 - s).reshape(x.shape))) / (2 * eps) for s in steps]
    return torch.stack(diffs).reshape(x.shape) if diffs else torch.zeros(x.shape, dtype=torch.float64)
''',
        "relative step eps * |x_i|": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        h = eps * max(abs(old), 1.0)         # a step that scales with x
        flat[i] = old + h
        f_plus = float(f(x0))
        flat[i] = old - h
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * h)
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
        "torch.addmm expansion, clamped in place on its own result": '''
def pairwise_sq_dists(x, y):
    sq = (x * x).sum(1, keepdim=True) + (y * y).sum(1)
    return torch.addmm(sq, x, y.T, alpha=-2).clamp_min_(0)
''',
        "one row of x at a time against all of y (device-agnostic, exact)": '''
def pairwise_sq_dists(x, y):
    rows = [((xi[None, :] - y) ** 2).sum(dim=1) for xi in x]
    return torch.stack(rows) if rows else x.new_zeros((0, y.shape[0]))
''',
    },
    "sigmoid_with_grad": {
        "via the tanh identity, written by hand": '''
def sigmoid_with_grad(z):
    h = z / 2
    e = torch.exp(-2 * h.abs())
    t = torch.sign(h) * (1 - e) / (1 + e)
    g = 0.5 * (1 + t)
    return g, g * (1 - g)
''',
        "boolean masks written into torch.empty_like(z)": '''
def sigmoid_with_grad(z):
    g = torch.empty_like(z)
    pos = z >= 0
    g[pos] = 1 / (1 + torch.exp(-z[pos]))
    ez = torch.exp(z[~pos])
    g[~pos] = ez / (1 + ez)
    return g, g * (1 - g)
''',
        "ones_like(z), one exp(-|z|) (device-agnostic)": '''
def sigmoid_with_grad(z):
    one = torch.ones_like(z)
    e = torch.exp(-torch.abs(z))
    g = torch.where(z < 0, e, one) / (one + e)
    return g, g * (one - g)
''',
    },
    "tanh_with_grad": {
        "expm1 for accuracy near 0": '''
def tanh_with_grad(z):
    m = torch.expm1(-2 * z.abs())
    g = -torch.sign(z) * m / (2 + m)
    return g, 1 - g ** 2
''',
        "torch.where on the sign, dg as (1 - g)(1 + g)": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * torch.abs(z))
    t = (1 - e) / (1 + e)
    g = torch.where(z < 0, -t, t)
    return g, (1 - g) * (1 + g)
''',
        "boolean masks written into torch.zeros_like(z)": '''
def tanh_with_grad(z):
    g = torch.zeros_like(z)
    pos, neg = z > 0, z < 0
    ep = torch.exp(-2 * z[pos])
    g[pos] = (1 - ep) / (1 + ep)
    en = torch.exp(2 * z[neg])
    g[neg] = (en - 1) / (en + 1)
    return g, 1 - g * g
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
        "torch.maximum and torch.heaviside with a zero on the device of z": '''
def relu_with_grad(z):
    zero = torch.zeros((), dtype=z.dtype, device=z.device)
    return torch.maximum(z, zero), torch.heaviside(z, zero)
''',
        "torch.clamp and torch.where with Python scalars": '''
def relu_with_grad(z):
    return torch.clamp(z, min=0), torch.where(z > 0, 1.0, 0.0).to(z.dtype)
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
        "stable sigmoid by hand (exp(-|z|)) and torch.dot": '''
def sigmoid_neuron_grads(w, x, b):
    z = torch.dot(w, x) + b
    e = torch.exp(-z.abs())
    y = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
        "elementwise product and sum, new tensors with zeros_like": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid((w * x).sum() + b)
    slope = y * (1 - y)
    return y, torch.zeros_like(w) + slope * x, torch.zeros_like(x) + slope * w, slope.reshape(())
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
        "one perturbation per row of eps * eye (on the device of x)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).reshape(-1)
    steps = eps * torch.eye(x0.numel(), dtype=torch.float64, device=x0.device)
    values = [(float(f((x0 + s).reshape(x.shape))) - float(f((x0 - s).reshape(x.shape)))) / (2 * eps) for s in steps]
    return torch.tensor(values, dtype=torch.float64, device=x0.device).reshape(x.shape)
''',
        "two fresh copies per coordinate, indexed with itertools.product": '''
import itertools

def numerical_grad(f, x, eps=1e-6):
    base = x.detach().to(torch.float64).clone()
    grad = torch.zeros_like(base)
    for idx in itertools.product(*(range(n) for n in base.shape)):
        plus, minus = base.clone(), base.clone()
        plus[idx] += eps
        minus[idx] -= eps
        grad[idx] = (float(f(plus)) - float(f(minus))) / (2 * eps)
    return grad
''',
    },
}

WARNED = {
    "pairwise_sq_dists": [
        "expansion without the clamp (negative values)",
        "computed in float32 always",
        "torch.cdist (off limits)",
        "torch.cdist under another name",
        "torch._euclidean_dist (the kernel behind torch.cdist)",
        "loop into torch.empty(N, M, dtype=x.dtype): on the CPU whatever the device of x",
        "NumPy broadcasting (CPU only, no gradient)",
        "detached result",
    ],
    "sigmoid_with_grad": [
        "exp(z) / (1 + exp(z)): nan at z = 100",
        "slope as exp(-z) / (1 + exp(-z))**2: nan for very negative z",
        "torch.sigmoid (off limits)",
        "torch.special.expit (torch.sigmoid under another name)",
        "in-place sigmoid_ on a copy",
        "torch.nn.Sigmoid module",
        "ones made on the CPU: torch.ones(z.shape)",
        "g detached (computed under torch.no_grad())",
    ],
    "tanh_with_grad": [
        "textbook formula: inf / inf = nan for large |z|",
        "torch.nn.Tanh module (torch.tanh under another name)",
        "2 torch.sigmoid(2z) - 1 (sigmoid is off limits too)",
        "g detached (z.detach() first)",
    ],
    "relu_with_grad": [
        "derivative 1 at z = 0",
        "boolean derivative",
        "in-place clamp_ modifies z",
        "torch.nn.functional.relu (off limits)",
        "in-place relu_ on a copy",
        "zeros made on the CPU: torch.zeros(z.shape)",
        "g detached (z.detach().clamp_min(0))",
    ],
    "sigmoid_neuron_grads": [
        "autograd (off limits)",
        "torch.func.grad (off limits)",
        "y.backward() on detached copies (off limits)",
    ],
    "numerical_grad": [
        "forward difference",
        "perturbs x in place and forgets to restore it",
        "evaluates in the dtype of x (float32 rounding)",
        "flattened input and result",
        "ignores eps (always 1e-6)",
        "torch.autograd.grad on a float64 copy (off limits)",
        "perturbs x itself when it is float64, restoring it exactly (the version counter moves)",
        "float32 result for a float32 x",
    ],
}

EQUIVALENT = {
    "pairwise_sq_dists": {
        "dim@13:23#1": "x is [N, D] (2-D by the docstring): summing over dim=-1 is summing over dim=1",
        "dim@14:23#1": "y is [M, D] (2-D by the docstring): summing over dim=-1 is summing over dim=1",
    },
    "sigmoid_with_grad": {
        "compare@13:20#0": "only z = 0 (or -0.0) takes the other branch, and there both give 1 / (1 + 1) = 1 / 2 "
                           "with the same gradient (abs has slope 0 at 0); nan goes to the second branch either way",
    },
    "numerical_grad": {
        "clone@24:4#0": "grad is zeros_like of a detached tensor filled with Python floats: it never requires grad, "
                        "so .detach() returns the same values, dtype, shape and device",
    },
}

# ------------------------------------------------------------------------------------------------
# "Check your understanding" questions (issue 9): the usual slips, and right answers in other forms.
# ------------------------------------------------------------------------------------------------

WRONG.update({
    "answer_1_1": {
        "elements, not bytes": '''
def answer_1_1():
    return 64 * 1 * 28 * 28
''',
        "float64 bytes (8 per element)": '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 8
''',
        "one image only": '''
def answer_1_1():
    return 28 * 28 * 4
''',
        "kilobytes as a float": '''
def answer_1_1():
    return 64 * 28 * 28 * 4 / 1024
''',
        # red team 2026-12-03
        "bits, not bytes": '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 32
''',
        "kibibytes by integer division": '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 4 // 1024
''',
        "bfloat16 bytes (2 per element)": '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 2
''',
        "the right number as a float": '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 4.0
''',
    },
    "answer_3_2": {
        "no stretching (the shape of a)": '''
def answer_3_2():
    return (8, 1, 5)
''',
        "aligned from the left": '''
def answer_3_2():
    return (8, 3, 1)
''',
        "b's leading dimension first": '''
def answer_3_2():
    return (3, 8, 5)
''',
        "a torch.Size as a string": '''
def answer_3_2():
    return "torch.Size([8, 3, 5])"
''',
        # red team 2026-12-03
        "last dimension dropped": '''
def answer_3_2():
    return (8, 3)
''',
        "read from the right, written reversed": '''
def answer_3_2():
    return (5, 3, 8)
''',
        "the number of elements": '''
def answer_3_2():
    return 8 * 3 * 5
''',
        "floats in the tuple": '''
def answer_3_2():
    return (8.0, 3.0, 5.0)
''',
        "flattened leading dimensions": '''
def answer_3_2():
    return (24, 5)
''',
    },
})

RIGHT.update({
    "answer_1_1": {
        "the number": '''
def answer_1_1():
    return 200704
''',
        "measured with numel and element_size": '''
def answer_1_1():
    t = torch.zeros(64, 1, 28, 28)
    return t.numel() * t.element_size()
''',
    },
    "answer_3_2": {
        "a list": '''
def answer_3_2():
    return [8, 3, 5]
''',
        "measured with torch.ones": '''
def answer_3_2():
    return tuple((torch.ones(8, 1, 5) - torch.ones(3, 1)).shape)
''',
    },
})

# ---- red team, round 3 (2026-12-03) ----
WRONG.setdefault("pairwise_sq_dists", {}).update({
    "computed in float64 always (a float32 x gives float64)": '''
def pairwise_sq_dists(x, y):
    x, y = x.double(), y.double()
    return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
''',
    "torch.functional.cdist (torch.cdist's home module)": '''
def pairwise_sq_dists(x, y):
    return torch.functional.cdist(x, y) ** 2
''',
    "torch._C._VariableFunctions.cdist (the kernel's binding)": '''
def pairwise_sq_dists(x, y):
    return torch._C._VariableFunctions.cdist(x, y) ** 2
''',
    "scaled by the largest coordinate first (fails for D = 0)": '''
def pairwise_sq_dists(x, y):
    s = torch.cat([x, y]).abs().max().clamp_min(1e-30)   # avoid overflow for huge coordinates
    xs, ys = x / s, y / s
    return ((xs[:, None, :] - ys[None, :, :]) ** 2).sum(-1) * (s * s)
''',
    "clamp applied to the cross term, not to the result": '''
def pairwise_sq_dists(x, y):
    cross = (x @ y.T).clamp_min(0)
    return (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * cross
''',
})
WRONG.setdefault("sigmoid_with_grad", {}).update({
    "torch._refs.sigmoid (torch.sigmoid's Python reference)": '''
def sigmoid_with_grad(z):
    g = torch._refs.sigmoid(z)
    return g, g * (1 - g)
''',
    "exp of F.logsigmoid (the library's log-sigmoid)": '''
def sigmoid_with_grad(z):
    g = torch.exp(torch.nn.functional.logsigmoid(z))
    return g, g * (1 - g)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    "torch._refs.tanh (torch.tanh's Python reference)": '''
def tanh_with_grad(z):
    g = torch._refs.tanh(z)
    return g, 1 - g * g
''',
})
WRONG.setdefault("relu_with_grad", {}).update({
    "F.leaky_relu with slope 0 (relu under another name)": '''
def relu_with_grad(z):
    return torch.nn.functional.leaky_relu(z, 0.0), (z > 0).to(z.dtype)
''',
    "F.threshold(z, 0, 0) (relu under another name)": '''
def relu_with_grad(z):
    return torch.nn.functional.threshold(z, 0.0, 0.0), (z > 0).to(z.dtype)
''',
})
WRONG.setdefault("sigmoid_neuron_grads", {}).update({
    "z taken out with .item(), sigmoid with math.exp (float32 CPU results)": '''
def sigmoid_neuron_grads(w, x, b):
    z = (w @ x + b).item()
    y = torch.tensor(1 / (1 + math.exp(-z)))
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
    "zeroes the gradients of w and b first (a training-loop habit)": '''
def sigmoid_neuron_grads(w, x, b):
    for t in (w, x, b):
        if t.grad is not None:
            t.grad.zero_()
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    "half steps: (f(x + eps/2) - f(x - eps/2)) / eps": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps / 2
        f_plus = float(f(x0))
        flat[i] = old - eps / 2
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / eps
    return grad
''',
    "f(...).item() (fails when f returns a Python float)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = f(x0).item()
        flat[i] = old - eps
        f_minus = f(x0).item()
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "flatten() of a strided copy (writes lost for a transposed x)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    grad = torch.zeros(x0.numel(), dtype=torch.float64)
    flat = x0.flatten()
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.reshape(x.shape)
''',
    "values collected in a list, torch.tensor(values) (float32)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).reshape(-1)
    values = []
    for i in range(x0.numel()):
        step = torch.zeros_like(x0)
        step[i] = eps
        values.append((float(f((x0 + step).reshape(x.shape))) - float(f((x0 - step).reshape(x.shape)))) / (2 * eps))
    return torch.tensor(values).reshape(x.shape)
''',
    "x.numpy() without detach (fails when x requires grad)": '''
def numerical_grad(f, x, eps=1e-6):
    base = x.numpy().astype(np.float64)
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        plus, minus = base.copy(), base.copy()
        plus[idx] += eps
        minus[idx] -= eps
        grad[idx] = (float(f(torch.from_numpy(plus))) - float(f(torch.from_numpy(minus)))) / (2 * eps)
    return torch.from_numpy(grad)
''',
})
RIGHT.setdefault("sigmoid_with_grad", {}).update({
    "dg as e / (1 + e)**2 with e = exp(-|z|)": '''
def sigmoid_with_grad(z):
    e = torch.exp(-z.abs())
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, e / (1 + e) ** 2
''',
})
RIGHT.setdefault("tanh_with_grad", {}).update({
    "2 g(2z) - 1 with your own sigmoid_with_grad, dg as 4 e / (1 + e)**2": '''
def tanh_with_grad(z):
    g = 2 * sigmoid_with_grad(2 * z)[0] - 1
    e = torch.exp(-2 * z.abs())
    return g, 4 * e / (1 + e) ** 2
''',
})
RIGHT.setdefault("relu_with_grad", {}).update({
    "dg = torch.sign(g)": '''
def relu_with_grad(z):
    g = z.clamp(min=0)
    return g, torch.sign(g)
''',
})
RIGHT.setdefault("sigmoid_neuron_grads", {}).update({
    "slope as sigmoid(z) * sigmoid(-z)": '''
def sigmoid_neuron_grads(w, x, b):
    z = torch.matmul(w, x) + b
    y = torch.sigmoid(z)
    slope = y * torch.sigmoid(-z)
    return y, slope * x, slope * w, slope
''',
})

# ---- red team, round 4 (2026-12-04) ----
WRONG.setdefault("sigmoid_with_grad", {}).update({
    "both textbook branches under torch.where (nan gradient for large |z|)": '''
def sigmoid_with_grad(z):
    g = torch.where(z >= 0, 1 / (1 + torch.exp(-z)), torch.exp(z) / (1 + torch.exp(z)))
    return g, g * (1 - g)
''',
    "exp(-F.softplus(-z)) (the library's log-sigmoid under another name)": '''
def sigmoid_with_grad(z):
    g = torch.exp(-torch.nn.functional.softplus(-z))
    return g, g * (1 - g)
''',
    # was RIGHT: finite values, but exp(-z) overflows for z < -88.7 (float32) or -709 (float64) and the
    # gradient of g is inf * 0 = nan there: the text says to exponentiate only numbers <= 0
    "textbook 1 / (1 + exp(-z)) (finite values, nan gradient for very negative z)": '''
def sigmoid_with_grad(z):
    g = 1 / (1 + torch.exp(-z))
    return g, g * (1 - g)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    "both textbook branches under torch.where (nan gradient for large |z|)": '''
def tanh_with_grad(z):
    pos = (1 - torch.exp(-2 * z)) / (1 + torch.exp(-2 * z))
    neg = (torch.exp(2 * z) - 1) / (torch.exp(2 * z) + 1)
    g = torch.where(z >= 0, pos, neg)
    return g, 1 - g * g
''',
    "2 exp(-F.softplus(-2z)) - 1 (the library's sigmoid under another name)": '''
def tanh_with_grad(z):
    g = 2 * torch.exp(-torch.nn.functional.softplus(-2 * z)) - 1
    return g, 1 - g * g
''',
    # was RIGHT: finite values, but exp(-2z) overflows for very negative z and the gradient of g is nan there
    "2 / (1 + exp(-2z)) - 1 by hand (finite values, nan gradient for very negative z)": '''
def tanh_with_grad(z):
    g = 2 / (1 + torch.exp(-2 * z)) - 1
    return g, 1 - g * g
''',
})
WRONG.setdefault("relu_with_grad", {}).update({
    "F.elu with alpha = 0 (relu under another name)": '''
def relu_with_grad(z):
    return torch.nn.functional.elu(z, alpha=0.0), (z > 0).to(z.dtype)
''',
    "F.prelu with a zero slope (relu under another name)": '''
def relu_with_grad(z):
    return torch.nn.functional.prelu(z, torch.zeros(1, dtype=z.dtype, device=z.device)), (z > 0).to(z.dtype)
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    "torch.func.jacfwd (forward-mode autograd)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    return torch.func.jacfwd(lambda t: torch.as_tensor(f(t), dtype=torch.float64))(x0)
''',
    "dual numbers from torch.autograd.forward_ad, one coordinate at a time": '''
import torch.autograd.forward_ad as fwAD

def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    grad = torch.zeros_like(x0)
    for i in range(x0.numel()):
        tangent = torch.zeros_like(x0)
        tangent.view(-1)[i] = 1.0
        with fwAD.dual_level():
            out = f(fwAD.make_dual(x0, tangent))
            grad.view(-1)[i] = fwAD.unpack_dual(out).tangent
    return grad
''',
})
RIGHT.setdefault("pairwise_sq_dists", {}).update({
    "torch.linalg.vector_norm of the difference tensor, squared": '''
def pairwise_sq_dists(x, y):
    return torch.linalg.vector_norm(x[:, None, :] - y[None, :, :], dim=-1) ** 2
''',
    "expansion with squared norms from x.norm(dim=1) ** 2": '''
def pairwise_sq_dists(x, y):
    xx, yy = x.norm(dim=1) ** 2, y.norm(dim=1) ** 2
    return (xx[:, None] + yy[None, :] - 2 * torch.mm(x, y.t())).clamp(min=0)
''',
})
RIGHT.setdefault("tanh_with_grad", {}).update({
    "|z| as torch.where(z >= 0, z, -z) (autograd's slope 1 at z = 0 too)": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * torch.where(z >= 0, z, -z))
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
''',
})
# the text: "Arrange the formulas so that you only ever exponentiate a number <= 0"; the visible check_backward
# at z = +-1000 catches the nan gradient
WARNED["sigmoid_with_grad"].append("textbook 1 / (1 + exp(-z)) (finite values, nan gradient for very negative z)")
WARNED["tanh_with_grad"].append("2 / (1 + exp(-2z)) - 1 by hand (finite values, nan gradient for very negative z)")

# ---- red team, round 6 (rt6/rta, 2026-12-04) ----
WRONG.setdefault("pairwise_sq_dists", {}).update({
    "clamped at the dtype's machine epsilon (wrong for points closer than sqrt(eps))": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(torch.finfo(x.dtype).eps)   # "safe" for a later sqrt
''',
    "distances through .sqrt(), squared again (nan gradient where two points coincide)": '''
def pairwise_sq_dists(x, y):
    d = ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1).sqrt()   # the Euclidean distance...
    return d ** 2                                                 # ...squared
''',
})
WRONG.setdefault("sigmoid_with_grad", {}).update({
    # the solution before round 6: autograd's slope of z.abs() is 0 at z = 0, so g's gradient there is 0, not 1/4
    "exp(-z.abs()) (autograd's gradient of g is 0 at z = 0)": '''
def sigmoid_with_grad(z):
    e = torch.exp(-z.abs())
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
    "|z| as torch.sqrt(z * z) (nan gradient at z = 0)": '''
def sigmoid_with_grad(z):
    e = torch.exp(-torch.sqrt(z * z))
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
    "-|z| as torch.minimum(z, -z) (autograd's gradient of g is 0 at z = 0)": '''
def sigmoid_with_grad(z):
    e = torch.exp(torch.minimum(z, -z))
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    # the solution before round 6 (the formula of the Numerics paragraph, with torch.sign and torch.abs)
    "sign(z) (1 - e) / (1 + e), e = exp(-2|z|) (autograd's gradient of g is 0 at z = 0)": '''
def tanh_with_grad(z):
    e = torch.exp(-2 * z.abs())
    g = torch.sign(z) * (1 - e) / (1 + e)
    return g, 1 - g * g
''',
    "branches from z.clamp(min=0) and z.clamp(max=0) (autograd's gradient of g is 0 at z = 0)": '''
def tanh_with_grad(z):
    zp, zn = z.clamp(min=0), z.clamp(max=0)       # each branch only sees numbers it can exponentiate
    ep, en = torch.exp(-2 * zp), torch.exp(2 * zn)
    g = torch.where(z >= 0, (1 - ep) / (1 + ep), (en - 1) / (en + 1))
    return g, 1 - g * g
''',
})
WRONG.setdefault("sigmoid_neuron_grads", {}).update({
    "y clamped to [1e-7, 1 - 1e-7] (a cross-entropy habit)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b).clamp(1e-7, 1 - 1e-7)
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    "torch.func.jacrev (reverse-mode autograd)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    return torch.func.jacrev(lambda t: torch.as_tensor(f(t), dtype=torch.float64))(x0)
''',
    "torch.autograd.functional.jacobian (autograd)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    return torch.autograd.functional.jacobian(lambda t: torch.as_tensor(f(t), dtype=torch.float64), x0)
''',
})
RIGHT.setdefault("sigmoid_with_grad", {}).update({
    "|z| as z times a +-1 sign picked with torch.where": '''
def sigmoid_with_grad(z):
    s = torch.where(z >= 0, 1.0, -1.0).to(z.dtype)
    e = torch.exp(-z * s)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
RIGHT.setdefault("tanh_with_grad", {}).update({
    "expm1 of -2 |z|, |z| and the sign from torch.where": '''
def tanh_with_grad(z):
    m = torch.expm1(-2 * torch.where(z >= 0, z, -z))   # exp(-2|z|) - 1, in (-1, 0]
    t = -m / (2 + m)
    g = torch.where(z >= 0, t, -t)
    return g, (1 - g) * (1 + g)
''',
})
RIGHT.setdefault("pairwise_sq_dists", {}).update({
    "torch.addmm with pow(2).sum(-1) norms and y.mT, clamp(min=0)": '''
def pairwise_sq_dists(x, y):
    xx = x.pow(2).sum(-1)
    yy = y.pow(2).sum(-1)
    return torch.addmm(xx[:, None] + yy[None, :], x, y.mT, beta=1, alpha=-2).clamp(min=0)
''',
})
# Were RIGHT until round 6: their g has autograd's slope 0 at exactly z = 0 (the kink of torch.abs / torch.sign,
# or a constant 0 written there), where sigmoid'(0) = 1/4 and tanh'(0) = 1; the text now warns about it and the
# visible gradient check runs at z = 0
for _gid, _old, _new in [
    ("sigmoid_with_grad", "via the tanh identity, written by hand",
     "tanh identity by hand with torch.sign and abs (was RIGHT; autograd's gradient of g is 0 at z = 0)"),
    ("sigmoid_with_grad", "ones_like(z), one exp(-|z|) (device-agnostic)",
     "ones_like(z), exp(-torch.abs(z)) (was RIGHT; autograd's gradient of g is 0 at z = 0)"),
    ("sigmoid_with_grad", "dg as e / (1 + e)**2 with e = exp(-|z|)",
     "dg as e / (1 + e)**2, e = exp(-z.abs()) (was RIGHT; autograd's gradient of g is 0 at z = 0)"),
    ("tanh_with_grad", "expm1 for accuracy near 0",
     "expm1 with torch.sign and z.abs() (was RIGHT; autograd's gradient of g is 0 at z = 0)"),
    ("tanh_with_grad", "torch.where on the sign, dg as (1 - g)(1 + g)",
     "torch.where on the sign of tanh(torch.abs(z)) (was RIGHT; autograd's gradient of g is 0 at z = 0)"),
    ("tanh_with_grad", "boolean masks written into torch.zeros_like(z)",
     "boolean masks z > 0 and z < 0 into zeros_like(z) (was RIGHT; g is a constant 0 at z = 0: gradient 0)"),
]:
    WRONG[_gid][_new] = RIGHT[_gid].pop(_old)
    WARNED[_gid].append(_new)
WARNED["sigmoid_with_grad"] += [
    "exp(-z.abs()) (autograd's gradient of g is 0 at z = 0)",
    "|z| as torch.sqrt(z * z) (nan gradient at z = 0)",
    "-|z| as torch.minimum(z, -z) (autograd's gradient of g is 0 at z = 0)",
]
WARNED["tanh_with_grad"] += [
    "sign(z) (1 - e) / (1 + e), e = exp(-2|z|) (autograd's gradient of g is 0 at z = 0)",
    "branches from z.clamp(min=0) and z.clamp(max=0) (autograd's gradient of g is 0 at z = 0)",
]
# the solution's |z| is now torch.where(z >= 0, z, -z): its `>=` mutants change the slope at z = 0 and are killed
del EQUIVALENT["sigmoid_with_grad"]
WRONG["sigmoid_with_grad"]["|z| picked with z > 0, the branch with z >= 0 (slope -1/4 at z = 0)"] = '''
def sigmoid_with_grad(z):
    e = torch.exp(-torch.where(z > 0, z, -z))
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
'''
WRONG["tanh_with_grad"]["the sign picked with z > 0, |z| with z >= 0 (slope -1 at z = 0)"] = '''
def tanh_with_grad(z):
    e = torch.exp(-2 * torch.where(z >= 0, z, -z))
    t = (1 - e) / (1 + e)
    g = torch.where(z > 0, t, -t)
    return g, 1 - g * g
'''

# ---- red team, round 7 (rt7/a, 2026-12-04) ----
WRONG.setdefault("pairwise_sq_dists", {}).update({
    "F.pdist of the stacked points, the [N, M] block read off (a library pairwise distance)": '''
def pairwise_sq_dists(x, y):
    n, m = x.shape[0], y.shape[0]
    d = torch.nn.functional.pdist(torch.cat([x, y])) ** 2      # condensed: pairs i < j of the stacked rows
    i, j = torch.triu_indices(n + m, n + m, offset=1, device=x.device)
    full = x.new_zeros(n + m, n + m)
    full[i, j] = d
    return full[:n, n:]
''',
})
WRONG.setdefault("sigmoid_with_grad", {}).update({
    "exp(-torch.logaddexp(0, -z)) (softplus, the library's log-sigmoid, under another name)": '''
def sigmoid_with_grad(z):
    g = torch.exp(-torch.logaddexp(torch.zeros_like(z), -z))
    return g, g * (1 - g)
''',
    "F.glu of the pairs (1, z) (glu is a * sigmoid(b): the library's sigmoid)": '''
def sigmoid_with_grad(z):
    g = torch.nn.functional.glu(torch.stack([torch.ones_like(z), z], dim=-1), dim=-1).squeeze(-1)
    return g, g * (1 - g)
''',
    "(1 + tanh(z / 2)) / 2 by hand (g rounds to 0 in the left tail: sigmoid(-50) = 1.9e-22 lost)": '''
def sigmoid_with_grad(z):
    h = z / 2
    e = torch.exp(-2 * torch.where(h >= 0, h, -h))
    t = (1 - e) / (1 + e)
    g = 0.5 * (1 + torch.where(h >= 0, t, -t))
    return g, g * (1 - g)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    "2 exp(-torch.logaddexp(0, -2z)) - 1 (softplus under another name)": '''
def tanh_with_grad(z):
    g = 2 * torch.exp(-torch.logaddexp(torch.zeros_like(z), -2 * z)) - 1
    return g, 1 - g * g
''',
    "2 F.glu((1, 2z)) - 1 (glu is the library's sigmoid)": '''
def tanh_with_grad(z):
    s = torch.nn.functional.glu(torch.stack([torch.ones_like(z), 2 * z], dim=-1), dim=-1).squeeze(-1)
    g = 2 * s - 1
    return g, 1 - g * g
''',
})
WRONG.setdefault("relu_with_grad", {}).update({
    "g = torch.where(z >= 0, z, 0) (autograd's slope of g is 1 at z = 0, not relu's 0)": '''
def relu_with_grad(z):
    return torch.where(z >= 0, z, 0.0), (z > 0).to(z.dtype)
''',
    "g = torch.maximum(z, zeros_like(z)) (autograd's slope of g is 1/2 at z = 0)": '''
def relu_with_grad(z):
    return torch.maximum(z, torch.zeros_like(z)), (z > 0).to(z.dtype)
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    "gradient filled into torch.zeros(x.shape, dtype=torch.float64): on the CPU whatever the device of x": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros(x.shape, dtype=torch.float64)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "copy made with torch.tensor(x.tolist(), dtype=torch.float64) (f gets CPU tensors)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = torch.tensor(x.tolist(), dtype=torch.float64)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
RIGHT.setdefault("numerical_grad", {}).update({
    "divides by the step actually taken, (x + eps) - (x - eps) in float64": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        up, down = old + eps, old - eps
        flat[i] = up
        f_plus = float(f(x0))
        flat[i] = down
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (up - down)
    return grad
''',
})
RIGHT.setdefault("pairwise_sq_dists", {}).update({
    "both sets centred on the mean of x first (out of place), then the expansion": '''
def pairwise_sq_dists(x, y):
    c = x.mean(dim=0) if x.shape[0] else x.new_zeros(x.shape[1])
    xc, yc = x - c, y - c
    d = (xc * xc).sum(1)[:, None] + (yc * yc).sum(1)[None, :] - 2 * xc @ yc.T
    return d.clamp(min=0)
''',
    "torch.maximum with a 0-d zero tensor (a CPU scalar mixes with any device)": '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
    return torch.maximum(d, torch.tensor(0.0, dtype=x.dtype))
''',
})
RIGHT.setdefault("sigmoid_with_grad", {}).update({
    "dg as e / (1 + e)**2, |z| picked with torch.where": '''
def sigmoid_with_grad(z):
    e = torch.exp(-torch.where(z >= 0, z, -z))
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, e / (1 + e) ** 2
''',
})
# Was RIGHT until round 7: torch.maximum(z, 0) has autograd's slope 1/2 at z = 0, where relu's is 0; the text of
# Exercise 6.3 now says so and the visible gradient check runs at z = 0
WRONG["relu_with_grad"]["torch.maximum and heaviside with a zero on z's device (was RIGHT; autograd's slope of g is 1/2 at z = 0)"] = \
    RIGHT["relu_with_grad"].pop("torch.maximum and torch.heaviside with a zero on the device of z")
RIGHT["relu_with_grad"]["torch.where(z > 0, z, zero) and torch.heaviside with a zero on the device of z"] = '''
def relu_with_grad(z):
    zero = torch.zeros((), dtype=z.dtype, device=z.device)
    return torch.where(z > 0, z, zero), torch.heaviside(z, zero)
'''
WARNED["pairwise_sq_dists"].append("F.pdist of the stacked points, the [N, M] block read off (a library pairwise distance)")
WARNED["sigmoid_with_grad"] += [
    "exp(-torch.logaddexp(0, -z)) (softplus, the library's log-sigmoid, under another name)",
    "F.glu of the pairs (1, z) (glu is a * sigmoid(b): the library's sigmoid)",
]
WARNED["tanh_with_grad"] += [
    "2 exp(-torch.logaddexp(0, -2z)) - 1 (softplus under another name)",
    "2 F.glu((1, 2z)) - 1 (glu is the library's sigmoid)",
]
WARNED["relu_with_grad"] += [
    "g = torch.where(z >= 0, z, 0) (autograd's slope of g is 1 at z = 0, not relu's 0)",
    "g = torch.maximum(z, zeros_like(z)) (autograd's slope of g is 1/2 at z = 0)",
    "torch.maximum and heaviside with a zero on z's device (was RIGHT; autograd's slope of g is 1/2 at z = 0)",
]
# Were RIGHT until round 7: on a GPU the first adds a CPU eye to x's copy (a device error), the second calls f with
# CPU tensors and returns its gradient on the CPU; Exercise 8.1 now asks for the device of x, and a hidden on_meta
# call checks it. Their device-correct forms stay RIGHT.
for _old, _new in [
    ("one-hot perturbations, no in-place writes",
     "one-hot perturbations from torch.eye(n) on the CPU (was RIGHT; a device error for x on a GPU)"),
    ("numpy loop with np.nditer-style indices",
     "numpy loop, f called with CPU tensors, a CPU result (was RIGHT; not on the device of x)"),
]:
    WRONG["numerical_grad"][_new] = RIGHT["numerical_grad"].pop(_old)
RIGHT["numerical_grad"].update({
    "one-hot perturbations from torch.eye on the device of x, no in-place writes": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64)
    n = x0.numel()
    basis = torch.eye(n, dtype=torch.float64, device=x0.device)
    values = []
    for i in range(n):
        step = eps * basis[i].reshape(x0.shape)
        values.append((float(f(x0 + step)) - float(f(x0 - step))) / (2 * eps))
    return torch.tensor(values, dtype=torch.float64, device=x0.device).reshape(x0.shape)
''',
    "numpy loop with np.ndindex, copies moved to the device of x": '''
def numerical_grad(f, x, eps=1e-6):
    base = x.detach().cpu().to(torch.float64).numpy().copy()
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        old = base[idx]
        base[idx] = old + eps
        fp = float(f(torch.from_numpy(base.copy()).to(x.device)))
        base[idx] = old - eps
        fm = float(f(torch.from_numpy(base.copy()).to(x.device)))
        base[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return torch.from_numpy(grad).to(x.device)
''',
})

# torch.relu's Python reference runs only where/le (the same operators as an allowed answer); forbid
# swaps out the Python versions of a forbidden operator since 2026-12-04, so it is caught by name.
WRONG["relu_with_grad"]["torch._refs.nn.functional.relu (torch.relu's Python reference)"] = '''
def relu_with_grad(z):
    import torch._refs.nn.functional
    return torch._refs.nn.functional.relu(z), (z > 0).to(z.dtype)
'''
WARNED["relu_with_grad"] = WARNED.get("relu_with_grad", []) + ["torch._refs.nn.functional.relu (torch.relu's Python reference)"]

# ---- red team, round 7 (rt7/h, 2026-12-04) ----
WRONG.setdefault("sigmoid_with_grad", {}).update({
    'softmax over the logits (0, z), the second probability (a two-class softmax is the sigmoid)': '''
def sigmoid_with_grad(z):
    pair = torch.stack([torch.zeros_like(z), z], dim=-1)
    g = torch.softmax(pair, dim=-1)[..., 1]
    return g, g * (1 - g)
''',
    "exp(-torch.logsumexp of (0, -z)) (logsumexp of a pair is logaddexp, the library's softplus)": '''
def sigmoid_with_grad(z):
    g = torch.exp(-torch.logsumexp(torch.stack([torch.zeros_like(z), -z]), dim=0))
    return g, g * (1 - g)
''',
    "exp(-F.binary_cross_entropy_with_logits(z, 1)) (the loss is minus the library's log-sigmoid)": '''
def sigmoid_with_grad(z):
    nll = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none")
    g = torch.exp(-nll)
    return g, g * (1 - g)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    "difference of the softmax of (z, -z) (2 sigmoid(2z) - 1 through the library's softmax)": '''
def tanh_with_grad(z):
    p = torch.softmax(torch.stack([z, -z], dim=-1), dim=-1)
    g = p[..., 0] - p[..., 1]
    return g, 1 - g * g
''',
    "2 exp(-F.binary_cross_entropy_with_logits(2z, 1)) - 1 (the library's log-sigmoid in a loss)": '''
def tanh_with_grad(z):
    nll = torch.nn.functional.binary_cross_entropy_with_logits(2 * z, torch.ones_like(z), reduction="none")
    g = 2 * torch.exp(-nll) - 1
    return g, 1 - g * g
''',
})
WRONG.setdefault("relu_with_grad", {}).update({
    'dg = torch.where(z > 0, 1.0, 0.0) (float32 whatever the dtype of z)': '''
def relu_with_grad(z):
    return torch.where(z > 0, z, 0.0), torch.where(z > 0, 1.0, 0.0)
''',
})
WRONG.setdefault("sigmoid_neuron_grads", {}).update({
    'slope as exp(-z) / (1 + exp(-z))**2 (nan for z below -88 in float32)': '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    e = torch.exp(-z)
    y = 1 / (1 + e)
    slope = e / (1 + e) ** 2
    return y, slope * x, slope * w, slope
''',
    'y as exp(z) / (1 + exp(z)) (nan for z above 88 in float32)': '''
def sigmoid_neuron_grads(w, x, b):
    ez = torch.exp(w @ x + b)
    y = ez / (1 + ez)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    'NumPy copy made before the float64 cast (fails for a bfloat16 x)': '''
def numerical_grad(f, x, eps=1e-6):
    base = x.detach().cpu().numpy().astype(np.float64)
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        old = base[idx]
        base[idx] = old + eps
        fp = float(f(torch.from_numpy(base.copy()).to(x.device)))
        base[idx] = old - eps
        fm = float(f(torch.from_numpy(base.copy()).to(x.device)))
        base[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return torch.from_numpy(grad).to(x.device)
''',
    'f called with CPU copies, only the result moved to the device of x': '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().cpu().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad.to(x.device)
''',
})
WRONG.setdefault("pairwise_sq_dists", {}).update({
    'F.pairwise_distance with eps=0 on broadcast rows, squared (a library pairwise distance)': '''
def pairwise_sq_dists(x, y):
    return torch.nn.functional.pairwise_distance(x[:, None, :], y[None, :, :], eps=0.0) ** 2
''',
})
RIGHT.setdefault("sigmoid_with_grad", {}).update({
    '|z| and the branch both picked with z > 0 (the negative branch at z = 0, consistently)': '''
def sigmoid_with_grad(z):
    pos = z > 0
    e = torch.exp(-torch.where(pos, z, -z))
    g = torch.where(pos, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
RIGHT.setdefault("tanh_with_grad", {}).update({
    '|z| and the sign both picked with z > 0 (the negative branch at z = 0, consistently)': '''
def tanh_with_grad(z):
    pos = z > 0
    e = torch.exp(-2 * torch.where(pos, z, -z))
    t = (1 - e) / (1 + e)
    g = torch.where(pos, t, -t)
    return g, 1 - g * g
''',
})
RIGHT.setdefault("pairwise_sq_dists", {}).update({
    'difference tensor in float64, cast back to the dtype of x': '''
def pairwise_sq_dists(x, y):
    diff = x.double()[:, None, :] - y.double()[None, :, :]
    return (diff * diff).sum(-1).to(x.dtype)
''',
    'the [M, N] matrix of y against x, transposed (a non-contiguous result)': '''
def pairwise_sq_dists(x, y):
    return ((y[:, None, :] - x[None, :, :]) ** 2).sum(-1).T
''',
})
RIGHT.setdefault("relu_with_grad", {}).update({
    'a clone with g[g <= 0] = 0 (masked assignment)': '''
def relu_with_grad(z):
    g = z.clone()
    g[g <= 0] = 0
    return g, (g > 0).to(z.dtype)
''',
})
# The text now lists F.pairwise_distance (Exercise 3.1) and torch.logsumexp, torch.softmax / F.log_softmax and
# F.binary_cross_entropy_with_logits (Exercises 6.1, 6.2) as off limits, and the visible guards forbid them;
# Exercise 8.1 asks for a copy "on the device of x" and its visible test now runs f on meta and checks f's device.
WARNED["pairwise_sq_dists"] += [
    "F.pairwise_distance with eps=0 on broadcast rows, squared (a library pairwise distance)",
    "F.pairwise_distance on broadcast rows (adds eps = 1e-6 to every difference)",
]
WARNED["sigmoid_with_grad"] += [
    "softmax over the logits (0, z), the second probability (a two-class softmax is the sigmoid)",
    "exp(-torch.logsumexp of (0, -z)) (logsumexp of a pair is logaddexp, the library's softplus)",
    "exp(-F.binary_cross_entropy_with_logits(z, 1)) (the loss is minus the library's log-sigmoid)",
]
WARNED["tanh_with_grad"] += [
    "difference of the softmax of (z, -z) (2 sigmoid(2z) - 1 through the library's softmax)",
    "2 exp(-F.binary_cross_entropy_with_logits(2z, 1)) - 1 (the library's log-sigmoid in a loss)",
]
WARNED["numerical_grad"] += [
    "f called with CPU copies, only the result moved to the device of x",
    "gradient filled into torch.zeros(x.shape, dtype=torch.float64): on the CPU whatever the device of x",
    "copy made with torch.tensor(x.tolist(), dtype=torch.float64) (f gets CPU tensors)",
    "one-hot perturbations from torch.eye(n) on the CPU (was RIGHT; a device error for x on a GPU)",
    "numpy loop, f called with CPU tensors, a CPU result (was RIGHT; not on the device of x)",
]
# rt7/h, after the fix: other roads to the now-forbidden functions, and a CPU 0-d value on any device
WRONG["sigmoid_with_grad"]["exp(-F.cross_entropy) of the logits (0, z), class 1 (a log-softmax inside)"] = '''
def sigmoid_with_grad(z):
    logits = torch.stack([torch.zeros_like(z), z], dim=-1).reshape(-1, 2)
    target = torch.ones(logits.shape[0], dtype=torch.long, device=z.device)
    g = torch.exp(-torch.nn.functional.cross_entropy(logits, target, reduction="none")).reshape(z.shape)
    return g, g * (1 - g)
'''
WRONG["pairwise_sq_dists"]["nn.PairwiseDistance(eps=0) on broadcast rows, squared (a library pairwise distance)"] = '''
def pairwise_sq_dists(x, y):
    return torch.nn.PairwiseDistance(eps=0.0)(x[:, None, :], y[None, :, :]) ** 2
'''
WARNED["pairwise_sq_dists"].append("nn.PairwiseDistance(eps=0) on broadcast rows, squared (a library pairwise distance)")
RIGHT["relu_with_grad"]["clamp_min and torch.heaviside with a CPU 0-d zero of z's dtype (a CPU scalar mixes with any device)"] = '''
def relu_with_grad(z):
    return z.clamp_min(0), torch.heaviside(z, torch.tensor(0.0, dtype=z.dtype))
'''

# Only elementary operators may run in the three activations (only=ELEMENTARY, 2026-12-04): a library
# route that no off-limits list named is refused by the operator it runs.
WRONG["sigmoid_with_grad"]["F.silu(z) / z (silu is z times a sigmoid; 1/2 at z = 0)"] = '''
def sigmoid_with_grad(z):
    zero = z == 0
    g = torch.where(zero, torch.full_like(z, 0.5), torch.nn.functional.silu(z) / torch.where(zero, torch.ones_like(z), z))
    return g, g * (1 - g)
'''
WRONG["tanh_with_grad"]["2 silu(2z) / (2z) - 1 (silu is z times a sigmoid)"] = '''
def tanh_with_grad(z):
    zero = z == 0
    s = torch.where(zero, torch.full_like(z, 0.5), torch.nn.functional.silu(2 * z) / torch.where(zero, torch.ones_like(z), 2 * z))
    g = 2 * s - 1
    return g, 1 - g * g
'''
WRONG["relu_with_grad"]["F.hardtanh(z, 0, inf) (relu under another name)"] = '''
def relu_with_grad(z):
    return torch.nn.functional.hardtanh(z, 0.0, float("inf")), (z > 0).to(z.dtype)
'''
for _gid, _name in [("sigmoid_with_grad", "F.silu(z) / z (silu is z times a sigmoid; 1/2 at z = 0)"),
                    ("tanh_with_grad", "2 silu(2z) / (2z) - 1 (silu is z times a sigmoid)"),
                    ("relu_with_grad", "F.hardtanh(z, 0, inf) (relu under another name)")]:
    WARNED[_gid] = WARNED.get(_gid, []) + [_name]
del _gid, _name

# Red-team pass 9 (2026-12-04, reviewer a): new variants, measured before any test change.
WRONG["pairwise_sq_dists"]["torchmetrics' pairwise_euclidean_distance, squared (a library pairwise distance)"] = '''
def pairwise_sq_dists(x, y):
    from torchmetrics.functional import pairwise_euclidean_distance
    return pairwise_euclidean_distance(x, y) ** 2
'''
WRONG["pairwise_sq_dists"]["expansion computed in float32 for speed, cast back to the dtype of x"] = '''
def pairwise_sq_dists(x, y):
    x32, y32 = x.float(), y.float()
    d = (x32 * x32).sum(1, keepdim=True) + (y32 * y32).sum(1) - 2 * x32 @ y32.T
    return d.clamp_min(0).to(x.dtype)
'''
WRONG["sigmoid_with_grad"]["z clamped to +-(log(finfo.max) - 1), then 1 / (1 + exp(-z)) (a tiny g is wrong past the clamp)"] = '''
def sigmoid_with_grad(z):
    lim = math.log(torch.finfo(z.dtype).max) - 1.0      # exp(lim) stays finite in the dtype of z
    zc = z.clamp(-lim, lim)
    g = 1 / (1 + torch.exp(-zc))
    return g, g * (1 - g)
'''
WRONG["tanh_with_grad"]["g = z for |z| < 1e-3 (a small-angle shortcut: tanh(9.9e-4) off by 3e-10)"] = '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    g = torch.where(a < 1e-3, z, g)                    # tanh(z) ~ z near 0, no cancellation in 1 - e
    return g, 1 - g * g
'''
WRONG["relu_with_grad"]["g = z.masked_fill(z < 0, 0) (autograd's slope of g is 1 at z = 0)"] = '''
def relu_with_grad(z):
    return z.masked_fill(z < 0, 0), (z > 0).to(z.dtype)
'''
WRONG["sigmoid_neuron_grads"]["torch.func.jvp with one-hot tangents (forward-mode autograd)"] = '''
def sigmoid_neuron_grads(w, x, b):
    w, x, b = w.detach(), x.detach(), b.detach()
    fn = lambda w_, x_, b_: torch.sigmoid(w_ @ x_ + b_)
    y = fn(w, x, b)
    eye = torch.eye(w.shape[0], dtype=w.dtype, device=w.device)
    zw, zx, zb = torch.zeros_like(w), torch.zeros_like(x), torch.zeros_like(b)
    dy_dw = torch.stack([torch.func.jvp(fn, (w, x, b), (eye[i], zx, zb))[1] for i in range(w.shape[0])])
    dy_dx = torch.stack([torch.func.jvp(fn, (w, x, b), (zw, eye[i], zb))[1] for i in range(w.shape[0])])
    dy_db = torch.func.jvp(fn, (w, x, b), (zw, zx, torch.ones_like(b)))[1]
    return y, dy_dw, dy_dx, dy_db
'''
WRONG["sigmoid_neuron_grads"]["y as (1 + tanh(z / 2)) / 2 (the left tail rounds to 0: y(-40) = 0, not 4e-18)"] = '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y = (1 + torch.tanh(z / 2)) / 2
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
'''
WRONG["numerical_grad"]["default eps = 1e-5 (the step in the signature changed)"] = '''
def numerical_grad(f, x, eps=1e-5):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG["numerical_grad"]["partial derivatives stacked with torch.stack (fails for an empty x)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    flat = x0.view(-1)
    parts = []
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        parts.append(torch.tensor((f_plus - f_minus) / (2 * eps), dtype=torch.float64, device=x.device))
    return torch.stack(parts).reshape(x.shape)
'''
WRONG["answer_1_1"]["bits, not bytes: 64 * 28 * 28 * 32"] = '''
def answer_1_1():
    return 64 * 1 * 28 * 28 * 32
'''
RIGHT["sigmoid_with_grad"]["g = torch.where(z >= 0, 1, e) / (1 + e), one division"] = '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, torch.ones_like(e), e) / (1 + e)
    return g, g * (1 - g)
'''
RIGHT["sigmoid_neuron_grads"]["y and the slope from your own sigmoid_with_grad"] = '''
def sigmoid_neuron_grads(w, x, b):
    y, slope = sigmoid_with_grad(w @ x + b)
    return y, slope * x, slope * w, slope
'''
RIGHT["answer_1_1"]["torch.empty(64, 1, 28, 28).nbytes"] = '''
def answer_1_1():
    return torch.empty(64, 1, 28, 28).nbytes
'''

# Red-team pass 10 (2026-12-04): side effects the value checks missed (the caller's requires_grad flag
# turned on, a copy that shares x's memory through .data or NumPy) and clamps that lose a tiny y's
# relative precision below z = -40. (Flags turned off and global defaults left changed, set_default_dtype /
# set_default_device, cannot be seen through the grading bridge: reported, not listed here.)
WRONG["numerical_grad"].update({
    "copy made with x.data.double() (a float64 x is perturbed through .data, restored exactly)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.data.double()                         # .data: no autograd history (no copy for a float64 x)
    grad = torch.zeros(x0.shape, dtype=torch.float64, device=x0.device)
    flat, grad_flat = x0.reshape(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "NumPy array of x.detach().cpu().double() perturbed in place (shares the memory of a float64 x)": '''
def numerical_grad(f, x, eps=1e-6):
    base = x.detach().cpu().to(torch.float64).numpy()
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        old = base[idx]
        base[idx] = old + eps
        fp = float(f(torch.from_numpy(base).to(x.device)))
        base[idx] = old - eps
        fm = float(f(torch.from_numpy(base).to(x.device)))
        base[idx] = old
        grad[idx] = (fp - fm) / (2 * eps)
    return torch.from_numpy(grad).to(x.device)
''',
})
WRONG["sigmoid_neuron_grads"].update({
    "z clamped to [-88, 88] (float32's exp range), then 1 / (1 + exp(-z)) (y(-100) = 6e-39, not 3.7e-44)": '''
def sigmoid_neuron_grads(w, x, b):
    z = (w @ x + b).clamp(-88.0, 88.0)           # exp(88) still fits in float32
    y = 1 / (1 + torch.exp(-z))
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
    "torch.sigmoid of z clamped to [-50, 50] (y(-60) = 1.9e-22, not 8.8e-27)": '''
def sigmoid_neuron_grads(w, x, b):
    z = torch.clamp(w @ x + b, min=-50.0, max=50.0)   # far in the tails anyway
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
})
WRONG["sigmoid_with_grad"].update({
    "z.requires_grad_() on the caller's z, to keep g differentiable": '''
def sigmoid_with_grad(z):
    if z.is_leaf and not z.requires_grad:
        z.requires_grad_()                       # keep g differentiable
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
WRONG["relu_with_grad"].update({
    "z.requires_grad_() on the caller's z, so that autograd can flow through g": '''
def relu_with_grad(z):
    if z.is_leaf and not z.requires_grad:
        z.requires_grad_()
    return torch.where(z > 0, z, 0), (z > 0).to(z.dtype)
''',
})
RIGHT["sigmoid_with_grad"]["shifted by m = max(z, 0): exp(z - m) / (exp(-m) + exp(z - m))"] = '''
def sigmoid_with_grad(z):
    m = torch.where(z >= 0, z, torch.zeros_like(z))
    num = torch.exp(z - m)
    g = num / (torch.exp(-m) + num)
    return g, g * (1 - g)
'''
RIGHT["sigmoid_neuron_grads"]["y = exp(-log1p(exp(-z))), a softplus by hand"] = '''
def sigmoid_neuron_grads(w, x, b):
    z = torch.dot(w, x) + b
    y = torch.exp(-torch.log1p(torch.exp(-z)))
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
'''
RIGHT["pairwise_sq_dists"]["squared norms from the diagonals of the Gram matrices x x^T and y y^T"] = '''
def pairwise_sq_dists(x, y):
    x_sq = (x @ x.T).diagonal()
    y_sq = (y @ y.T).diagonal()
    return torch.clamp(x_sq[:, None] + y_sq[None, :] - 2 * (x @ y.T), min=0)
'''
RIGHT["numerical_grad"]["differences in a Python list, torch.tensor(..., dtype=float64, device=x.device).reshape(x.shape)"] = '''
def numerical_grad(f, x, eps=1e-6):
    base = x.detach().to(torch.float64).reshape(-1).clone()
    diffs = []
    for i in range(base.numel()):
        plus, minus = base.clone(), base.clone()
        plus[i] += eps
        minus[i] -= eps
        diffs.append((float(f(plus.reshape(x.shape))) - float(f(minus.reshape(x.shape)))) / (2 * eps))
    return torch.tensor(diffs, dtype=torch.float64, device=x.device).reshape(x.shape)
'''
RIGHT["answer_3_2"]["torch.broadcast_shapes((8, 1, 5), (3, 1))"] = '''
def answer_3_2():
    return tuple(torch.broadcast_shapes((8, 1, 5), (3, 1)))
'''
# the exercise text warns about a tiny y's relative precision (sigma(-40) = 4.2e-18, not 0): the visible
# part checks y at z = -100
WARNED.setdefault("sigmoid_neuron_grads", []).extend([
    "z clamped to [-88, 88] (float32's exp range), then 1 / (1 + exp(-z)) (y(-100) = 6e-39, not 3.7e-44)",
    "torch.sigmoid of z clamped to [-50, 50] (y(-60) = 1.9e-22, not 8.8e-27)",
    "y as (1 + tanh(z / 2)) / 2 (the left tail rounds to 0: y(-40) = 0, not 4e-18)",
])
# red-team pass 10, second round: the same requires_grad_() slip in the other exercises that promise a
# differentiable result
WRONG["tanh_with_grad"]["z.requires_grad_() on the caller's z, to keep g differentiable"] = '''
def tanh_with_grad(z):
    if z.is_leaf and not z.requires_grad:
        z.requires_grad_()                       # keep g differentiable
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
'''
WRONG["pairwise_sq_dists"]["x.requires_grad_() and y.requires_grad_() on the caller's points, to keep the result differentiable"] = '''
def pairwise_sq_dists(x, y):
    for t in (x, y):
        if t.is_leaf and not t.requires_grad:
            t.requires_grad_()                   # the losses built on it backpropagate through it
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)
'''


# Tenth red team: global state left changed and requires_grad switched on the caller's tensors. The checker now
# sees both (checked()'s defaults probe; requires_grad flags synced back and compared by unchanged()).
WRONG.setdefault('numerical_grad', {})['torch.set_default_dtype(torch.float64) left set (every later tensor of the notebook is float64)'] = '''
def numerical_grad(f, x, eps=1e-6):
    torch.set_default_dtype(torch.float64)       # work in float64
    x0 = x.detach().to(torch.get_default_dtype()).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros(x0.shape, device=x.device)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG.setdefault('numerical_grad', {})["torch.set_default_device(x.device) left set (later tensors land on the last x's device)"] = '''
def numerical_grad(f, x, eps=1e-6):
    torch.set_default_device(x.device)           # new tensors on the device of x
    x0 = torch.zeros(x.shape, dtype=torch.float64)
    x0.copy_(x.detach())
    grad = torch.zeros(x.shape, dtype=torch.float64)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG.setdefault('numerical_grad', {})["x.requires_grad_(False) on the caller's x (autograd is not used)"] = '''
def numerical_grad(f, x, eps=1e-6):
    if x.is_leaf:
        x.requires_grad_(False)                  # autograd is not used here
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG.setdefault('sigmoid_neuron_grads', {})["w.requires_grad_(False), b.requires_grad_(False) on the caller's tensors (autograd is off limits)"] = '''
def sigmoid_neuron_grads(w, x, b):
    for t in (w, x, b):
        if t.is_leaf:
            t.requires_grad_(False)              # no graph: autograd is off limits
    z = w @ x + b
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
'''
WRONG.setdefault('tanh_with_grad', {})['torch.set_default_dtype(z.dtype) left set, to make torch.ones(z.shape) match z'] = '''
def tanh_with_grad(z):
    torch.set_default_dtype(z.dtype)
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    return g, torch.ones(z.shape, device=z.device) - g * g
'''


# red team 11, 2026-12-04
WRONG["pairwise_sq_dists"].update({
    "mean over the D features, not the sum (a per-feature average)": '''
def pairwise_sq_dists(x, y):
    return ((x[:, None, :] - y[None, :, :]) ** 2).mean(-1)
''',
    "rows in chunks of 1024 joined with torch.cat (fails for an empty x)": '''
def pairwise_sq_dists(x, y):
    y_sq = (y * y).sum(dim=1)
    blocks = []
    for start in range(0, len(x), 1024):               # bounded memory for large N
        xb = x[start:start + 1024]
        blocks.append(((xb * xb).sum(1, keepdim=True) + y_sq - 2 * xb @ y.T).clamp_min(0))
    return torch.cat(blocks)
''',
    "clamp as torch.where(d > 0, d, torch.zeros(1)) (a [1] zero on the CPU)": '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
    return torch.where(d > 0, d, torch.zeros(1, dtype=x.dtype))
''',
})
WRONG["sigmoid_with_grad"]["exp(-|z|) as 1 / exp(|z|) (exp overflows: nan gradient, a tiny g lost)"] = '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = 1 / torch.exp(a)                              # exp(-|z|), in (0, 1]
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
'''
WRONG["tanh_with_grad"]["tanh(|z|) as 1 - 2 / (exp(2|z|) + 1) (exp overflows: nan gradient for large |z|)"] = '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    t = 1 - 2 / (torch.exp(2 * a) + 1)                # inf for large |z| gives 1 - 0 = 1
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
'''
WRONG["relu_with_grad"]["g = z * (z >= 0) (autograd's slope of g is 1 at z = 0)"] = '''
def relu_with_grad(z):
    return z * (z >= 0).to(z.dtype), (z > 0).to(z.dtype)
'''
WRONG["sigmoid_neuron_grads"].update({
    "dy_db as a Python float (slope.item())": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope.item()
''',
    "y from torch.sigmoid, slope as (1 - tanh(z / 2) ** 2) / 4 (0 in the left tail)": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y = torch.sigmoid(z)
    slope = (1 - torch.tanh(z / 2) ** 2) / 4          # sigma'(z) through tanh
    return y, slope * x, slope * w, slope
''',
})
WRONG["numerical_grad"].update({
    "step raised to sqrt(machine eps) of x's dtype for a float32 or bfloat16 x": '''
def numerical_grad(f, x, eps=1e-6):
    eps = max(eps, torch.finfo(x.dtype).eps ** 0.5)   # a float32 x only holds 7 digits: a smaller step is noise
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "early return torch.zeros_like(x) for an empty x (the dtype of x, not float64)": '''
def numerical_grad(f, x, eps=1e-6):
    if x.numel() == 0:
        return torch.zeros_like(x)                    # nothing to differentiate
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "f called once at the caller's x first, to check it returns a scalar": '''
def numerical_grad(f, x, eps=1e-6):
    float(f(x))                                       # fails early if f does not return a scalar
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
WRONG["answer_1_1"]["sys.getsizeof of the tensor (the Python object, not its elements)"] = '''
def answer_1_1():
    import sys
    return sys.getsizeof(torch.empty(64, 1, 28, 28))
'''
RIGHT["pairwise_sq_dists"]["expansion with rounding below 0 flipped up by .abs() (never negative)"] = '''
def pairwise_sq_dists(x, y):
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).abs()
'''
RIGHT["numerical_grad"]["x.new_zeros(..., dtype=float64) and index tuples from np.ndindex"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone()
    grad = x.new_zeros(x.shape, dtype=torch.float64)
    for idx in np.ndindex(*x.shape):
        old = x0[idx].item()
        x0[idx] = old + eps
        f_plus = float(f(x0))
        x0[idx] = old - eps
        f_minus = float(f(x0))
        x0[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
RIGHT["answer_1_1"]["untyped_storage().nbytes() of a fresh tensor"] = '''
def answer_1_1():
    return torch.empty(64, 1, 28, 28).untyped_storage().nbytes()
'''
WRONG["pairwise_sq_dists"]["empty inputs answered early with torch.zeros(N, M, dtype=x.dtype) (on the CPU)"] = '''
def pairwise_sq_dists(x, y):
    if x.numel() == 0 or y.numel() == 0:              # nothing to compare: all distances are 0 (or there are none)
        return torch.zeros(x.shape[0], y.shape[0], dtype=x.dtype)
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
'''
WRONG["numerical_grad"]["a 0-d x special-cased: the difference returned as f gives it (a Python float when f returns one)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    if x0.dim() == 0:                                 # a scalar needs no loop
        return (f(x0 + eps) - f(x0 - eps)) / (2 * eps)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG["numerical_grad"]["autograd switched off by torch.set_grad_enabled(False), back on at the end (on under a caller's no_grad)"] = '''
def numerical_grad(f, x, eps=1e-6):
    torch.set_grad_enabled(False)                     # autograd is not needed here
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    torch.set_grad_enabled(True)                      # and back on
    return grad
'''
WRONG["sigmoid_neuron_grads"]["torch.set_grad_enabled(False) first, True before returning (autograd on under a caller's no_grad)"] = '''
def sigmoid_neuron_grads(w, x, b):
    torch.set_grad_enabled(False)                     # autograd is off limits
    z = w @ x + b
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    torch.set_grad_enabled(True)
    return y, slope * x, slope * w, slope
'''
# the text asks for "the step eps you are given", whatever the dtype of x: the visible part checks a float32 x
WARNED.setdefault("numerical_grad", []).append("step raised to sqrt(machine eps) of x's dtype for a float32 or bfloat16 x")
WRONG["numerical_grad"]["old value kept as the 0-d view flat[i] (it changes with the copy: a half step)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i, old in enumerate(flat):                    # old is flat[i] itself, a view, not a number
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
RIGHT["pairwise_sq_dists"]["F.mse_loss(reduction='none') of the broadcast rows, summed over D"] = '''
def pairwise_sq_dists(x, y):
    n, m, d = x.shape[0], y.shape[0], x.shape[1]
    a, b = x[:, None, :].expand(n, m, d), y[None, :, :].expand(n, m, d)
    return torch.nn.functional.mse_loss(a, b, reduction="none").sum(-1)
'''


# red team 12, 2026-12-04
WRONG["pairwise_sq_dists"].update({
    "torch.ops.aten.cdist (the dispatcher's cdist)": '''
def pairwise_sq_dists(x, y):
    return torch.ops.aten.cdist(x, y, 2.0) ** 2
''',
    "y's norms from y.detach() (the centres treated as constants, as in k-means)": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y.detach() * y.detach()).sum(dim=1)        # centres are constants
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)
''',
})
WRONG["sigmoid_with_grad"].update({
    "|z| as z * torch.sign(z) (autograd's slope of g is 0 at z = 0)": '''
def sigmoid_with_grad(z):
    a = z * torch.sign(z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
WRONG["tanh_with_grad"]["g set to exactly +-1 for |z| > 9 (tanh is 1 to float32 precision there)"] = '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = torch.where(a > 9, 1.0, (1 - e) / (1 + e))   # saturated: skip the division
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
'''
WRONG["relu_with_grad"].update({
    "g = z.clone(), then g[z < 0] = 0 (autograd's slope of g is 1 at z = 0)": '''
def relu_with_grad(z):
    g = z.clone()
    g[z < 0] = 0
    return g, (z > 0).to(z.dtype)
''',
    "dg = torch.where(z > 0, 1.0, 0.0) (float32 for a float64 z)": '''
def relu_with_grad(z):
    return torch.where(z > 0, z, 0), torch.where(z > 0, 1.0, 0.0)
''',
})
WRONG["sigmoid_neuron_grads"].update({
    "dy_dw and dy_dx by a loop joined with torch.stack (fails for D = 0)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    s = y * (1 - y)
    dy_dw = torch.stack([s * xi for xi in x])
    dy_dx = torch.stack([s * wi for wi in w])
    return y, dy_dw, dy_dx, s
''',
    "z = (w * x + b).sum() (b added D times)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid((w * x + b).sum())
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
})
WRONG["numerical_grad"].update({
    "gradient in torch.zeros_like(x, dtype=float64), filled through grad.reshape(-1) (a copy for a transposed x)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x, dtype=torch.float64)   # shape and device of x
    flat, grad_flat = x0.view(-1), grad.reshape(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    "step as a tensor torch.tensor(eps) (float32: x_i + eps rounded to float32)": '''
def numerical_grad(f, x, eps=1e-6):
    h = torch.tensor(eps)
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        f_plus = float(f(x0))
        flat[i] = old - h
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
WRONG["answer_1_1"]["np.zeros((64, 1, 28, 28)).nbytes (NumPy's default dtype is float64)"] = '''
def answer_1_1():
    return np.zeros((64, 1, 28, 28)).nbytes
'''
RIGHT["pairwise_sq_dists"].update({
    "distances of y to x, transposed (a non-contiguous [N, M] result)": '''
def pairwise_sq_dists(x, y):
    return ((y[:, None, :] - x[None, :, :]) ** 2).sum(-1).T
''',
    "expansion in float64, cast back to the dtype of x": '''
def pairwise_sq_dists(x, y):
    x64, y64 = x.double(), y.double()
    d = ((x64 * x64).sum(1, keepdim=True) + (y64 * y64).sum(1) - 2 * x64 @ y64.T).clamp_min(0)
    return d.to(x.dtype)
''',
})
RIGHT["relu_with_grad"]["g = z.clone(), then g[z <= 0] = 0"] = '''
def relu_with_grad(z):
    g = z.clone()
    g[z <= 0] = 0
    return g, (z > 0).to(z.dtype)
'''
RIGHT["sigmoid_neuron_grads"]["slope as exp(-|z|) / (1 + exp(-|z|)) ** 2"] = '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    e = torch.exp(-z.abs())
    slope = e / (1 + e) ** 2
    return torch.sigmoid(z), slope * x, slope * w, slope
'''
RIGHT["numerical_grad"]["+= eps, -= 2 eps, += eps on a float64 copy (no saved value)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat = x0.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps
        f_plus = float(f(x0))
        flat[i] -= 2 * eps
        f_minus = float(f(x0))
        flat[i] += eps
        grad.view(-1)[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
RIGHT["answer_1_1"]["np.zeros(..., dtype=np.float32).nbytes"] = '''
def answer_1_1():
    return np.zeros((64, 1, 28, 28), dtype=np.float32).nbytes
'''
# was written as WRONG in round 12; it slipped, and on review it is right: torch.sigmoid itself is 0 where exp(-z)
# overflows (float64 z < -709.8, float32 z < -88.7), and 1 / (1 + exp(-z)) keeps a tiny y's relative precision above that
RIGHT["sigmoid_neuron_grads"]["y = 1 / (1 + torch.exp(-z)) by hand (0 past exp's overflow, as torch.sigmoid)"] = '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y = 1 / (1 + torch.exp(-z))                       # exp(-z) = inf gives y = 0: finite
    s = y * (1 - y)
    return y, s * x, s * w, s
'''
# red team 12, second round (after the fixes above)
WRONG["numerical_grad"]["torch.manual_seed(0) first, a reproducibility habit (the notebook's global RNG is reset)"] = '''
def numerical_grad(f, x, eps=1e-6):
    torch.manual_seed(0)                              # reproducible results
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WRONG["numerical_grad"]["cs231n-style sparse check: 10 random coordinates when x has more (the rest left 0)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    n = flat.numel()
    coords = range(n) if n <= 10 else torch.randperm(n)[:10].tolist()   # a gradient check needs only a sample
    for i in coords:
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
# the text of Exercise 8.1 now says to leave the global random generator alone; the visible checked() has rng=True
# (the hidden calls come after the visible ones, whose manual_seed(0) already left the generator at seed 0's state)
WARNED["numerical_grad"].append("torch.manual_seed(0) first, a reproducibility habit (the notebook's global RNG is reset)")


# red team 13, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    "hard-coded D = 2 (the k-means points): the two coordinates written out": '''
def pairwise_sq_dists(x, y):
    dx = x[:, None, 0] - y[None, :, 0]                # points in the plane, as in the k-means demo
    dy = x[:, None, 1] - y[None, :, 1]
    return dx * dx + dy * dy
''',
    "difference tensor flattened with .view(-1, D), one row per pair (fails for D = 0)": '''
def pairwise_sq_dists(x, y):
    n, m, d = x.shape[0], y.shape[0], x.shape[1]
    diff = (x[:, None, :] - y[None, :, :]).view(-1, d)    # [N * M, D]
    return (diff * diff).sum(dim=1).view(n, m)
''',
})
WRONG["sigmoid_with_grad"].update({
    "negative z by symmetry, g(z) = 1 - g(|z|) (a tiny g rounds to 0)": '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    pos = 1 / (1 + torch.exp(-a))                     # g(|z|): exp(-|z|) never overflows
    g = torch.where(z >= 0, pos, 1 - pos)             # the sigmoid is symmetric: g(-z) = 1 - g(z)
    return g, g * (1 - g)
''',
    "dg as g * e / (1 + e), taking 1 - g = e / (1 + e) on both branches (right for z >= 0 only)": '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * e / (1 + e)                         # 1 - g = e / (1 + e)
''',
})
WRONG["tanh_with_grad"]["2 g(2z) - 1 from your sigmoid_with_grad, dg = 2 g'(2z) (the inner factor 2 of the chain rule lost)"] = '''
def tanh_with_grad(z):
    s, ds = sigmoid_with_grad(2 * z)                  # tanh(z) = 2 sigmoid(2z) - 1
    return 2 * s - 1, 2 * ds
'''
WRONG["relu_with_grad"]["g = torch.fmax(z, zeros_like(z)) (autograd's slope of g is 1 at z = 0)"] = '''
def relu_with_grad(z):
    return torch.fmax(z, torch.zeros_like(z)), (z > 0).to(z.dtype)   # fmax, not maximum: a nan z is ignored
'''
WRONG["sigmoid_neuron_grads"].update({
    "z clamped where exp stays finite for the dtype (+-80 in float32, +-700 in float64), then 1 / (1 + exp(-z))": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    limit = 80.0 if z.dtype == torch.float32 else 700.0   # exp overflows past 88.7 (float32) and 709.8 (float64)
    y = 1 / (1 + torch.exp(-z.clamp(-limit, limit)))
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
    "y clamped at the smallest normal float of the dtype (a later log(y) stays finite)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b).clamp(min=torch.finfo(w.dtype).tiny)   # never exactly 0
    s = y * (1 - y)
    return y, s * x, s * w, s
''',
})
WRONG["numerical_grad"]["coordinate put back with the wrong sign (flat[i] -= eps after f(x - eps e_i): left at x_i - 2 eps)"] = '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps
        f_plus = float(f(x0))
        flat[i] -= 2 * eps
        f_minus = float(f(x0))
        flat[i] -= eps                                # back to x_i (it is at x_i - eps now)
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
WARNED["relu_with_grad"].append("g = torch.fmax(z, zeros_like(z)) (autograd's slope of g is 1 at z = 0)")
RIGHT["pairwise_sq_dists"].update({
    "expansion, the negative rounding zeroed by masked assignment d[d < 0] = 0": '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
    d[d < 0] = 0
    return d
''',
    "expansion clamped with torch.relu (relu is not off limits here)": '''
def pairwise_sq_dists(x, y):
    return torch.relu((x * x).sum(1)[:, None] + (y * y).sum(1)[None, :] - 2 * torch.mm(x, y.t()))
''',
})
RIGHT["sigmoid_with_grad"]["computed in float64, g and dg cast back to the dtype of z"] = '''
def sigmoid_with_grad(z):
    z64 = z.to(torch.float64)
    a = torch.where(z64 >= 0, z64, -z64)
    e = torch.exp(-a)
    g = torch.where(z64 >= 0, 1 / (1 + e), e / (1 + e))
    return g.to(z.dtype), (g * (1 - g)).to(z.dtype)
'''
RIGHT["relu_with_grad"]["dg = torch.sign(z).clamp(min=0)"] = '''
def relu_with_grad(z):
    return torch.where(z > 0, z, torch.zeros_like(z)), torch.sign(z).clamp(min=0)
'''
RIGHT["sigmoid_neuron_grads"]["y and the slope in log space: exp(F.logsigmoid(z)), exp(logsigmoid(z) + logsigmoid(-z))"] = '''
def sigmoid_neuron_grads(w, x, b):
    z = torch.dot(w, x) + b
    log_y = torch.nn.functional.logsigmoid(z)
    slope = torch.exp(log_y + torch.nn.functional.logsigmoid(-z))
    return torch.exp(log_y), slope * x, slope * w, slope
'''
RIGHT["sigmoid_with_grad"]["dg = 1 / (exp(z) + 2 + exp(-z)) (0, never nan, where exp overflows)"] = '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, 1 / (torch.exp(z) + 2 + torch.exp(-z))
'''
RIGHT["tanh_with_grad"]["dg = sech(z) ** 2 = 4 / (exp(2z) + 2 + exp(-2z))"] = '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    return torch.where(z >= 0, t, -t), 4 / (torch.exp(2 * z) + 2 + torch.exp(-2 * z))
'''
# "as an int": a NumPy integer is one too (the visible test took only Python's int before round 13)
RIGHT["answer_1_1"]["np.prod of the shape times 4 (a NumPy integer)"] = '''
def answer_1_1():
    return np.prod((64, 1, 28, 28)) * 4
'''
WRONG["numerical_grad"]["the library's finite differences: torch.autograd.gradcheck.get_numerical_jacobian on a float64 copy"] = '''
def numerical_grad(f, x, eps=1e-6):
    import sys
    gradcheck = sys.modules["torch.autograd.gradcheck"]    # the module (torch.autograd.gradcheck is the function)
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format).requires_grad_()
    as_tensor = lambda inputs: torch.as_tensor(f(inputs[0].detach()), dtype=torch.float64, device=x0.device)
    (jacobian,) = gradcheck.get_numerical_jacobian(as_tensor, (x0,), eps=eps)   # central differences, eps as given
    return jacobian.detach().reshape(x.shape)
'''
# the text of Exercise 8.1 now puts the library's finite differences off limits; the visible checked() forbids them
WARNED["numerical_grad"].append("the library's finite differences: torch.autograd.gradcheck.get_numerical_jacobian on a float64 copy")
WRONG["pairwise_sq_dists"]["float32 points done in float64 on detached copies, cast back (no gradient for float32 inputs)"] = '''
def pairwise_sq_dists(x, y):
    if x.dtype == torch.float32:                      # the expansion loses digits in float32: work in float64
        x64, y64 = x.detach().double(), y.detach().double()
        d = (x64 * x64).sum(1, keepdim=True) + (y64 * y64).sum(1) - 2 * x64 @ y64.T
        return d.clamp_min(0).to(x.dtype)
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
'''
WRONG["relu_with_grad"]["empty z answered early with torch.empty(z.shape, dtype=z.dtype) (on the CPU)"] = '''
def relu_with_grad(z):
    if z.numel() == 0:                                # nothing to compute
        return torch.empty(z.shape, dtype=z.dtype), torch.empty(z.shape, dtype=z.dtype)
    return torch.where(z > 0, z, 0), (z > 0).to(z.dtype)
'''
# red team 13, third round: caught once checked() watches the flush of subnormal floats (torch has no getter for it)
WRONG["pairwise_sq_dists"].update({
    "torch.set_flush_denormal(True) 'for speed', left set (exp(-720) then reads 0 for the rest of the notebook)": '''
def pairwise_sq_dists(x, y):
    torch.set_flush_denormal(True)
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)
''',
})


# red team 14, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    "clamped at torch.finfo(x.dtype).tiny, the smallest normal float (a later sqrt keeps a finite gradient)": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(torch.finfo(x.dtype).tiny)   # never exactly 0
''',
    "clamp only for float32 (float64 'is exact enough')": '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(dim=1, keepdim=True) + (y * y).sum(dim=1) - 2 * x @ y.T
    return d if x.dtype == torch.float64 else d.clamp_min(0)
''',
})
WRONG["relu_with_grad"].update({
    "g = torch.where(z > 0, z, z * 0), a zero of z's dtype and device (nan at z = -inf)": '''
def relu_with_grad(z):
    return torch.where(z > 0, z, z * 0), (z > 0).to(z.dtype)
''',
    "dg = torch.where(z > 0, z / z, z * 0), ones and zeros of z's dtype and device (nan at z = +-inf)": '''
def relu_with_grad(z):
    return torch.where(z > 0, z, 0), torch.where(z > 0, z / z, z * 0)
''',
})
WRONG["sigmoid_neuron_grads"].update({
    "the slope from y.grad_fn(ones), autograd's SigmoidBackward node called by hand (section 5's graph)": '''
def sigmoid_neuron_grads(w, x, b):
    z = (w @ x + b).detach().requires_grad_()
    y = torch.sigmoid(z)
    slope = y.grad_fn(torch.ones_like(y)).detach()   # the node's local derivative: sigma'(z)
    return y.detach(), slope * x, slope * w, slope
''',
    "slope = y * 1 - y (operator precedence: always 0)": '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    slope = y * 1 - y
    return y, slope * x, slope * w, slope
''',
})
WRONG["numerical_grad"].update({
    "result .squeeze()d (a [3, 1] x gives a [3] gradient)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad.squeeze()                             # a clean vector for a column x
''',
    "(f_plus - f_minus) / 2 * eps (operator precedence: times eps)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / 2 * eps
    return grad
''',
})
RIGHT["tanh_with_grad"]["computed in float64, g and dg cast back to the dtype of z"] = '''
def tanh_with_grad(z):
    z64 = z.to(torch.float64)
    a = torch.where(z64 >= 0, z64, -z64)
    e = torch.exp(-a) ** 2                            # exp(-2|z|)
    t = (1 - e) / (1 + e)
    g = torch.where(z64 >= 0, t, -t)
    return g.to(z.dtype), (1 - g * g).to(z.dtype)
'''
RIGHT["numerical_grad"]["the loop body under torch.no_grad() (autograd is not used)"] = '''
def numerical_grad(f, x, eps=1e-6):
    with torch.no_grad():
        x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
        grad = torch.zeros_like(x0)
        flat, grad_flat = x0.view(-1), grad.view(-1)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + eps
            f_plus = float(f(x0))
            flat[i] = old - eps
            f_minus = float(f(x0))
            flat[i] = old
            grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
'''
RIGHT["answer_3_2"]["np.broadcast_shapes((8, 1, 5), (3, 1))"] = '''
def answer_3_2():
    return np.broadcast_shapes((8, 1, 5), (3, 1))
'''
# the open question of red team 13: z * (z > 0) is nan at z = -inf (-inf * 0), where relu(-inf) = 0. The docstring
# admits every float z (it now says +-inf included) and a hidden test runs z = +-inf: it was RIGHT, it is WRONG
WRONG["relu_with_grad"]["multiply by the mask, z * (z > 0) (was RIGHT; nan at z = -inf)"] = RIGHT["relu_with_grad"].pop("multiply by the mask")
RIGHT["sigmoid_with_grad"]["1 - g by its own branch formula, e / (1 + e) or 1 / (1 + e) (dg = g * that)"] = '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    one_minus_g = torch.where(z >= 0, e / (1 + e), 1 / (1 + e))   # no cancellation in 1 - g
    return g, g * one_minus_g
'''
# red team 14: fused arithmetic is arithmetic (ELEMENTARY now lists addcmul, addcdiv and lerp)
RIGHT["sigmoid_with_grad"].update({
    "slope as torch.addcmul(g, g, g, value=-1) (g - g * g, fused)": '''
def sigmoid_with_grad(z):
    g = torch.empty_like(z)
    pos = z >= 0
    g[pos] = 1 / (1 + torch.exp(-z[pos]))
    ez = torch.exp(z[~pos])
    g[~pos] = ez / (1 + ez)
    return g, torch.addcmul(g, g, g, value=-1)
''',
})

# red team 15, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    # red team 15: rounding below 0 is not only where a point meets itself: any two coinciding points, anywhere
    "clamp on the diagonal only (a point meets itself there), other coinciding pairs left negative": '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
    d.diagonal().clamp_(min=0)
    return d
''',
    # red team 15: 0 / 0 when every point is at the origin (their distances are 0)
    "scaled by the largest |coordinate| against overflow (nan when every point is at the origin)": '''
def pairwise_sq_dists(x, y):
    if x.numel() == 0 or y.numel() == 0:
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    s = torch.maximum(x.abs().max(), y.abs().max())
    xs, ys = x / s, y / s
    d = (xs * xs).sum(1, keepdim=True) + (ys * ys).sum(1) - 2 * xs @ ys.T
    return d.clamp_min(0) * s * s
''',
    # red team 15: the clamp forgotten in the branch for large inputs, which the tests' sizes never reached
    "difference tensor for small inputs, the expansion without the clamp above N*M*D = 10000": '''
def pairwise_sq_dists(x, y):
    if x.shape[0] * y.shape[0] * x.shape[1] <= 10_000:
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    return (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
''',
})
WRONG["numerical_grad"].update({
    # red team 15: f's values kept as tensors (cloned): an f that requires grad leaves its graph in the gradient
    "f's values kept as float64 tensors, torch.as_tensor(f(x0)).clone() (the gradient carries f's autograd graph)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = torch.as_tensor(f(x0), dtype=torch.float64, device=x0.device).clone()
        flat[i] = old - eps
        f_minus = torch.as_tensor(f(x0), dtype=torch.float64, device=x0.device).clone()
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 15: the difference quotient in f's own dtype: a float32 f gives float32 quotients
    "f's tensor values detached and cloned in their own dtype (a float32 f: the quotient in float32)": '''
def numerical_grad(f, x, eps=1e-6):
    def value(v):
        return v.detach().clone() if torch.is_tensor(v) else torch.tensor(v, dtype=torch.float64)
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = value(f(x0))
        flat[i] = old - eps
        f_minus = value(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 15: a numerical gradient is data, not a leaf of a graph: it requires grad because x does
    "the result made to require grad like x, grad.requires_grad_(x.requires_grad)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad.requires_grad_(x.requires_grad)
''',
    # red team 15: the early return for an empty x (torch.stack cannot stack nothing) is made on the CPU
    "partial derivatives stacked, an empty x answered early with torch.zeros(x.shape, dtype=float64) (on the CPU)": '''
def numerical_grad(f, x, eps=1e-6):
    if x.numel() == 0:
        return torch.zeros(x.shape, dtype=torch.float64)
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    flat = x0.view(-1)
    parts = []
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        parts.append(x0.new_tensor((f_plus - f_minus) / (2 * eps)))
    return torch.stack(parts).reshape(x.shape)
''',
    # red team 15: a 0-d x answered on its own with torch.tensor(...) (on the CPU whatever the device of x)
    "a 0-d x on its own, the result torch.tensor(d, dtype=float64) (on the CPU)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    if x0.dim() == 0:
        v = x0.item()
        d = (float(f(x0.new_tensor(v + eps))) - float(f(x0.new_tensor(v - eps)))) / (2 * eps)
        return torch.tensor(d, dtype=torch.float64)
    grad = torch.zeros_like(x0)
    for idx in np.ndindex(*x0.shape):
        old = x0[idx].item()
        x0[idx] = old + eps
        f_plus = float(f(x0))
        x0[idx] = old - eps
        f_minus = float(f(x0))
        x0[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
WRONG["sigmoid_neuron_grads"].update({
    # red team 15: the early return for D = 0 (torch.stack cannot stack nothing) is made on the CPU
    "gradients by a loop joined with torch.stack, D = 0 answered early with torch.zeros(0, dtype=w.dtype) (on the CPU)": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    if w.numel() == 0:
        return y, torch.zeros(0, dtype=w.dtype), torch.zeros(0, dtype=w.dtype), slope
    dy_dw = torch.stack([slope * x[i] for i in range(len(x))])
    dy_dx = torch.stack([slope * w[i] for i in range(len(w))])
    return y, dy_dw, dy_dx, slope
''',
})
WRONG["sigmoid_with_grad"].update({
    # red team 15: exp(-z) overflows for very negative z (nan gradient, a tiny g lost): the Numerics trap
    "exp(-softplus(-z)) with the softplus by hand, log1p(exp(-z)) (exp overflows)": '''
def sigmoid_with_grad(z):
    g = torch.exp(-torch.log1p(torch.exp(-z)))
    return g, g * (1 - g)
''',
})
WRONG["relu_with_grad"].update({
    # red team 15: z - min(z, 0): autograd's slope at z = 0 is 1 (clamp's boundary), and -inf - (-inf) is nan
    "g = z - z.clamp(max=0) (slope 1 at z = 0, nan at z = -inf)": '''
def relu_with_grad(z):
    g = z - z.clamp(max=0)
    return g, (z > 0).to(z.dtype)
''',
})
WARNED["sigmoid_with_grad"].append("exp(-softplus(-z)) with the softplus by hand, log1p(exp(-z)) (exp overflows)")
WARNED["relu_with_grad"].append("g = z - z.clamp(max=0) (slope 1 at z = 0, nan at z = -inf)")
# red team 15: written as WRONG, found right: the shift is at most the expansion's own rounding at the largest norm
# (as with the RIGHT answer that centres the points first), and the gradient it adds, through the pair of points
# that coincide, is 2 (x_i - y_j) = 0 there
RIGHT["pairwise_sq_dists"]["never negative by a shift: d - min(d.min(), 0) (at most the expansion's own rounding)"] = '''
def pairwise_sq_dists(x, y):
    d = (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T
    if d.numel():
        d = d - d.min().clamp(max=0)
    return d
'''
WARNED["pairwise_sq_dists"].append("clamp on the diagonal only (a point meets itself there), other coinciding pairs left negative")
WARNED["numerical_grad"] += [
    "f's values kept as float64 tensors, torch.as_tensor(f(x0)).clone() (the gradient carries f's autograd graph)",
    "f's tensor values detached and cloned in their own dtype (a float32 f: the quotient in float32)",
    "the result made to require grad like x, grad.requires_grad_(x.requires_grad)",
]


# red team 16, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    # red team 16: a no-grad "inference" path chosen by x alone: centres y that require grad (learned prototypes) get none
    "under torch.no_grad() when x does not require grad (y's gradient lost)": '''
def pairwise_sq_dists(x, y):
    if not x.requires_grad:                           # data points: nothing to learn, no graph needed
        with torch.no_grad():
            return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
''',
    # red team 16: the early return for empty inputs is on the right device and dtype but cut off from the graph
    "empty inputs answered early with x.new_zeros(N, M) (cut off from the graph of x and y)": '''
def pairwise_sq_dists(x, y):
    if x.numel() == 0 or y.numel() == 0:
        return x.new_zeros(x.shape[0], y.shape[0])
    return ((x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T).clamp_min(0)
''',
})
WRONG["numerical_grad"].update({
    # red team 16: a random coordinate order from NumPy's global generator (nothing here is random)
    "coordinates visited in a random order, np.random.permutation (NumPy's global generator)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in np.random.permutation(flat.numel()).tolist():
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 16: eps made keyword-only: numerical_grad(f, x, eps), the signature of the text, raises a TypeError
    "eps keyword-only, numerical_grad(f, x, *, eps=1e-6) (a positional step raises)": '''
def numerical_grad(f, x, *, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 16: one gradient buffer per shape kept between calls and returned: a second call overwrites the first result
    "one float64 buffer per (shape, device) kept between calls and returned (a later call overwrites an earlier gradient)": '''
_GRAD_BUFFERS = {}

def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    key = (tuple(x.shape), str(x.device))
    if key not in _GRAD_BUFFERS:
        _GRAD_BUFFERS[key] = torch.zeros_like(x0)
    grad = _GRAD_BUFFERS[key]
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
# red team 16: a memory-light branch for large inputs computed under torch.no_grad(): no gradient there
WRONG["pairwise_sq_dists"]["difference tensor, in row blocks under torch.no_grad() above N*M*D = 100000 (no graph for large inputs)"] = '''
def pairwise_sq_dists(x, y):
    if x.shape[0] * y.shape[0] * x.shape[1] <= 100_000:
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    out = x.new_empty(x.shape[0], y.shape[0])
    with torch.no_grad():                             # the [B, M, D] blocks would keep a huge graph alive
        for i in range(0, x.shape[0], 16):
            out[i:i + 16] = ((x[i:i + 16, None, :] - y[None, :, :]) ** 2).sum(-1)
    return out
'''
# red team 16: a bool mask times a Python float is float32 (the default dtype), not the dtype of z
WRONG["relu_with_grad"]["dg = (z > 0) * 1.0 (a float32 derivative for a float64 z)"] = '''
def relu_with_grad(z):
    return torch.where(z > 0, z, 0), (z > 0) * 1.0
'''
# red team 16: a 0-d z special-cased with Python's math (a scalar "needs no tensor code"): g is cut off from autograd
WRONG["tanh_with_grad"]["a 0-d z done with math.exp on z.item(), the result z.new_tensor(...) (no gradient for a 0-d z)"] = '''
import math

def tanh_with_grad(z):
    if z.dim() == 0:
        v = z.item()
        e = math.exp(-2 * abs(v))
        t = math.copysign((1 - e) / (1 + e), v)
        return z.new_tensor(t), z.new_tensor(1 - t * t)
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
'''
# red team 16: the same scalar shortcut in the sigmoid
WRONG["sigmoid_with_grad"]["a 0-d z done with math.exp on z.item(), the result z.new_tensor(...) (no gradient for a 0-d z)"] = '''
import math

def sigmoid_with_grad(z):
    if z.dim() == 0:
        v = z.item()
        e = math.exp(-abs(v))
        g = 1 / (1 + e) if v >= 0 else e / (1 + e)
        return z.new_tensor(g), z.new_tensor(g * (1 - g))
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-a)
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
'''
# red team 16: the slope taken out as a Python float, dy_db rebuilt with torch.tensor(..., dtype=w.dtype) (on the CPU)
WRONG["sigmoid_neuron_grads"]["slope as a Python float, dy_db = torch.tensor(slope, dtype=w.dtype) (on the CPU whatever the device of w)"] = '''
def sigmoid_neuron_grads(w, x, b):
    y = torch.sigmoid(w @ x + b)
    slope = float(y * (1 - y))
    return y, slope * x, slope * w, torch.tensor(slope, dtype=w.dtype)
'''
# red team 16: Exercise 6.3 says "as a float tensor (the dtype of z)": the visible test now runs a float64 z for dg too
WARNED["relu_with_grad"] += ["dg = (z > 0) * 1.0 (a float32 derivative for a float64 z)",
                             "(z > 0).float(): a float32 derivative for a float64 z"]


# red team 17, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    # red team 17: the memory-light branch for large inputs writes into a CPU tensor (the k-means of section 3, with
    # N*M*D = 160000, takes it): on a GPU the result lands on the CPU; no device test reached a large input
    "difference tensor in row blocks above N*M*D = 100000, into torch.empty(N, M, dtype=x.dtype) (on the CPU)": '''
def pairwise_sq_dists(x, y):
    n, m, d = x.shape[0], y.shape[0], x.shape[1]
    if n * m * d <= 100_000:
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    out = torch.empty(n, m, dtype=x.dtype)            # the [N, M, D] tensor would not fit: 16 rows at a time
    for i in range(0, n, 16):
        out[i:i + 16] = ((x[i:i + 16, None, :] - y[None, :, :]) ** 2).sum(-1)
    return out
''',
    # red team 17: a global switch flipped in the branch for large inputs, which only unguarded calls reached
    "expansion above N*M*D = 100000 with torch.set_float32_matmul_precision('high') for speed, left set": '''
def pairwise_sq_dists(x, y):
    n, m, d = x.shape[0], y.shape[0], x.shape[1]
    if n * m * d <= 100_000:
        return ((x[:, None, :] - y[None, :, :]) ** 2).sum(-1)
    torch.set_float32_matmul_precision("high")        # large inputs: let the matmul use TF32
    x_sq = (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)
''',
})
# red team 17: a Taylor branch for small |z| under torch.where: its z ** 3 overflows for huge |z| (float32 above 1.8e19,
# float64 above 1.3e154), and the unselected branch's backward is then 0 * inf = nan: "autograd must be able to
# backpropagate through your activation ... at every z"
WRONG["tanh_with_grad"]["small |z| by its Taylor series z - z**3 / 3 under torch.where (nan gradient for huge |z|)"] = '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    g = torch.where(a < 1e-3, z - z ** 3 / 3, g)      # 1 - e cancels near 0: the series is exact to 1e-16 there
    return g, 1 - g * g
'''
WRONG["numerical_grad"].update({
    # red team 17: the test cell's own warnings filter copied into the function without its context manager: every
    # later UserWarning of the notebook is silenced (the checker cannot see Python's warnings filters)
    "warnings.simplefilter('ignore', UserWarning) against float()'s warning, left set for the rest of the notebook": '''
import warnings

def numerical_grad(f, x, eps=1e-6):
    warnings.simplefilter("ignore", UserWarning)     # float() of a value that requires grad warns: Validate fails
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 17: inference_mode as "a faster no_grad": the gradient is an inference tensor, not plain data (it cannot
    # be saved for backward or changed in place outside inference mode)
    "the loop under torch.inference_mode() (the gradient is an inference tensor)": '''
def numerical_grad(f, x, eps=1e-6):
    with torch.inference_mode():                      # a faster no_grad: nothing here needs autograd
        x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
        grad = torch.zeros_like(x0)
        flat, grad_flat = x0.view(-1), grad.view(-1)
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + eps
            f_plus = float(f(x0))
            flat[i] = old - eps
            f_minus = float(f(x0))
            flat[i] = old
            grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 17: a "more accurate" Richardson extrapolation is not the central difference the text defines
    "Richardson extrapolation (4 D(eps/2) - D(eps)) / 3 (not the central difference of the text)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)

    def central(i, h):
        old = flat[i].item()
        flat[i] = old + h
        f_plus = float(f(x0))
        flat[i] = old - h
        f_minus = float(f(x0))
        flat[i] = old
        return (f_plus - f_minus) / (2 * h)

    for i in range(flat.numel()):
        grad_flat[i] = (4 * central(i, eps / 2) - central(i, eps)) / 3
    return grad
''',
})
WRONG["sigmoid_neuron_grads"].update({
    # red team 17: the derivative formula applied to the derivative: dg is already sigma'(z)
    "slope as dg * (1 - dg) from the pair (g, dg) of sigmoid_with_grad": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y, dy = sigmoid_with_grad(z)
    slope = dy * (1 - dy)
    return y, slope * x, slope * w, slope
''',
    # red team 17: a float32 slope for a float64 neuron ("enough for a slope")
    "the slope from a float32 sigmoid for speed, cast back to the dtype of w": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    y = torch.sigmoid(z)
    s = torch.sigmoid(z.float())                      # float32 is enough for a slope
    slope = (s * (1 - s)).to(w.dtype)
    return y, slope * x, slope * w, slope
''',
})
# red team 17: written as WRONG, found right: an empty result (N = 0 or M = 0) has no entries for a loss to depend on, and
# the RIGHT "one row of x at a time against all of y" answers N = 0 the same way (only D = 0, where the [N, M] zeros are
# real distances, must stay in the graph)
RIGHT["pairwise_sq_dists"]["rows stacked with torch.stack, N = 0 or M = 0 answered early with x.new_zeros (an empty result)"] = '''
def pairwise_sq_dists(x, y):
    if len(x) == 0 or len(y) == 0:                    # torch.stack cannot stack an empty list
        return x.new_zeros(len(x), len(y))
    return torch.stack([((x[i] - y) ** 2).sum(dim=1) for i in range(len(x))])
'''
# red team 18, 2026-12-05
WRONG["pairwise_sq_dists"].update({
    # red team 18: the [N] vs [N, 1] trap of section 3: both norms kept as columns, [N, 1] + [M, 1] is no outer sum
    "both squared norms as columns, (x*x).sum(1, keepdim=True) + (y*y).sum(1, keepdim=True)": '''
def pairwise_sq_dists(x, y):
    x_sq = (x * x).sum(dim=1, keepdim=True)           # [N, 1]
    y_sq = (y * y).sum(dim=1, keepdim=True)           # [M, 1]
    return (x_sq + y_sq - 2 * x @ y.T).clamp_min(0)   # [N, 1] + [M, 1]: runs (wrongly) whenever N = M
''',
    # red team 18: scikit-learn's pairwise distances are a library pairwise distance too (and NumPy: no gradient, CPU)
    "sklearn.metrics.pairwise.euclidean_distances(x, y, squared=True), back to a tensor": '''
from sklearn.metrics.pairwise import euclidean_distances

def pairwise_sq_dists(x, y):
    d = euclidean_distances(x.detach().cpu().numpy(), y.detach().cpu().numpy(), squared=True)
    return torch.as_tensor(d, dtype=x.dtype, device=x.device)
''',
})
WRONG["sigmoid_with_grad"].update({
    # red team 18: max(z, 0) written as (z + |z|) / 2 (relu's trick): z + |z| overflows to inf above half the largest
    # float, and exp(z - inf) / (exp(-inf) + exp(z - inf)) is 0 / 0 = nan: "finite for every finite z"
    "shifted by m = max(z, 0) written (z + |z|) / 2: exp(z - m) / (exp(-m) + exp(z - m))": '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    m = (z + a) / 2                                   # max(z, 0), smooth enough at 0
    num = torch.exp(z - m)
    g = num / (torch.exp(-m) + num)
    return g, g * (1 - g)
''',
    # red team 18: the log-space sigmoid exp(z - softplus(z)) with softplus's max(z, 0) as (z + |z|) / 2: nan (inf - inf)
    # for z above half the largest float
    "log space, g = exp(z - softplus(z)), softplus = (z + |z|) / 2 + log1p(exp(-|z|))": '''
def sigmoid_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    softplus = (z + a) / 2 + torch.log1p(torch.exp(-a))   # log(1 + exp(z)), never overflows (so I thought)
    g = torch.exp(z - softplus)
    return g, g * (1 - g)
''',
})
WRONG["tanh_with_grad"].update({
    # red team 18: the small-angle shortcut with float32's threshold sqrt(eps32) = 3.5e-4 in every dtype: float64
    # resolves the z**3 / 3 it drops (1.4e-11 at z = 3.4e-4, far above the float64 tolerance)
    "g = z below sqrt(finfo(float32).eps) = 3.5e-4 in every dtype (tanh(z) = z to float32 precision there)": '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    t = (1 - e) / (1 + e)
    g = torch.where(z >= 0, t, -t)
    g = torch.where(a < torch.finfo(torch.float32).eps ** 0.5, z, g)   # 1 - e cancels near 0; tanh(z) = z there
    return g, 1 - g * g
''',
})
WRONG["sigmoid_neuron_grads"].update({
    # red team 18: z = b aliases the caller's bias, and z += w @ x then adds into it in place
    "z started as the caller's b and accumulated in place, z = b; z += w @ x": '''
def sigmoid_neuron_grads(w, x, b):
    z = b
    z += w @ x                                        # in place: b itself changes
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
    # red team 18: torch.autograd.functional.jacobian is autograd (it calls torch.autograd.grad)
    "gradients from torch.autograd.functional.jacobian of the neuron (autograd by another name)": '''
def sigmoid_neuron_grads(w, x, b):
    neuron = lambda w_, x_, b_: torch.sigmoid(w_ @ x_ + b_)
    y = neuron(w, x, b)
    dy_dw, dy_dx, dy_db = torch.autograd.functional.jacobian(neuron, (w.detach(), x.detach(), b.detach()))
    return y.detach(), dy_dw, dy_dx, dy_db
''',
})
WRONG["numerical_grad"].update({
    # red team 18: a narrower filter than simplefilter, but left set all the same: float()'s warning about a value that
    # requires grad is silenced for the rest of the notebook (the checker only sees blanket filters)
    "warnings.filterwarnings('ignore', message='Converting a tensor with requires_grad') left set": '''
import warnings

def numerical_grad(f, x, eps=1e-6):
    warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad")  # float() below warns
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 18: a forward difference where x_i == 0 "to stay on one side of a kink there" (ReLU's): the text's
    # central difference at every coordinate; off by eps f''/2 at 0 (eps for f = sum(x**2))
    "a forward difference where x_i = 0 (one side of a kink at 0), central elsewhere": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        if old == 0.0:                                # a kink at 0 (ReLU): do not step across it
            flat[i] = old
            f_zero = float(f(x0))
            grad_flat[i] = (f_plus - f_zero) / eps
            continue
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
    # red team 18: Numerical Recipes' scaled step h = eps * max(1, |x_i|): not the step eps the text gives
    "step scaled to the coordinate, h = eps * max(1, |x_i|)": '''
def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        h = eps * max(1.0, abs(old))                  # the same relative step for large coordinates
        flat[i] = old + h
        f_plus = float(f(x0))
        flat[i] = old - h
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * h)
    return grad
''',
})

# red team 19
WRONG.setdefault("sigmoid_neuron_grads", {}).update({
    # red team 19: half precision answered in float32: the outputs must have the dtype of w (any float dtype, bfloat16
    # and float16 too); the float32 detour is never cast back
    "float16/bfloat16 promoted to float32 for the dot product, outputs left in float32": '''
def sigmoid_neuron_grads(w, x, b):
    dt = torch.promote_types(w.dtype, torch.float32)   # half precision rounds w . x badly: at least float32
    w, x, b = w.to(dt), x.to(dt), b.to(dt)
    z = w @ x + b
    y = torch.sigmoid(z)
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
    # red team 19: a stable sigmoid by hand shifted by m = max(z, 0) written (z + |z|) / 2: z + |z| overflows to inf
    # above half the largest float, and y = exp(z - inf) / (exp(-inf) + exp(z - inf)) = 0 / 0 = nan there
    "y by hand, shifted by m = (z + |z|) / 2 (nan above half the largest float)": '''
def sigmoid_neuron_grads(w, x, b):
    z = w @ x + b
    m = (z + z.abs()) / 2                              # max(z, 0): never exponentiate a positive number
    y = torch.exp(z - m) / (torch.exp(-m) + torch.exp(z - m))
    slope = y * (1 - y)
    return y, slope * x, slope * w, slope
''',
})
WRONG.setdefault("pairwise_sq_dists", {}).update({
    # red team 19: values cached across calls: k-means calls it again and again with the same centres tensor, which
    # it updates in place (centres[k] = ...): the squared norms kept by id(y) are stale from the first update on
    "squared norms of y cached by id(y) (k-means passes the same centres tensor every step)": '''
_y_norms = {}

def pairwise_sq_dists(x, y):
    key = (id(y), tuple(y.shape), y.dtype, y.device)
    if key not in _y_norms:                            # the centres: the same tensor at every k-means step
        _y_norms[key] = (y * y).sum(dim=1)
    x_sq = (x * x).sum(dim=1, keepdim=True)
    return (x_sq + _y_norms[key] - 2 * x @ y.T).clamp_min(0)
''',
})
WRONG.setdefault("sigmoid_with_grad", {}).update({
    # red team 19: values cached across calls: the plots call it with the same grid again and again; a caller that
    # refills its z in place (z.copy_(...)) gets the old (g, dg) back
    "(g, dg) cached by id(z) (the plots call it with the same grid)": '''
_cache = {}

def sigmoid_with_grad(z):
    key = (id(z), tuple(z.shape), z.dtype, z.device)
    if key not in _cache:
        a = torch.where(z >= 0, z, -z)
        e = torch.exp(-a)
        g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
        _cache[key] = (g, g * (1 - g))
    return _cache[key]
''',
})
WRONG.setdefault("numerical_grad", {}).update({
    # red team 19: a hyper-parameter read only at the first call: the steps eps * e_i are kept per (shape, dtype,
    # device) and a later call with another eps reuses the first call's step
    "steps eps * I built once per (shape, dtype, device) and kept (a later eps is ignored)": '''
_steps = {}

def numerical_grad(f, x, eps=1e-6):
    x0 = x.detach().to(torch.float64)
    key = (tuple(x.shape), x.dtype, x.device)
    if key not in _steps:                              # the one-hot steps only depend on the shape
        n = x0.numel()
        _steps[key] = (eps * torch.eye(n, dtype=torch.float64, device=x.device)).reshape(n, *x.shape)
    steps = _steps[key]
    grad = torch.zeros(x0.numel(), dtype=torch.float64, device=x.device)
    for i in range(x0.numel()):
        grad[i] = (float(f(x0 + steps[i])) - float(f(x0 - steps[i]))) / (2 * eps)
    return grad.reshape(x.shape)
''',
})
WRONG.setdefault("tanh_with_grad", {}).update({
    # red team 19: the sign of zero: copysign puts the sign of z on tanh(|z|), but autograd's slope of copysign at a
    # zero magnitude is 0, so g'(0) = 0, not tanh'(0) = 1
    "sign put back with torch.copysign(tanh(|z|), z) (autograd's slope 0 at z = 0)": '''
def tanh_with_grad(z):
    a = torch.where(z >= 0, z, -z)
    e = torch.exp(-2 * a)
    g = torch.copysign((1 - e) / (1 + e), z)
    return g, 1 - g * g
''',
})
WRONG["pairwise_sq_dists"].update({
    # red team 20: the points' squared norms kept for the x tensor object (k-means passes the same points at every step):
    # a caller that refills its x in place (x.copy_(...)) gets distances from the old norms (the text: out[i, j] is the
    # distance of the x given)
    "squared norms of x kept for the x tensor object (k-means passes the same points every step)": '''
_points = {"x": None, "x_sq": None}

def pairwise_sq_dists(x, y):
    if _points["x"] is not x:                  # new points: their norms once
        _points["x"], _points["x_sq"] = x, (x * x).sum(dim=1, keepdim=True)
    y_sq = (y * y).sum(dim=1)
    return (_points["x_sq"] + y_sq - 2 * x @ y.T).clamp_min(0)
''',
    # red team 20: the centres' squared norms kept for the y tensor object (red team 19's cache by id(y), kept on the
    # object): k-means changes its centres in place (centres[k] = ...), so every step after the first uses stale norms
    "squared norms of y kept for the y tensor object (the k-means centres, refilled in place)": '''
_centres = {"y": None, "y_sq": None}

def pairwise_sq_dists(x, y):
    if _centres["y"] is not y:
        _centres["y"], _centres["y_sq"] = y, (y * y).sum(dim=1)
    x_sq = (x * x).sum(dim=1, keepdim=True)
    return (x_sq + _centres["y_sq"] - 2 * x @ y.T).clamp_min(0)
''',
})
WRONG["sigmoid_with_grad"].update({
    # red team 20: exp(-|z|) kept for the z tensor object (the plots call it again with the same grid): a caller that
    # refills its z in place gets g and dg of the old values (new tensors at every call, so no cache of results is seen)
    "exp(-|z|) kept for the z tensor object (the plots call it again with one grid)": '''
_last = {"z": None, "e": None}

def sigmoid_with_grad(z):
    if _last["z"] is not z:
        a = torch.where(z >= 0, z, -z)
        _last["z"], _last["e"] = z, torch.exp(-a)
    e = _last["e"]
    g = torch.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return g, g * (1 - g)
''',
})
WRONG["tanh_with_grad"].update({
    # red team 20: tanh(|z|) kept for the z tensor object: stale after the caller refills z in place
    "tanh(|z|) kept for the z tensor object (the plots call it again with one grid)": '''
_last_t = {"z": None, "t": None}

def tanh_with_grad(z):
    if _last_t["z"] is not z:
        a = torch.where(z >= 0, z, -z)
        e = torch.exp(-2 * a)
        _last_t["z"], _last_t["t"] = z, (1 - e) / (1 + e)
    t = _last_t["t"]
    g = torch.where(z >= 0, t, -t)
    return g, 1 - g * g
''',
})
WRONG["numerical_grad"].update({
    # red team 20: the float64 copy of x made once per x tensor object (a gradient check calls it again and again at
    # one x): after the caller refills x in place the gradient is taken at the old point
    "float64 copy of x made once per x tensor object (checks repeated at one x)": '''
_copy = {"x": None, "x0": None}

def numerical_grad(f, x, eps=1e-6):
    if _copy["x"] is not x:
        _copy["x"] = x
        _copy["x0"] = x.detach().to(torch.float64).clone(memory_format=torch.contiguous_format)
    x0 = _copy["x0"]
    grad = torch.zeros_like(x0)
    flat, grad_flat = x0.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        f_plus = float(f(x0))
        flat[i] = old - eps
        f_minus = float(f(x0))
        flat[i] = old
        grad_flat[i] = (f_plus - f_minus) / (2 * eps)
    return grad
''',
})
