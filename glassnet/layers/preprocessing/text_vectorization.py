"""TextVectorization: strings in, token indices (or bag-of-words vectors) out, with a
vocabulary learned by ``adapt()`` or given, following Keras 3.

The steps, each replaceable: standardize (lowercase ASCII and strip punctuation by
default), split (on whitespace), n-grams (joined by a space), then lookup in the
vocabulary.  In ``output_mode="int"`` index 0 is padding ('') and 1 the out-of-vocabulary
token '[UNK]'; otherwise index 0 is '[UNK]'.  ``adapt()`` orders the vocabulary by
frequency, ties broken by the tokens in reverse order, as Keras does.

Example:
    >>> layer = TextVectorization(max_tokens=5000, output_sequence_length=4)
    >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    >>> layer([["foo qux bar"], ["qux baz"]]).numpy()
    array([[4, 1, 3, 0],
           [1, 2, 0, 0]])
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from glassnet.core.tensor import Tensor
from glassnet.layers.layer import Layer

PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
PAD, OOV = "", "[UNK]"


def _check_choice(argument: str, value, allowed: tuple) -> None:
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(f"The `{argument}` argument of TextVectorization must be one of "
                     f"{list(allowed)}, None or a callable. Received: {argument}={value!r}")


def _strings(values) -> np.ndarray:
    """Any batch of text (list, array, Tensor, bytes) as a NumPy array of str."""
    if isinstance(values, Tensor):
        values = values.data
    array = np.asarray(values, dtype=object)
    decode = np.vectorize(lambda s: s.decode("utf-8") if isinstance(s, bytes) else str(s),
                          otypes=[object])
    return decode(array) if array.size else array


class TextVectorization(Layer):
    """Map text to integer sequences or bag-of-words vectors (see the module docstring)."""

    integer_inputs = True

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens: bool = False,
                 vocabulary=None, idf_weights=None, sparse: bool = False, ragged: bool = False,
                 encoding: str = "utf-8", name=None, **kwargs):
        kwargs.pop("vocabulary_size", None)
        kwargs.pop("has_input_vocabulary", None)
        super().__init__(name=name, **kwargs)
        _check_choice("standardize", standardize,
                      ("lower_and_strip_punctuation", "lower", "strip_punctuation"))
        _check_choice("split", split, ("whitespace", "character"))
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"The `output_mode` argument of TextVectorization must be one of "
                             f"{list(OUTPUT_MODES)}. Received: output_mode={output_mode!r}")
        if not (ngrams is None or isinstance(ngrams, int) or
                (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))):
            raise ValueError("`ngrams` must be None, an integer, or a tuple of integers. "
                             f"Received: ngrams={ngrams}")
        if output_mode == "int" and not (output_sequence_length is None or
                                         isinstance(output_sequence_length, int)):
            raise ValueError("`output_sequence_length` must be either None or an integer when "
                             "`output_mode` is 'int'. Received: "
                             f"output_sequence_length={output_sequence_length}")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError("`output_sequence_length` must not be set if `output_mode` is not "
                             f"'int'. Received output_sequence_length={output_sequence_length}.")
        if sparse or ragged:
            raise ValueError("TextVectorization in glassnet returns dense NumPy-backed "
                             f"tensors; received sparse={sparse}, ragged={ragged}.")
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.encoding = encoding
        self.autocast = False
        self.built = True
        self._vocabulary: list = [PAD, OOV] if output_mode == "int" else [OOV]
        self._index: dict = {}
        self.idf_weights = None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # --- vocabulary ---------------------------------------------------------------------
    @property
    def _token_start(self) -> int:
        return 2 if self.output_mode == "int" else 1

    @property
    def _oov_index(self) -> int:
        return 1 if self.output_mode == "int" else 0

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens by index ('' and '[UNK]' first in int mode)."""
        if include_special_tokens:
            return list(self._vocabulary)
        return list(self._vocabulary[self._token_start:])

    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Use ``vocabulary`` (a list of tokens, or a path to a file of one token per line)."""
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding=self.encoding) as f:
                vocabulary = [line.rstrip("\n") for line in f]
        tokens = [str(t) for t in _strings(vocabulary).reshape(-1)]
        if not tokens:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={tokens}")
        special = [PAD, OOV][2 - self._token_start:]
        found_special = tokens[:len(special)] == special
        if found_special:
            tokens = tokens[len(special):]
        repeated = sorted(t for t, n in Counter(tokens).items() if n > 1)
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please "
                             f"uniquify your dataset. The repeated terms are: {repeated}")
        if self.max_tokens is not None and len(special) + len(tokens) > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab "
                             f"size. Received vocabulary size is {len(special) + len(tokens)}; "
                             f"`max_tokens` is {self.max_tokens}.")
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
            idf = np.asarray(idf_weights, dtype=np.float32).reshape(-1)
            if not found_special:  # no document counts for the special tokens: use the mean
                idf = np.concatenate([np.full(len(special), idf.mean(), np.float32), idf])
            self.idf_weights = idf
        elif idf_weights is not None:
            raise ValueError("`idf_weights` should only be set if output_mode is 'tf_idf'. "
                             f"Received: output_mode={self.output_mode}")
        self._set_tokens(tokens)

    def _set_tokens(self, tokens: list) -> None:
        self._vocabulary = [PAD, OOV][2 - self._token_start:] + list(tokens)
        self._index = {token: i for i, token in enumerate(self._vocabulary)
                       if i >= self._token_start}

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary (and document frequencies for tf_idf) from ``data``: a list
        or array of strings, or an iterable of such batches."""
        counts, documents, n_documents = Counter(), Counter(), 0
        if isinstance(data, (str, bytes, list, tuple, np.ndarray, Tensor)):
            batches = [data]
        else:
            batches = data
        for step, batch in enumerate(batches):
            if steps is not None and step >= steps:
                break
            if isinstance(batch, tuple) and len(batch) == 2:  # (texts, labels) pairs
                batch = batch[0]
            for tokens in self._tokenize(batch):
                counts.update(tokens)
                documents.update(set(tokens))
                n_documents += 1
        for special in (PAD, OOV):
            counts.pop(special, None)
        # Frequency first, ties by the token itself, both descending (as Keras sorts).
        ordered = sorted(counts, key=lambda t: (counts[t], t.encode("utf-8")), reverse=True)
        if self.max_tokens:
            ordered = ordered[:max(self.max_tokens - self._token_start, 0)]
        self._set_tokens(ordered)
        if self.output_mode == "tf_idf":
            frequency = np.array([documents[t] for t in ordered], dtype=np.float64)
            idf = np.log(1 + n_documents / (1 + frequency))
            mean = idf.mean() if idf.size else 0.0
            self.idf_weights = np.concatenate([[mean] * self._token_start, idf]).astype(
                np.float32)

    # --- text to tokens -----------------------------------------------------------------
    def _standardize(self, texts: np.ndarray) -> np.ndarray:
        if callable(self.standardize):
            return _strings(self.standardize(texts))
        out = texts
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            out = np.vectorize(lambda s: s.translate(_ASCII_LOWER), otypes=[object])(out)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            out = np.vectorize(lambda s: PUNCTUATION.sub("", s), otypes=[object])(out)
        return out

    def _tokenize(self, batch) -> list:
        """One token list per document."""
        texts = _strings(batch)
        if texts.ndim == 0:
            texts = texts.reshape(1)
        if self.split is not None and texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError("When using `TextVectorization` to tokenize strings, the input "
                                 "rank must be 1 or the last shape dimension must be 1. "
                                 f"Received: inputs.shape={texts.shape} with rank={texts.ndim}")
            texts = texts[..., 0]
        texts = self._standardize(texts).reshape(len(texts), -1)
        if self.split is None:
            documents = [list(row) for row in texts]
        elif callable(self.split):
            documents = [list(map(str, doc)) for doc in self.split(texts[:, 0])]
        elif self.split == "whitespace":
            documents = [row[0].split() for row in texts]
        else:
            documents = [list(row[0]) for row in texts]
        if self._widths:
            documents = [self._ngrams(doc) for doc in documents]
        return documents

    def _ngrams(self, tokens: list) -> list:
        grams = []
        for width in self._widths:
            grams += [" ".join(tokens[i:i + width]) for i in range(len(tokens) - width + 1)]
        return grams

    # --- calling ------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        from glassnet.core.symbolic import is_symbolic
        if is_symbolic(inputs):
            return super().__call__(inputs, *args, **kwargs)
        # Text stays as it is: the base class would turn each string into a tensor.
        return self.call(inputs)

    def call(self, inputs):
        documents = self._tokenize(inputs)
        oov = self._oov_index
        indices = [[self._index.get(t, oov) for t in doc] for doc in documents]
        if self.output_mode == "int":
            length = self.output_sequence_length
            if length is None:
                length = max((len(doc) for doc in indices), default=0)
            out = np.zeros((len(indices), length), dtype=np.int64)
            for row, doc in enumerate(indices):
                doc = doc[:length]
                out[row, :len(doc)] = doc
            return Tensor(out)
        depth = self.max_tokens if (self.pad_to_max_tokens and self.max_tokens) \
            else len(self._vocabulary)
        counts = np.zeros((len(indices), depth), dtype=np.float32)
        for row, doc in enumerate(indices):
            np.add.at(counts[row], np.asarray(doc, dtype=np.int64), 1.0)
        if self.output_mode in ("multi_hot", "one_hot"):
            counts = np.minimum(counts, 1.0)
        elif self.output_mode == "tf_idf":
            idf = np.zeros(depth, np.float32)
            idf[:len(self.idf_weights)] = self.idf_weights[:depth]
            counts = counts * idf
        return Tensor(counts)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return (input_shape[0], self.output_sequence_length)
        depth = self.max_tokens if (self.pad_to_max_tokens and self.max_tokens) \
            else len(self._vocabulary)
        return (input_shape[0], depth)

    def get_config(self) -> dict:
        def named(value):
            return value if value is None or isinstance(value, str) else None

        adapted = len(self._vocabulary) > self._token_start
        return {**super().get_config(), "max_tokens": self.max_tokens,
                "standardize": named(self.standardize), "split": named(self.split),
                "ngrams": self.ngrams, "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length,
                "pad_to_max_tokens": self.pad_to_max_tokens, "sparse": False, "ragged": False,
                "vocabulary": self.get_vocabulary() if adapted else None,
                "idf_weights": None if self.idf_weights is None or not adapted else
                self.idf_weights.tolist(), "encoding": self.encoding,
                "vocabulary_size": self.vocabulary_size()}
