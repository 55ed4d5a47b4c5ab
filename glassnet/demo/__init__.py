"""The ``glassnet demo`` command: the classic MNIST network, trained and reported on.

Example:
    >>> from glassnet.demo.cli import main
    >>> main(["--dataset", "bundled", "--output", "report"])  # doctest: +SKIP
    0
"""
