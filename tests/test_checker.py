"""The checker boundary and coursekit.testing: one test source, two places, the same verdicts.

A small notebook (student cells + graded test cells) runs twice: once with every cell in one kernel
(as when a student presses Validate) and once with the graded cells in the checker process (as when
grading). Each graded cell checks one behaviour of the boundary or of a helper and must pass in both
places; the cells that must fail (a forbidden call reached another way, an in-place change, the
global RNG, a wrong device) must fail in both places, with the helper's message.
"""
from __future__ import annotations

import tempfile

import nbformat
import pytest
import torch

from autograder.check import _Kernel

STUDENT = '''
import torch, numpy as np
import torch.nn as nn
from torch import sigmoid as my_sigmoid_alias

X = torch.arange(6.0).reshape(2, 3)

def double(x):
    return x * 2

def block_size_of(model):
    return getattr(model, "block_size", None)

def scale_in_place(x):
    x.mul_(3)
    return x

def grad_seen():
    return torch.is_grad_enabled()

def step_through_data(p):      # a hand-written SGD step's way: no version-counter bump
    p.data -= 1.0

def foreach_step(p):           # under a dispatch mode (a probe), _foreach_ ops bump no version counter
    torch._foreach_add_([p], [torch.ones_like(p)])

def times_one(x):
    return x * 1

def all_of(x):
    return x[:]              # a view: the same memory

def row(x, i):
    return x[i]

def detached(x):
    return x.detach()        # the same memory, outside the graph

def rescale_targets(targets):    # changes the caller's dicts: a new tensor put in their place
    for t in targets:
        t["boxes"] = t["boxes"] / 2
    return [t["boxes"] for t in targets]

def with_extra(xs):               # appends to the caller's list
    xs.append(torch.zeros(1))
    return len(xs)

def total_of(targets, weights):   # reads only
    return sum(t["boxes"].sum() for t in targets) * weights[0]

from sklearn.metrics import jaccard_score as _jaccard
jaccard_inside = _jaccard.__wrapped__  # the function inside sklearn's parameter-checking decorator

def iou_by_saved_inner(p, t):
    return float(jaccard_inside(p.numpy(), t.numpy(), average="macro"))

def nll_by_reference(logp, t):    # PyTorch's own Python nll_loss: it runs only gather, mean, ...
    import torch._refs.nn.functional
    return torch._refs.nn.functional.nll_loss(logp, t)

from torch.nn.attention.flex_attention import flex_attention

def kth_largest_unsorted(x, k):    # the last of an unsorted topk read as the k-th largest (a GPU's order differs)
    return torch.topk(x, k, sorted=False).values[-1]

def kth_largest_sorted(x, k):      # a sorted topk keeps its order under checked()
    return torch.topk(x, k).values[-1]

def autotuner_on():                # a model's __init__ that leaves cuDNN's autotuner on for the whole kernel
    torch.backends.cudnn.benchmark = True
    return 1

def draw_on_cpu(p, generator):     # the draw moved to the CPU: a GPU's generator refuses it
    return torch.multinomial(p.cpu(), 1, generator=generator).to(p.device)

def draw_on_device(p, generator):
    return torch.multinomial(p, 1, generator=generator)

def attention_by_flex(q):          # flex_attention: a higher-order operator, traced by torch.compile
    return flex_attention(q, q, q)

def sigmoid_by_softmax(z):         # a softmax over (0, z) is a sigmoid: a route no list of names foresaw
    return torch.softmax(torch.stack([torch.zeros_like(z), z]), 0)[1]

def sigmoid_by_hand(z):
    e = torch.exp(-z.abs())
    return torch.where(z >= 0, 1 / (1 + e), e / (1 + e))

def grads_by_engine(w):           # autograd switched back on and its engine called directly
    with torch.enable_grad():
        leaf = w.detach().requires_grad_()
        loss = (leaf * leaf).sum()
        return torch.autograd.Variable._execution_engine.run_backward(
            (loss,), (torch.ones(()),), False, False, (leaf,), False, False)[0]

def grads_by_hand(w):
    return 2 * w

def update_dict(d):
    d["a"].add_(1)          # updated in place: the same tensor
    d["b"] = torch.zeros(1)  # replaced: a new tensor
    return d

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
    def forward(self, x):
        return torch.tanh(self.fc(x))

grad_net = Net()                         # only for the autograd.grad-vs-backward cell

def sgd_step(model, opt, x):
    opt.zero_grad()
    model(x).pow(2).sum().backward()
    opt.step()

def numerical_derivative(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)

def picky(x):
    if x < 0:
        raise ValueError("negative input")
    return x

def terse(x):                           # a ValueError with no message at all
    raise ValueError()

def sines_by_math(n):                  # a Python loop over math.sin: no torch operation runs
    import math
    return torch.tensor([math.sin(i) for i in range(n)])

def sines_by_torch(n):
    return torch.sin(torch.arange(n, dtype=torch.float32))

def sneaky_sigmoid(z):
    return my_sigmoid_alias(z)          # an alias made before the guard

def sneaky_inplace(z):
    return z.clone().sigmoid_()         # the in-place twin

def conv_by_backend(x, w):              # the convolution kernel through a backend torch._C._nn exposes
    return torch._C._nn.slow_conv_dilated2d(x, w, list(w.shape[-2:]), None, [1, 1], [0, 0], [1, 1])

def attention_by_backend(q):             # a composite backend, called by its own name
    return torch._scaled_dot_product_attention_math(q, q, q)[0]

def scores_without_grad(x):              # switches autograd off for the rest of the kernel
    torch.set_grad_enabled(False)
    return x * 2

def grad_is_on():
    return torch.is_grad_enabled()

def scores_under_no_grad(x):
    with torch.no_grad():
        return x * 2

def shuffled(x, generator=None):          # NumPy's global generator: its key array changes only every 624 words
    return x[np.random.permutation(len(x))]

np.random.seed(0); np.random.rand()      # so NumPy's generator is mid-stream when `shuffled` draws

def noisy(x, generator=None):
    return x + torch.randn(x.shape)      # ignores the generator: global RNG

def on_cpu(x):
    return torch.zeros(x.shape)          # ignores the input's device

def draw_global(n):                      # draws from the global generator (as dropout does)
    return torch.rand(n)

def float64_by_default(x):               # leaves the default dtype changed for the rest of the kernel
    torch.set_default_dtype(torch.float64)
    return x * 2

def default_dtype():
    return str(torch.get_default_dtype())

def fast_matmul(x):                      # leaves float32 matmuls in reduced precision for the rest of the kernel
    torch.set_float32_matmul_precision("medium")
    return x @ x.T

def matmul_precision():
    return torch.get_float32_matmul_precision()

def fast_cpu_matmul(x):                  # the per-backend form (torch >= 2.9): bfloat16 matmuls on the CPU from now on
    torch.backends.mkldnn.matmul.fp32_precision = "bf16"
    return x @ x.T

def cpu_matmul_precision():
    return torch.backends.mkldnn.matmul.fp32_precision

def squared_distances_fast(x):           # "for speed": subnormal floats flushed to 0 for the rest of the kernel
    torch.set_flush_denormal(True)
    return (x[:, None] - x[None]).pow(2).sum(-1)

_kept_maps = []

def maps_kept_and_refilled(x):          # one list returned at every call, cleared and refilled
    _kept_maps.clear()
    _kept_maps.append(x * 2)
    return _kept_maps

_norms_by_id = {}

def sq_dists_norms_by_id(x, y):         # the squared norms of y kept by id(y): stale once y is refilled in place
    if id(y) not in _norms_by_id:
        _norms_by_id[id(y)] = (y * y).sum(1)
    return (x * x).sum(1, keepdim=True) + _norms_by_id[id(y)] - 2 * x @ y.T

def sq_dists(x, y):
    return (x * x).sum(1, keepdim=True) + (y * y).sum(1) - 2 * x @ y.T

def step_rebinding(params, lr):          # new memory for each parameter: views of the old one keep their values
    for p in params:
        p.data = p.data - lr

def step_in_place(params, lr):
    for p in params:
        p.data -= lr

def fresh_maps(x):
    return [x * 2, {"scale": x * 3}]

def dropped_unless_inference(x):        # takes inference mode for eval mode: no dropping there
    return x if torch.is_inference_mode_enabled() else x * 0

def one_more_thread(x):                 # "for speed": a thread count changed for the rest of the kernel
    torch.set_num_threads(torch.get_num_threads() + 1)
    return x

def thread_count():
    return torch.get_num_threads()

def partly_written(n):                  # reads as garbage where it was not written
    out = torch.empty(n)
    out[0] = 1.0
    return out

def deterministic_on():
    return torch.are_deterministic_algorithms_enabled()

def quiet_float(x):                      # silences float()'s UserWarning for the rest of the kernel
    import warnings
    warnings.simplefilter("ignore", UserWarning)
    return float(x.sum())

def quiet_float_one_message(x):          # one message of float()'s, for the rest of the kernel
    import warnings
    warnings.filterwarnings("ignore", message="Converting a tensor with requires_grad", category=UserWarning)
    return float(x.sum())

def quiet_float_in_context(x):           # the same, with the filters put back
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return float(x.sum())

def ignored_warnings():
    import warnings
    return sum(f[0] == "ignore" and f[2] is UserWarning for f in warnings.filters)

def grad_switched_on(x):                 # turns on requires_grad of the caller's tensor
    x.requires_grad_()
    return x.detach() * 2

def grad_switched_off(x):                # and off
    x.requires_grad_(False)
    return x * 2

def run_without_grad(f, x):             # a model called under no_grad: the test's function sees it
    with torch.no_grad():
        return f(x)

def class_counts(labels, n):             # needs the values: no meta kernel for bincount
    return torch.bincount(labels, minlength=n)

def class_counts_via_cpu(labels, n):     # counts on the CPU: the result stays there
    return torch.bincount(labels.cpu(), minlength=n)

def largest_positive_or_zero(x):         # .item() and a boolean mask, as on a GPU
    pos = x[x > 0]
    return pos.max() if pos.numel() and pos.max().item() > 0 else x.new_zeros(())

def best_columns(cost):                  # SciPy on host values, the answer back on cost's device
    from scipy.optimize import linear_sum_assignment
    _, cols = linear_sum_assignment(cost.detach().cpu().numpy())
    return torch.as_tensor(cols, device=cost.device)

def best_columns_on_cpu(cost):
    from scipy.optimize import linear_sum_assignment
    _, cols = linear_sum_assignment(cost.detach().cpu().numpy())
    return torch.as_tensor(cols)

def shuffled_batches(x, generator):      # drawn on the CPU, then moved: fine on any device
    order = torch.randperm(len(x), generator=generator).to(x.device)
    for i in range(0, len(x), 2):
        yield x[order[i:i + 2]]

def shuffled_batches_on_device(x, generator):   # a CPU generator cannot draw on a GPU
    order = torch.randperm(len(x), generator=generator, device=x.device)
    for i in range(0, len(x), 2):
        yield x[order[i:i + 2]]

def draw(shape, generator):
    return torch.rand(shape, generator=generator)

def batches(n, generator):
    order = torch.randperm(n, generator=generator)   # drawn lazily, when iterated
    for i in range(0, n, 2):
        yield order[i:i + 2]

frozen = torch.nn.Linear(2, 2)
frozen(torch.ones(1, 2)).sum().backward()
frozen.weight.requires_grad_(False)       # frozen after a backward: its .grad stays

def peek_grad(model):
    return model.weight.grad

def freeze_first(model):
    for p in model[0].parameters():
        p.requires_grad = False
    return model

def conv_sharing_weight(linear):          # a 1x1 conv whose weight is a view of the linear layer's
    conv = torch.nn.Conv2d(linear.in_features, linear.out_features, 1)
    conv.weight = torch.nn.Parameter(linear.weight.detach().view(*linear.weight.shape, 1, 1))
    return conv

def conv_copying_weight(linear):
    conv = torch.nn.Conv2d(linear.in_features, linear.out_features, 1)
    with torch.no_grad():
        conv.weight.copy_(linear.weight.view(*linear.weight.shape, 1, 1))
    return conv

_masks = {}

def cached_mask(n):                      # one tensor handed out at every call
    if n not in _masks:
        _masks[n] = torch.ones(n, n).tril().bool()
    return _masks[n]

def scores_with_grad_on(x, w):            # autograd switched on inside, whatever the caller chose
    with torch.enable_grad():
        return x @ w

def fresh_mask(n):
    return torch.ones(n, n).tril().bool()

def float_tensors_require_grad(model):   # buffers too, not only parameters
    for t in model.state_dict(keep_vars=True).values():
        if t.is_floating_point():
            t.requires_grad_(True)
    return model

def total_by_loop(x):
    out = x.new_zeros(())
    for v in x:                           # one tensor operation per element
        out = out + v
    return out

def lazy_noise(n):
    for _ in range(n):
        yield torch.rand(1)                  # global RNG, only while iterated

class MyAttention(nn.MultiheadAttention):   # a forbidden class reached through a subclass
    def __init__(self, d):
        super().__init__(d, 1, batch_first=True)

def attend_with_class(x):
    return MyAttention(x.shape[-1])(x, x, x)[0]

LIBRARY_ATTENTION = nn.MultiheadAttention(4, 1, batch_first=True)  # made before the guard

def attend_with_instance(x):
    return LIBRARY_ATTENTION(x, x, x)[0]

def reversed_in_place(layers):
    layers.reverse()                     # the caller's list changes, as in one kernel
    return len(layers)

def bias_like(layer):
    return torch.zeros_like(layer.bias)  # on the layer's device

def perturbed(f, x):
    y = x.clone()
    value = f(y)                         # the test's function may return a view of y ...
    y[1] = 5.0                           # ... which then sees this change, as in one kernel
    return value

def attend_by_hand(x):
    w = torch.softmax(x @ x.transpose(-2, -1), dim=-1)
    return w @ x

def twice(x):
    y = x * 2
    return y, y                          # one tensor in two places

def np_double_in_place(a):
    a *= 2
    return a

def lookup(key):
    return {"a": 1}[key]

def count_up(n):
    yield from range(n)

def trainable(model):
    return [p for p in model.parameters() if p.requires_grad]

def weight_data(model):
    return model.weight.data             # a view of the caller's parameter

def grad_of(x):
    return x.grad

def new_leaf():
    return torch.zeros(2, requires_grad=True)

def detached_leaf(x):
    return x.detach().requires_grad_()   # a new leaf sharing x's memory

def load_into(model, sd):
    model.load_state_dict(sd)
    return model
'''

