"""Recurrent layers and their wrappers, as in ``keras.layers``.

Example:
    >>> from glassnet.layers.rnn import LSTM, Bidirectional
    >>> Bidirectional(LSTM(8))(np.zeros((2, 5, 3))).shape
    (2, 16)
"""

from glassnet.layers.rnn.bidirectional import Bidirectional
from glassnet.layers.rnn.gru import GRU
from glassnet.layers.rnn.lstm import LSTM
from glassnet.layers.rnn.masking import Masking
from glassnet.layers.rnn.simple_rnn import SimpleRNN
from glassnet.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "GRU", "LSTM", "Masking", "SimpleRNN", "TimeDistributed"]
