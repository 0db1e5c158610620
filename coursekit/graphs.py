"""CUDA graphs for a training loop whose GPU steps are bound by the host.

The course's models are small: on a GPU, one training step costs the host's time to launch a few
hundred kernels (forward and backward), not the GPU's time to run them. `cuda_graphed` records the
module's training forward and backward once, with `torch.cuda.make_graphed_callables`, and replays
them: two launches a step instead of hundreds. On a CPU or MPS it changes nothing.
"""
from __future__ import annotations

import contextlib
import warnings
from typing import Callable

import torch
from torch import nn

__all__ = ["cuda_graphed"]


def _signature(args: tuple) -> list:
    """What a recorded graph depends on: each tensor's shape, dtype, device and requires_grad."""
    return [(a.shape, a.dtype, a.device, a.requires_grad) if isinstance(a, torch.Tensor) else type(a) for a in args]


def _on_cuda(args: tuple) -> bool:
    return any(isinstance(a, torch.Tensor) and a.is_cuda for a in args)


def _route(module: nn.Module, graphed: Callable, eager: Callable, example_inputs: tuple) -> nn.Module:
    """module.forward becomes: `graphed` for inputs like example_inputs, `eager` otherwise."""
    expected = _signature(example_inputs)

    def forward(*inputs):
        return (graphed if _signature(inputs) == expected else eager)(*inputs)

    module.forward = forward
    module._cuda_graphed = True
    return module


def cuda_graphed(module: nn.Module, *example_inputs: torch.Tensor, autocast: dict | None = None) -> nn.Module:
    """Record `module`'s training forward and backward as CUDA graphs, replayed when forward gets inputs of
    the examples' shapes, dtypes and device in training mode; anything else (evaluation, a last smaller
    batch) runs the module's own forward, so the training loop does not change.

    example_inputs: tensors like those of a training step (forward and backward run four times on them
    to warm up and record: BatchNorm statistics see them, the parameters do not change).
    autocast: the torch.autocast arguments the training loop uses, if it uses autocast.
    Returns the module, changed in place. On a device that is not CUDA, for a module in eval mode or
    already recorded, or when recording fails (a forward that reads a value back to the host cannot be recorded), the
    module is returned unchanged, with a warning in the last case; it then trains as before.
    Record after any copy of the module is made (an EMA's, say): a copy would share the recorded graphs.
    """
    if getattr(module, "_cuda_graphed", False) or not module.training or not _on_cuda(example_inputs):
        return module
    # the recorded graph reads its inputs from the examples' memory, into which every replay copies the batch:
    # copies, so that a slice of the training data passed as an example is not overwritten
    example_inputs = tuple(a.detach().clone() if isinstance(a, torch.Tensor) else a for a in example_inputs)
    had_forward, eager = "forward" in vars(module), module.forward
    # make_graphed_callables refuses autocast's weight cache: every replay must cast the current weights
    context = torch.autocast(**{**autocast, "cache_enabled": False}) if autocast else contextlib.nullcontext()
    try:
        with context:
            torch.cuda.make_graphed_callables(module, example_inputs)   # sets module.forward when it succeeds
    except Exception as error:                                           # noqa: BLE001 (any failure: train eagerly)
        if not had_forward:
            vars(module).pop("forward", None)
        warnings.warn(f"cuda_graphed: training {type(module).__name__} without CUDA graphs "
                      f"({type(error).__name__}: {error})", stacklevel=2)
        return module
    return _route(module, module.forward, eager, example_inputs)
