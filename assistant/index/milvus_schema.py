"""The Milvus store's collections, filter expressions and client calls (`milvus_store.MilvusStore` uses them).

Four collections per prefix: `_chunks` (raw text for display, stems for BM25, the dense vector, publisher
and day for filters), `_sentences` (each sentence's vector and stems, for answering and for reuse by text
key), `_docs` (id and content hash: written last, it marks a document as indexed) and `_meta` (the
fingerprint, corpus hash and generation). Milvus needs a vector field in every collection, so the last two
carry a 2-d placeholder.

Stems are ours (normalised, light-stemmed in Python), written as hex so that the standard analyzer, the only
one milvus-lite has besides jieba, keeps each one whole: lite, a server and a cluster then count exactly
the terms bm25s counts.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable, Sequence, TypeVar

from assistant.errors import StorageError
from assistant.index.base import day_range
from assistant.types import SearchFilters

log = logging.getLogger(__name__)
T = TypeVar("T")
TRIES = 3
ROWS_PER_CALL = 512
"""Rows per insert request (well under the server's 64 MB message limit at 384-d)."""
TEXT_BYTES = 65_535
"""Milvus's largest VARCHAR."""
PLACEHOLDER = [0.0, 1.0]
BM25 = {"bm25_k1": 1.5, "bm25_b": 0.75}
"""bm25s's defaults, so Milvus ranks as our FAISS store's BM25 does."""
INDEX_PARAMS = {"FLAT": {}, "HNSW": {"M": 16, "efConstruction": 200}, "HNSW_SQ": {"M": 16, "efConstruction": 200,
                "sq_type": "SQ8"}, "IVF_SQ8": {"nlist": 1024}}
SEARCH_PARAMS = {"FLAT": {}, "HNSW": {"ef": 128}, "HNSW_SQ": {"ef": 128}, "IVF_SQ8": {"nprobe": 64}}


def encode(tokens: Sequence[str]) -> str:
    """Stems as one text the standard analyzer splits back into exactly these terms."""
    return " ".join(t.encode("utf-8").hex() for t in tokens)


def decode(text: str) -> list[str]:
    return [bytes.fromhex(t).decode("utf-8") for t in text.split()]


def quoted(values: Sequence[str]) -> str:
    """A Milvus list literal of strings (JSON escaping is Milvus's)."""
    return json.dumps(list(values), ensure_ascii=False)


def filter_expr(filters: SearchFilters | None) -> str:
    """`SearchFilters` as a boolean expression over the chunks' `source` and `day` ("" when none)."""
    since, until = day_range(filters)
    parts = [f"source in {quoted(filters.sources)}"] if filters and filters.sources else []
    if since is not None or until is not None:
        parts.append("day >= 0")  # an undated document is left out of any search with a date bound
    if since is not None:
        parts.append(f"day >= {since}")
    if until is not None:
        parts.append(f"day <= {until}")
    return " and ".join(parts)


def connect(uri: str, token: str, db: str, timeout: float) -> Any:
    """A `MilvusClient`; an unreachable server or a missing package is one line."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise StorageError("the Milvus store needs pymilvus: pip install 'assistant[milvus]'") from None
    try:
        return MilvusClient(uri=uri, token=token, db_name=db, timeout=timeout)
    except Exception as exc:  # pymilvus raises MilvusException or grpc errors, with tracebacks in the text
        raise StorageError(f"cannot reach Milvus at {uri} ({_short(exc)})") from None


def retried(what: str, call: Callable[[], T], uri: str) -> T:
    """`call()`, tried again after a pause when it fails (a busy or restarting server); then one line."""
    for attempt in range(1, TRIES + 1):
        try:
            return call()
        except StorageError:
            raise
        except Exception as exc:
            if attempt == TRIES:
                raise StorageError(f"Milvus at {uri}: {what} failed {TRIES} times ({_short(exc)})") from None
            log.warning("Milvus %s failed (%s); trying again", what, _short(exc))
            time.sleep(0.5 * 2 ** attempt)
    raise AssertionError("unreachable")


def _short(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc)
    return str(text).splitlines()[0][:200]


def create_collections(client: Any, prefix: str, dim: int, index: str) -> None:
    """The four collections, each created only if missing (their schemas are fixed at creation)."""
    from pymilvus import DataType, Function, FunctionType

    def schema(key: str, fields: list[tuple[str, Any, dict]]) -> Any:
        out = client.create_schema(auto_id=False, enable_dynamic_field=False)
        out.add_field(key, DataType.VARCHAR, max_length=TEXT_BYTES, is_primary=True)
        for name, kind, extra in fields:
            out.add_field(name, kind, **extra)
        return out

    text = {"max_length": TEXT_BYTES}
    chunks = schema("chunk_id", [
        ("doc_id", DataType.VARCHAR, text), ("title", DataType.VARCHAR, text), ("source", DataType.VARCHAR, text),
        ("date", DataType.VARCHAR, text), ("day", DataType.INT64, {}), ("start", DataType.INT64, {}),
        ("end", DataType.INT64, {}), ("text", DataType.VARCHAR, text),
        ("stems", DataType.VARCHAR, {**text, "enable_analyzer": True, "enable_match": True,
                                     "analyzer_params": {"type": "standard"}}),
        ("sparse", DataType.SPARSE_FLOAT_VECTOR, {}), ("dense", DataType.FLOAT_VECTOR, {"dim": dim})])
    chunks.add_function(Function(name="stems_bm25", function_type=FunctionType.BM25,
                                 input_field_names=["stems"], output_field_names=["sparse"]))
    sentences = schema("sentence_id", [
        ("doc_id", DataType.VARCHAR, text), ("source", DataType.VARCHAR, text), ("day", DataType.INT64, {}),
        ("start", DataType.INT64, {}), ("end", DataType.INT64, {}), ("key", DataType.VARCHAR, {"max_length": 64}),
        ("tokens", DataType.VARCHAR, text), ("chunk_ids", DataType.VARCHAR, text),
        ("vector", DataType.FLOAT_VECTOR, {"dim": dim})])
    docs = schema("doc_id", [("content_hash", DataType.VARCHAR, {"max_length": 64}),
                             ("source", DataType.VARCHAR, text), ("placeholder", DataType.FLOAT_VECTOR, {"dim": 2})])
    meta = schema("key", [("value", DataType.VARCHAR, text), ("placeholder", DataType.FLOAT_VECTOR, {"dim": 2})])
    for name, fields, vector in ((f"{prefix}_chunks", chunks, "dense"), (f"{prefix}_sentences", sentences, "vector"),
                                 (f"{prefix}_docs", docs, "placeholder"), (f"{prefix}_meta", meta, "placeholder")):
        if client.has_collection(name):
            continue
        params = client.prepare_index_params()
        searched = vector in ("dense", "vector")
        params.add_index(vector, index_type=index if searched else "FLAT", metric_type="IP",
                         params=INDEX_PARAMS[index] if searched else {})
        if vector == "dense":
            params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25)
        for scalar in ("doc_id", "key", "source", "day"):
            if scalar in {f.name for f in fields.fields} and not (scalar == "doc_id" and name.endswith("_docs")):
                params.add_index(scalar, index_type="INVERTED")
        client.create_collection(name, schema=fields, consistency_level="Strong")
        client.create_index(name, params, sync=False)  # lite cannot wait on an index (no AllocTimestamp); a
        client.load_collection(name)                   # server builds it before the load returns


def chunk_row(chunk: Any, day: int | None, tokens: Sequence[str], vector: Any) -> dict:
    """A `_chunks` row; a chunk too long for a Milvus VARCHAR is a one-line error naming its document."""
    stems = encode(tokens)
    if max(len(chunk.text.encode("utf-8")), len(stems)) > TEXT_BYTES:
        raise StorageError(f"{chunk.doc_id}: a passage of {len(chunk.text)} characters is longer than a Milvus "
                           f"text field holds ({TEXT_BYTES} bytes); split the article into paragraphs")
    return {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "title": chunk.title, "source": chunk.source or "",
            "date": chunk.date or "", "day": -1 if day is None else day, "start": chunk.start, "end": chunk.end,
            "text": chunk.text, "stems": stems, "dense": [float(x) for x in vector]}


class Collections:
    """The four collections of one prefix, each call retried (`retried`)."""

    def __init__(self, client: Any, prefix: str, uri: str) -> None:
        self.client, self.uri = client, uri
        self.names = {k: f"{prefix}_{k}" for k in ("chunks", "sentences", "docs", "meta")}

    def query(self, key: str, expr: str, fields: list[str], limit: int = 16_384) -> list[dict]:
        return retried("query", lambda: self.client.query(self.names[key], filter=expr, output_fields=fields,
                                                           limit=limit), self.uri)

    def scan(self, key: str, fields: list[str], expr: str = "") -> list[dict]:
        """Every row (in pages: one query returns at most 16,384)."""
        def read() -> list[dict]:
            pages, out = self.client.query_iterator(self.names[key], batch_size=1000, filter=expr,
                                                    output_fields=fields), []
            while page := pages.next():
                out += page
            pages.close()
            return out
        return retried("reading all rows", read, self.uri)

    def count(self, key: str, expr: str = "") -> int:
        rows = retried("count", lambda: self.client.query(self.names[key], filter=expr,
                                                           output_fields=["count(*)"]), self.uri)
        return int(rows[0]["count(*)"])

    def upsert(self, key: str, rows: list[dict]) -> None:
        """Upserts (not inserts) so that a retried call never leaves a row twice."""
        for at in range(0, len(rows), ROWS_PER_CALL):
            batch = rows[at:at + ROWS_PER_CALL]
            retried(f"writing {key}", lambda: self.client.upsert(self.names[key], batch), self.uri)

    def flush(self) -> None:
        """Seal what was written, so it is searched through its index: milvus-lite keeps unflushed rows in a
        growing segment that every search scans row by row (`assistant bench --store`: seconds per query at
        10^4 chunks unflushed, tens of ms flushed)."""
        for key in ("chunks", "sentences"):
            retried(f"flushing {key}", lambda: self.client.flush(self.names[key]), self.uri)

    def remove(self, doc_ids: list[str]) -> None:
        """Every row of these documents: the docs row (the commit mark) first."""
        for at in range(0, len(doc_ids), 256):
            expr = f"doc_id in {quoted(doc_ids[at:at + 256])}"
            for key in ("docs", "chunks", "sentences"):
                retried(f"deleting {key}", lambda: self.client.delete(self.names[key], filter=expr), self.uri)
