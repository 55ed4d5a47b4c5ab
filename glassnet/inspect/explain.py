"""explain_step: one training step of a small Dense network, told in words and numbers.

The numbers are the engine's own (from :func:`glassnet.inspect.trace`); the text puts the
formula beside each one: the weighted sum X·W + b, the activation, the loss, the output
delta, each hidden delta through Wᵀ and the activation's derivative, every weight's
gradient and its update.  The sentences come from :mod:`glassnet.inspect.messages`
(English and Korean); numbers are shown with ``digits`` significant digits (Python's
``'.4g'`` format by default), and samples, inputs and units are counted from 1.

Example:
    >>> model = glassnet.Sequential([glassnet.layers.Input((2,)),
    ...                              glassnet.layers.Dense(3, activation="sigmoid"),
    ...                              glassnet.layers.Dense(1, activation="sigmoid")])
    >>> model.compile(optimizer=glassnet.optimizers.SGD(0.5), loss="mse")
    >>> print(explain_step(model, x[:3], y[:3]))
    >>> print(explain_step(model, x[:3], y[:3], language="ko"))
"""

from __future__ import annotations

import unicodedata

import numpy as np

from glassnet.inspect.messages import messages_for
from glassnet.inspect.trace import trace

#: Activations the explanation can write the derivative of.
EXPLAINED_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "softmax")
#: Layers with at most this many weights are explained weight by weight.
PER_WEIGHT_LIMIT = 32
#: Weighted sums and gradients are written out term by term up to this many terms.
TERM_LIMIT = 4


class StepExplanation:
    """The text of :func:`explain_step` (``str(e)``) and its numbers (``e.values['Z1']``)."""

    def __init__(self, text: str, values: dict, language: str):
        self.text = text
        self.values = values
        self.language = language

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def _loss_kind(loss) -> str:
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or getattr(
        loss, "__name__", type(loss).__name__)
    name = str(name).lower().replace("_", "")
    table = {"mse": "mse", "meansquarederror": "mse", "mae": "mae",
             "meanabsoluteerror": "mae", "binarycrossentropy": "bce",
             "categoricalcrossentropy": "cce", "sparsecategoricalcrossentropy": "scce"}
    return table.get(name, "other")


class _Writer:
    def __init__(self, messages: dict, digits: int):
        self.m = messages
        self.digits = digits
        self.lines: list = []

    def num(self, value) -> str:
        text = f"{float(value):.{self.digits}g}"
        return "0" if text == "-0" else text

    def factor(self, value) -> str:
        text = self.num(value)
        return f"({text})" if text.startswith("-") else text

    def array(self, value) -> str:
        a = np.asarray(value)
        if a.ndim == 0:
            return self.num(a)
        if a.ndim == 1:
            return "[" + ", ".join(self.num(v) for v in a) + "]"
        return "[" + ", ".join(self.array(row) for row in a) + "]"

    def say(self, key: str, indent: int = 0, **fields) -> None:
        self.lines.append("  " * indent + self.m[key].format(**fields))

    def show(self, label: str, value, indent: int = 2) -> None:
        self.lines.append("  " * indent + f"{label} = {self.array(value)}")

    def heading(self, key: str, **fields) -> None:
        text = self.m[key].format(**fields)
        # Hangul and other wide characters take two columns in a terminal.
        width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
        self.lines += ["", text, "-" * width]


def _check_model(records) -> None:
    for r in records:
        if r.class_name != "Dense" or (r.activation_name or "linear") not in \
                EXPLAINED_ACTIVATIONS:
            raise ValueError(
                "explain_step explains networks made of Dense layers with sigmoid, tanh, relu, "
                f"linear or softmax activations. Received: layer '{r.name}' "
                f"({r.class_name}, activation {r.activation_name or 'linear'}). "
                "Use glassnet.inspect.trace(model, x, y) to look inside other networks.")
    for r in records[:-1]:
        if r.activation_name == "softmax":
            raise ValueError(f"explain_step explains softmax only in the output layer. "
                             f"Received: softmax in layer '{r.name}'.")


def _targets(y, y_hat: np.ndarray, kind: str) -> np.ndarray:
    y = np.asarray(y)
    if kind == "scce":
        return np.eye(y_hat.shape[-1], dtype=y_hat.dtype)[y.reshape(-1).astype(int)]
    return y.reshape(y_hat.shape).astype(y_hat.dtype) if y.size == y_hat.size else y