# (grade_id, source, must pass?)
TESTS = [
    ("data_and_calls", '''
from coursekit.testing import assert_close, checked
out = checked(double)(X)
assert type(out) is torch.Tensor
assert_close(out, torch.arange(6.0).reshape(2, 3) * 2, what="double(X)")
''', True),
    ("inplace_is_seen", '''
t = torch.ones(3)
v0 = t._version
r = scale_in_place(t)
assert r is t and t.tolist() == [3.0, 3.0, 3.0] and t._version > v0
''', True),
    ("views_share_memory", '''
x = torch.arange(12.0).reshape(3, 4)
v = all_of(x)
assert v is not x and v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
r = row(x, 1)
r.add_(100)                  # writes through to x, as in one kernel
assert x[1].tolist() == [104.0, 105.0, 106.0, 107.0] and x[0].tolist() == [0.0, 1.0, 2.0, 3.0]
w = torch.ones(3, requires_grad=True)
d = detached(w)
assert not d.requires_grad and d.untyped_storage().data_ptr() == w.untyped_storage().data_ptr()
assert double(x).untyped_storage().data_ptr() != x.untyped_storage().data_ptr()
e = row(torch.zeros(0, 2, 3), slice(None))
assert e.shape == (0, 2, 3)
''', True),
    ("dict_update_vs_replace", '''
a, b = torch.ones(2), torch.ones(1)
d = {"a": a, "b": b}
r = update_dict(d)
assert r is d and d["a"] is a and d["b"] is not b
assert a.tolist() == [2.0, 2.0] and d["b"].tolist() == [0.0]
''', True),
    ("module_handle_and_backward", '''
net = Net()
assert isinstance(net, torch.nn.Module)
x = torch.randn(4, 3, generator=torch.Generator().manual_seed(0), requires_grad=True)
y = net(x)
y.sum().backward()
w = net.fc.weight
assert w.grad is not None and w.grad.shape == (2, 3)
ref = torch.tanh(x.detach() @ net.fc.weight.detach().T + net.fc.bias.detach())
assert torch.allclose(y.detach(), ref, atol=1e-6)
g = (1 - ref ** 2) @ net.fc.weight.detach()
assert torch.allclose(x.grad, g, atol=1e-6)
net.eval()
assert net.training is False
''', True),
    ("state_dict_is_data", '''
net = Net()
sd = net.state_dict()
assert isinstance(sd, dict) and list(sd) == ["fc.weight", "fc.bias"], type(sd)
assert torch.equal(sd["fc.weight"], net.fc.weight.detach())
other = Net()
other.load_state_dict(sd)
assert torch.equal(other.fc.bias.detach(), net.fc.bias.detach())
''', True),
    ("checker_objects_are_updated", '''
model = torch.nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
before = model.weight.detach().clone()
sgd_step(model, opt, torch.ones(2, 3))
assert not torch.equal(model.weight.detach(), before), "the step changed the checker's model"
assert len(opt.state) == 2, "the optimizer's momentum buffers came back"
gen = torch.Generator().manual_seed(0)
first = draw((3,), gen)
second = draw((3,), gen)
assert not torch.equal(first, second), "the generator's state advanced in the checker too"
''', True),
    ("callbacks_run_here", '''
calls = []
def f(t):
    calls.append(t)
    return t ** 3
d = numerical_derivative(f, torch.tensor(2.0, dtype=torch.float64))
assert abs(d.item() - 12.0) < 1e-6 and len(calls) == 2
''', True),
    ("lazy_functions_are_synced", '''
gen = torch.Generator().manual_seed(0)
epoch1 = torch.cat(list(batches(6, gen)))
epoch2 = torch.cat(list(batches(6, gen)))
assert sorted(epoch1.tolist()) == list(range(6)) and not torch.equal(epoch1, epoch2), (epoch1, epoch2)
''', True),
    ("stale_grad_travels", '''
net = torch.nn.Linear(2, 2)
net.weight.grad = torch.ones(2, 2)
g = peek_grad(net)
assert g is not None and torch.equal(g, torch.ones(2, 2))
''', True),
    ("frozen_parameters_come_back", '''
model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
out = freeze_first(model)
assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
assert [p.requires_grad for p in out.parameters()] == [False, False, True, True]
''', True),
    ("shared_memory_is_caught", '''
from coursekit.testing import no_shared_memory
no_shared_memory(conv_sharing_weight, torch.nn.Linear(3, 2))
''', False),
    ("copied_memory_passes", '''
from coursekit.testing import no_shared_memory
lin = torch.nn.Linear(3, 2)
conv = no_shared_memory(conv_copying_weight, lin)
assert torch.equal(conv.weight.detach().flatten(1), lin.weight.detach())
''', True),
    ("graph_recorded_under_enable_grad_comes_back", '''
w = torch.ones(2, 1, requires_grad=True)
with torch.no_grad():
    out = scores_with_grad_on(torch.ones(1, 2), w)
assert out.requires_grad and out.grad_fn is not None, "the student's graph was lost under the caller's no_grad"
out.sum().backward()
assert torch.equal(w.grad, torch.ones(2, 1))
''', True),
    ("cached_result_is_caught", '''
from coursekit.testing import no_shared_memory
no_shared_memory(cached_mask, 3)
''', False),
    ("fresh_result_passes", '''
from coursekit.testing import no_shared_memory
assert no_shared_memory(fresh_mask, 3).sum() == 6
''', True),
    ("a_cache_by_id_is_stale_after_a_refill", '''
from coursekit.testing import refilled
x, y = torch.randn(3, 2, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
first, second = refilled(sq_dists_norms_by_id, x, y, refill={1: y + 1})
assert torch.allclose(second, torch.cdist(x, y + 1) ** 2), "stale"
''', False),
    ("a_refill_passes_a_fresh_computation_and_leaves_the_tests_tensors", '''
from coursekit.testing import checked, refilled
x, y = torch.randn(3, 2, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
y0 = y.clone()
first, second = refilled(checked(sq_dists), x, y, refill={1: y + 1})
assert torch.allclose(first, torch.cdist(x, y) ** 2) and torch.allclose(second, torch.cdist(x, y + 1) ** 2)
assert torch.equal(y, y0) and y._version == 0
''', True),
    ("a_parameter_moved_to_new_memory_leaves_the_callers_views", '''
flat = torch.zeros(4)
params = [flat[:2], flat[2:]]
step_rebinding(params, 1.0)
assert torch.equal(flat, torch.zeros(4)) and torch.equal(params[0], -torch.ones(2)), (flat, params)
''', True),
    ("a_parameter_updated_in_place_updates_the_callers_views", '''
flat = torch.zeros(4)
params = [flat[:2], flat[2:]]
step_in_place(params, 1.0)
assert torch.equal(flat, -torch.ones(4)) and torch.equal(params[1], -torch.ones(2)), (flat, params)
''', True),
    ("buffers_requires_grad_comes_back", '''
bn = torch.nn.BatchNorm1d(2)
out = float_tensors_require_grad(bn)
assert bn.running_mean.requires_grad and bn.running_var.requires_grad and not bn.num_batches_tracked.requires_grad
assert out.running_mean.requires_grad
''', True),
    ("a_list_changed_in_place_comes_back", '''
layers = [(3, 1), (2, 2), (5, 1)]
assert reversed_in_place(layers) == 3
assert layers == [(5, 1), (2, 2), (3, 1)], layers
''', True),
    ("a_module_on_meta_can_be_passed", '''
layer = torch.nn.Linear(2, 3, device="meta")   # a stand-in for a GPU: the device of what the code makes
out = bias_like(layer)
assert out.device.type == "meta" and out.shape == (3,), out
''', True),
    ("a_view_the_tests_function_returns_stays_a_view", '''
assert perturbed(lambda t: t[1], torch.zeros(3)).item() == 5.0
assert perturbed(lambda t: t.view(3, 1)[1:], torch.zeros(3)).tolist() == [[5.0], [0.0]]
assert perturbed(lambda t: t * 2, torch.zeros(3)).tolist() == [0.0, 0.0, 0.0]     # a new tensor stays new
''', True),
    ("a_frozen_parameter_keeps_its_grad", '''
g = frozen.weight.grad             # crosses from the student's kernel although requires_grad is off
assert g is not None and torch.equal(g, torch.ones(2, 2)), g
''', True),
    ("lazy_global_rng", '''
from coursekit.testing import rng_untouched
with rng_untouched(where="lazy_noise"):
    list(lazy_noise(2))
''', False),
    ("exceptions_keep_their_type", '''
from coursekit.testing import raises
raises(ValueError, picky, -1)
assert picky(2) == 2
''', True),
    ("an_empty_message_stays_empty", '''
try:
    terse(1)
except ValueError as e:
    assert str(e) == "" and e.args == (), (str(e), e.args)
else:
    raise AssertionError("no ValueError")
''', True),
    ("meta_device", '''
from coursekit.testing import on_meta
out = on_meta(double, torch.ones(2, 2))
assert out.device.type == "meta" and out.shape == (2, 2)
''', True),
    ("forbid_math_sin", '''
from coursekit.testing import checked
checked(sines_by_math, forbid=["math.sin", "numpy.sin"])(4)
''', False),
    ("forbid_math_sin_leaves_torch_sin", '''
from coursekit.testing import checked
assert checked(sines_by_torch, forbid=["math.sin", "numpy.sin"])(4).shape == (4,)
''', True),
    ("forbid_alias", '''
from coursekit.testing import checked
checked(sneaky_sigmoid, forbid=["torch.sigmoid"])(torch.zeros(2))
''', False),
    ("forbid_inplace_twin", '''
from coursekit.testing import checked
checked(sneaky_inplace, forbid=["torch.sigmoid"])(torch.zeros(2))
''', False),
    ("forbid_conv_backend", '''
from coursekit.testing import checked
checked(conv_by_backend, forbid=["torch.nn.functional.conv2d"])(torch.ones(1, 1, 4, 4), torch.ones(1, 1, 3, 3))
''', False),
    ("forbid_composite_backend", '''
from coursekit.testing import checked
checked(attention_by_backend, forbid=["torch.nn.functional.scaled_dot_product_attention"])(torch.ones(1, 3, 2))
''', False),
    ("grad_mode_left_off", '''
from coursekit.testing import checked
checked(scores_without_grad)(torch.ones(2))
''', False),
    ("grad_mode_the_student_left_stays", '''
scores_without_grad(torch.ones(2))
_left_off = not torch.is_grad_enabled()
torch.set_grad_enabled(True)
assert _left_off, "the student's code switched autograd off: the test goes on without it, as in one kernel"
''', True),
    ("grad_mode_kept", '''
from coursekit.testing import checked
assert checked(scores_under_no_grad)(torch.ones(2)).tolist() == [2.0, 2.0]
x = torch.ones(2, requires_grad=True)
(x * 3).sum().backward()                   # autograd still on (the failing cell before put it back)
assert x.grad.tolist() == [3.0, 3.0]
assert grad_is_on(), "the student's kernel was left without autograd"
''', True),
    ("default_dtype_left_changed", '''
from coursekit.testing import checked
checked(float64_by_default)(torch.ones(2))
''', False),
    ("default_dtype_put_back", '''
assert torch.ones(1).dtype == torch.float32 and default_dtype() == "torch.float32", "the failing cell before left float64"
''', True),
    ("matmul_precision_left_changed", '''
from coursekit.testing import checked
checked(fast_matmul)(torch.ones(2, 2))
''', False),
    ("matmul_precision_put_back", '''
assert matmul_precision() == "highest", "the failing cell before left the matmul precision changed"
''', True),
    ("backend_precision_left_changed", '''
from coursekit.testing import checked
checked(fast_cpu_matmul)(torch.ones(2, 2))
''', False),
    ("backend_precision_put_back", '''
assert cpu_matmul_precision() == "none" and matmul_precision() == "highest", "the failing cell before left bf16 matmuls"
''', True),
    ("flush_denormal_left_set", '''
from coursekit.testing import checked
checked(squared_distances_fast)(torch.ones(2, 2))
''', False),
    ("flush_denormal_put_back", '''
assert torch.tensor(5e-324, dtype=torch.float64) > 0, "the failing cell before left subnormal floats flushed to 0"
''', True),
    ("returned_list_refilled_is_caught", '''
from coursekit.testing import no_shared_memory
no_shared_memory(maps_kept_and_refilled, torch.ones(2))
''', False),
    ("returned_fresh_list_passes", '''
from coursekit.testing import no_shared_memory
assert no_shared_memory(fresh_maps, torch.ones(2))[0].tolist() == [2.0, 2.0]
''', True),
    ("inference_mode_reaches_the_student", '''
with torch.inference_mode():
    _kept = dropped_unless_inference(torch.ones(3))
assert _kept.tolist() == [1.0, 1.0, 1.0], "the student's code did not run in the test's inference mode"
assert dropped_unless_inference(torch.ones(3)).tolist() == [0.0, 0.0, 0.0], "inference mode outlived its block"
''', True),
    ("thread_count_left_changed", '''
from coursekit.testing import checked
_threads = thread_count()
try:
    checked(one_more_thread)(torch.ones(2))
finally:
    assert thread_count() == _threads, "the thread count was not put back"
''', False),
    ("uninitialised_memory_reads_as_nan", '''
from coursekit.testing import checked
_r = checked(partly_written)(4)
assert _r[0] == 1.0 and torch.isnan(_r[1:]).all(), f"torch.empty's memory was not filled with nan: {_r}"
assert not deterministic_on(), "the student's deterministic-algorithms switch was not put back"
''', True),
    ("warnings_filters_left_changed", '''
from coursekit.testing import checked
checked(quiet_float)(torch.ones(2, requires_grad=True))
''', False),
    ("one_message_filter_left_changed", '''
from coursekit.testing import checked
checked(quiet_float_one_message)(torch.ones(2, requires_grad=True))
''', False),
    ("warnings_filters_put_back", '''
from coursekit.testing import checked
assert ignored_warnings() == 0, "the failing cell before left its warnings filter in place"
assert checked(quiet_float_in_context)(torch.ones(2, requires_grad=True)) == 2.0
assert ignored_warnings() == 0
''', True),
    ("requires_grad_switched_on_is_caught", '''
from coursekit.testing import checked
checked(grad_switched_on)(torch.ones(2))
''', False),
    ("requires_grad_switched_off_is_caught", '''
from coursekit.testing import checked
checked(grad_switched_off)(torch.ones(2, requires_grad=True))
''', False),
    ("requires_grad_switched_reaches_the_test", '''
x = torch.ones(2)
grad_switched_on(x)
assert x.requires_grad, "the student's x.requires_grad_() on the test's tensor: it requires grad after, as in one kernel"
''', True),
    ("autograd_grad_fills_no_parameter_grad", '''
x = torch.ones(1, 3, requires_grad=True)
out = grad_net(x)
(gx,) = torch.autograd.grad(out.sum(), [x], retain_graph=True)
assert gx.shape == (1, 3) and x.grad is None
assert grad_net.fc.weight.grad is None, "torch.autograd.grad filled a parameter's .grad"
out.sum().backward()                       # .backward() fills both, as in one kernel
assert x.grad is not None and torch.equal(x.grad, gx)
assert grad_net.fc.weight.grad is not None and grad_net.fc.weight.grad.shape == (2, 3)
''', True),
    ("student_code_runs_under_the_tests_grad_mode", '''
with torch.no_grad():
    assert grad_seen() is False, "the student's code ran with autograd on inside the test's torch.no_grad()"
assert grad_seen() is True
''', True),
    ("change_through_data_reaches_the_test", '''
p = torch.ones(2, requires_grad=True)
step_through_data(p)
assert p.tolist() == [0.0, 0.0], p
''', True),
    ("foreach_change_under_a_probe_reaches_the_test", '''
from coursekit.testing import max_ops
p = torch.ones(2)
with max_ops(50):
    foreach_step(p)
assert p.tolist() == [2.0, 2.0], p
''', True),
    ("change_through_data_is_caught", '''
from coursekit.testing import checked
checked(step_through_data)(torch.ones(2))
''', False),
    ("input_holding_nan_is_unchanged", '''
from coursekit.testing import checked
out = checked(times_one)(torch.tensor([float("nan"), 1.0]))
assert out[0].isnan() and out[1].item() == 1.0, out
''', True),
    ("inputs_unchanged", '''
from coursekit.testing import checked
checked(scale_in_place)(torch.ones(2))
''', False),
    ("dict_entry_replaced_is_caught", '''
from coursekit.testing import checked
checked(rescale_targets)([{"boxes": torch.ones(1, 4), "labels": torch.zeros(1, dtype=torch.long)}])
''', False),
    ("list_appended_to_is_caught", '''
from coursekit.testing import checked
checked(with_extra)([torch.ones(2), 1.5])
''', False),
    ("containers_only_read_pass", '''
from coursekit.testing import checked
_targets = [{"boxes": torch.ones(2, 4), "labels": torch.zeros(2, dtype=torch.long), "name": "a"}]
_out = checked(total_of)(_targets, [2.0, (1, "x"), np.arange(3.0)])
assert _out.item() == 16.0, _out
''', True),
    ("forbid_python_reference", '''
from coursekit.testing import checked
checked(nll_by_reference, forbid=["torch.nn.functional.nll_loss"])(torch.zeros(2, 3), torch.tensor([0, 2]))
''', False),
    ("forbid_decorated_function_inside", '''
from coursekit.testing import checked
checked(iou_by_saved_inner, forbid=["sklearn.metrics.jaccard_score"])(torch.tensor([0, 1]), torch.tensor([0, 1]))
''', False),
    ("only_elementary_refuses_a_library_route", '''
from coursekit.testing import ELEMENTARY, checked
checked(sigmoid_by_softmax, only=ELEMENTARY)(torch.tensor([-1.0, 0.0, 2.0]))
''', False),
    ("forbid_reaches_a_higher_order_operator", '''
from coursekit.testing import forbid
with forbid("torch.nn.functional.scaled_dot_product_attention"):
    attention_by_flex(torch.ones(1, 1, 4, 2))
''', False),
    ("unsorted_topk_order_is_not_promised", '''
from coursekit.testing import checked
assert checked(kth_largest_unsorted)(torch.tensor([3.0, 1.0, 2.0]), 2).item() == 2.0, "the last of an unsorted topk is not its k-th largest"
''', False),
    ("sorted_topk_keeps_its_order", '''
from coursekit.testing import checked
assert checked(kth_largest_sorted)(torch.tensor([3.0, 1.0, 2.0]), 2).item() == 2.0
''', True),
    ("cudnn_benchmark_left_on_is_caught", '''
from coursekit.testing import checked
checked(autotuner_on)()
''', False),
    ("generator_on_device_refuses_a_cpu_draw", '''
from coursekit.testing import on_meta
on_meta(draw_on_cpu, torch.tensor([[0.2, 0.8]]), torch.Generator().manual_seed(0), generators_on_device=True)
''', False),
    ("generator_on_device_draws_there_and_moves_on", '''
from coursekit.testing import on_meta
_g = torch.Generator().manual_seed(0)
_start = _g.get_state()
assert on_meta(draw_on_device, torch.tensor([[0.2, 0.8]]), _g, generators_on_device=True).shape == (1, 1)
assert not torch.equal(_g.get_state(), _start), "the generator's draw did not reach the test's generator"
''', True),
    ("max_ops_refuses_a_higher_order_operator", '''
from coursekit.testing import max_ops
with max_ops(1000):
    attention_by_flex(torch.ones(1, 1, 4, 2))
''', False),
    ("only_elementary_lets_arithmetic_run", '''
from coursekit.testing import ELEMENTARY, assert_close, checked, on_meta
_z = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64)
assert_close(checked(sigmoid_by_hand, only=ELEMENTARY)(_z), torch.sigmoid(_z))
on_meta(checked(sigmoid_by_hand, only=ELEMENTARY), _z)
''', True),
    # PyTorch's private Python versions come and go between releases (torch 2.11 lacks
    # _max_pool_nd_with_indices): one this release lacks is skipped; a public name must exist
    ("absent_private_twin_is_skipped", '''
from coursekit.testing import assert_close, checked
_z = torch.tensor([-1.0, 0.0, 2.0], dtype=torch.float64)
assert_close(checked(sigmoid_by_hand, forbid=["torch.sigmoid", "torch._decomp.decompositions._no_such_twin",
                                              "torch._refs.no_such_ref"])(_z), torch.sigmoid(_z))
''', True),
    ("absent_public_name_is_an_error", '''
from coursekit.testing import checked
checked(sigmoid_by_hand, forbid=["torch.nn.functional.no_such_function"])(torch.tensor([1.0]))
''', False),
    # a test's own function carries its data attributes to the student's code, as in one kernel
    ("function_attributes_reach_the_student", '''
def _lm(idx):
    return idx
_lm.block_size = 3
_lm.names = ("a", "b")
assert block_size_of(_lm) == 3, block_size_of(_lm)
assert block_size_of(lambda idx: idx) is None
''', True),
    ("autograd_engine_is_caught", '''
from coursekit.testing import forbid
with torch.no_grad(), forbid("torch.autograd", where="grads_by_engine"):
    grads_by_engine(torch.ones(3))
''', False),
    ("no_autograd_by_hand_passes", '''
from coursekit.testing import forbid
with forbid("torch.autograd", where="grads_by_hand"):
    _g = grads_by_hand(torch.ones(3))
assert _g.tolist() == [2.0, 2.0, 2.0], _g
''', True),
    ("manual_seed_reaches_the_student", '''
from coursekit.testing import manual_seed
manual_seed(3)
a, b = draw_global(4), draw_global(4)
manual_seed(3)
assert torch.equal(draw_global(4), a) and not torch.equal(a, b), "manual_seed did not seed the student's generator once"
assert torch.equal(a, torch.rand(4, generator=torch.Generator().manual_seed(3))), "the draw came before the seed"
''', True),
    ("numpy_global_rng_mid_stream", '''
from coursekit.testing import checked
checked(shuffled, rng=True)(torch.arange(9.0), generator=torch.Generator().manual_seed(0))
''', False),
    ("global_rng", '''
from coursekit.testing import checked
checked(noisy, rng=True)(torch.ones(2), generator=torch.Generator().manual_seed(0))
''', False),
    ("wrong_device", '''
from coursekit.testing import on_meta
on_meta(on_cpu, torch.ones(2))
''', False),
    ("meta_with_values", '''
from coursekit.testing import on_meta
counts = on_meta(class_counts, torch.tensor([0, 2, 2]), 4)
assert counts.device.type == "meta" and counts.shape == (4,), counts
assert on_meta(largest_positive_or_zero, torch.tensor([-1.0, 3.0, 2.0])).device.type == "meta"
assert on_meta(best_columns, torch.tensor([[1.0, 0.0], [0.0, 1.0]])).device.type == "meta"
_g = torch.Generator().manual_seed(0)
_b = on_meta(lambda t: list(shuffled_batches(t, _g)), torch.arange(5.0))
assert [b.device.type for b in _b] == ["meta"] * 3 and [len(b) for b in _b] == [2, 2, 1], _b
''', True),
    ("callback_sees_the_grad_mode", '''
_seen = []
def _record(t):
    _seen.append(torch.is_grad_enabled())
    return t * 2
assert run_without_grad(_record, torch.ones(2)).tolist() == [2.0, 2.0]
_record(torch.ones(1))
assert _seen == [False, True], _seen
''', True),
    ("wrong_device_after_values", '''
from coursekit.testing import on_meta
on_meta(class_counts_via_cpu, torch.tensor([0, 2, 2]), 4)
''', False),
    ("wrong_device_numpy_round_trip", '''
from coursekit.testing import on_meta
on_meta(best_columns_on_cpu, torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
''', False),
    ("wrong_device_cpu_generator", '''
from coursekit.testing import on_meta
on_meta(lambda t: list(shuffled_batches_on_device(t, torch.Generator().manual_seed(0))), torch.arange(5.0))
''', False),
    ("forbid_class_made_in_the_call", '''
from coursekit.testing import checked
checked(attend_with_class, forbid=["torch.nn.MultiheadAttention"])(torch.ones(1, 2, 4))
''', False),
    ("forbid_class_made_before", '''
from coursekit.testing import checked
checked(attend_with_instance, forbid=["torch.nn.MultiheadAttention"])(torch.ones(1, 2, 4))
''', False),
    ("forbid_class_lets_others_pass", '''
from coursekit.testing import checked
out = checked(attend_by_hand, forbid=["torch.nn.MultiheadAttention"])(torch.ones(1, 2, 4))
assert out.shape == (1, 2, 4)
assert torch.nn.MultiheadAttention(4, 1)(torch.ones(2, 4), torch.ones(2, 4), torch.ones(2, 4))[0].shape == (2, 4)
''', True),
    ("a_tensor_returned_twice_is_one_object", '''
a, b = twice(torch.ones(2))
assert a is b
''', True),
    ("a_numpy_array_changed_in_place_comes_back", '''
a = np.ones(3)
r = np_double_in_place(a)
assert r is a and a.tolist() == [2.0, 2.0, 2.0], a
''', True),
    ("an_exception_keeps_its_args", '''
try:
    lookup("b")
    raise AssertionError("no KeyError")
except KeyError as e:
    assert str(e) == "'b'" and e.args == ("b",), (str(e), e.args)
''', True),
    ("next_on_the_students_iterator", '''
it = count_up(1)
assert next(it) == 0
try:
    next(it)
    raise AssertionError("no StopIteration")
except StopIteration:
    pass
''', True),
    ("parameters_and_grads_keep_their_identity", '''
model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
ps = trainable(model)
assert len(ps) == 4 and ps[0] is model[0].weight and ps[3] is model[1].bias
lin = torch.nn.Linear(2, 2)
weight_data(lin).zero_()                     # writes through to the parameter, as in one kernel
assert (lin.weight == 0).all()
x = torch.ones(2, requires_grad=True)
x.grad = torch.full((2,), 3.0)
assert grad_of(x) is x.grad
''', True),
    ("a_returned_leaf_stays_a_leaf", '''
t = new_leaf()
assert t.is_leaf and t.requires_grad and t.grad_fn is None
x = torch.ones(2, requires_grad=True)
z = detached_leaf(x)
assert z.is_leaf and z.requires_grad and z.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
y = double(x)
assert not y.is_leaf and y.grad_fn is not None
''', True),
    ("load_state_dict_into_the_tests_model", '''
m = torch.nn.Linear(2, 2)
sd = torch.nn.Linear(2, 2).state_dict()
assert load_into(m, sd) is m and torch.equal(m.weight.detach(), sd["weight"])
''', True),
    ("vectorised_passes", '''
from coursekit.testing import checked
assert checked(double, ops=5)(torch.ones(50)).shape == (50,)
''', True),
    ("loop_has_too_many_ops", '''
from coursekit.testing import checked
checked(total_by_loop, ops=5)(torch.ones(50))
''', False),
]

