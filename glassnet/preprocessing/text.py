"""Word-level text preprocessing from Keras 1/2: Tokenizer, text_to_word_sequence, one_hot.

Text is lower-cased, every character of ``filters`` becomes the ``split`` character, and the
text is split on it; nothing else (no stemming, no Unicode segmentation), so Korean or any
other whitespace-separated language tokenizes into its space-separated words.

Example:
    >>> text_to_word_sequence("Hello, World! Hello.")
    ['hello', 'world', 'hello']
    >>> tokenizer = Tokenizer()
    >>> tokenizer.fit_on_texts(["the cat sat", "the dog"])
    >>> tokenizer.word_index
    {'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
    >>> tokenizer.texts_to_sequences(["the dog sat"])
    [[1, 4, 3]]
"""

from __future__ import annotations

import collections
import hashlib
import json
import operator
import warnings

import numpy as np

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def text_to_word_sequence(
    input_text: str, filters: str = DEFAULT_FILTERS, lower: bool = True, split: str = " "
) -> list[str]:
    """Split a text into words: lower-case, replace ``filters`` by ``split``, split.

    Example:
        >>> text_to_word_sequence("토큰화 한 결과는 딥러닝에서 사용할 수 있습니다.")
        ['토큰화', '한', '결과는', '딥러닝에서', '사용할', '수', '있습니다']
    """
    if lower:
        input_text = input_text.lower()
    input_text = input_text.translate(str.maketrans({char: split for char in filters}))
    return [word for word in input_text.split(split) if word]


def hashing_trick(
    text: str,
    n: int,
    hash_function=None,
    filters: str = DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer=None,
) -> list[int]:
    """Map each word of ``text`` to an index in ``[1, n - 1]`` by hashing (0 stays free).

    ``hash_function`` is Python's ``hash`` by default (which varies between runs unless
    PYTHONHASHSEED is set), ``"md5"`` for a stable hash, or any callable on a string.

    Example:
        >>> hashing_trick("the cat the", 10, hash_function="md5")
        [6, 3, 6]
    """
    if n is None or n < 2:
        raise ValueError(
            f"hashing_trick: `n` must be an integer >= 2 (indices go from 1 to n - 1). "
            f"Received: n={n!r}"
        )
    if hash_function is None:
        hash_function = hash
    elif hash_function == "md5":
        def hash_function(word: str) -> int:
            return int(hashlib.md5(word.encode()).hexdigest(), 16)

    if analyzer is None:
        words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        words = analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


def one_hot(
    input_text: str,
    n: int,
    filters: str = DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer=None,
) -> list[int]:
    """Word indices in ``[1, n - 1]`` from Python's ``hash`` (a hashing trick, not one-hot
    vectors, despite the name).

    Example:
        >>> words = one_hot("to be or not to be", 50)
        >>> words[0] == words[4] and len(words) == 6
        True
    """
    return hashing_trick(input_text, n, hash_function=hash, filters=filters, lower=lower,
                         split=split, analyzer=analyzer)


