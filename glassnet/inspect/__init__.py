"""Look inside a training step: every activation, gradient and update, with statistics.

- :func:`trace` records one step layer by layer and op by op (printable as a table,
  indexable as arrays: ``t['dense_1'].grad_kernel``);
- :func:`explain_step` tells one step of a small network in words and numbers;
- :func:`gradcheck` compares back-propagation with numerical gradients in float64;
- :func:`preview_update` gives the update an optimizer would apply, without applying it.

Example:
    >>> t = glassnet.inspect.trace(model, x_train[:32], y_train[:32])
    >>> print(t)
    >>> print(glassnet.inspect.explain_step(model, x[:3], y[:3]))
"""

from glassnet.inspect.explain import StepExplanation, explain_step
from glassnet.inspect.gradcheck import GradcheckResult, gradcheck
from glassnet.inspect.records import LayerRecord, OpRecord, Trace
from glassnet.inspect.stats import ArrayStats, dead_fraction, describe, saturated_fraction
from glassnet.inspect.trace import trace
from glassnet.inspect.update import preview_update

__all__ = ["trace", "Trace", "LayerRecord", "OpRecord", "explain_step", "StepExplanation",
           "gradcheck", "GradcheckResult", "preview_update", "describe", "ArrayStats",
           "dead_fraction", "saturated_fraction"]
