"""Files that must be refused: each raises glassnet's ModelFileError, runs nothing (a canary
file that the attack would create stays absent) and writes nothing anywhere."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib

import numpy as np
import pytest

import glassnet
from glassnet.saving import ModelFileError, load_model
from tests.saving import files


class Canary:
    """Unpickling this creates the canary file."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _listing(folder) -> set:
    """Everything under ``folder`` (the working directory is inside it)."""
    found = set()
    for root, dirs, names in os.walk(folder):
        found.update(os.path.join(root, n) for n in dirs + names)
    return found


@pytest.fixture(autouse=True)
def _own_working_directory(tmp_path, monkeypatch):
    """A working directory of the test's own, so that any stray write would be seen."""
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")


@pytest.fixture
def valid(tmp_path):
    glassnet.utils.set_random_seed(0)
    path = tmp_path / "valid.keras"
    files.small_model().save(path)
    return files.members(path)


def _refused(tmp_path, content, match, canary=None, raw: bytes | None = None, **load_args):
    path = tmp_path / "bad.keras"
    if raw is not None:
        path.write_bytes(raw)
    else:
        files.write_members(path, content)
    before = _listing(tmp_path)
    mtime = os.stat(path).st_mtime_ns
    with pytest.raises(ModelFileError, match=match or None):
        load_model(path, **load_args)
    assert _listing(tmp_path) == before
    assert os.stat(path).st_mtime_ns == mtime
    if canary is not None:
        assert not os.path.exists(canary)


def _replace_first(config, old_class: str, new_entry: dict):
    """Swap the first layer entry of class ``old_class`` in a Sequential config."""
    layers = config["config"]["layers"]
    index = next(i for i, entry in enumerate(layers) if entry["class_name"] == old_class)
    layers[index] = new_entry
    return config


def test_unregistered_class_is_refused(tmp_path, valid):
    config = files.config_of(valid)
    config["config"]["layers"][1]["class_name"] = "EvilDense"
    _refused(tmp_path, files.with_config(valid, config), "unknown class 'EvilDense'")


def test_layer_class_defined_but_not_registered_is_refused(tmp_path):
    class Sneaky(glassnet.layers.Dense):
        pass

    model = glassnet.Sequential([glassnet.layers.Input((3,)), Sneaky(2)])
    model.save(tmp_path / "sneaky.keras")
    content = files.members(tmp_path / "sneaky.keras")
    _refused(tmp_path, content, "unknown class 'Sneaky'")
    # ... while passing it explicitly makes it loadable.
    loaded = load_model(tmp_path / "sneaky.keras", custom_objects={"Sneaky": Sneaky})
    assert isinstance(loaded.layers[0], Sneaky)


@pytest.mark.parametrize("entry", [
    {"module": "builtins", "class_name": "open", "registered_name": "builtins>open",
     "config": {"file": "CANARY", "mode": "w"}},
    {"module": "os", "class_name": "system", "registered_name": None,
     "config": {"command": "touch CANARY"}},
    {"module": "glassnet.layers", "class_name": "Dense", "registered_name": "os>system",
     "config": {"units": 2}},
])
def test_python_callable_paths_are_refused(tmp_path, valid, entry):
    canary = str(tmp_path / "canary")
    entry = {**entry, "config": {k: (canary if v == "CANARY" else
                                     v.replace("CANARY", canary) if isinstance(v, str) else v)
                                 for k, v in entry["config"].items()}}
    for place in ("layer", "activation", "loss", "optimizer"):
        config = files.config_of(valid)
        if place == "layer":
            _replace_first(config, "Dropout", entry)
        elif place == "activation":
            config["config"]["layers"][1]["config"]["activation"] = entry
        elif place == "loss":
            config["compile_config"]["loss"] = entry
        else:
            config["compile_config"]["optimizer"] = entry
        _refused(tmp_path, files.with_config(valid, config),
                 "unknown class|registered object", canary=canary)


def test_function_names_are_never_imported(tmp_path, valid):
    canary = str(tmp_path / "canary")
    config = files.config_of(valid)
    config["compile_config"]["loss"] = {"module": "os", "class_name": "function",
                                        "config": "system", "registered_name": "function"}
    _refused(tmp_path, files.with_config(valid, config), "Unknown loss", canary=canary)
    config = files.config_of(valid)
    config["config"]["layers"][1]["config"]["activation"] = "os.system"
    _refused(tmp_path, files.with_config(valid, config), "Unknown activation")
    config = files.config_of(valid)
    _replace_first(config, "Dropout", {"class_name": "Lambda", "config": {
        "name": "l", "function": "system", "arguments": {}}})
    _refused(tmp_path, files.with_config(valid, config), "code is not stored")


def test_object_array_is_refused_without_unpickling(tmp_path, valid):
    canary = str(tmp_path / "canary")
    arrays = files.arrays_of(valid["model.weights.npz"])
    bomb = np.empty(1, dtype=object)
    bomb[0] = Canary(canary)
    arrays["layers/dense/vars/0"] = bomb
    content = {**valid, "model.weights.npz": files.npz_of(arrays, allow_pickle=True)}
    _refused(tmp_path, content, "dtype object", canary=canary)
    optimizer = {**valid, "optimizer.npz": files.npz_of({"0": bomb}, allow_pickle=True)}
    _refused(tmp_path, optimizer, "dtype object", canary=canary)


@pytest.mark.parametrize("name", ["../x", "/tmp/x", "a/../../x", "C:\\x", "a\\..\\x", "./x",
                                  "a//b"])