class Tokenizer:
    """Build a word vocabulary from texts and turn texts into index sequences or matrices.

    ``word_index`` numbers words from 1 by descending count (ties keep first-seen order);
    index 0 is never a word (it is left for padding). With ``oov_token`` that token is
    index 1 and stands for unknown words. ``num_words`` keeps only indices below it when
    converting (the vocabulary itself is not cut). ``char_level=True`` tokenizes characters.

    Attributes:
        word_counts: OrderedDict word -> count over all fitted texts, in first-seen order.
        word_docs: word -> number of texts containing it.
        index_docs: index -> number of texts containing it.
        word_index, index_word: the vocabulary both ways.
        document_count: number of texts (or sequences) fitted.

    Example:
        >>> tokenizer = Tokenizer(oov_token="<OOV>")
        >>> tokenizer.fit_on_texts(["먼저 텍스트의 각 단어를 나누어 토큰화 합니다."])
        >>> tokenizer.texts_to_sequences(["텍스트의 단어를 토큰화 해야"])
        [[3, 5, 7, 1]]
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer=None,
        document_count: int = 0,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn("Tokenizer: `nb_words` has been renamed `num_words`.", stacklevel=2)
            num_words = kwargs.pop("nb_words")
        if kwargs:
            raise TypeError(f"Tokenizer: unrecognized keyword arguments: {sorted(kwargs)}")
        self.num_words = num_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.oov_token = oov_token
        self.analyzer = analyzer
        self.document_count = document_count
        self.word_counts: collections.OrderedDict = collections.OrderedDict()
        self.word_docs: collections.defaultdict = collections.defaultdict(int)
        self.index_docs: collections.defaultdict = collections.defaultdict(int)
        self.word_index: dict = {}
        self.index_word: dict = {}

    def _tokens(self, text) -> list:
        # A list is taken as already tokenized; char_level iterates the string itself.
        if self.char_level or isinstance(text, list):
            if self.lower:
                text = [token.lower() for token in text] if isinstance(text, list) \
                    else text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower,
                                     split=self.split)

    def fit_on_texts(self, texts) -> None:
        """Count the words of ``texts`` and (re)build ``word_index``.

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["a b b", "b c"])
            >>> dict(tokenizer.word_counts), tokenizer.word_index
            ({'a': 1, 'b': 3, 'c': 1}, {'b': 1, 'a': 2, 'c': 3})
        """
        word_counts, word_docs = self.word_counts, self.word_docs
        for text in texts:
            self.document_count += 1
            # Counter keeps first-seen order, so word_docs has a fixed order too (Keras walks
            # a set, whose order changes with the string hash seed).
            for token, count in collections.Counter(self._tokens(text)).items():
                word_counts[token] = word_counts.get(token, 0) + count
                word_docs[token] += 1

        # A stable sort: words with equal counts keep their first-seen order.
        by_count = [word for word, _ in sorted(word_counts.items(), key=operator.itemgetter(1),
                                               reverse=True)]
        vocabulary = ([] if self.oov_token is None else [self.oov_token]) + by_count
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, docs in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = docs

    def fit_on_sequences(self, sequences) -> None:
        """Count, for ``tfidf`` matrices, how many sequences hold each index.

        Example:
            >>> tokenizer = Tokenizer(num_words=4)
            >>> tokenizer.fit_on_sequences([[1, 2, 2], [2, 3]])
            >>> tokenizer.document_count, dict(tokenizer.index_docs)
            (2, {1: 1, 2: 2, 3: 1})
        """
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def texts_to_sequences(self, texts) -> list[list[int]]:
        """Each text as a list of word indices; unknown words are dropped (or ``oov_token``).

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["the cat", "the dog"])
            >>> tokenizer.texts_to_sequences(["the bird", "dog"])
            [[1], [3]]
        """
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yield ``texts_to_sequences`` one text at a time.

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["the cat"])
            >>> next(tokenizer.texts_to_sequences_generator(["cat"]))
            [2]
        """
        oov_index = self.word_index.get(self.oov_token)
        for text in texts:
            sequence = []
            for token in self._tokens(text):
                index = self.word_index.get(token)
                if index is not None and not (self.num_words and index >= self.num_words):
                    sequence.append(index)
                elif oov_index is not None:
                    # Unknown, or beyond num_words: the oov_token's index stands in.
                    sequence.append(oov_index)
            yield sequence

    def sequences_to_texts(self, sequences) -> list[str]:
        """Index sequences back to space-joined words (lower-cased, without filtered marks).

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["The cat sat."])
            >>> tokenizer.sequences_to_texts([[1, 3]])
            ['the sat']
        """
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yield ``sequences_to_texts`` one sequence at a time.

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["a b"])
            >>> next(tokenizer.sequences_to_texts_generator([[2, 1]]))
            'b a'
        """
        oov_index = self.word_index.get(self.oov_token)
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is not None and not (self.num_words and index >= self.num_words):
                    words.append(word)
                elif oov_index is not None:
                    words.append(self.index_word[oov_index])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode: str = "binary") -> np.ndarray:
        """One row per text, one column per word index: see ``sequences_to_matrix``.

        Example:
            >>> tokenizer = Tokenizer()
            >>> tokenizer.fit_on_texts(["a a b"])
            >>> tokenizer.texts_to_matrix(["a a b", "b"], mode="count")
            array([[0., 2., 1.],
                   [0., 0., 1.]])
        """
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode: str = "binary") -> np.ndarray:
        """A float64 matrix ``(len(sequences), num_words)`` whose entry ``[i, j]`` scores index
        ``j`` in sequence ``i``: ``binary`` 1 if present, ``count`` occurrences, ``freq``
        occurrences / sequence length, ``tfidf`` ``(1 + log count) * log(1 + docs / (1 +
        docs with j))``. Without ``num_words`` there are ``len(word_index) + 1`` columns;
        indices beyond the last column are ignored.

        Example:
            >>> Tokenizer(num_words=4).sequences_to_matrix([[1, 1, 3]], mode="freq")
            array([[0.        , 0.66666667, 0.        , 0.33333333]])
        """
        if mode not in MATRIX_MODES:
            raise ValueError(
                f"Tokenizer: unknown vectorization mode. Expected one of {MATRIX_MODES}. "
                f"Received: mode={mode!r}"
            )
        if self.num_words:
            num_words = self.num_words
        elif self.word_index:
            num_words = len(self.word_index) + 1
        else:
            raise ValueError(
                "Tokenizer: the matrix width is unknown. Pass `num_words` to Tokenizer, or "
                "call fit_on_texts first."
            )
        if mode == "tfidf" and not self.document_count:
            raise ValueError(
                "Tokenizer: mode='tfidf' needs document counts. Call fit_on_texts or "
                "fit_on_sequences first."
            )

        matrix = np.zeros((len(sequences), num_words))
        lengths = np.zeros(len(sequences))
        rows, columns = [], []
        for row, sequence in enumerate(sequences):
            indices = np.asarray(sequence, dtype=np.int64).reshape(-1)
            if indices.size and indices.min() < 0:
                raise ValueError(
                    "Tokenizer: word indices must be >= 0. "
                    f"Received: {int(indices.min())} in sequence {row}"
                )
            lengths[row] = indices.size
            indices = indices[indices < num_words]
            rows.append(np.full(indices.size, row))
            columns.append(indices)
        if rows:
            np.add.at(matrix, (np.concatenate(rows), np.concatenate(columns)), 1.0)

        present = matrix > 0
        if mode == "binary":
            matrix[present] = 1.0
        elif mode == "freq":
            # Keras divides by the full length, out-of-range indices included.
            matrix /= np.maximum(lengths, 1)[:, None]
        elif mode == "tfidf":
            docs_with = np.zeros(num_words)
            for index, docs in self.index_docs.items():
                if 0 <= index < num_words:
                    docs_with[index] = docs
            idf = np.log(1 + self.document_count / (1 + docs_with))
            matrix[present] = (1 + np.log(matrix[present])) * np.broadcast_to(
                idf, matrix.shape)[present]
        return matrix

    def get_config(self) -> dict:
        """The settings and the fitted vocabulary (dictionaries as JSON strings, as Keras).

        Example:
            >>> tokenizer = Tokenizer(num_words=10)
            >>> tokenizer.fit_on_texts(["hi there"])
            >>> tokenizer.get_config()["word_index"]
            '{"hi": 1, "there": 2}'
        """
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs) -> str:
        """``{"class_name": "Tokenizer", "config": get_config()}`` as JSON; ``kwargs`` go to
        ``json.dumps``. Read it back with ``tokenizer_from_json``.

        Example:
            >>> Tokenizer().to_json()[:27]
            '{"class_name": "Tokenizer",'
        """
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """Rebuild a Tokenizer from ``Tokenizer.to_json()`` output.

    Example:
        >>> tokenizer = Tokenizer()
        >>> tokenizer.fit_on_texts(["a b b"])
        >>> tokenizer_from_json(tokenizer.to_json()).word_index
        {'b': 1, 'a': 2}
    """
    config = dict(json.loads(json_string)["config"])
    word_counts = json.loads(config.pop("word_counts"), object_pairs_hook=collections.OrderedDict)
    word_docs = json.loads(config.pop("word_docs"))
    # JSON object keys are strings: the integer indices are restored here.
    index_docs = {int(key): docs for key, docs in json.loads(config.pop("index_docs")).items()}
    index_word = {int(key): word for key, word in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))

    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = word_counts
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
