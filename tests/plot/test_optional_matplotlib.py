"""matplotlib is optional: a one-line install hint when it is missing, Agg when headless."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import glassnet
from glassnet.plot._matplotlib import INSTALL_HINT


@pytest.mark.parametrize("call", [
    lambda plot: plot.history({"loss": [1.0]}),
    lambda plot: plot.activations(),
    lambda plot: plot.confusion_matrix([0], [0]),
    lambda plot: plot.images([[[0.0]]]),
])
def test_missing_matplotlib_raises_the_install_hint(monkeypatch, call):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    with pytest.raises(ImportError) as raised:
        call(glassnet.plot)
    message = str(raised.value)
    assert message == INSTALL_HINT
    assert "\n" not in message and "pip install glassnet[plot]" in message


def test_demo_without_matplotlib_says_how_to_install(monkeypatch, capsys):
    from glassnet.demo.cli import main
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["--output", os.devnull]) == 1
    assert "pip install glassnet[plot]" in capsys.readouterr().err


def test_headless_machine_gets_agg(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("MPLBACKEND", "DISPLAY", "WAYLAND_DISPLAY")}
    env["MPLCONFIGDIR"] = str(tmp_path)  # no matplotlibrc choosing a backend
    script = ("import glassnet.plot, matplotlib; glassnet.plot.activations(path='a.png'); "
              "print(matplotlib.get_backend())")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().lower() == "agg"
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Warning" not in result.stderr


def test_a_chosen_backend_is_left_alone(tmp_path):
    env = dict(os.environ, MPLBACKEND="svg", MPLCONFIGDIR=str(tmp_path))
    env.pop("DISPLAY", None)
    script = "from glassnet.plot._matplotlib import pyplot; pyplot(); import matplotlib; " \
             "print(matplotlib.get_backend())"
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().lower() == "svg"
