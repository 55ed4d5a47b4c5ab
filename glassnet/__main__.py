"""The ``glassnet`` command.

    glassnet demo [--epochs N] [--dataset auto|bundled|full] [--output DIR]
    glassnet run script.py [args...]      (also notebooks: glassnet run lesson.ipynb)

Also ``python -m glassnet ...``.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "demo": ("glassnet.demo.cli", "main", "train the MNIST demo and write a report"),
    "run": ("glassnet.compat.runner", "main",
            "run a Keras/TensorFlow script or notebook on glassnet"),
}


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        for name, (_, _, text) in COMMANDS.items():
            print(f"  {name:6s} {text}")
        return 0
    if argv[0] in ("-V", "--version"):
        from glassnet.version import __version__
        print(f"glassnet {__version__}")
        return 0
    command = COMMANDS.get(argv[0])
    if command is None:
        print(f"glassnet: unknown command {argv[0]!r}; expected one of {', '.join(COMMANDS)}.",
              file=sys.stderr)
        return 2
    module_name, function, _ = command
    return int(getattr(importlib.import_module(module_name), function)(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
