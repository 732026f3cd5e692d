"""The short answer: the few words of a cited sentence that answer the question («عام 1958», «جدة»).

Input: the question and the best sentences (learned order). Every run of 1 to `MAX_WORDS` words of each is a
candidate; a gradient-boosted ranker (LightGBM LambdaRank, fitted by `assistant train` on SQuAD-style data,
graded by each span's F1 against the gold answer) orders them from where each stands relative to the
question's words, what kind of words it holds and starts and ends with, what kind of thing they name and
the words right outside it (`span_context`), the answer type, how its sentence holds the question's words
and how likely it is to answer, and how often its edge words opened, ended or stood just outside the training
answers (`span_priors`). The first is the short answer if its score reaches the model's threshold (the
shipped model has none: -inf).
Being a span of a cited sentence, it is verified by construction. Yes/no questions get none here: «نعم»/«لا»
needs the sentence to state it, which word spans cannot show.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from assistant.answer.evidence import ScoredSentence
from assistant.answer.span_context import CONTEXT_FEATURES, FAR, context_row, sentence_words
from assistant.arabic.answer_types import ANSWER_TYPES, AnswerType
from assistant.arabic.phrases import PhraseWord, phrase_words, span_text
from assistant.answer.learned import SHORT_MODEL, BoostedModel, model_source
from assistant.answer.span_priors import PRIOR_FEATURES, SPAN_PRIORS, SpanPriors
from assistant.types import Answer

MAX_WORDS = 12
SENTENCES = 2
"""Short answers are looked for in this many best sentences."""
WORD_FEATURES: tuple[str, ...] = (
    "words", "log_words", "asked_share", "has_asked", "gap_left", "gap_right", "gap", "next_left", "next_right",
    "after_opener", "after_naming", "at_start", "at_end", "starts_stop", "ends_stop", "ends_clause",
    "starts_clause", "starts_quote", "inner_breaks", "digits", "year", "date", "number", "articles", "latin",
    "start_at", "end_at", "sentence_words", "sentence_probability", "sentence_rank",
    *(f"type_{t}" for t in ANSWER_TYPES), *CONTEXT_FEATURES)
"""The columns `candidate_spans` computes; the learned priors (`span_priors`) follow them."""
SPAN_FEATURES = (*WORD_FEATURES, *PRIOR_FEATURES)


@dataclass(frozen=True)
class Span:
    sentence: ScoredSentence
    start: int
    """Character offsets within the sentence's text."""
    end: int

    @property
    def text(self) -> str:
        return span_text(self.sentence.text, self.start, self.end)


def candidate_spans(asked: set[str], kind: AnswerType, sentences: Sequence[ScoredSentence]
                    ) -> tuple[list[Span], np.ndarray]:
    """Every run of words of the sentences, with its feature row (`WORD_FEATURES`). The first `SENTENCES` are
    those the answer cites (training adds the sentence holding the answer after them)."""
    spans, rows = [], []
    described = [sentence_words(phrase_words(s.text), asked) for s in sentences]
    most = max((d.distinct for d in described[:SENTENCES]), default=0)
    for rank, (sentence, d) in enumerate(zip(sentences, described)):
        words = d.words
        near = [i for i, h in enumerate(d.hit) if h]
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + MAX_WORDS) + 1):
                if span_text(sentence.text, words[i].start, words[j - 1].end):
                    spans.append(Span(sentence, words[i].start, words[j - 1].end))
                    rows.append(_row(words, i, j, near, asked, kind, sentence, rank)
                                + context_row(d, i, j, kind, len(asked), most))
    return spans, np.asarray(rows, dtype=np.float32).reshape(len(rows), len(WORD_FEATURES))


