"""Notebook cells as plain Python: what ``glassnet run lesson.ipynb`` executes.

A ``.ipynb`` file is JSON; its code cells are read in order.  IPython syntax that is not
Python is turned into Python or skipped, each time with a notice:

* ``!pip install ...`` and other shell lines, ``x = !ls``, ``%pip``: skipped.
* ``%matplotlib inline``, ``%load_ext ...``, ``%config ...`` and other line magics: skipped
  (figures are saved to files by the runner anyway).
* ``%time stmt`` / ``%timeit stmt``: the statement runs once.  ``%cd dir``: changes folder.
* ``%%time`` / ``%%timeit`` / ``%%capture`` cells: the body runs.  ``%%writefile name``: the
  body is written to ``name``.  Other cell magics (``%%bash``, ``%%html``): skipped.
* ``obj?`` help lines: skipped.

Example:
    >>> cell = transform_cell("!pip install glassnet\\n%matplotlib inline\\nx = 1")
    >>> print(cell.code)
    pass
    pass
    x = 1
    >>> cell.notices
    ['skipped shell command: !pip install glassnet', 'skipped magic: %matplotlib inline']
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_RUN_BODY_CELL_MAGICS = ("time", "timeit", "capture", "prun")
_RUN_STATEMENT_MAGICS = ("time", "timeit", "prun")
_SHELL_ASSIGNMENT = re.compile(r"^[\w\s.,()\[\]]+=\s*[!%]")
_TIMEIT_OPTIONS = re.compile(r"^(-[nr]\s*\d+\s+|-[oqtc]\s+)*")


@dataclass
class Cell:
    """One code cell: its number among code cells, source, runnable code and notices."""

    number: int
    source: str
    code: str = ""
    notices: list = field(default_factory=list)
    skipped: str | None = None   # why the whole cell does not run, when it does not


def read_code_cells(path: str | Path) -> list[Cell]:
    """The code cells of a notebook file, numbered from 1, with their code transformed.

    Example:
        >>> [c.code for c in read_code_cells("lesson.ipynb")]  # doctest: +SKIP
        ['import keras', 'pass\\nmodel.fit(x, y)']
    """
    with open(path, encoding="utf-8") as file:
        try:
            notebook = json.load(file)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not a notebook (.ipynb is JSON): {error}") from None
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3 kept cells inside worksheets
        cells = [c for sheet in notebook.get("worksheets", []) for c in sheet.get("cells", [])]
    code_cells = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(source)
        transformed = transform_cell(source)
        transformed.number = len(code_cells) + 1
        code_cells.append(transformed)
    return code_cells


def transform_cell(source: str) -> Cell:
    """Turn one cell's IPython source into Python (see the module docstring)."""
    cell = Cell(number=0, source=source)
    lines = source.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        header = lines[first].strip()
        body = "\n".join(lines[first + 1:])
        magic, _, argument = header[2:].partition(" ")
        if magic in _RUN_BODY_CELL_MAGICS:
            cell.notices.append(f"ran the body of the {header} cell without the magic")
            lines = lines[first + 1:]
        elif magic == "writefile":
            append = argument.strip().startswith(("-a ", "--append "))
            name = argument.split(None, 1)[1] if append else argument
            name = name.strip().strip("'\"")
            cell.code = (f"with open({name!r}, {'a' if append else 'w'!r}, encoding='utf-8') "
                         f"as _glassnet_file:\n    _glassnet_file.write({body + chr(10)!r})\n"
                         f"print({('Appending to ' if append else 'Writing ') + name!r})")
            return cell
        else:
            cell.skipped = f"cell magic {header} is not run by glassnet run"
            return cell
    code = []
    for line in lines:
        code.append(_transform_line(line, cell.notices))
    cell.code = "\n".join(code)
    return cell


def _transform_line(line: str, notices: list) -> str:
    stripped = line.lstrip()
    indent = line[:len(line) - len(stripped)]
    if stripped.startswith("!"):
        notices.append(f"skipped shell command: {stripped}")
        return indent + "pass"
    if _SHELL_ASSIGNMENT.match(stripped):  # files = !ls, t = %timeit -o f()
        notices.append(f"skipped shell assignment: {stripped}")
        return indent + "pass"
    if stripped.startswith("%"):
        magic, _, argument = stripped[1:].partition(" ")
        argument = argument.strip()
        if magic in _RUN_STATEMENT_MAGICS and argument:
            if magic == "timeit":
                argument = _TIMEIT_OPTIONS.sub("", argument)
            notices.append(f"ran {stripped} once, without timing it")
            return indent + argument
        if magic == "cd" and argument:
            notices.append(f"changed folder: {stripped}")
            return indent + f"__import__('os').chdir({argument.strip(chr(39) + chr(34))!r})"
        if magic in ("pip", "conda"):
            notices.append(f"skipped shell command: {stripped}")
        else:
            notices.append(f"skipped magic: {stripped}")
        return indent + "pass"
    if not stripped.startswith("#") and (re.match(r"^\?+[\w.]+$", stripped) or
                                         re.match(r"^[\w.]+\?+$", stripped)):
        notices.append(f"skipped help request: {stripped}")
        return indent + "pass"
    return line