MESSAGES = {"unsorted_topk_order_is_not_promised": "unsorted topk",
            "cudnn_benchmark_left_on_is_caught": "left torch's backends.cudnn.benchmark set to True",
            "generator_on_device_refuses_a_cpu_draw": "for inputs on another device",
            "forbid_reaches_a_higher_order_operator": "higher-order operator flex_attention",
            "max_ops_refuses_a_higher_order_operator": "higher-order operator flex_attention",
            "forbid_alias": "off limits", "forbid_math_sin": "math.sin is off limits", "forbid_class_made_in_the_call": "MultiheadAttention.__init__ is off limits",
            "forbid_class_made_before": "MultiheadAttention.forward is off limits", "forbid_inplace_twin": "off limits", "inputs_unchanged": "in place",
            "change_through_data_is_caught": "in place", "autograd_engine_is_caught": "autograd (a graph recorded",
            "forbid_python_reference": "nll_loss is off limits",
            "forbid_decorated_function_inside": "jaccard_score is off limits",
            "only_elementary_refuses_a_library_route": "runs aten::_softmax, which this exercise does not need",
            "dict_entry_replaced_is_caught": "changed a dict it was given", "list_appended_to_is_caught": "changed a list it was given",
            "forbid_conv_backend": "slow_conv_dilated2d is off limits",
            "forbid_composite_backend": "_scaled_dot_product_attention_math is off limits",
            "grad_mode_left_off": "left autograd switched off",
            "default_dtype_left_changed": "left the default dtype torch.float64",
            "matmul_precision_left_changed": "left torch's float32 matmul precision set to 'medium'",
            "shared_memory_is_caught": "conv_sharing_weight returned a tensor of shape [2, 3, 1, 1] that shares memory",
            "cached_result_is_caught": "cached_mask returned the same tensor of shape [3, 3] at two calls",
            "a_cache_by_id_is_stale_after_a_refill": "stale",
            "backend_precision_left_changed": "left torch's float32 precision of torch.backends.mkldnn.matmul set to 'bf16'",
            "flush_denormal_left_set": "left torch's flush of subnormal floats to zero set to True",
            "warnings_filters_left_changed": "left Python's warnings filters changed",
            "one_message_filter_left_changed": "left Python's warnings filters changed",
            "thread_count_left_changed": "left torch's number of CPU threads set to",
            "returned_list_refilled_is_caught": "returned a list that the next call changed or returned again",
            "requires_grad_switched_on_is_caught": "switched requires_grad of its input 0 on",
            "requires_grad_switched_off_is_caught": "switched requires_grad of its input 0 off",
            "global_rng": "global random number generator", "numpy_global_rng_mid_stream": "global random number generator", "wrong_device": "device",
            "wrong_device_after_values": "device", "wrong_device_numpy_round_trip": "device",
            "wrong_device_cpu_generator": "generator",
            "lazy_global_rng": "global random number generator", "loop_has_too_many_ops": "tensor operations",
            "absent_public_name_is_an_error": "no attribute 'no_such_function'"}


