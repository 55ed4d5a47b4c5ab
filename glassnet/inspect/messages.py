"""Every sentence :func:`glassnet.inspect.explain_step` writes, per language.

To translate the explanation, add a dict with the same keys under a new language code.
Placeholders in braces are filled with names and numbers; formulas use the symbols of the
text (X for the inputs, W1 and b1 for layer 1's kernel and bias, Z1 for its weighted sum,
A1 for its activation, δ1 for d loss / d Z1, η for the learning rate).

Example:
    >>> MESSAGES["en"]["forward"]
    'Forward pass'
"""

from __future__ import annotations

EN = {
    "title": "One training step of a {shape} network on {n} samples",
    "setup": "Loss: {loss}. Optimizer: {optimizer}. Learning rate η = {lr}.",
    "notation": ("X holds one sample per row. Layer l has weights Wl (one column per unit) "
                 "and biases bl; Zl is its weighted sum, Al its activation, and "
                 "δl = ∂L/∂Zl the error signal (delta) that flows back into it. "
                 "⊙ multiplies element by element; numbers have {digits} significant digits."),
    "forward": "Forward pass",
    "layer": "Layer {l} ({name}: {fan_in} → {units}, {activation})",
    "weighted_sum": "Weighted sum     Z{l} = {prev}·W{l} + b{l}",
    "weighted_sum_example": "sample {n}, unit {j}:  z = {terms} = {value}",
    "activation": "Activation       A{l} = {formula}",
    "output": "The network's output ŷ = A{l}.",
    "loss": "Loss",
    "loss_value": "L = {value}",
    "error": "Error            ŷ − y",
    "backward": "Backward pass (from the output back to the input)",
    "output_grad": "Gradient of the loss with respect to the output   ∂L/∂ŷ = {formula}",
    "output_delta": "Output delta     δ{l} = {formula}",
    "output_delta_fused": ("Output delta     δ{l} = {formula}   ({activation} and the loss "
                           "combined: the derivative terms cancel)"),
    "derivative": "Activation's derivative   {symbol} = {formula}",
    "back_through_weights": ("Error reaching layer {l}'s outputs through the weights   "
                             "∂L/∂A{l} = δ{next}·W{next}ᵀ"),
    "hidden_delta": "Hidden delta     δ{l} = (δ{next}·W{next}ᵀ) ⊙ {symbol}",
    "weight_grad": "Weight gradient  ∂L/∂W{l} = {prev}ᵀ·δ{l}",
    "bias_grad": "Bias gradient    ∂L/∂b{l} = sum of δ{l} over the samples",
    "update": "Update",
    "update_rule": "Rule: {rule}",
    "update_generic": "{optimizer} computes Δw from the gradient and its own running state.",
    "per_weight": "Layer {l}, weight by weight:",
    "weight_line": "{symbol}: ∂L/∂w = {grad_terms}{grad};  Δw = {delta_formula} = {delta};  "
                   "{old} → {new}",
    "bias_line": "{symbol}: ∂L/∂b = {grad_terms}{grad};  Δb = {delta_formula} = {delta};  "
                 "{old} → {new}",
    "new_weights": "New weights      W{l} ← W{l} + ΔW{l}",
    "new_biases": "New biases       b{l} ← b{l} + Δb{l}",
    "not_applied": "The model was not changed (pass step=True to apply this update).",
    "applied": "The update was applied to the model.",
    "input_to": "input {i} → unit {j}",
    "unit": "unit {j}",
    "loss_mse": "mean squared error, L = 1/(N·k) · Σ (ŷ − y)²",
    "loss_mae": "mean absolute error, L = 1/(N·k) · Σ |ŷ − y|",
    "loss_bce": "binary cross-entropy, L = −1/(N·k) · Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]",
    "loss_cce": "categorical cross-entropy, L = −1/N · Σ y·log ŷ",
    "loss_scce": "sparse categorical cross-entropy, L = −1/N · Σ log ŷ[true class]",
    "loss_other": "{name}",
    "nk": "N = {n} samples, k = {k} outputs",
    "grad_mse": "2·(ŷ − y) / (N·k)",
    "grad_mae": "sign(ŷ − y) / (N·k)",
    "grad_other": "(computed by the engine)",
    "fused_bce": "(ŷ − y) / (N·k)",
    "fused_cce": "(ŷ − y) / N, with y one-hot",
    "act_sigmoid": "sigmoid(Z{l}) = 1 / (1 + e^(−Z{l}))",
    "act_tanh": "tanh(Z{l})",
    "act_relu": "relu(Z{l}) = max(0, Z{l})",
    "act_linear": "Z{l} (no activation)",
    "act_softmax": "softmax(Z{l}) = e^Z{l} / Σ e^Z{l} (per row)",
    "deriv_sigmoid": "A{l} ⊙ (1 − A{l})",
    "deriv_tanh": "1 − A{l}²",
    "deriv_relu": "1 where Z{l} > 0, else 0",
    "deriv_linear": "1",
    "rule_sgd": "w ← w − η·∂L/∂w",
    "rule_momentum": "v ← μ·v − η·∂L/∂w, w ← w + v (μ = {momentum})",
    "rule_nesterov": "v ← μ·v − η·∂L/∂w, w ← w + μ·v − η·∂L/∂w (μ = {momentum})",
    "delta_sgd": "−η·∂L/∂w",
    "delta_momentum": "v",
    "delta_nesterov": "μ·v − η·∂L/∂w",
    "delta_generic": "Δw",
}

