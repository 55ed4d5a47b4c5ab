"""``glassnet demo`` end to end, offline on the bundled subset, and its report."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import numpy as np
import pytest

import glassnet
from glassnet.datasets import mnist
from tests.demo.conftest import run_demo

FIGURES = ["training_curves.png", "confusion_matrix.png", "test_digits.png", "mistakes.png",
           "first_layer_weights.png"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class _Page(HTMLParser):
    """The parts of the report page the tests look at."""

    def __init__(self):
        super().__init__()
        self.images, self.links, self.cells, self.headings = [], [], [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs)
        for name in ("href", "src", "action", "poster"):
            if name in attrs and tag != "img":
                self.links.append(attrs[name])
        if tag in ("th", "td", "h2", "script", "link", "iframe"):
            self._in = tag
            if tag in ("script", "link", "iframe"):
                self.links.append(tag)

    def handle_data(self, data):
        if self._in in ("th", "td"):
            self.cells.append(data.strip())
        elif self._in == "h2":
            self.headings.append(data.strip())

    def handle_endtag(self, tag):
        self._in = None


def _screen(stdout: str) -> str:
    """The output as lines, the progress bar's colours and in-place redraws undone."""
    return re.sub(r"\x1b\[[0-9;]*m", "", stdout).replace("\b", "").replace("\r", "\n")


def _test_accuracy(stdout: str) -> float:
    found = re.findall(r"^Test accuracy: (\d\.\d{4}) \(test loss: (\d+\.\d{4})\)$", stdout,
                       flags=re.M)
    assert len(found) == 1, stdout
    return float(found[0][0])


def test_default_demo_trains_offline_to_at_least_90_percent(default_demo):
    run = default_demo
    screen = _screen(run.stdout)
    accuracy = _test_accuracy(screen)
    assert accuracy >= 0.90
    assert "using the subset bundled with glassnet" in run.stdout
    assert "Data: the bundled MNIST subset: 6,000 training images" in run.stdout
    # The normal Keras progress bar, once per epoch of the default 10.
    assert [int(n) for n in re.findall(r"^Epoch (\d+)/10$", screen, flags=re.M)] == \
        list(range(1, 11))
    assert len(re.findall(r"^169/169 .*val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4} *$", screen,
                          flags=re.M)) == 10
    # Nothing was downloaded or even begun.
    assert not (run.home / "datasets" / "mnist").exists() or \
        not any((run.home / "datasets" / "mnist").iterdir())
    assert "Could not download" not in run.stderr


def test_report_folder_holds_the_figures_and_the_model(default_demo):
    output = default_demo.output
    assert sorted(path.name for path in output.iterdir()) == sorted(
        FIGURES + ["report.html", "mnist_mlp.keras"])
    for name in FIGURES:
        assert (output / name).read_bytes()[:8] == PNG_MAGIC


def test_saved_model_scores_the_printed_accuracy(default_demo):
    model = glassnet.models.load_model(default_demo.output / "mnist_mlp.keras")
    _, (x_test, y_test) = mnist.load_data(source="bundled")
    _, accuracy = model.evaluate(x_test.reshape(-1, 784).astype("float32") / 255, y_test,
                                 verbose=0)
    assert f"{accuracy:.4f}" == f"{_test_accuracy(default_demo.stdout):.4f}"
    assert f"Saved the model to {default_demo.output / 'mnist_mlp.keras'}" in \
        default_demo.stdout


def test_html_page_is_self_contained_with_every_figure(default_demo):
    output = default_demo.output
    text = (output / "report.html").read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    assert page.headings == ["Model", "Accuracy and loss", "Confusion matrix", "Test digits",
                             "Mistakes", "First-layer weights"]
    sources = [image["src"] for image in page.images]
    assert len(sources) == len(FIGURES)
    for source, name in zip(sources, FIGURES):
        prefix = "data:image/png;base64,"
        assert source.startswith(prefix)
        assert base64.b64decode(source[len(prefix):]) == (output / name).read_bytes()
    assert all(image.get("alt") for image in page.images)
    assert page.links == []  # no scripts, style sheets, frames or links to fetch
    assert not re.search(r"(src|href)\s*=\s*[\"'](?!data:)", text)
    assert "url(" not in text and "@import" not in text