def _notebook():
    cells = [nbformat.v4.new_code_cell(STUDENT)]
    for gid, source, _ in TESTS:
        cell = nbformat.v4.new_code_cell(source.strip())
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid, "points": 1}
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


@pytest.fixture(scope="module", params=["one kernel (Validate)", "checker (grading)"])
def verdicts(request):
    nb = _notebook()
    out = {}
    with tempfile.TemporaryDirectory(prefix="checker-test-") as workdir:
        with _Kernel(nb, workdir, 120, checker=request.param.startswith("checker")) as kernel:
            for index, cell in enumerate(nb.cells):
                error = kernel.run(cell, index)
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid:
                    out[gid] = (error, cell)
                else:
                    assert error is None, error
    return out


@pytest.mark.parametrize("gid, must_pass", [(g, p) for g, _, p in TESTS])
def test_same_verdict_in_both_places(verdicts, gid, must_pass):
    error, cell = verdicts[gid]
    if must_pass:
        assert error is None, error
    else:
        assert error is not None, f"{gid} should fail"
        assert MESSAGES[gid] in error, error


def test_graded_cells_really_ran_in_the_checker(verdicts):
    ran_in_checker = [c.metadata.get("autograder", {}).get("checker") for _, c in verdicts.values()]
    assert all(ran_in_checker) or not any(ran_in_checker)


