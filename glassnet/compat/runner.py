"""``glassnet run``: run a Keras / TensorFlow script or notebook on glassnet, unchanged.

    glassnet run [--figures DIR] [--keep-going] script.py [args...]
    glassnet run [--figures DIR] [--keep-going] lesson.ipynb

The import shim is installed first (``import tensorflow as tf``, ``import keras``, ... are
glassnet), then the script runs as ``__main__`` with ``sys.argv`` set to the script and its
arguments, or the notebook's code cells run in order in one namespace (in the notebook's
folder, as Jupyter does; a cell's last expression is printed, as Jupyter displays it).
``plt.show()`` saves the figures as PNG files in ``DIR`` (default: ``<name>_figures`` next to
the file) instead of opening windows.  At the end a report on stderr says which cells ran or
failed and where the figures went.  The exit status is the script's (1 after an error).

Example:
    >>> main(["examples/books/xor.py"])  # doctest: +SKIP
    0
"""

from __future__ import annotations

import ast
import builtins
import linecache
import os
import runpy
import sys
import traceback
from pathlib import Path

from glassnet.compat import install
from glassnet.compat.figures import FigureSaver
from glassnet.compat.notebook import Cell, read_code_cells

USAGE = """usage: glassnet run [--figures DIR] [--keep-going] FILE [args...]

Run a Keras / TensorFlow script (.py) or notebook (.ipynb) on glassnet.

options:
  --figures DIR   save matplotlib figures in DIR (default: <name>_figures next to FILE)
  --keep-going    notebooks: run the remaining cells after a cell fails"""


def _say(message: str) -> None:
    print(f"glassnet run: {message}", file=sys.stderr, flush=True)


def _parse(argv: list) -> tuple[dict, Path | None, list]:
    options = {"figures": None, "keep_going": False}
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return {"help": True}, None, []
        if arg == "--keep-going":
            options["keep_going"] = True
        elif arg == "--figures" and i + 1 < len(argv):
            options["figures"] = argv[i + 1]
            i += 1
        elif arg.startswith("--figures="):
            options["figures"] = arg.split("=", 1)[1]
        else:
            raise SystemExit(f"glassnet run: unknown option {arg!r}\n\n{USAGE}")
        i += 1
    if i >= len(argv):
        return options, None, []
    return options, Path(argv[i]), list(argv[i + 1:])


_SHIM_FOLDER = str(Path(__file__).resolve().parent) + os.sep


def _trimmed_traceback(error: BaseException, filename: str | None = None) -> None:
    """Print the traceback from the learner's code on, without the runner's and the import
    shim's own frames (they only say where the shim raised the error that names the API)."""
    tb = error.__traceback__
    frames = tb
    while frames is not None and filename is not None and \
            frames.tb_frame.f_code.co_filename != filename:
        frames = frames.tb_next
    if frames is None and isinstance(error, SyntaxError):
        tb = None  # the message shows the line; the runner's frames would only add noise
    report = traceback.TracebackException(type(error), error, frames or tb)
    report.stack = traceback.StackSummary.from_list(
        [frame for frame in report.stack if not frame.filename.startswith(_SHIM_FOLDER)])
    print("".join(report.format()), end="", file=sys.stderr)


def _exit_status(code) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run_script(path: Path, saver: FigureSaver) -> int:
    """Run ``path`` as ``__main__``; the exit status (1 after an uncaught error)."""
    filename = str(path.resolve())
    try:
        runpy.run_path(filename, run_name="__main__")
        status = 0
    except SystemExit as exit_request:
        status = _exit_status(exit_request.code)
    except KeyboardInterrupt:
        status = 130
        _say("interrupted")
    except BaseException as error:  # noqa: BLE001 - report any failure of the learner's code
        _trimmed_traceback(error, filename)
        status = 1
    saver.save_open_figures()
    return status