KO = {
    "title": "{shape} 신경망의 학습 한 단계 (샘플 {n}개)",
    "setup": "손실 함수: {loss}. 옵티마이저: {optimizer}. 학습률 η = {lr}.",
    "notation": ("X는 한 행에 샘플 하나를 담습니다. 층 l의 가중치는 Wl(유닛마다 한 열), 편향은 "
                 "bl이고, Zl은 가중합, Al은 활성화 값, δl = ∂L/∂Zl은 그 층으로 거꾸로 흘러 "
                 "들어오는 오차 신호(델타)입니다. ⊙는 원소별 곱이며, 숫자는 유효숫자 {digits}자리"
                 "로 나타냅니다."),
    "forward": "순전파",
    "layer": "층 {l} ({name}: {fan_in} → {units}, {activation})",
    "weighted_sum": "가중합           Z{l} = {prev}·W{l} + b{l}",
    "weighted_sum_example": "샘플 {n}, 유닛 {j}:  z = {terms} = {value}",
    "activation": "활성화           A{l} = {formula}",
    "output": "신경망의 출력 ŷ = A{l}.",
    "loss": "손실",
    "loss_value": "L = {value}",
    "error": "오차             ŷ − y",
    "backward": "역전파 (출력에서 입력 쪽으로)",
    "output_grad": "출력에 대한 손실의 기울기   ∂L/∂ŷ = {formula}",
    "output_delta": "출력층 델타      δ{l} = {formula}",
    "output_delta_fused": ("출력층 델타      δ{l} = {formula}   ({activation}와 손실 함수를 함께 "
                           "미분하면 도함수 항이 약분됩니다)"),
    "derivative": "활성화 함수의 도함수   {symbol} = {formula}",
    "back_through_weights": "가중치를 거쳐 층 {l}의 출력에 도달한 오차   ∂L/∂A{l} = δ{next}·W{next}ᵀ",
    "hidden_delta": "은닉층 델타      δ{l} = (δ{next}·W{next}ᵀ) ⊙ {symbol}",
    "weight_grad": "가중치 기울기    ∂L/∂W{l} = {prev}ᵀ·δ{l}",
    "bias_grad": "편향 기울기      ∂L/∂b{l} = 샘플에 대한 δ{l}의 합",
    "update": "갱신",
    "update_rule": "규칙: {rule}",
    "update_generic": "{optimizer}는 기울기와 자신의 누적 상태로 Δw를 계산합니다.",
    "per_weight": "층 {l}, 가중치 하나씩:",
    "weight_line": "{symbol}: ∂L/∂w = {grad_terms}{grad};  Δw = {delta_formula} = {delta};  "
                   "{old} → {new}",
    "bias_line": "{symbol}: ∂L/∂b = {grad_terms}{grad};  Δb = {delta_formula} = {delta};  "
                 "{old} → {new}",
    "new_weights": "새 가중치        W{l} ← W{l} + ΔW{l}",
    "new_biases": "새 편향          b{l} ← b{l} + Δb{l}",
    "not_applied": "모델은 바뀌지 않았습니다 (이 갱신을 적용하려면 step=True를 주세요).",
    "applied": "이 갱신을 모델에 적용했습니다.",
    "input_to": "입력 {i} → 유닛 {j}",
    "unit": "유닛 {j}",
    "loss_mse": "평균 제곱 오차, L = 1/(N·k) · Σ (ŷ − y)²",
    "loss_mae": "평균 절대 오차, L = 1/(N·k) · Σ |ŷ − y|",
    "loss_bce": "이진 교차 엔트로피, L = −1/(N·k) · Σ [y·log ŷ + (1 − y)·log(1 − ŷ)]",
    "loss_cce": "범주형 교차 엔트로피, L = −1/N · Σ y·log ŷ",
    "loss_scce": "희소 범주형 교차 엔트로피, L = −1/N · Σ log ŷ[정답 클래스]",
    "loss_other": "{name}",
    "nk": "N = 샘플 {n}개, k = 출력 {k}개",
    "grad_mse": "2·(ŷ − y) / (N·k)",
    "grad_mae": "sign(ŷ − y) / (N·k)",
    "grad_other": "(엔진이 계산한 값)",
    "fused_bce": "(ŷ − y) / (N·k)",
    "fused_cce": "(ŷ − y) / N, y는 원-핫 벡터",
    "act_sigmoid": "sigmoid(Z{l}) = 1 / (1 + e^(−Z{l}))",
    "act_tanh": "tanh(Z{l})",
    "act_relu": "relu(Z{l}) = max(0, Z{l})",
    "act_linear": "Z{l} (활성화 함수 없음)",
    "act_softmax": "softmax(Z{l}) = e^Z{l} / Σ e^Z{l} (행마다)",
    "deriv_sigmoid": "A{l} ⊙ (1 − A{l})",
    "deriv_tanh": "1 − A{l}²",
    "deriv_relu": "Z{l} > 0이면 1, 아니면 0",
    "deriv_linear": "1",
    "rule_sgd": "w ← w − η·∂L/∂w",
    "rule_momentum": "v ← μ·v − η·∂L/∂w, w ← w + v (μ = {momentum})",
    "rule_nesterov": "v ← μ·v − η·∂L/∂w, w ← w + μ·v − η·∂L/∂w (μ = {momentum})",
    "delta_sgd": "−η·∂L/∂w",
    "delta_momentum": "v",
    "delta_nesterov": "μ·v − η·∂L/∂w",
    "delta_generic": "Δw",
}

#: Language code -> message table; every table has the keys of ``MESSAGES['en']``.
MESSAGES = {"en": EN, "ko": KO}


def messages_for(language: str) -> dict:
    """The message table for ``language`` ('en' or 'ko'), with a clear error otherwise."""
    if language not in MESSAGES:
        raise ValueError(f"explain_step has no text in language {language!r}. Available: "
                         f"{sorted(MESSAGES)}. Received: language={language!r}")
    return MESSAGES[language]