def test_graded_cells_run_when_the_grader_holds_over_1024_descriptors():
    """A long batch holds many descriptors (kernels' zmq sockets): the relay must not use select()."""
    import os
    import resource
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1400:
        pytest.skip("the open-files limit is below 1400 here")
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        nb = _notebook()
        nb.cells = nb.cells[:2]  # the student cell and one graded cell that must pass
        with tempfile.TemporaryDirectory(prefix="checker-test-") as workdir:
            with _Kernel(nb, workdir, 120, checker=True) as kernel:
                errors = [kernel.run(cell, index) for index, cell in enumerate(nb.cells)]
        assert errors == [None, None], errors
        assert nb.cells[1].metadata.get("autograder", {}).get("checker"), "the graded cell did not run in the checker"
    finally:
        for fd in held:
            os.close(fd)


def test_a_closed_kernel_leaves_no_descriptors_or_threads_behind():
    """mutate starts many kernels in one process: each must close its sockets and stop its client's threads."""
    import os
    import threading

    nb = _notebook()
    nb.cells = nb.cells[:2]

    def run_one():
        with tempfile.TemporaryDirectory(prefix="checker-test-") as workdir:
            with _Kernel(nb, workdir, 120, checker=True) as kernel:
                assert [kernel.run(cell, index) for index, cell in enumerate(nb.cells)] == [None, None]

    run_one()  # the first kernel may open what the process keeps (an event loop, a logger)
    descriptors, threads = len(os.listdir("/proc/self/fd")), threading.active_count()
    for _ in range(3):
        run_one()
    grown = len(os.listdir("/proc/self/fd")) - descriptors
    # Before the fix, each kernel left 12 descriptors (its client's zmq context) and a heartbeat thread.
    assert grown < 6, f"3 kernels left {grown} open file descriptors behind"
    assert threading.active_count() <= threads, f"threads: {threads} before 3 kernels, {threading.active_count()} after"


