"""Conv1D: 1-D convolution over sequences (batch, steps, channels).

``padding="causal"`` pads only the start, so output step t sees inputs up to t alone
(WaveNet-style temporal models).

Example:
    >>> layer = Conv1D(8, 3, padding="causal", dilation_rate=2)
    >>> layer(np.zeros((4, 20, 5))).shape
    (4, 20, 8)
    >>> layer.kernel.shape
    (3, 5, 8)
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    """``filters`` kernels of ``kernel_size`` steps slid along the time axis.

    ``padding`` is 'valid', 'same' or 'causal'; the kernel has shape
    (kernel_size, in_channels // groups, filters).
    """

    rank = 1


Convolution1D = Conv1D