def _row(words: list[PhraseWord], i: int, j: int, near: list[int], asked: set[str], kind: AnswerType,
         sentence: ScoredSentence, rank: int) -> list[float]:
    span, n = words[i:j], len(words)
    inside = sum(w.stem in asked and not w.stop for w in span)
    left = max((p for p in near if p < i), default=None)
    right = min((p for p in near if p >= j), default=None)
    gap_left = i - left if left is not None else FAR
    gap_right = right - j + 1 if right is not None else FAR
    length = j - i
    return [length, math.log(length), inside / length, float(inside > 0), min(gap_left, FAR), min(gap_right, FAR),
            min(gap_left, gap_right, FAR), float(gap_left == 1), float(gap_right == 1), float(span[0].after_opener),
            float(span[0].after_naming), float(i == 0), float(j == n), float(span[0].stop), float(span[-1].stop),
            float(span[-1].closes or j == n), float(i == 0 or words[i - 1].closes), float(span[0].opens),
            sum(w.closes for w in span[:-1]), sum(w.digit for w in span) / length, float(any(w.year for w in span)),
            float(any(w.date for w in span)), float(any(w.number for w in span)),
            sum(w.article for w in span) / length, float(any(w.latin for w in span)), i / n, j / n, n,
            sentence.learned if sentence.learned is not None else sentence.score, rank,
            *(float(kind == t) for t in ANSWER_TYPES)]


@dataclass(frozen=True)
class Verdict:
    """A yes or no that a whole sentence settles (`yesno.yes_or_no`)."""

    text: str
    sentence: ScoredSentence

    @property
    def start(self) -> int:
        return 0

    @property
    def end(self) -> int:
        return len(self.sentence.text)


def with_short_answer(answer: Answer, short: Span | Verdict | None) -> Answer:
    """`answer` with `short` as its short answer when a citation quotes the sentence it rests on (else none)."""
    if short is None or answer.refused:
        return answer
    doc_id, start = short.sentence.hit.chunk.doc_id, short.sentence.start + short.start
    end = short.sentence.start + short.end
    if any(c.doc_id == doc_id and c.start <= start and end <= c.end for c in answer.citations):
        answer.short_answer = short.text
    return answer


class ShortAnswerModel(BoostedModel):
    """The span scorer: scores each candidate span; the best is kept if it reaches the threshold."""

    def __init__(self, booster, threshold: float, priors: SpanPriors) -> None:  # noqa: ANN001 - lightgbm.Booster
        super().__init__(booster, threshold)
        self.priors = priors

    @classmethod
    def bundled(cls, folder: Path | None = None) -> ShortAnswerModel:
        """The span model and its word priors, from `folder` or the package."""
        model = BoostedModel.load(SHORT_MODEL, len(SPAN_FEATURES), folder)
        return cls(model.booster, model.threshold, SpanPriors.read(model_source(SPAN_PRIORS, folder)))

    def save(self, path: Path) -> None:
        """The model file at `path`, its priors beside it."""
        super().save(path)
        self.priors.save(path.with_name(SPAN_PRIORS))

    def rows(self, spans: Sequence[Span], words: np.ndarray, kind: AnswerType) -> np.ndarray:
        """The full `SPAN_FEATURES` rows: `candidate_spans`'s columns, then the priors'."""
        return np.hstack([words, self.priors.columns(spans, kind)])

    def best(self, asked: set[str], kind: AnswerType, sentences: Sequence[ScoredSentence]) -> Span | None:
        """The span scored best, if its score reaches the threshold."""
        if kind == "yesno" or not sentences:
            return None
        spans, rows = candidate_spans(asked, kind, sentences[:SENTENCES])
        if not spans:
            return None
        predicted = self.predict(self.rows(spans, rows, kind))
        top = int(np.argmax(predicted))
        return spans[top] if predicted[top] >= self.threshold else None


__all__ = ["MAX_WORDS", "SENTENCES", "SPAN_FEATURES", "WORD_FEATURES", "ShortAnswerModel", "Span", "Verdict",
           "candidate_spans", "with_short_answer"]
