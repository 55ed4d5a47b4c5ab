"""Where each dataset file comes from and the digests it may have: one table for all loaders.

Every file a loader reads is a ``RemoteFile`` in ``FILES``, keyed by its path inside the cache
directory (``$GLASSNET_HOME/datasets``).  ``urls`` are tried in order; a download (or a file
already in the cache) is used only when one of ``digests`` matches it.  Each digest names its
algorithm: Keras pins SHA-256 for its ``.npz`` files and MD5 for its two word-index files.

MNIST and Fashion-MNIST accept two published SHA-256 values per file: the same image bytes
have been gzip-compressed more than once (the gzip header holds a time stamp and a name), and
each wrapping is pinned as it is found on the hosts and in the copies people keep.

Example:
    >>> FILES["imdb.npz"].digests
    ('sha256:69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KERAS_BUCKET = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# MNIST's IDX files: Google's and PyTorch's mirrors first, the original site last because it
# has refused anonymous downloads at times.
MNIST_HOSTS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
FASHION_MNIST_HOSTS = (
    KERAS_BUCKET,
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
)
CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"

_DIGEST = re.compile(r"^(sha256:[0-9a-f]{64}|md5:[0-9a-f]{32})$")


@dataclass(frozen=True)
class RemoteFile:
    """One downloadable file: cache path (``/``-separated), source URLs, accepted digests.

    Example:
        >>> spec = RemoteFile("boston_housing.npz", (KERAS_BUCKET + "boston_housing.npz",),
        ...                   ("sha256:" + "0" * 64,), "Boston housing")
        >>> spec.algorithms
        ('sha256',)
    """

    path: str
    urls: tuple[str, ...]
    digests: tuple[str, ...]
    description: str

    def __post_init__(self):
        if not self.digests:
            raise ValueError(f"RemoteFile {self.path!r} needs at least one digest to check "
                             "downloads against. Received: digests=()")
        for digest in self.digests:
            if not _DIGEST.match(digest):
                raise ValueError(
                    f"RemoteFile {self.path!r}: a digest is 'sha256:<64 hex digits>' or "
                    f"'md5:<32 hex digits>'. Received: {digest!r}")

    @property
    def algorithms(self) -> tuple[str, ...]:
        """The hash algorithms named by ``digests``, each once, in order."""
        return tuple(dict.fromkeys(digest.split(":")[0] for digest in self.digests))


FILES: dict[str, RemoteFile] = {}


def _add(path: str, urls, digests, description: str) -> None:
    FILES[path] = RemoteFile(path, tuple(urls), tuple(digests), description)


def _idx_files(folder: str, hosts, title: str, digests: dict) -> None:
    parts = {"train-images-idx3-ubyte.gz": "training images",
             "train-labels-idx1-ubyte.gz": "training labels",
             "t10k-images-idx3-ubyte.gz": "test images",
             "t10k-labels-idx1-ubyte.gz": "test labels"}
    for name, part in parts.items():
        _add(f"{folder}/{name}", [host + name for host in hosts],
             [f"sha256:{value}" for value in digests[name]], f"{title} {part}")


# First value: the files as the hosts above serve them.  Second: the same IDX bytes in a gzip
# wrapping of April 2023 (the copy kept beside this project); both decompress to identical data.
_idx_files("mnist", MNIST_HOSTS, "MNIST", {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "b09d8b89df4ad239afc76a323dbe9559169cd8cca365467dfe8aa1f7ca54109b"),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "c51906e7929bbf7c824fbd16019b56297269ca82cba449c5b5d59c0a02147fed"),
    "t10k-images-idx3-ubyte.gz": (
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "f72c2dff3457595ec2fe452d25d97b7f974a74ad5b006687704212bedd1486d8"),
    "t10k-labels-idx1-ubyte.gz": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        "4baf84ddd60ae342cfdd282ec3fba3249a201a4459782165496a7cbebbe49a2e"),
})

# First value: the files whose MD5 the Fashion-MNIST authors publish.  Second: the first
# release of August 2017, as pinned by loaders written at the time.
_idx_files("fashion-mnist", FASHION_MNIST_HOSTS, "Fashion-MNIST", {
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc"),
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc"),
    "t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229"),
    "t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf"),
})

# Keras's own files and the digests Keras pins for them.
_add("mnist.npz", [KERAS_BUCKET + "mnist.npz"],
     ["sha256:731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"],
     "MNIST (Keras's .npz copy)")
_add("imdb.npz", [KERAS_BUCKET + "imdb.npz"],
     ["sha256:69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"],
     "IMDB reviews")
_add("imdb_word_index.json", [KERAS_BUCKET + "imdb_word_index.json"],
     ["md5:bfafd718b763782e994055a2d397834f"], "IMDB word index")
_add("reuters.npz", [KERAS_BUCKET + "reuters.npz"],
     ["sha256:d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"],
     "Reuters newswires")
_add("reuters_word_index.json", [KERAS_BUCKET + "reuters_word_index.json"],
     ["md5:4d44cc38712099c9e383dc6e5f11a921"], "Reuters word index")
_add("boston_housing.npz", [KERAS_BUCKET + "boston_housing.npz"],
     ["sha256:f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"],
     "Boston housing")
_add("cifar-10-python.tar.gz", [CIFAR10_URL],
     ["sha256:6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"],
     "CIFAR-10 (python batches)")