def test_member_path_tricks_are_refused(tmp_path, valid, name):
    _refused(tmp_path, {**valid, name: b"data"}, "member")
    arrays = files.arrays_of(valid["model.weights.npz"])
    inner = files.npz_of({**arrays, name.replace("x", "y"): np.zeros(1)})
    _refused(tmp_path, {**valid, "model.weights.npz": inner}, "member")


def test_unexpected_and_duplicate_members_are_refused(tmp_path, valid):
    _refused(tmp_path, {**valid, "run.py": b"import os"}, "unexpected archive member")
    items = list(valid.items()) + [("config.json", valid["config.json"])]
    with pytest.warns(UserWarning, match="Duplicate name"):
        files.write_members(tmp_path / "dup.keras", items)
    _refused(tmp_path, None, "more than once", raw=(tmp_path / "dup.keras").read_bytes())
    _refused(tmp_path, {**valid, "model.weights.h5": b"\x89HDF"}, "written by Keras")


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path, valid):
    # 64 MiB of zeros deflate to about 64 KiB: a 1000:1 ratio.
    size = 64 * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(2**20)
    packed = b"".join(compressor.compress(chunk) for _ in range(size // len(chunk)))
    packed += compressor.flush()
    assert len(packed) * 500 < size
    # Write the member by hand so that the 64 MiB never exist in memory here either.
    data = bytearray()
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    name = b"model.weights.npz"
    header = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, zipfile.ZIP_DEFLATED, 0, 33,
                         crc, len(packed), size, len(name), 0)
    data += header + name + packed
    offset_central = len(data)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0,
                          zipfile.ZIP_DEFLATED, 0, 33, crc, len(packed), size, len(name), 0, 0,
                          0, 0, 0, 0)
    data += central + name
    data += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name),
                        offset_central, 0)
    _refused(tmp_path, None, "zip bomb", raw=bytes(data))


def test_member_longer_than_declared_is_refused(tmp_path, valid):
    path = tmp_path / "lying.keras"
    files.write_members(path, {"config.json": valid["config.json"] + b" " * 200000,
                               **{k: v for k, v in valid.items() if k != "config.json"}},
                        compress={"config.json"})
    raw = files.patch_sizes(path.read_bytes(), 10)
    _refused(tmp_path, None, "config.json", raw=raw)


def test_encrypted_member_is_refused(tmp_path, valid):
    path = tmp_path / "enc.keras"
    files.write_members(path, valid)
    _refused(tmp_path, None, "encrypted", raw=files.set_encrypted_flag(path.read_bytes()))


@pytest.mark.parametrize("cut", [0, 1, 22, 100, 0.5, -1, -30])
def test_truncated_files_are_refused(tmp_path, valid, cut):
    path = tmp_path / "whole.keras"
    files.write_members(path, valid)
    raw = path.read_bytes()
    end = int(len(raw) * cut) if isinstance(cut, float) else cut
    _refused(tmp_path, None, "", raw=raw[:end])


def test_mismatched_missing_and_extra_arrays_are_refused(tmp_path, valid):
    arrays = files.arrays_of(valid["model.weights.npz"])
    for change, match in [
            (lambda a: a.__setitem__("layers/dense/vars/0", np.zeros((3, 5), "float32")),
             "has shape \\(3, 5\\)"),
            (lambda a: a.pop("layers/dense_1/vars/1"), "no arrays for 1 variable"),
            (lambda a: a.__setitem__("layers/dense_2/vars/0", np.zeros(2)), "match no variable"),
            (lambda a: a.__setitem__("layers/dense/vars/0",
                                     np.zeros((3, 4), "complex64")), "dtype complex64")]:
        changed = dict(arrays)
        change(changed)
        _refused(tmp_path, {**valid, "model.weights.npz": files.npz_of(changed)}, match)
    _refused(tmp_path, {**valid, "optimizer.npz": files.npz_of({"0": np.zeros(())})},
             "optimizer has")


def test_lying_array_header_is_refused(tmp_path, valid):
    arrays = files.arrays_of(valid["model.weights.npz"])
    npz = bytearray(files.npz_of(arrays))
    spot = npz.find(b"'shape': (3, 4)")
    npz[spot:spot + 15] = b"'shape': (9, 9)"
    _refused(tmp_path, {**valid, "model.weights.npz": bytes(npz)}, "")


@pytest.mark.parametrize("units", [10**12, 3_000_000])
def test_configs_asking_for_huge_weights_are_refused_quickly(tmp_path, valid, units):
    config = files.config_of(valid)
    config["config"]["layers"][1]["config"]["units"] = units
    _refused(tmp_path, files.with_config(valid, config), "out of range|more weights than")


def test_huge_input_is_refused(tmp_path, valid):
    config = files.config_of(valid)
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 2**20, 2**20]
    _refused(tmp_path, files.with_config(valid, config), "values per sample")


def test_newer_format_and_not_a_model(tmp_path, valid):
    config = files.config_of(valid)
    config["format_version"] = 99
    _refused(tmp_path, files.with_config(valid, config), "Upgrade glassnet")
    _refused(tmp_path, {"model.weights.npz": valid["model.weights.npz"]}, "no config.json")
    _refused(tmp_path, files.with_config(valid, ["not", "a", "dict"]), "does not describe")
    _refused(tmp_path, {**valid, "config.json": b"{not json"}, "not valid JSON")


def test_failed_load_leaves_random_state_alone(tmp_path, valid):
    config = files.config_of(valid)
    config["config"]["layers"][-1]["config"]["units"] = 3  # weights no longer fit
    glassnet.utils.set_random_seed(5)
    state = glassnet.core.random.get_state()
    _refused(tmp_path, files.with_config(valid, config), "does not fit")
    assert glassnet.core.random.get_state() == state