@pytest.mark.parametrize("tag, problem", [
    ({"$t": "view", "k": 0, "size": [4], "stride": [1], "offset": 9}, "past"),
    ({"$t": "view", "k": 0, "size": [2, 3], "stride": [8, 1], "offset": 0}, "past"),
    ({"$t": "view", "k": 1, "size": [1], "stride": [1], "offset": 0}, "not sent"),
    ({"$t": "view", "k": 0, "size": [-1], "stride": [1], "offset": 0}, "not sent"),
    ({"$t": "view", "k": 0, "size": [2], "stride": [1, 1], "offset": 0}, "not sent"),
])
def test_a_view_reply_cannot_reach_past_the_argument(tag, problem):
    import socket

    from autograder.checker import Session
    from coursekit import wire
    a, b = socket.socketpair()
    try:
        session = Session(a)
        leaves = [torch.zeros(10)]
        ok = session.decode({"$t": "view", "k": 0, "size": [2, 3], "stride": [3, 1], "offset": 4}, [], leaves)[0]
        assert ok.untyped_storage().data_ptr() == leaves[0].untyped_storage().data_ptr() and ok.shape == (2, 3)
        with pytest.raises(wire.ProtocolError, match=problem):
            session.decode(tag, [], leaves)
    finally:
        a.close()
        b.close()


