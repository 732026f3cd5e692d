"""Answer quality on a dev set: key facts, citation precision/recall, faithfulness, refusals, language, latency.

Citation precision and recall follow ALCE (Gao et al. 2023) with our own support judge in
place of its 11B NLI model: precision = share of citations whose passage supports the
sentence they are attached to; recall = share of answer sentences with a supporting citation.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from assistant.answer.support import CITATION_MARKER, Idf, judge
from assistant.answer.verify import jointly_supported, needed_citations
from assistant.arabic.morphology import phrase_pattern
from assistant.arabic.normalize import match_key
from assistant.arabic.numbers import numbers_in
from assistant.arabic.script import is_arabic_prose
from assistant.arabic.sentences import sentence_spans
from assistant.errors import InputError
from assistant.evaluation.stats import percentile
from assistant.io import read_jsonl
from assistant.types import Answer


@dataclass(frozen=True)
class DevCase:
    id: str
    question: str
    type: str
    answer: str
    key_facts: list[str]
    gold_docs: list[str]
    evidence: list[str]
    history: list[str] = field(default_factory=list)
    """Earlier questions of the conversation, for a follow-up («ومن رافقه؟»)."""

    @property
    def answerable(self) -> bool:
        return bool(self.key_facts)


@dataclass
class CaseResult:
    id: str
    question: str
    type: str
    answerable: bool
    answer: str
    refused: bool
    key_fact_recall: float | None
    citations: int
    supported_citations: int
    sentences: int
    cited_supported_sentences: int
    faithful_sentences: int
    arabic: bool
    timings_ms: dict[str, float]
    citation_docs: list[str] = field(default_factory=list)
    fallback_reason: str | None = None
    refusal_reason: str | None = None


def load_dev(path: Path) -> list[DevCase]:
    cases = []
    for n, record in read_jsonl(path):
        try:
            cases.append(DevCase(**record))
        except TypeError as exc:
            raise InputError(f"{path}:{n}: not a valid dev case ({exc})") from None
    return cases


def fact_found(fact: str, answer: str) -> bool:
    """A key fact is in the answer, as whole words after normalisation (spelling variants,
    proclitics such as و/ب/لل, digits; a fact that is only a number also matches its number word)."""
    key, text = match_key(fact), match_key(answer)
    if all(numbers_in(word) for word in key.split()):
        return numbers_in(fact) <= numbers_in(answer)
    return phrase_pattern(key).search(text) is not None


def score_case(case: DevCase, answer: Answer, retrieved_text: str, idf: Idf | None) -> CaseResult:
    """Score one answer. `retrieved_text` is everything the retriever returned (for faithfulness)."""
    quotes = {c.n: c.quote for c in answer.citations}
    sentences = [answer.answer[s.start:s.end] for s in sentence_spans(answer.answer)] if not answer.refused else []
    n_cit = n_cit_ok = n_sent_ok = n_faithful = 0
    for sentence in sentences:
        cited = [int(n) for n in CITATION_MARKER.findall(sentence) if int(n) in quotes]
        texts = [quotes[n] for n in cited]
        together = jointly_supported(sentence, texts, idf)
        # a citation is precise if its passage supports the sentence, or is a needed part of the
        # passages that support it together (a sentence that joins two facts cites both)
        needed = needed_citations(sentence, texts, idf) if together else [False] * len(cited)
        ok = [n for n, need in zip(cited, needed) if need or judge(sentence, quotes[n], idf).supported]
        n_cit += len(cited)
        n_cit_ok += len(ok)
        n_sent_ok += bool(ok) or together
        n_faithful += judge(sentence, retrieved_text, idf).supported
    recall = None
    if case.answerable:
        recall = 0.0 if answer.refused else sum(fact_found(f, answer.answer) for f in case.key_facts) / len(case.key_facts)
    return CaseResult(case.id, case.question, case.type, case.answerable, answer.answer, answer.refused, recall,
                      n_cit, n_cit_ok, len(sentences), n_sent_ok, n_faithful, is_arabic_prose(answer.answer),
                      answer.timings_ms, [c.doc_id for c in answer.citations], answer.fallback_reason,
                      answer.refusal_reason)


def summarize(results: list[CaseResult]) -> dict[str, float]:
    """Aggregate metrics (the names used in reports and thresholds)."""
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    refused = [r for r in results if r.refused]
    cit = sum(r.citations for r in results)
    sent = sum(r.sentences for r in results)
    summary = {
        "questions": float(len(results)),
        "key_fact_accuracy": _mean(r.key_fact_recall or 0.0 for r in answerable),
        "citation_precision": sum(r.supported_citations for r in results) / cit if cit else 1.0,
        "citation_recall": sum(r.cited_supported_sentences for r in results) / sent if sent else 1.0,
        "faithfulness": sum(r.faithful_sentences for r in results) / sent if sent else 1.0,
        "refusal_precision": sum(not r.answerable for r in refused) / len(refused) if refused else 1.0,
        "refusal_recall": sum(r.refused for r in unanswerable) / len(unanswerable) if unanswerable else 1.0,
        "wrong_refusal_rate": sum(r.refused for r in answerable) / len(answerable) if answerable else 0.0,
        "arabic_rate": _mean(float(r.arabic) for r in results),
    }
    for stage in ("retrieve", "generate", "verify", "total"):
        values = [r.timings_ms.get(stage, 0.0) for r in results]
        summary[f"{stage}_p50_ms"] = percentile(values, 50)
        summary[f"{stage}_p95_ms"] = percentile(values, 95)
    return summary


def run_cases(cases: Iterable[DevCase], ask: Callable[[DevCase], tuple[Answer, str]],
              idf: Idf | None) -> list[CaseResult]:
    results = []
    for case in cases:
        answer, retrieved_text = ask(case)
        results.append(score_case(case, answer, retrieved_text, idf))
    return results


def results_json(results: list[CaseResult]) -> list[dict]:
    return [asdict(r) for r in results]


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0