def test_html_summary_table(default_demo):
    page = _Page()
    page.feed((default_demo.output / "report.html").read_text(encoding="utf-8"))
    table = dict(zip(page.cells[0::2], page.cells[1::2]))
    assert table["Dataset"] == "the bundled MNIST subset"
    assert table["Epochs"] == "10" and table["Batch size"] == "32" and table["Seed"] == "0"
    assert table["Test images"] == "1,000"
    assert table["Training images"] == "6,000 (5,400 for training, 600 for validation)"
    assert float(table["Test accuracy"]) == _test_accuracy(default_demo.stdout)
    assert re.fullmatch(r"\d+\.\d s", table["Training time"])
    assert re.fullmatch(r"\d+\.\d s", table["Total time"])
    assert table["Model file"] == "mnist_mlp.keras"


def test_full_dataset_offline_fails_fast_and_says_what_to_do(tmp_path):
    run = run_demo(tmp_path, "--dataset", "full")
    assert run.returncode == 1
    assert "connection refused" in run.stderr
    assert "glassnet demo --dataset bundled" in run.stderr
    assert str(run.home / "datasets" / "mnist" / "train-images-idx3-ubyte.gz") in run.stderr
    assert not run.output.exists()
    assert run.seconds < 60  # refused connections are not retried or waited on


def test_auto_uses_full_mnist_when_cached_and_options_apply(tmp_path, monkeypatch, capsys,
                                                            shared_datasets):
    from glassnet.demo.cli import main
    from tests.demo.conftest import closed_port_url
    cache = tmp_path / "home" / "datasets" / "mnist"
    cache.mkdir(parents=True)
    for name in mnist.IDX_FILES:
        (cache / name).symlink_to(shared_datasets / "mnist" / name)
    monkeypatch.setenv("GLASSNET_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GLASSNET_DATASETS_URL", closed_port_url())
    output = tmp_path / "report"
    assert main(["--epochs", "1", "--batch-size", "500", "--seed", "7", "--output",
                 str(output)]) == 0
    out = _screen(capsys.readouterr().out)
    assert "Data: full MNIST: 60,000 training images" in out
    assert "bundled" not in out
    assert re.search(r"^108/108 ", out, flags=re.M)  # 54,000 images in batches of 500
    assert _test_accuracy(out) > 0.8
    html = (output / "report.html").read_text()
    for name, value in [("Test images", "10,000"), ("Seed", "7"), ("Epochs", "1"),
                        ("Batch size", "500"), ("Dataset", "full MNIST")]:
        assert f"<th>{name}</th><td>{value}</td>" in html


def test_bundled_on_request_without_a_notice(capsys):
    from glassnet.demo.cli import _load
    (x_train, _), (x_test, _), name = _load("bundled")
    assert (len(x_train), len(x_test), name) == (6000, 1000, "the bundled MNIST subset")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("argv, message", [
    (["--epochs", "0"], "expected a positive integer, received 0"),
    (["--batch-size", "x"], "expected a positive integer, received 'x'"),
    (["--dataset", "cifar"], "invalid choice: 'cifar'"),
])
def test_bad_options_are_refused(argv, message, capsys):
    from glassnet.demo.cli import main
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_an_output_path_that_is_a_file_is_refused(tmp_path, capsys, monkeypatch):
    from glassnet.demo.cli import main
    monkeypatch.setenv("GLASSNET_HOME", str(tmp_path / "home"))
    taken = tmp_path / "taken"
    taken.write_text("not a folder")
    assert main(["--epochs", "1", "--batch-size", "1000", "--dataset", "bundled",
                 "--output", str(taken)]) == 1
    assert f"cannot create the report folder {taken}" in capsys.readouterr().err


def test_a_model_without_save_is_reported_not_saved(tmp_path, capsys):
    from glassnet.demo.cli import _save
    assert _save(object(), tmp_path / "model.keras") is None
    assert "Model not saved" in capsys.readouterr().out
    assert not (tmp_path / "model.keras").exists()