def test_a_grad_mode_left_off_lasts_only_for_its_cell_in_the_checker():
    """A wrong answer that switches autograd off fails its own cell's tests, not the next exercise's:
    each graded cell starts with autograd on (the student's kernel also gets its mode back after each call)."""
    student = nbformat.v4.new_code_cell("import torch\n\ndef off(x):\n    torch.set_grad_enabled(False)\n    return x")
    cells = [student]
    for gid, source in [("leaves_it_off", "off(torch.ones(1))\nassert not torch.is_grad_enabled()"),
                        ("next_cell", "assert torch.is_grad_enabled(), 'autograd is still off in the next graded cell'")]:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid, "points": 1}
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory(prefix="checker-test-") as workdir:
        with _Kernel(nb, workdir, 120, checker=True) as kernel:
            errors = [kernel.run(cell, index) for index, cell in enumerate(nb.cells)]
    assert errors == [None, None, None], errors


def test_cases_transposed_stores_the_last_two_dimensions_column_major():
    """`.view` that merges the last two dimensions fails on it (a test that wants it to fail can rely on it)."""
    from coursekit.testing import cases

    x = cases.randn(2, 3, 4, seed=0, dtype=torch.float64)
    t = cases.transposed(x)
    assert torch.equal(t, x) and t.stride() == (12, 1, 3) and not t.is_contiguous()
    with pytest.raises(RuntimeError, match="view"):
        t.view(2, 12)
    assert cases.noncontiguous(x).view(2, 3, 2, 2).shape == (2, 3, 2, 2)   # why noncontiguous is not enough
    assert torch.equal(cases.transposed(x[0]), x[0]) and cases.transposed(x[0]).stride() == (1, 3)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        cases.transposed(x[0, 0])


