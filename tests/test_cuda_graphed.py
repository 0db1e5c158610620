"""coursekit.cuda_graphed: what it does off CUDA, and its routing and fallback with the recorder replaced.

The recording itself (torch.cuda.make_graphed_callables) needs a GPU; the GPU workflow's full runs of
III 03, III 04 and IV 04 exercise it. Here the recorder is a stand-in, so the course's own glue is tested:
which inputs replay the graphs, which run the module's forward, and what a failed recording leaves.
"""
import warnings

import pytest
import torch
from torch import nn

import coursekit
from coursekit import graphs


def _model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))


def test_off_cuda_the_module_is_unchanged():
    model = _model()
    x = torch.randn(5, 3)
    want = model(x)
    assert coursekit.cuda_graphed(model, x, autocast=dict(device_type="cpu", enabled=False)) is model
    assert "forward" not in vars(model) and not getattr(model, "_cuda_graphed", False)
    torch.testing.assert_close(model(x), want, rtol=0, atol=0)


def _fake_recorder(calls):
    """Stands in for make_graphed_callables: sets module.forward to a 'replay' that tags its output."""
    def record(module, example_inputs):
        calls.append([tuple(a.shape) for a in example_inputs])
        for a in example_inputs:                 # a real recording copies every batch into these tensors
            a.fill_(7.0)
        eager = module.forward
        module.forward = lambda *inputs: ("replayed", eager(*inputs))
        return module
    return record


def test_recorded_forward_replays_only_inputs_like_the_example(monkeypatch):
    calls = []
    monkeypatch.setattr(graphs, "_on_cuda", lambda args: True)
    monkeypatch.setattr(torch.cuda, "make_graphed_callables", _fake_recorder(calls))
    model = _model()
    assert coursekit.cuda_graphed(model.eval(), torch.randn(8, 3)) is model and calls == [], "only training is recorded"
    model.train()
    data = torch.randn(20, 3)
    kept = data.clone()
    example = data[:8]
    assert coursekit.cuda_graphed(model, example) is model and calls == [[(8, 3)]]
    assert torch.equal(data, kept), "the graph's input memory must be a copy, not the training data the example slices"
    tag, out = model(torch.randn(8, 3))                                  # same shape, dtype, device: the replay
    assert tag == "replayed" and out.shape == (8, 2)
    assert isinstance(model(torch.randn(5, 3)), torch.Tensor), "a smaller last batch must run the module's own forward"
    assert isinstance(model(torch.randn(8, 3, requires_grad=True)), torch.Tensor), "an input that requires grad: own forward"
    assert isinstance(model.double()(torch.randn(8, 3, dtype=torch.float64)), torch.Tensor), "another dtype: own forward"
    assert coursekit.cuda_graphed(model, example) is model and len(calls) == 1, "a module is recorded once"


def test_a_failed_recording_warns_and_leaves_the_module_as_it_was(monkeypatch):
    def refuse(module, example_inputs):
        raise RuntimeError("operation not permitted when stream is capturing")
    monkeypatch.setattr(graphs, "_on_cuda", lambda args: True)
    monkeypatch.setattr(torch.cuda, "make_graphed_callables", refuse)
    model = _model()
    x = torch.randn(4, 3)
    with pytest.warns(UserWarning, match="Sequential without CUDA graphs.*stream is capturing"):
        assert coursekit.cuda_graphed(model, x) is model
    assert "forward" not in vars(model) and not getattr(model, "_cuda_graphed", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert isinstance(model(x), torch.Tensor)


def test_autocast_is_entered_without_its_weight_cache(monkeypatch):
    seen = []

    def record(module, example_inputs):
        seen.append((torch.is_autocast_enabled("cpu"), torch.is_autocast_cache_enabled()))
        return module
    monkeypatch.setattr(graphs, "_on_cuda", lambda args: True)
    monkeypatch.setattr(torch.cuda, "make_graphed_callables", record)
    coursekit.cuda_graphed(_model(), torch.randn(2, 3), autocast=dict(device_type="cpu", dtype=torch.bfloat16))
    assert seen == [(True, False)], f"recorded under autocast (enabled, cache): {seen}"
