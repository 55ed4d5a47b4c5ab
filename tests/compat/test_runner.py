"""``glassnet run``: scripts and notebooks run with the shim; figures go to files."""

from __future__ import annotations

import json
import textwrap

import pytest

from glassnet.compat.notebook import read_code_cells, transform_cell

from .conftest import run_python


def glassnet_run(*args, cwd=None, timeout=180):
    return run_python(None, "-m", "glassnet", "run", *args, cwd=cwd, timeout=timeout)


def _png_size(path) -> tuple:
    from PIL import Image
    with Image.open(path) as img:
        return img.size


SCRIPT = textwrap.dedent("""
    import sys
    import matplotlib.pyplot as plt
    import numpy as np
    import tensorflow as tf
    from tensorflow.keras.layers import Dense
    from tensorflow.keras.models import Sequential

    print("argv:", sys.argv[1:], "name:", __name__, "tf:", tf.__version__)
    np.random.seed(3)
    tf.random.set_seed(3)
    x = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    y = np.array([0, 1, 1, 1])
    model = Sequential()
    model.add(Dense(1, input_dim=2, activation='sigmoid'))
    model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    history = model.fit(x, y, epochs=5, verbose=0)
    print("model:", type(model).__module__)
    plt.plot(history.history['loss'])
    plt.show()
    plt.figure()
    plt.plot([1, 2, 3])          # left open: saved when the script ends
""")


def test_script_runs_with_argv_and_saves_figures(tmp_path):
    script = tmp_path / "lesson.py"
    script.write_text(SCRIPT)
    result = glassnet_run(str(script), "--epochs", "5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "argv: ['--epochs', '5'] name: __main__ tf: glassnet-compat" in result.stdout
    assert "model: glassnet.models.sequential" in result.stdout
    figures = sorted((tmp_path / "lesson_figures").glob("*.png"))
    assert [f.name for f in figures] == ["lesson_1.png", "lesson_2.png"]
    assert all(_png_size(f)[0] > 100 for f in figures)
    assert "2 figure(s) saved in" in result.stderr and "lesson_figures" in result.stderr


def test_figures_folder_option(tmp_path):
    script = tmp_path / "plot.py"
    script.write_text("import matplotlib.pyplot as plt\nplt.plot([0, 1])\nplt.show()\n")
    out = tmp_path / "out"
    result = glassnet_run("--figures", str(out), str(script))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["plot_1.png"]
    assert not (tmp_path / "plot_figures").exists()


def test_script_error_names_the_missing_api_and_sets_status(tmp_path):
    script = tmp_path / "pipeline.py"
    script.write_text("import numpy as np\nimport tensorflow as tf\n"
                      "ds = tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(3)))\n")
    result = glassnet_run(str(script))
    assert result.returncode == 1
    assert ("AttributeError: tensorflow.data is not available in glassnet yet: tf.data "
            "pipelines are not supported") in result.stderr
    assert 'pipeline.py", line 3' in result.stderr
    assert "glassnet/compat/" not in result.stderr   # the shim's own frames are left out


def test_applications_import_fails_with_its_name(tmp_path):
    script = tmp_path / "transfer.py"
    script.write_text("from tensorflow.keras.applications import VGG16\n"
                      "base = VGG16(weights='imagenet', include_top=False)\n")
    result = glassnet_run(str(script))
    assert result.returncode == 1
    assert ("ImportError: tensorflow.keras.applications is not available in glassnet yet"
            in result.stderr)


def test_exit_status_of_the_script(shim, tmp_path, capsys):
    from glassnet.compat import runner
    script = tmp_path / "bye.py"
    script.write_text("import sys\nsys.exit(3)\n")
    assert runner.main([str(script)]) == 3
    assert runner.main([str(tmp_path / "missing.py")]) == 2
    assert "no such file" in capsys.readouterr().err


def _notebook(cells) -> dict:
    def cell(kind, source):
        entry = {"cell_type": kind, "metadata": {}, "source": source.splitlines(True)}
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
        return entry
    return {"cells": [cell(kind, source) for kind, source in cells], "metadata": {},
            "nbformat": 4, "nbformat_minor": 5}


NOTEBOOK_CELLS = [
    ("markdown", "# Lesson 1\nA first network, in a notebook."),
    ("code", "!pip install tensorflow\n%matplotlib inline\nimport numpy as np\n"
             "import matplotlib.pyplot as plt\nimport tensorflow as tf\n"
             "from tensorflow import keras"),
    ("code", "%%time\nnp.random.seed(0)\ntf.random.set_seed(0)\n"
             "x = np.random.rand(64, 3)\ny = (x.sum(axis=1) > 1.5).astype('float32')\n"
             "model = keras.Sequential([keras.layers.Dense(8, activation='relu', "
             "input_shape=(3,)), keras.layers.Dense(1, activation='sigmoid')])\n"
             "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['acc'])"),
    ("markdown", "Training:"),
    ("code", "history = model.fit(x, y, epochs=3, verbose=0)\n"
             "plt.plot(history.history['loss'])\nplt.show()"),
    ("code", "plt.plot(history.history['acc'])  # shown at the end of the cell, as inline does\n"
             "sorted(history.history.keys())"),
    ("code", "%%bash\necho this cell is skipped"),
    ("code", "print('type:', type(model).__module__)"),
]


def test_notebook_runs_and_figures_become_files(tmp_path):
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(_notebook(NOTEBOOK_CELLS)))
    result = glassnet_run(str(path))
    assert result.returncode == 0, result.stderr
    assert "['acc', 'loss']" in result.stdout          # the last expression is displayed
    assert "type: glassnet.models.sequential" in result.stdout
    err = result.stderr
    assert "cell 1: skipped shell command: !pip install tensorflow" in err
    assert "cell 1: skipped magic: %matplotlib inline" in err
    assert "cell 2: ran the body of the %%time cell without the magic" in err
    assert "cell 5: cell magic %%bash is not run by glassnet run" in err
    for number in (1, 2, 3, 4, 6):
        assert f"  [{number}] ran" in err
    assert "  [5] skipped: cell magic %%bash" in err
    assert "6 code cells: 5 ran, none failed" in err
    figures = sorted(p.name for p in (tmp_path / "lesson_figures").iterdir())
    assert figures == ["lesson_cell3_1.png", "lesson_cell4_2.png"]
    assert _png_size(tmp_path / "lesson_figures" / figures[0])[0] > 100