@pytest.mark.parametrize("checker", [False, True], ids=["one kernel (Validate)", "checker (grading)"])
def test_a_manual_seed_no_call_takes_seeds_the_student_as_its_cell_ends(checker):
    """As in one kernel: the student's own cells after the test draw from the seeded generator; the
    seed does not wait for the next graded cell's first call (after those draws) to be applied."""
    def graded(gid, source):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": gid, "points": 1}
        return cell
    cells = [nbformat.v4.new_code_cell("import torch\n\ndef draw_global(n):\n    return torch.rand(n)"),
             graded("seeds_only", "from coursekit.testing import manual_seed\nmanual_seed(5)"),
             nbformat.v4.new_code_cell("_between = torch.rand(2)"),
             graded("draws_after", "_all = torch.rand(6, generator=torch.Generator().manual_seed(5))\n"
                                   "assert torch.equal(draw_global(4), _all[2:]), 'the seed was applied late'")]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory(prefix="checker-test-") as workdir:
        with _Kernel(nb, workdir, 120, checker=checker) as kernel:
            errors = [kernel.run(cell, index) for index, cell in enumerate(nb.cells)]
    assert errors == [None] * 4, errors
    assert bool(nb.cells[3].metadata.get("autograder", {}).get("checker")) == checker


@pytest.mark.parametrize("error, text, args", [
    ({"type": "NotImplementedError", "message": "", "args": []}, "not answered yet", None),  # the unanswered stub
    ({"type": "ValueError", "message": "", "args": []}, "", ()),           # as in one kernel: no message
    ({"type": "KeyError", "message": "'b'", "args": ["b"]}, "'b'", ("b",)),
])
def test_a_student_exception_reads_as_in_one_kernel(error, text, args):
    from autograder.checker import _student_exception
    exc = _student_exception({**error, "traceback": "line 1"})
    assert type(exc).__name__ == error["type"]
    assert text in str(exc) and (args is None or exc.args == args), (str(exc), exc.args)
