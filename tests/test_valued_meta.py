"""coursekit.valued_meta: meta tensors with values follow CUDA's device rules (no kernel needed)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from coursekit.testing import on_meta
from coursekit.valued_meta import ValuedMeta


def test_values_views_and_in_place_updates_are_real():
    x = torch.arange(6.0).reshape(2, 3)
    with ValuedMeta() as vm:
        m = vm.lift(x)
        row = m[1]
        row.add_(10)                                   # through a view: the base sees it
        assert m.device.type == "meta" and row.device.type == "meta"
        assert m.sum().item() == x.sum().item() + 30
        assert m.cpu().tolist() == [[0.0, 1.0, 2.0], [13.0, 14.0, 15.0]]
        assert m.cpu().device.type == "cpu"
    assert x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]], "lift copies: the caller's tensor is untouched"


def test_code_that_needs_values_runs():
    labels = torch.tensor([0, 2, 2, 3])
    with ValuedMeta() as vm:
        m = vm.lift(labels)
        counts = torch.bincount(m, minlength=5)        # no meta kernel: runs on the twins
        picked = m[m > 1]                              # a data-dependent shape
        assert counts.device.type == "meta" and counts.cpu().tolist() == [1, 0, 2, 1, 0]
        assert picked.shape == (3,) and bool((m == 2).any())
        order = torch.as_tensor(np.argsort(-m.cpu().numpy()), device=m.device)   # NumPy on host values, back again
        assert order.device.type == "meta" and order.cpu().tolist()[0] == 3


def test_autograd_runs_on_the_twins():
    with ValuedMeta() as vm:
        a = vm.lift(torch.tensor([1.0, 2.0], requires_grad=True))
        w = torch.tensor([3.0, 4.0], device="meta", requires_grad=True)
        (a * w).sum().backward()
        assert a.grad.device.type == "meta" and a.grad.cpu().tolist() == [3.0, 4.0]


@pytest.mark.parametrize("make", [
    lambda m: m + torch.ones(3),                                   # a CPU tensor meets a meta one
    lambda m: torch.cat([m, torch.zeros(2)]),
    lambda m: m.index_select(0, torch.tensor([0, 1])),             # index_select wants its index on the device
    lambda m: torch.randn(3, device=m.device, generator=torch.Generator().manual_seed(0)),   # CPU generator on the device
    lambda m: m.numpy(),
    lambda m: torch.zeros(()).add_(m.sum()),                       # a 0-dim CPU accumulator is a number only as an input
    lambda m: torch.add(m, m, out=torch.empty(3)),                 # out= on the CPU
])
def test_device_mix_ups_fail(make):
    with ValuedMeta() as vm:
        m = vm.lift(torch.arange(3.0))
        with pytest.raises((RuntimeError, TypeError)) as info:
            make(m)
    assert "device" in str(info.value) or "meta" in str(info.value)


def test_what_cuda_allows_is_allowed():
    with ValuedMeta() as vm:
        m = vm.lift(torch.arange(4.0))
        assert (m * torch.tensor(2.0)).device.type == "meta"              # a 0-dim CPU tensor is a number
        assert m[torch.tensor([3, 0])].cpu().tolist() == [3.0, 0.0]        # CPU indices
        m[torch.tensor([True, False, False, False])] = 7.0
        perm = torch.randperm(4, generator=torch.Generator().manual_seed(0)).to(m.device)   # drawn on the CPU, moved
        assert perm.device.type == "meta" and sorted(perm.cpu().tolist()) == [0, 1, 2, 3]
        assert m.cpu().tolist()[0] == 7.0
        assert torch.empty(3, device="meta").cpu().tolist() == [0.0, 0.0, 0.0]   # uninitialised reads as zeros
        assert m.add_(torch.tensor(1.0)).device.type == "meta"            # a 0-dim CPU input to an in-place operator
        total, first, row = torch.zeros(()), torch.zeros(2), torch.zeros(3)
        total.fill_(m.sum())                                               # fill_ reads its value with .item()
        row.fill_(m.sum())                                                 # into a CPU tensor of any shape
        first[0] = m.sum()                                                 # a copy into the CPU crosses devices
        assert total.item() == m.sum().item() and first.tolist() == [m.sum().item(), 0.0]
        assert row.device.type == "cpu" and row.tolist() == [m.sum().item()] * 3


def test_a_module_moved_to_meta_beforehand_reads_as_zeros():
    layer = torch.nn.Linear(2, 2).to("meta")
    with ValuedMeta() as vm:
        out = layer(vm.lift(torch.ones(1, 2)))
        assert out.device.type == "meta" and out.cpu().tolist() == [[0.0, 0.0]]


def test_on_meta_gives_a_verdict_where_values_are_needed():
    def counts_right(labels):
        return torch.bincount(labels, minlength=3)

    def counts_on_cpu(labels):
        return torch.bincount(labels.cpu(), minlength=3)

    assert on_meta(counts_right, torch.tensor([0, 2])).device.type == "meta"
    with pytest.raises(AssertionError, match="returned a tensor on cpu"):
        on_meta(counts_on_cpu, torch.tensor([0, 2]))


def test_tensors_made_from_python_data_keep_their_values():
    """torch.tensor(list, device=...) runs no operator a dispatch mode sees: it is made on the CPU and moved."""
    with ValuedMeta() as vm:
        m = vm.lift(torch.ones(2))
        made = [torch.tensor([3.0, 4.0], device=m.device), torch.as_tensor([3.0, 4.0], device=m.device),
                torch.asarray([3.0, 4.0], device=m.device), m.new_tensor([3.0, 4.0])]
        assert [(t.device.type, t.cpu().tolist()) for t in made] == [("meta", [3.0, 4.0])] * 4
        leaf = torch.tensor([1.0], device="meta", requires_grad=True)
        assert leaf.is_leaf and leaf.requires_grad
        assert torch.tensor([5, 6]).device.type == "cpu"            # no device: still the CPU, as on a GPU machine


def test_inference_mode_runs_and_keeps_the_device_rules():
    # A detect() written under torch.inference_mode() is as valid as one under torch.no_grad(): views,
    # stacking, sorting, reading values and .to(...) (whole aten.to under inference mode) all run.
    x = torch.tensor([[0.9, 0.1], [0.2, 0.8], [0.7, 0.6]])
    with ValuedMeta() as vm:
        m = vm.lift(x)
        with torch.inference_mode():
            s = torch.stack([m[:, 0], m[:, 1]], 1).to(torch.float64)
            order = s[:, 0].argsort(descending=True, stable=True)
            assert s.device.type == "meta" and s.dtype == torch.float64 and order.cpu().tolist() == [0, 2, 1]
            assert bool(s[0, 0] > 0.5) and m.to("meta") is m and m.to(m) is m
            assert m.to(torch.float32, copy=True) is not m
            moved = torch.ones(2).to(m.device)             # a CPU tensor moved over: allowed, with its values
            assert moved.device.type == "meta" and moved.cpu().tolist() == [1.0, 1.0]
            with pytest.raises(RuntimeError, match="same device"):
                m[:2, 0] + torch.ones(2)                   # made on the CPU and never moved: as on CUDA


def test_a_cast_by_type_name_works_as_on_cuda():
    """`y.type(x.type())` casts on CUDA ("torch.cuda.DoubleTensor"); torch knows no meta type names, so
    a right answer written this way failed the device test with a ValueError instead of getting a verdict."""
    x, y = torch.tensor([1.5, -2.0]), torch.zeros(1, dtype=torch.float64)
    with ValuedMeta() as vm:
        m, n = vm.lift((x, y))
        out = m.type(n.type())
        assert (out.device.type, out.dtype, out.type()) == ("meta", torch.float64, "torch.meta.DoubleTensor")
        assert out.tolist() == [1.5, -2.0]


def test_a_draw_with_no_generator_uses_the_devices_own():
    """As on a GPU: torch.manual_seed seeds the device's generator too, whose numbers differ from the CPU's,
    so 'drawn on the CPU, then moved' and 'drawn on the device' give different orders."""
    def on_cpu_then_moved(x):
        return torch.randperm(20).to(x.device)

    def on_the_device(x):
        return torch.randperm(20, device=x.device)

    def order(f):  # the values, read inside the stand-in device's mode
        return torch.tensor(on_meta(lambda x: f(x).tolist(), torch.ones(1)))

    orders = {}
    for f in (on_cpu_then_moved, on_the_device):
        torch.manual_seed(31)
        first, second = order(f), order(f)
        torch.manual_seed(31)
        orders[f.__name__] = first, second, order(f)
    cpu_order = torch.randperm(20, generator=torch.Generator().manual_seed(31))
    assert torch.equal(orders["on_cpu_then_moved"][0], cpu_order)
    first, second, again = orders["on_the_device"]
    assert not torch.equal(first, cpu_order), "a draw on the stand-in device used the CPU's generator"
    assert sorted(first.tolist()) == list(range(20)) and not torch.equal(first, second), "the device's stream goes on"
    assert torch.equal(first, again), "torch.manual_seed(31) seeds the device's generator again"


def test_rng_untouched_sees_the_devices_generator():
    from coursekit.testing import rng_untouched

    def noise_on_the_device(x):
        return x + torch.rand(x.shape, device=x.device)

    with pytest.raises(AssertionError, match="global random number generator"):
        with rng_untouched():
            on_meta(noise_on_the_device, torch.ones(3))
