"""모두의 딥러닝 (3판) ch17: is a movie review positive? Words to numbers, then embeddings.

The Tokenizer numbers the words of ten short Korean reviews, pad_sequences makes every
review four numbers long, an Embedding turns each word number into an 8-dimensional vector
and one sigmoid unit reads the result.  The book's accuracy on the ten reviews is 0.9-1.0.

    glassnet run examples/books/14_sentence_sentiment.py
"""

import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Dense, Embedding, Flatten
from tensorflow.keras.models import Sequential
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer, text_to_word_sequence
from tensorflow.keras.utils import to_categorical

import book_data

np.random.seed(3)
tf.random.set_seed(3)

# Splitting a sentence into words.
text = '해보지 않으면 해낼 수 없다'
result = text_to_word_sequence(text)
print("\n원문:\n", text)
print("\n토큰화:\n", result)

# Counting words.
docs = ['먼저 텍스트의 각 단어를 나누어 토큰화 합니다.',
        '텍스트의 단어로 토큰화 해야 딥러닝에서 인식됩니다.',
        '토큰화 한 결과는 딥러닝에서 사용할 수 있습니다.',
        ]
token = Tokenizer()
token.fit_on_texts(docs)
print("\n단어 카운트:\n", token.word_counts)
print("\n문장 카운트: ", token.document_count)
print("\n각 단어가 몇 개의 문장에 포함되어 있는가:\n", token.word_docs)
print("\n각 단어에 매겨진 인덱스 값:\n", token.word_index)

# One-hot encoding of a sentence.
text = "오랫동안 꿈꾸는 이는 그 꿈을 닮아간다"
token = Tokenizer()
token.fit_on_texts([text])
x = token.texts_to_sequences([text])
word_size = len(token.word_index) + 1
x = to_categorical(x, num_classes=word_size)
print(x)

# Ten reviews and their labels (1: positive, 0: negative).
docs = ["너무 재밌네요", "최고예요", "참 잘 만든 영화예요", "추천하고 싶은 영화입니다",
        "한번 더 보고싶네요", "글쎄요", "별로예요", "생각보다 지루하네요", "연기가 어색해요",
        "재미없어요"]
classes = np.array([1, 1, 1, 1, 1, 0, 0, 0, 0, 0])

token = Tokenizer()
token.fit_on_texts(docs)
print(token.word_index)

x = token.texts_to_sequences(docs)
print("\n리뷰 텍스트, 토큰화 결과:\n", x)

# Every review becomes four numbers long, zeros in front.
padded_x = pad_sequences(x, 4)
print("\n패딩 결과:\n", padded_x)

word_size = len(token.word_index) + 1

model = Sequential()
model.add(Embedding(word_size, 8, input_length=4))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(padded_x, classes, epochs=book_data.epochs(20))
model.summary()

print("\n Accuracy: %.4f" % (model.evaluate(padded_x, classes)[1]))