def test_notebook_failure_report(tmp_path):
    cells = [("code", "import tensorflow as tf\nx = 1"),
             ("code", "ds = tf.data.Dataset.range(3)"),
             ("code", "print('after', x)")]
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(_notebook(cells)))
    result = glassnet_run(str(path))
    assert result.returncode == 1
    assert ("  [2] FAILED: AttributeError: tensorflow.data is not available in glassnet yet"
            in result.stderr)
    assert "  [3] not run (an earlier cell failed)" in result.stderr
    assert '<cell 2>", line 1' in result.stderr
    assert "after" not in result.stdout
    result = glassnet_run("--keep-going", str(path))
    assert result.returncode == 1
    assert "after 1" in result.stdout
    assert "3 code cells: 2 ran, 1 failed (cell 2)" in result.stderr


def test_notebook_runs_in_its_folder(tmp_path):
    (tmp_path / "data.csv").write_text("1,2\n3,4\n")
    cells = [("code", "import numpy as np\nprint(np.loadtxt('data.csv', delimiter=',').sum())")]
    path = tmp_path / "relative.ipynb"
    path.write_text(json.dumps(_notebook(cells)))
    result = glassnet_run(str(path), cwd=tmp_path.parent)
    assert result.returncode == 0, result.stderr
    assert "10.0" in result.stdout


@pytest.mark.parametrize("source, code, notices", [
    ("!pip install glassnet\nimport numpy", "pass\nimport numpy",
     ["skipped shell command: !pip install glassnet"]),
    ("%pip install x", "pass", ["skipped shell command: %pip install x"]),
    ("files = !ls\nfor f in files:\n    !echo {f}", "pass\nfor f in files:\n    pass",
     ["skipped shell assignment: files = !ls", "skipped shell command: !echo {f}"]),
    ("%time y = f(2)", "y = f(2)", ["ran %time y = f(2) once, without timing it"]),
    ("%timeit -n 10 -r 2 f(3)", "f(3)", ["ran %timeit -n 10 -r 2 f(3) once, without timing it"]),
    ("%load_ext glassnet\nx = 1", "pass\nx = 1", ["skipped magic: %load_ext glassnet"]),
    ("model.fit?", "pass", ["skipped help request: model.fit?"]),
    ("a = 3 != 4  # not a shell line\nb = '%d' % 2", "a = 3 != 4  # not a shell line\n"
     "b = '%d' % 2", []),
])
def test_transform_cell(source, code, notices):
    cell = transform_cell(source)
    assert (cell.code, cell.notices, cell.skipped) == (code, notices, None)


def test_writefile_cell(tmp_path):
    cell = transform_cell("%%writefile helper.py\ndef twice(x):\n    return 2 * x")
    namespace = {}
    import os
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(cell.code, namespace)
    finally:
        os.chdir(cwd)
    assert (tmp_path / "helper.py").read_text() == "def twice(x):\n    return 2 * x\n"


def test_read_code_cells_numbers_code_cells_only(tmp_path):
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(_notebook(NOTEBOOK_CELLS)))
    cells = read_code_cells(path)
    assert [c.number for c in cells] == [1, 2, 3, 4, 5, 6]
    assert cells[4].skipped == "cell magic %%bash is not run by glassnet run"


def test_help(capsys):
    from glassnet.compat import runner
    assert runner.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: glassnet run" in out
    assert "--figures DIR" in out and "--keep-going" in out
    assert runner.main([]) == 2
