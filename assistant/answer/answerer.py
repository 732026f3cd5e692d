"""Question in, verified Arabic answer with citations out (or a plain refusal): the pipeline's stages in order.

analyse the question -> retrieve passages -> score their sentences -> can they answer it? -> write the
answer (extractive, local or hosted LLM) -> verify every sentence against the sources it cites -> Answer.
An LLM that fails or says nothing supported falls back to the extractive answer, and the answer says so.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import numpy as np

from assistant import messages
from assistant.answer.answerability import assess, corpus_knows
from assistant.answer.follow_ups import FollowUpModels
from assistant.answer.ranking import Ranking, RankingStage, Retrieval
from assistant.answer.features import FEATURES, REFUSAL_FEATURES, coverage, refusal_features
from assistant.answer.length import earns_its_words
from assistant.answer.learned import REFUSAL_MODEL, SENTENCE_MODEL, BoostedModel, load_model
from assistant.answer.short import ShortAnswerModel, Span, Verdict, with_short_answer
from assistant.answer.short_llm import copy_from_quotes, copy_short_answer
from assistant.answer.yesno import yes_or_no
from assistant.arabic.answer_types import answer_type
from assistant.answer.evidence import (ScoredSentence, as_sources, asked_score, distinct, same_words, subject_weights)
from assistant.answer.prompts import NOT_IN_SOURCES, Prompts
from assistant.answer.verify import verify_answer
from assistant.answer.weights import FoundIdf, WeighedStore
from assistant.arabic.morphology import tokenize
from assistant.errors import ConfigError, LLMError
from assistant.llm.base import ChatModels
from assistant.answer.conversation import something_new
from assistant.retrieval.followup import Chat
from assistant.retrieval.question import analyse
from assistant.settings import BACKENDS
from assistant.types import Answer, Question, Verification

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the wiring opens the parts; the answerer only uses them
    from assistant.app.wiring import Pipeline


class Answerer(RankingStage):
    """Answers questions over a pipeline; LLMs come from `models`, built on first use and shared. Retrieving and
    ranking (`retrieve`, `scored`, `candidates`, `ranking`) come from `ranking.RankingStage`."""

    def __init__(self, pipeline: Pipeline, models: ChatModels | None = None, prompts: Prompts | None = None) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings
        self.models = models or ChatModels(pipeline.settings)
        self.prompts = prompts or Prompts.bundled()
        self._knows = corpus_knows(pipeline.store.vocabulary())  # sorted once per index, not per question
        self.ranker = load_model(SENTENCE_MODEL, FEATURES) if self.settings.ranker == "learned" else None
        learned_refusal = self.settings.refusal in ("learned", "both") and self.ranker is not None
        self.refusal = BoostedModel.load(REFUSAL_MODEL, len(REFUSAL_FEATURES)) if learned_refusal else None
        self.follow_ups = FollowUpModels.bundled(learned_refusal) if self.ranker is not None else None
        self.short = ShortAnswerModel.bundled() if self.settings.short_answers and self.ranker is not None else None

    def over(self, pipeline: Pipeline) -> Answerer:
        """This answerer over another view of the same index (a filter, an article held out): the models, the
        prompts and what the corpus knows are shared, not loaded again for each question."""
        other = copy.copy(self)
        other.pipeline = pipeline
        return other

    def ask(self, question: str, backend: str | None = None, history: Chat | None = None,
            qid: str | None = None, top_k: int | None = None) -> Answer:
        """The final answer (the stream, consumed)."""
        for item in self.stream(question, backend, history, top_k):
            if isinstance(item, Answer):
                item.id = qid
                return item
        raise AssertionError("stream ended without an answer")

    def stream(self, question: str, backend: str | None = None, history: Chat | None = None,
               top_k: int | None = None) -> Iterator[str | Answer]:
        """Text pieces as they are generated, then the verified `Answer` (which may differ).

        `top_k`: passages to retrieve (default: settings.top_k; twice that for a follow-up, see `retrieve`)."""
        backend = backend or self.settings.backend
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        started = time.perf_counter()
        q = analyse(question, history)
        found = self.retrieve(q, top_k)
        yield from self.weighed(found).answer(q, found, backend, started)

    def weighed(self, found: Retrieval) -> Answerer:
        """This answerer with the question's words weighed among the passages found for it (`answer.weights`;
        `settings.word_weights`), a view for this question only."""
        if self.settings.word_weights != "found":
            return self
        store = self.pipeline.store
        weighed = WeighedStore(store, FoundIdf(found.around, store.idf))
        return self.over(dataclasses.replace(self.pipeline, store=weighed))

    def answer(self, q: Question, found: Retrieval, backend: str, started: float) -> Iterator[str | Answer]:
        """`stream` once the passages are found: rank, check, answer, verify."""
        timings: dict[str, float] = {}
        ranking = self.ranking(q, found)
        ranked = ranking.sentences
        timings["retrieve"] = _ms(started)  # the question read, its passages found and ranked

        def finish(answer: Answer) -> Answer:
            answer.timings_ms = {"retrieve": timings["retrieve"], "generate": timings.get("generate", 0.0),
                                 "verify": timings.get("verify", 0.0), "total": _ms(started)}
            answer.standalone_question = q.searched.text if q.follow_up else None
            return answer

        probability = self._answer_probability(q, ranking)  # None: no model (the hand bounds decide)
        assessment = assess(q, ranked, self._refusal_threshold(q), self._knows, self.settings.refuse_below_meaning,
                            probability, self._asked(q, found, ranked),
                            hand=self.settings.refusal != "learned" or probability is None,
                            trusted=self._trusted(probability))
        if not assessment.answerable:
            yield finish(self._refusal(q.text, backend, assessment.reason))
            return
        ranked = assessment.sentences
        span = self._short_answer(q, ranked)
        if backend == "extractive":
            t = time.perf_counter()
            new = something_new(ranked, q.last_answer) if q.follow_up else None
            answer = with_short_answer(self._extractive(q.text, ranked, span, new, q.searched.tokens), span)
            timings["generate"] = _ms(t)
            yield answer.answer
            yield finish(answer)
            return
        for item in self._generate(q.text, backend, ranked, timings, finish, span):
            if isinstance(item, Answer):
                item = with_short_answer(item, self._copied_short_answer(q, backend, ranked, item) or span)
            yield item

    @staticmethod
    def refinable(answer: Answer) -> bool:
        """An instant answer whose short answer a model may copy again: asked of the extractive backend (not an
        LLM's fallback, whose run still holds the model), not refused, citing sentences, not a yes/no question."""
        return (answer.backend == "extractive" and not answer.fallback_reason and not answer.refused
                and bool(answer.citations)
                and answer_type(analyse(answer.standalone_question or answer.question).key) != "yesno")

    def refine(self, answer: Answer, backend: str) -> Answer | None:
        """An instant answer with the `backend` model's copy of its short answer from the sentences it cites, kept
        only where it stands in one of them (so it stays a verified quote); None when there is nothing to change
        (not `refinable`, no copy found, the same phrase, a model that fails). The page shows the instant answer
        first and this one when it comes; `ask --refine` waits for it (docs/experiments.md). Its time is added
        to the answer's total."""
        if not self.refinable(answer):
            return None
        question = answer.standalone_question or answer.question
        started = time.perf_counter()
        try:
            model = self.models.get(backend)
        except (ConfigError, LLMError) as exc:
            log.warning("short answer not refined: the %s model is unavailable (%s)", backend, exc)
            return None
        phrase = copy_from_quotes(model, self.prompts, question, [c.quote for c in answer.citations])
        if phrase is None or phrase == answer.short_answer:
            return None
        spent = _ms(started)
        timings = {**answer.timings_ms, "refine": spent, "total": answer.timings_ms.get("total", 0.0) + spent}
        return dataclasses.replace(answer, short_answer=phrase, timings_ms=timings)

    def _short_answer(self, question: Question, ranked: list[ScoredSentence]) -> Span | Verdict | None:
        """The phrase that answers (span model), or for a yes/no question the verdict of the best sentence."""
        if self.short is None or not ranked:
            return None
        kind = answer_type(question.key)
        if kind == "yesno":
            verdict = yes_or_no(question.text, ranked[0].text, self.pipeline.store.idf)
            return Verdict(verdict, ranked[0]) if verdict else None
        return self.short.best(set(question.searched.tokens), kind, ranked)

    def _copied_short_answer(self, question: Question, backend: str, ranked: list[ScoredSentence],
                             answer: Answer) -> Span | None:
        """After the model's answer is verified: its copy of the short answer from the sentences the answer
        cites, if it stands in one (None when off, for yes/no, a refusal or a fallback)."""
        if (not self.settings.llm_short_answers or answer.refused or answer.fallback_reason
                or answer_type(question.key) == "yesno"):
            return None
        cited = [s for s in ranked if any(c.doc_id == s.hit.chunk.doc_id and c.start <= s.start < c.end
                                          for c in answer.citations)]
        return copy_short_answer(self.models.get(backend), self.prompts, question.text, cited) if cited else None

    def _answer_probability(self, question: Question, ranking: Ranking) -> tuple[float, float] | None:
        """The refusal model's probability that the ranked sentences answer, with its threshold (None: the hand
        thresholds decide)."""
        if ranking.follow_up and self.follow_ups is not None:
            # With `both` the model only lets a sure follow-up past the hand bounds (`refusal_trust`): refusing on
            # its own, it lost 5 answerable follow-ups of the eval sets and caught no near miss (docs/experiments.md)
            return self.follow_ups.answer_probability(question, ranking.rows, ranking.probabilities,
                                                      self.pipeline.store.idf, self.settings.refusal == "learned")
        if self.refusal is None or ranking.rows is None:
            return None
        probabilities = np.array([s.learned or 0.0 for s in ranking.sentences])
        row = refusal_features(ranking.rows, probabilities, coverage(question, self.pipeline.store.idf))
        return float(self.refusal.predict(row)[0]), self.refusal.threshold

    def _generate(self, question: str, backend: str, ranked: list[ScoredSentence], timings: dict[str, float],
                  finish: Callable[[Answer], Answer], span: Span | Verdict | None = None) -> Iterator[str | Answer]:
        sources = as_sources(distinct(ranked, same_words)[:self.settings.prompt_sentences])
        t = time.perf_counter()
        pieces: list[str] = []
        try:
            model = self.models.get(backend)
            for piece in model.stream(self.prompts.chat_messages(question, sources), self.settings.max_tokens):
                pieces.append(piece)
                yield piece
        except (LLMError, ConfigError) as exc:  # unreachable, misconfigured, or a bad model file
            timings["generate"] = _ms(t)
            answer = self._extractive(question, ranked, span)
            answer.fallback_reason = str(exc)
            yield finish(answer)
            return
        timings["generate"] = _ms(t)
        raw = "".join(pieces)
        if NOT_IN_SOURCES in raw or messages.REFUSAL in raw:
            yield finish(self._refusal(question, backend, "the model said the sources do not answer"))
            return
        t = time.perf_counter()
        verified = verify_answer(raw, sources, self.pipeline.store.idf)
        timings["verify"] = _ms(t)
        if not verified.citations:
            answer = self._extractive(question, ranked, span)
            answer.fallback_reason = "nothing in the model's answer was supported by the sources"
            answer.verification.notes = verified.report.notes + answer.verification.notes
            yield finish(answer)
            return
        yield finish(Answer(question, verified.text, False, verified.citations, backend, verified.report, {}))

    def _extractive(self, question: str, ranked: list[ScoredSentence], span: Span | Verdict | None = None,
                    new: ScoredSentence | None = None, asked: Sequence[str] | None = None) -> Answer:
        """The best sentences verbatim, each cited: deterministic and supported by construction. The sentence
        holding the short answer comes first, a further one only if it earns its words (`length`); `new` (a
        follow-up's best sentence the last answer did not quote) joins the first attempt. `asked`: the stems
        of the question searched (default: the question's).

        Verification still runs (a sentence that is mostly non-Arabic, e.g. markup, is dropped);
        if it leaves nothing, the next-best sentences are tried, and failing that we refuse.
        """
        if span is not None:
            ranked = [span.sentence, *(s for s in ranked if s is not span.sentence)]
        ranked, asked = distinct(ranked, same_words), tokenize(question) if asked is None else asked
        for start in range(0, min(len(ranked), 6), self.settings.answer_sentences):
            best = ranked[start]
            chosen = [best] + [s for s in ranked[start + 1:start + self.settings.answer_sentences]
                               if self._earns_its_words(s, best, question, asked)]
            if start == 0 and new is not None and new not in chosen:
                chosen.append(new)
            chosen.sort(key=lambda s: (s.hit.chunk.doc_id != best.hit.chunk.doc_id, s.hit.chunk.doc_id, s.start))
            sources = as_sources(chosen)
            verified = verify_answer(" ".join(f"{s.text} [{s.n}]" for s in sources), sources,
                                     self.pipeline.store.idf)
            if verified.citations:
                return Answer(question, verified.text, False, verified.citations, "extractive", verified.report, {})
        return self._refusal(question, "extractive", "no retrieved sentence passed verification")

    def _earns_its_words(self, s: ScoredSentence, best: ScoredSentence, question: str, asked: Sequence[str]) -> bool:
        """`length.earns_its_words` with this index's idf and the settings' thresholds."""
        return earns_its_words(s, best, question, asked, self.pipeline.store.idf, self.settings.answer_unsure_ratio,
                               self.settings.answer_new_share)

    def _refusal(self, question: str, backend: str, reason: str) -> Answer:
        return Answer(question, messages.REFUSAL, True, [], backend, Verification(), {}, refusal_reason=reason)

    def _asked(self, question: Question, found: Retrieval, ranked: list[ScoredSentence]) -> tuple[float, float] | None:
        """The best score with the question's words weighed among the passages found, and its bound (None: off)."""
        if not self.settings.refuse_below_asked or not ranked:
            return None
        weights = subject_weights(question.searched, found.hits)
        return max(asked_score(s, weights) for s in ranked), self.settings.refuse_below_asked

    def _trusted(self, probability: tuple[float, float] | None) -> bool:
        """With `both`, the score thresholds give way when the model is sure the passages answer (`refusal_trust`):
        among many articles a confident answer may still score under a bound set on 7 of them."""
        return (self.settings.refusal == "both" and probability is not None
                and probability[0] >= self.settings.refusal_trust)

    def _refusal_threshold(self, question: Question) -> float:
        latin = question.searched_arabic_share < 0.5
        return self.settings.refuse_below_latin if latin else self.settings.refuse_below


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


__all__ = ["Answerer", "Ranking", "Retrieval"]