def _derivative(activation: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    if activation == "sigmoid":
        return a * (1 - a)
    if activation == "tanh":
        return 1 - a * a
    if activation == "relu":
        return (z > 0).astype(a.dtype)
    return np.ones_like(a)


def _update_text(optimizer, m: dict) -> tuple:
    """(rule sentence, Δw formula) for the optimizer, generic when it is not plain SGD."""
    extras = (optimizer.clipnorm or optimizer.clipvalue or optimizer.global_clipnorm or
              optimizer.weight_decay or optimizer.use_ema or
              optimizer.gradient_accumulation_steps or optimizer.loss_scale_factor)
    if type(optimizer).__name__ != "SGD" or extras:
        return (m["update_generic"].format(optimizer=type(optimizer).__name__),
                m["delta_generic"])
    if not optimizer.momentum:
        return m["update_rule"].format(rule=m["rule_sgd"]), m["delta_sgd"]
    kind = "nesterov" if optimizer.nesterov else "momentum"
    rule = m[f"rule_{kind}"].format(momentum=optimizer.momentum)
    return m["update_rule"].format(rule=rule), m[f"delta_{kind}"]


def explain_step(model, x, y, language: str = "en", digits: int = 4,
                 step: bool = False) -> StepExplanation:
    """Explain one training step of a small Dense network on ``(x, y)``.

    Args:
        model: a compiled model of Dense layers (e.g. 2-3-1 with sigmoid, MSE and SGD).
        x, y: a few samples (the explanation writes every number out).
        language: 'en' (English) or 'ko' (Korean).
        digits: significant digits of the numbers shown.
        step: apply the update to the model, as ``train_on_batch`` would.

    Example:
        >>> e = explain_step(model, x[:3], y[:3])
        >>> print(e)
        >>> e.values["delta1"].shape
        (3, 3)
    """
    m = messages_for(language)
    t = trace(model, x, y, step=step)
    records = [r for r in t.layers if r.weights or r.ops]
    _check_model(records)
    optimizer = model.optimizer
    kind = _loss_kind(model.loss)
    out = _Writer(m, digits)
    values: dict = {}
    n = records[0].input.shape[0]
    widths = [records[0].input.shape[-1]] + [r.activation.shape[-1] for r in records]
    rate = optimizer._current_learning_rate(int(optimizer._iteration.data))
    loss_name = m.get(f"loss_{kind}", "").format(name=str(model.loss))
    out.lines.append(m["title"].format(shape="-".join(map(str, widths)), n=n))
    out.lines.append(m["setup"].format(loss=loss_name, optimizer=type(optimizer).__name__,
                                       lr=out.num(rate)))
    out.lines.append(m["notation"].format(digits=digits))

    out.heading("forward")
    out.show("X", records[0].input, indent=1)
    values["X"] = records[0].input
    for l, r in enumerate(records, start=1):
        act = r.activation_name or "linear"
        prev = "X" if l == 1 else f"A{l - 1}"
        out.lines.append("")
        out.say("layer", 1, l=l, name=r.name, fan_in=r.input.shape[-1],
                units=r.activation.shape[-1], activation=act)
        out.say("weighted_sum", 2, l=l, prev=prev)
        out.show(f"W{l}", r.kernel, 3)
        if "bias" in r.weights:
            out.show(f"b{l}", r.bias, 3)
        out.show(f"Z{l}", r.pre_activation, 3)
        if r.input.shape[-1] <= TERM_LIMIT:
            for j in range(min(r.kernel.shape[1], TERM_LIMIT)):
                terms = " + ".join(f"{out.num(r.input[0, i])}×{out.factor(r.kernel[i, j])}"
                                   for i in range(r.kernel.shape[0]))
                if "bias" in r.weights:
                    terms += f" + {out.factor(r.bias[j])}"
                out.say("weighted_sum_example", 3, n=1, j=j + 1, terms=terms,
                        value=out.num(r.pre_activation[0, j]))
        out.say("activation", 2, l=l, formula=m[f"act_{act}"].format(l=l))
        out.show(f"A{l}", r.activation, 3)
        values.update({f"W{l}": r.kernel, f"Z{l}": r.pre_activation, f"A{l}": r.activation})
        if "bias" in r.weights:
            values[f"b{l}"] = r.bias
    last = records[-1]
    y_hat = last.activation
    out.say("output", 1, l=len(records))

    out.heading("loss")
    targets = _targets(y, y_hat, kind)
    out.show("y", targets, 1)
    if targets.shape == y_hat.shape:
        out.say("error", 1)
        out.show("ŷ − y", y_hat - targets, 2)
        values["error"] = y_hat - targets
    out.say("nk", 1, n=n, k=y_hat.shape[-1])
    out.say("loss_value", 1, value=out.num(t.loss))
    values["loss"] = t.loss

    out.heading("backward")
    L = len(records)
    for l in range(L, 0, -1):
        r = records[l - 1]
        act = r.activation_name or "linear"
        prev = "X" if l == 1 else f"A{l - 1}"
        out.lines.append("")
        out.say("layer", 1, l=l, name=r.name, fan_in=r.input.shape[-1],
                units=r.activation.shape[-1], activation=act)
        if l == L:
            fused = r.grad_activation is None and act in ("sigmoid", "softmax")
            if fused:
                formula = m["fused_bce"] if act == "sigmoid" else m["fused_cce"]
                out.say("output_delta_fused", 2, l=l, formula=formula, activation=act)
            else:
                grad_formula = m.get(f"grad_{kind}", m["grad_other"])
                out.say("output_grad", 2, formula=grad_formula)
                out.show("∂L/∂ŷ", r.grad_activation, 3)
                values["dL_dyhat"] = r.grad_activation
                if act == "softmax":  # softmax without cross-entropy: its full Jacobian
                    out.say("output_delta", 2, l=l, formula=m["grad_other"])
                else:
                    deriv = m[f"deriv_{act}"].format(l=l)
                    out.say("output_delta", 2, l=l, formula=f"∂L/∂ŷ ⊙ {deriv}")
        else:
            out.say("back_through_weights", 2, l=l, next=l + 1)
            out.show(f"∂L/∂A{l}", r.grad_activation, 3)
            values[f"dL_dA{l}"] = r.grad_activation
            symbol = f"f′(Z{l})"
            out.say("derivative", 2, symbol=symbol, formula=m[f"deriv_{act}"].format(l=l))
            derivative = _derivative(act, r.pre_activation, r.activation)
            out.show(symbol, derivative, 3)
            values[f"derivative{l}"] = derivative
            out.say("hidden_delta", 2, l=l, next=l + 1, symbol=symbol)
        out.show(f"δ{l}", r.grad_pre_activation, 3)
        values[f"delta{l}"] = r.grad_pre_activation
        out.say("weight_grad", 2, l=l, prev=prev)
        out.show(f"∂L/∂W{l}", r.grad_kernel, 3)
        values[f"grad_W{l}"] = r.grad_kernel
        if "bias" in r.weights:
            out.say("bias_grad", 2, l=l)
            out.show(f"∂L/∂b{l}", r.grad_bias, 3)
            values[f"grad_b{l}"] = r.grad_bias

    out.heading("update")
    rule, delta_formula = _update_text(optimizer, m)
    out.lines.append("  " + rule)
    for l, r in enumerate(records, start=1):
        out.lines.append("")
        values.update({f"update_W{l}": r.update_kernel, f"new_W{l}": r.new_kernel})
        if "bias" in r.weights:
            values.update({f"update_b{l}": r.update_bias, f"new_b{l}": r.new_bias})
        if r.kernel.size + (r.bias.size if "bias" in r.weights else 0) <= PER_WEIGHT_LIMIT:
            _per_weight(out, l, r, n, delta_formula)
        out.say("new_weights", 1, l=l)
        out.show(f"ΔW{l}", r.update_kernel, 2)
        out.show(f"W{l}", r.new_kernel, 2)
        if "bias" in r.weights:
            out.say("new_biases", 1, l=l)
            out.show(f"Δb{l}", r.update_bias, 2)
            out.show(f"b{l}", r.new_bias, 2)
    out.lines.append("")
    out.lines.append(m["applied"] if step else m["not_applied"])
    return StepExplanation("\n".join(out.lines), values, language)


def _per_weight(out: _Writer, l: int, r, n: int, delta_formula: str) -> None:
    m = out.m
    prev = r.input
    delta = r.grad_pre_activation
    out.say("per_weight", 1, l=l)
    for i in range(r.kernel.shape[0]):
        for j in range(r.kernel.shape[1]):
            terms = ""
            if n <= TERM_LIMIT:
                terms = " + ".join(f"{out.num(prev[s, i])}×{out.factor(delta[s, j])}"
                                   for s in range(n)) + " = "
            where = m["input_to"].format(i=i + 1, j=j + 1)
            out.say("weight_line", 2, symbol=f"W{l}[{i + 1},{j + 1}] ({where})",
                    grad_terms=terms, grad=out.num(r.grad_kernel[i, j]),
                    delta_formula=delta_formula, delta=out.num(r.update_kernel[i, j]),
                    old=out.num(r.kernel[i, j]), new=out.num(r.new_kernel[i, j]))
    if "bias" not in r.weights:
        return
    for j in range(r.bias.shape[0]):
        terms = ""
        if n <= TERM_LIMIT:
            terms = " + ".join(out.factor(delta[s, j]) for s in range(n)) + " = "
        where = m["unit"].format(j=j + 1)
        out.say("bias_line", 2, symbol=f"b{l}[{j + 1}] ({where})", grad_terms=terms,
                grad=out.num(r.grad_bias[j]),
                delta_formula=delta_formula.replace("∂w", "∂b").replace("Δw", "Δb"),
                delta=out.num(r.update_bias[j]), old=out.num(r.bias[j]),
                new=out.num(r.new_bias[j]))
