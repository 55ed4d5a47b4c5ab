"""AdamW: Adam with decoupled weight decay (``w *= 1 - weight_decay * learning_rate`` first).

Example:
    >>> opt = AdamW(learning_rate=1e-3, weight_decay=0.004)
    >>> opt.exclude_from_weight_decay(var_names=["bias"])
"""

from __future__ import annotations

from glassnet.optimizers.adam import Adam


class AdamW(Adam):
    """Adam plus weight decay (defaults as Keras: 0.001, weight_decay=0.004, Adam's betas).

    Example:
        >>> AdamW().weight_decay
        0.004
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. "
                             "Received: weight_decay=None")
