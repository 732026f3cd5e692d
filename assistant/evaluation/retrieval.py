"""Retrieval quality on a question file: recall@1, recall@5 and MRR per retrieval mode.

A retrieved chunk counts as relevant when it belongs to a gold document and covers at
least half of the gold evidence passage (so a chunk of the right article that does not
contain the answer does not count).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.errors import InputError
from assistant.io import read_jsonl
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.types import Chunk, Document

MODES: tuple[Mode, ...] = ("dense", "bm25", "hybrid")
MRR_DEPTH = 10


@dataclass(frozen=True)
class RetrievalCase:
    id: str
    question: str
    gold_docs: list[str]
    evidence: list[str]
    """Exact substrings of gold documents; a chunk covering any one of them is relevant."""


@dataclass(frozen=True)
class ModeScores:
    mode: str
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: list[str]
    """Ids of questions with no relevant chunk in the top 5."""


def load_cases(path: Path) -> list[RetrievalCase]:
    """Read a JSONL file of {id, question, gold_docs, evidence} (other fields are ignored)."""
    cases = []
    for n, r in read_jsonl(path):
        try:
            evidence = r["evidence"]
            cases.append(RetrievalCase(str(r["id"]), r["question"], list(r["gold_docs"]),
                                       list(evidence) if isinstance(evidence, list) else [evidence]))
        except (KeyError, TypeError, IndexError) as exc:
            raise InputError(f"{path}:{n}: not a valid eval case ({exc})") from None
    return cases


Span = tuple[str, int, int]


def evidence_spans(case: RetrievalCase, docs: dict[str, Document]) -> list[Span]:
    """Where each evidence string sits: (doc id, start, end) in a gold doc that contains it."""
    spans = []
    for evidence in case.evidence:
        found = [(doc_id, at, at + len(evidence)) for doc_id in case.gold_docs
                 if doc_id in docs and (at := docs[doc_id].text.find(evidence)) >= 0]
        if not found:
            raise InputError(f"case {case.id}: evidence {evidence[:40]!r} is not verbatim in its gold documents")
        spans.append(found[0])
    return spans


def is_relevant(chunk: Chunk, spans: list[Span]) -> bool:
    """The chunk covers at least half of one evidence span."""
    for doc_id, start, end in spans:
        covered = max(0, min(end, chunk.end) - max(start, chunk.start))
        if chunk.doc_id == doc_id and covered >= (end - start) / 2:
            return True
    return False


def evaluate(retriever: HybridRetriever, cases: list[RetrievalCase], docs: list[Document]) -> list[ModeScores]:
    """Each retrieval mode of `retriever`, scored on `cases`."""
    return [score_rankings(mode, [[h.chunk for h in retriever.search(c.question, k=MRR_DEPTH, mode=mode).hits]
                                  for c in cases], cases, docs)
            for mode in MODES]


def score_rankings(name: str, rankings: list[list[Chunk]], cases: list[RetrievalCase],
                   docs: list[Document]) -> ModeScores:
    """recall@1, recall@5 and MRR of one ranked chunk list per case (any retriever's)."""
    by_id = {d.id: d for d in docs}
    r1 = r5 = rr = 0.0
    misses = []
    for ranking, case in zip(rankings, cases):
        spans = evidence_spans(case, by_id)
        ranks = [rank for rank, chunk in enumerate(ranking, start=1) if is_relevant(chunk, spans)]
        first = ranks[0] if ranks else None
        r1 += first == 1
        r5 += first is not None and first <= 5
        rr += 1.0 / first if first else 0.0
        if first is None or first > 5:
            misses.append(case.id)
    n = max(len(cases), 1)
    return ModeScores(name, r1 / n, r5 / n, rr / n, misses)


def format_table(scores: list[ModeScores], n_cases: int) -> str:
    lines = [f"retrieval on {n_cases} questions", "",
             "| mode | recall@1 | recall@5 | MRR@10 |", "|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.mode} | {s.recall_at_1:.3f} | {s.recall_at_5:.3f} | {s.mrr:.3f} |")
    for s in scores:
        if s.misses:
            lines.append(f"{s.mode} misses@5: {', '.join(s.misses)}")
    return "\n".join(lines)
