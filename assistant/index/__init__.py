"""Indexing: documents in, a searchable store out.

`embeddings` turns text into e5 vectors (llama-index `BaseEmbedding`s); `bm25` scores Arabic stems;
`base.Store` is what retrieval needs from any index (dense and lexical search, chunks, per-sentence vectors
and stems, idf); `faiss_store.FaissStore` is the embedded default, written as atomic `versions`, with
`vectors` reusing every vector already computed; `milvus_store.MilvusStore` holds the same index in Milvus
(embedded milvus-lite or a cluster, `milvus_schema` and `milvus_search` beside it), and `ray_embed` embeds an
ingest's new sentences on a Ray cluster.
"""
