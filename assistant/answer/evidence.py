"""Pick the sentences that answer a question out of the retrieved chunks.

The prompt of a small local model must stay short (~95 prompt tokens/s on 2 cores), and
the extractive backend answers with these sentences verbatim, so both need the few
sentences that matter, not whole chunks. Each sentence is scored by its e5 similarity to
the question plus the idf-weighted share of the question's content words it contains.
Vectors and stems of sentences come from the store (computed once at index time).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Hashable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answer.weights import FoundIdf, bm25_idf
from assistant.arabic.morphology import tokenize
from assistant.arabic.normalize import match_key
from assistant.arabic.sentences import sentence_spans
from assistant.index.base import MIN_SENTENCE_WORDS, Store, StoredSentence
from assistant.types import Hit, Query, Source

LEXICAL_WEIGHT = 0.35


@dataclass(frozen=True)
class ScoredSentence:
    hit: Hit
    text: str
    start: int
    end: int
    dense: float
    lexical: float
    learned: float | None = None
    """The learned ranker's probability that this sentence answers the question (None: not ranked by it)."""

    @property
    def score(self) -> float:
        return self.dense + LEXICAL_WEIGHT * self.lexical


Scored = tuple[list[ScoredSentence], list[ScoredSentence] | None]
"""The sentences scored against the question searched, and against a follow-up's own words (or None)."""


def score_sentences(query: Query, vector: Sequence[float], hits: list[Hit], embedder: BaseEmbedding,
                    store: Store) -> list[ScoredSentence]:
    """Every distinct sentence of the hits, scored against `query` (whose e5 vector is `vector`), best first."""
    seen: set[tuple[str, int]] = set()
    candidates: list[tuple[Hit, int, int]] = []
    for hit in hits:
        for span in sentence_spans(hit.chunk.text):
            start, end = hit.chunk.start + span.start, hit.chunk.start + span.end
            if span.is_heading or span.words < MIN_SENTENCE_WORDS or (hit.chunk.doc_id, start) in seen:
                continue
            seen.add((hit.chunk.doc_id, start))
            candidates.append((hit, start, end))
    if not candidates:
        return []
    texts = [h.chunk.text[s - h.chunk.start:e - h.chunk.start] for h, s, e in candidates]
    stored = [store.sentence(hit.chunk.doc_id, start, end) for hit, start, end in candidates]
    dense = _vectors(stored, texts, embedder) @ np.asarray(vector, dtype=np.float32)
    q_tokens = set(query.tokens)
    q_weight = sum(store.idf(t) for t in q_tokens) or 1.0
    scored = []
    for (hit, start, end), text, s, d in zip(candidates, texts, stored, dense):
        shared = q_tokens & set(s.tokens if s is not None else tokenize(text))
        scored.append(ScoredSentence(hit, text, start, end, float(d), sum(store.idf(t) for t in shared) / q_weight))
    return sorted(scored, key=lambda s: -s.score)


def subject_weights(query: Query, hits: Sequence[Hit]) -> dict[str, float]:
    """Each of the question's stems weighed by how rare it is among the passages retrieved for it (BM25's idf
    over those passages): the words they all share are the subject, the rest are what is asked. Unlike the
    index's idf this means the same among 32 chunks on one story and among 10^5 on everything: there «كوريا»
    weighs 0.1 and 3.8 by the index (docs/experiments.md), here little in both."""
    idf = FoundIdf(hits, lambda _: bm25_idf(len(hits), 0))  # a stem no passage holds: the rarest there
    return {token: idf(token) for token in set(query.tokens)}


def subject_share(weights: dict[str, float], present: set[str]) -> float:
    """The share of the question's `subject_weights` that a sentence with the stems `present` holds (0: none
    weighs anything)."""
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def asked_score(sentence: ScoredSentence, weights: dict[str, float]) -> float:
    """`sentence.score` with the question's words weighed by `subject_weights` instead of the index's idf."""
    return sentence.dense + LEXICAL_WEIGHT * subject_share(weights, set(tokenize(sentence.text)))


def distinct(ranked: list[ScoredSentence], key: Callable[[str], Hashable] = match_key) -> list[ScoredSentence]:
    """Each sentence once, at its best place: a paragraph repeated within an article, or a story reprinted by
    several papers, would otherwise fill the answer with the same sentence twice (124 of 675 ARCD answers did).
    `key` says when two are the same: their match keys (for the candidates), or `same_words`."""
    seen: set[Hashable] = set()
    kept = []
    for s in ranked:
        seen_as = key(s.text)
        if seen_as not in seen:
            seen.add(seen_as)
            kept.append(s)
    return kept


def same_words(text: str) -> tuple[str, ...]:
    """A sentence's content stems in order: a reprint that only adds a «و» or a comma has the same ones. For
    what an answer quotes, not for the candidates: dropping reprints there changes the ranks the learned
    models read (followups_blind lost a question), while the quoted sentences only lose a repeat."""
    return tuple(tokenize(text))


def follow_up_scores(searched: list[ScoredSentence], typed: list[ScoredSentence]) -> list[ScoredSentence]:
    """For a follow-up: each sentence's score for the follow-up as typed, or, if higher, the mean of that and
    its score for the question searched (the follow-up with the question it depends on); best first.

    The searched question finds the right passages, but its words are mostly the earlier question's and
    alone would pick the earlier answer again; a sentence that matches only them gets half their weight,
    while one that matches the follow-up's own words keeps the score those earn. Both lists must score
    the same hits."""
    own = {(s.hit.chunk.doc_id, s.start): s for s in typed}
    scored = []
    for s in searched:
        alone = own[(s.hit.chunk.doc_id, s.start)]
        mean = replace(s, dense=(s.dense + alone.dense) / 2, lexical=(s.lexical + alone.lexical) / 2)
        scored.append(max(alone, mean, key=lambda x: x.score))
    return sorted(scored, key=lambda s: -s.score)


def _vectors(stored: list[StoredSentence | None], texts: list[str], embedder: BaseEmbedding) -> np.ndarray:
    """Vectors from the store (embedded at build time); any sentence it lacks is embedded now."""
    vectors = [s.vector if s is not None else None for s in stored]
    missing = [i for i, v in enumerate(vectors) if v is None]
    if missing:
        for i, vec in zip(missing, embedder.get_text_embedding_batch([texts[i] for i in missing])):
            vectors[i] = np.asarray(vec, dtype=np.float32)
    return np.vstack(vectors).astype(np.float32)


def as_sources(sentences: list[ScoredSentence]) -> list[Source]:
    """Number the chosen sentences 1..n, in the order given."""
    return [Source(n=i, doc_id=s.hit.chunk.doc_id, chunk_id=s.hit.chunk.chunk_id, title=s.hit.chunk.title,
                   source=s.hit.chunk.source, text=s.text, start=s.start, end=s.end, score=s.score)
            for i, s in enumerate(sentences, start=1)]
