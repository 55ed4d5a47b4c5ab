"""``%load_ext glassnet`` in Jupyter / IPython: later cells import Keras and TensorFlow
from glassnet.

The extension installs the import shim (:func:`glassnet.compat.install`), so that
``import tensorflow as tf``, ``from tensorflow import keras`` and ``import keras`` in the
following cells give glassnet.  Figures keep showing inline, as usual.  Load it before the
first ``import keras`` / ``import tensorflow`` of the session (restart the kernel otherwise).
``%unload_ext glassnet`` removes the shim again.

Example:
    In [1]: %load_ext glassnet
    glassnet: `import keras` and `import tensorflow` now load glassnet ...
    In [2]: from tensorflow import keras
"""

from __future__ import annotations

import sys

from glassnet.compat import install, is_installed, uninstall


def load_ipython_extension(ipython) -> None:
    """Called by ``%load_ext glassnet``: install the shim for the cells that follow."""
    install()
    if is_installed():
        from glassnet.version import __version__
        print(f"glassnet: `import keras` and `import tensorflow` now load glassnet "
              f"{__version__} in this session.", file=sys.stdout)


def unload_ipython_extension(ipython) -> None:
    """Called by ``%unload_ext glassnet``: later imports find the real libraries again."""
    uninstall()