def _run_cell(cell: Cell, namespace: dict) -> None:
    """Execute one cell; a final expression's value is printed, as a notebook displays it."""
    filename = f"<cell {cell.number}>"
    lines = cell.code.splitlines(keepends=True)
    linecache.cache[filename] = (len(cell.code), None, lines, filename)
    tree = ast.parse(cell.code, filename)
    display = tree.body and isinstance(tree.body[-1], ast.Expr) and \
        not cell.code.rstrip().endswith(";")
    if display:
        last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, filename, "exec"), namespace)
        value = eval(compile(last, filename, "eval"), namespace)
        if value is not None:
            namespace["_"] = value
            print(repr(value))
    else:
        exec(compile(tree, filename, "exec"), namespace)


def run_notebook(path: Path, saver: FigureSaver, keep_going: bool = False) -> int:
    """Run the notebook's code cells in order; the exit status (1 when a cell failed)."""
    cells = read_code_cells(path)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    outcomes = []
    failed = False
    for cell in cells:
        if failed and not keep_going:
            outcomes.append((cell, "not run (an earlier cell failed)"))
            continue
        if cell.skipped:
            _say(f"cell {cell.number}: {cell.skipped}")
            outcomes.append((cell, f"skipped: {cell.skipped}"))
            continue
        for notice in cell.notices:
            _say(f"cell {cell.number}: {notice}")
        saver.label = f"cell{cell.number}"
        try:
            _run_cell(cell, namespace)
            outcome = "ran"
        except SystemExit as exit_request:
            if _exit_status(exit_request.code) == 0:
                outcome = "ran (SystemExit)"
            else:
                failed, outcome = True, f"FAILED: SystemExit({exit_request.code!r})"
        except KeyboardInterrupt:
            failed, outcome = True, "FAILED: interrupted"
        except BaseException as error:  # noqa: BLE001 - the report names it
            _trimmed_traceback(error, f"<cell {cell.number}>")
            first_line = (str(error).splitlines() or [""])[0]
            failed, outcome = True, f"FAILED: {type(error).__name__}: {first_line}"
        saver.save_open_figures()  # as the inline backend shows figures at the end of a cell
        saver.label = ""
        outcomes.append((cell, outcome))
    _say(f"cells of {path.name}:")
    for cell, outcome in outcomes:
        notes = f" ({len(cell.notices)} line(s) skipped or changed)" if cell.notices else ""
        print(f"  [{cell.number}] {outcome}{notes if outcome == 'ran' else ''}",
              file=sys.stderr)
    ran = sum(1 for _, outcome in outcomes if outcome.startswith("ran"))
    bad = [str(c.number) for c, outcome in outcomes if outcome.startswith("FAILED")]
    summary = f"{len(cells)} code cells: {ran} ran"
    summary += f", {len(bad)} failed (cell {', '.join(bad)})" if bad else ", none failed"
    _say(summary)
    return 1 if bad else 0


def _report_figures(saver: FigureSaver) -> None:
    if not saver.saved:
        return
    folder = saver.folder.resolve()
    names = ", ".join(p.name for p in saver.saved)
    _say(f"{len(saver.saved)} figure(s) saved in {folder}{os.sep}: {names}")


def main(argv: list | None = None) -> int:
    """The ``glassnet run`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    options, path, arguments = _parse(argv)
    if options.get("help") or path is None:
        print(USAGE, file=sys.stderr if path is None and not options.get("help") else sys.stdout)
        return 0 if options.get("help") else 2
    if not path.is_file():
        _say(f"no such file: {path}")
        return 2
    notebook = path.suffix.lower() == ".ipynb"
    folder = Path(options["figures"]) if options["figures"] else \
        path.parent / f"{path.stem}_figures"
    saver = FigureSaver(folder.resolve(), prefix=path.stem)
    install()
    saver.install()
    saved_argv, saved_path, saved_cwd = sys.argv, list(sys.path), os.getcwd()
    sys.argv = [str(path)] + arguments
    sys.path.insert(0, str(path.parent.resolve()))
    try:
        if notebook:
            os.chdir(path.parent.resolve())  # Jupyter runs a notebook in its own folder
            status = run_notebook(path.resolve(), saver, options["keep_going"])
        else:
            status = run_script(path, saver)
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        os.chdir(saved_cwd)
        saver.uninstall()
    _report_figures(saver)
    return status
