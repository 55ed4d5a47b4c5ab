"""The demo's report page: one HTML file that carries its figures inside it.

Every figure is embedded as a base64 ``data:`` URI and the style sheet is inline, so the
page needs nothing else: it can be mailed, attached or opened from any folder, offline.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Sequence

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table.summary { border-collapse: collapse; margin: 1em 0; }
table.summary th, table.summary td { text-align: left; padding: 0.25em 1em 0.25em 0;
                                     border-bottom: 1px solid #eee; vertical-align: top; }
table.summary th { font-weight: 600; color: #555; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.92em; margin-top: 0.3em; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.85em; }
""".strip()


class Figure:
    """One figure of the report: a PNG file, a heading and a caption.

    Example:
        >>> Figure("curves.png", "Training curves", "Accuracy and loss per epoch.").heading
        'Training curves'
    """

    def __init__(self, path: str | os.PathLike, heading: str, caption: str):
        self.path = Path(path)
        self.heading = heading
        self.caption = caption


def data_uri(path: str | os.PathLike) -> str:
    """A PNG file as a ``data:image/png;base64,...`` URI.

    Example:
        >>> data_uri("figure.png")[:22]  # doctest: +SKIP
        'data:image/png;base64,'
    """
    encoded = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:image/png;base64,{encoded}"


def write_html(path: str | os.PathLike, title: str, intro: str,
               summary: Sequence[tuple[str, str]], figures: Sequence[Figure],
               model_text: str = "") -> Path:
    """Write the self-contained report page and return its path.

    Args:
        path: the HTML file to write (replaced atomically).
        title: the page heading.
        intro: one paragraph of plain text under it.
        summary: (name, value) rows of the summary table.
        figures: the figures, in page order.
        model_text: the model's summary table, shown preformatted.

    Example:
        >>> write_html("report.html", "Demo", "A run.", [("epochs", "10")], [])  # doctest: +SKIP
        PosixPath('report.html')
    """
    escape = html.escape
    rows = "\n".join(f"<tr><th>{escape(name)}</th><td>{escape(value)}</td></tr>"
                     for name, value in summary)
    sections = []
    for figure in figures:
        sections.append(
            f"<h2>{escape(figure.heading)}</h2>\n<figure>\n"
            f'<img src="{data_uri(figure.path)}" alt="{escape(figure.heading)}">\n'
            f"<figcaption>{escape(figure.caption)}</figcaption>\n</figure>")
    model_section = (f"<h2>Model</h2>\n<pre>{escape(model_text)}</pre>" if model_text else "")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{STYLE}
</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p>{escape(intro)}</p>
<table class="summary">
{rows}
</table>
{model_section}
{chr(10).join(sections)}
</body>
</html>
"""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(page, encoding="utf-8")
    os.replace(temporary, path)
    return path
