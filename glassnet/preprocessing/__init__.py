"""Data preprocessing in the Keras 2 layout: ``preprocessing.sequence`` and ``preprocessing.text``.

Example:
    >>> from glassnet.preprocessing import sequence, text
    >>> sequence.pad_sequences(text.Tokenizer(num_words=3).texts_to_sequences([]), maxlen=2)
    array([], shape=(0, 2), dtype=int32)
"""

from glassnet.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
