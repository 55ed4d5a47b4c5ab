"""Plots of training and of what a network learned, drawn with matplotlib.

Each function returns a matplotlib Figure and saves it when given ``path=``.  matplotlib is
optional (``pip install glassnet[plot]``); on a machine without a display the Agg backend
is used, so plots can always be saved.

Example:
    >>> history = model.fit(x, y, epochs=5, validation_split=0.1)  # doctest: +SKIP
    >>> glassnet.plot.history(history, path="curves.png")  # doctest: +SKIP
    <Figure size 1000x380 with 2 Axes>
"""

from glassnet.plot.activation_functions import activations
from glassnet.plot.confusion import confusion_matrix
from glassnet.plot.decision_boundary import decision_boundary
from glassnet.plot.feature_map_grid import feature_maps
from glassnet.plot.gradient_flow import gradient_flow
from glassnet.plot.image_grid import images
from glassnet.plot.optimizer_paths import optimizer_paths
from glassnet.plot.training_curves import history
from glassnet.plot.weight_images import weights

__all__ = ["activations", "confusion_matrix", "decision_boundary", "feature_maps",
           "gradient_flow", "history", "images", "optimizer_paths", "weights"]
