"""Plot tests draw on the Agg backend (tests/conftest.py sets MPLBACKEND) and close every
figure they made."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
