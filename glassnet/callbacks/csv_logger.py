"""CSVLogger: write each epoch's logs as a row of a CSV file.

The columns are ``epoch`` then the log keys sorted by name; when the first epoch has no
validation keys, ``val_`` columns are added anyway (filled with ``NA``), as Keras does.

Example:
    >>> model.fit(x, y, epochs=3, callbacks=[CSVLogger("training.log")], verbose=0)
    >>> print(open("training.log").read())
    epoch,loss,val_loss
    0,0.6931,NA
    ...
"""

from __future__ import annotations

import collections
import csv
import os

import numpy as np

from glassnet.callbacks.callback import Callback


def _cell(value):
    if isinstance(value, str):
        return value
    if isinstance(value, collections.abc.Iterable) and not (
            isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Append one row per epoch to ``filename`` (``separator`` between cells; with
    ``append=True`` an existing file is continued, its header kept).

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[CSVLogger("log.csv", append=True)])
    """

    def __init__(self, filename, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        from glassnet.distribute import is_chief
        if not is_chief():  # in a data-parallel job only rank 0 writes
            return
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode)
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        from glassnet.distribute import is_chief
        if not is_chief():  # in a data-parallel job only rank 0 writes
            return
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend([f"val_{key}" for key in self.keys])
        if self.writer is None:
            separator = self.sep

            class Dialect(csv.excel):
                delimiter = separator

            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys,
                                         dialect=Dialect)
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
