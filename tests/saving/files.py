"""Helpers to make valid model files and altered copies of them (for the safety tests)."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import numpy as np

import glassnet


def small_model():
    model = glassnet.Sequential([glassnet.layers.Input((3,)),
                                 glassnet.layers.Dense(4, activation="relu", name="hidden"),
                                 glassnet.layers.Dropout(0.2),
                                 glassnet.layers.Dense(2, activation="softmax", name="out")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
    model.fit(x, np.arange(8) % 2, epochs=1, batch_size=4, verbose=0)
    return model


def functional_model():
    a = glassnet.layers.Input((3,), name="a")
    b = glassnet.layers.Input((2,), name="b")
    shared = glassnet.layers.Dense(2, name="shared")
    h = shared(a) + shared(glassnet.layers.Dense(3, name="lift")(b))
    out1 = glassnet.layers.Dense(1, name="out1")(h)
    out2 = glassnet.layers.Dense(2, activation="softmax", name="out2")(h * 0.5)
    model = glassnet.Model([a, b], [out1, out2])
    model.compile(optimizer="rmsprop", loss=["mse", "sparse_categorical_crossentropy"],
                  metrics=[["mae"], ["accuracy"]])
    rng = np.random.default_rng(1)
    x = [rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 2)).astype("float32")]
    model.fit(x, [rng.normal(size=(8, 1)), np.arange(8) % 2], epochs=1, verbose=0)
    return model


def members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(path, content: dict, compress=()) -> None:
    """A zip with ``content`` (name -> bytes), duplicates allowed as a list of pairs."""
    items = content.items() if isinstance(content, dict) else content
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if name in compress else \
                zipfile.ZIP_STORED
            archive.writestr(info, data)


def config_of(content: dict) -> dict:
    return json.loads(content["config.json"])


def with_config(content: dict, config: dict) -> dict:
    return {**content, "config.json": json.dumps(config).encode()}


def npz_of(arrays: dict, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for key, value in arrays.items():
            raw = io.BytesIO()
            np.lib.format.write_array(raw, np.asarray(value), allow_pickle=allow_pickle)
            archive.writestr(f"{key}.npy", raw.getvalue())
    return buffer.getvalue()


def arrays_of(npz: bytes) -> dict:
    with np.load(io.BytesIO(npz), allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def patch_sizes(data: bytes, new_size: int) -> bytes:
    """Make the first member declare ``new_size`` uncompressed bytes (local header and
    central directory), keeping everything else."""
    data = bytearray(data)
    struct.pack_into("<I", data, 22, new_size)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, new_size)
    return bytes(data)


def set_encrypted_flag(data: bytes) -> bytes:
    data = bytearray(data)
    flags = struct.unpack_from("<H", data, 6)[0] | 1
    struct.pack_into("<H", data, 6, flags)
    central = data.find(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, flags)
    return bytes(data)


def nested_model():
    """A functional model holding a nested Sequential (with a seeded Dropout) and a nested
    functional model, sliced and scaled symbolic tensors."""
    inner_seq = glassnet.Sequential([glassnet.layers.Input((4,)), glassnet.layers.Dense(3),
                                     glassnet.layers.Dropout(0.3, seed=4)], name="inner_seq")
    inner_in = glassnet.layers.Input((3,))
    inner_fn = glassnet.Model(inner_in, glassnet.layers.Dense(2)(inner_in), name="inner_fn")
    inputs = glassnet.layers.Input((4,))
    hidden = inner_seq(inputs)
    out = inner_fn(hidden * 2.0) + hidden[:, :2]
    model = glassnet.Model(inputs, out)
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(2).normal(size=(8, 4)).astype("float32")
    model.fit(x, x[:, :2], epochs=1, verbose=0)
    return model
