"""Conv2D: 2-D convolution over images, the layer of every CNN in the books.

Example:
    >>> layer = Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1))
    >>> layer(np.zeros((2, 28, 28, 1))).shape
    (2, 26, 26, 32)
    >>> [w.shape for w in layer.weights]
    [(3, 3, 1, 32), (32,)]
"""

from __future__ import annotations

from glassnet.layers.convolutional.base_conv import BaseConv


class Conv2D(BaseConv):
    """``filters`` kernels of ``kernel_size`` slid over (batch, height, width, channels)
    inputs; each output pixel is ``activation(window . kernel + bias)``.

    Arguments as Keras: ``strides``, ``padding`` ('valid' or 'same'), ``dilation_rate``,
    ``groups``, ``activation``, ``use_bias``, initializers, regularizers and constraints.
    The kernel has shape (kernel_h, kernel_w, in_channels // groups, filters).
    """

    rank = 2


Convolution2D = Conv2D
