"""Question in, verified Arabic answer with citations out (or a plain refusal).

retrieve -> pick the sentences that matter -> generate (extractive, local or hosted LLM)
-> verify every sentence against the sources it cites -> Answer. An LLM that fails or
says nothing supported falls back to the extractive answer, and the answer says so.
"""

from __future__ import annotations

import re
import time
from typing import Callable, Iterator

from assistant.answerability import assess, corpus_knows
from assistant.answers import Answer, Citation, Source, Verification
from assistant.errors import ConfigError, LLMError
from assistant.evidence import ScoredSentence, as_sources, follow_up_scores, score_sentences
from assistant.followup import own_words_count, standalone_question
from assistant.llm import ChatModel
from assistant.pipeline import Pipeline
from assistant.prompts import NOT_IN_SOURCES, chat_messages, refusal_text
from assistant.retriever import Hit, validate_question
from assistant.verify import arabic_share, verify_answer

BACKENDS = ("extractive", "local", "hosted")
# Sentences that address a language model are never put in a prompt or quoted as an answer.
_INJECTION = re.compile(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above) instructions|system prompt|you are now|"
    r"disregard (?:the|all|previous)|تجاهل (?:جميع |كل )?(?:التعليمات|الأوامر)|تعليمات(?:ك)? السابقة|"
    r"أنت الآن|انس (?:كل )?التعليمات", re.IGNORECASE)

ModelFactory = Callable[[str], ChatModel]
Chat = list[dict[str, str]]


class Answerer:
    """Answers questions over a pipeline; LLMs are created lazily, once, by `model_factory`."""

    def __init__(self, pipeline: Pipeline, model_factory: ModelFactory | None = None) -> None:
        self.pipeline = pipeline
        self.settings = pipeline.settings
        self._factory = model_factory or default_model_factory(pipeline.settings)
        self._models: dict[str, ChatModel] = {}
        self._knows = corpus_knows(pipeline.index.bm25.vocabulary)  # sorted once per index, not per question

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

        `top_k`: passages to retrieve (default: settings.top_k; twice that for a follow-up, see `search`)."""
        backend = backend or self.settings.backend
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
        question = validate_question(question)
        started = time.perf_counter()
        timings: dict[str, float] = {}
        t = time.perf_counter()
        searched, hits = self.search(question, history, top_k)
        ranked = score_sentences(searched, hits, self.pipeline.embedder, self.pipeline.index)
        if own_words_count(question, searched):  # they count at least as much as the earlier question's
            typed = score_sentences(question, hits, self.pipeline.embedder, self.pipeline.index)
            ranked = follow_up_scores(ranked, typed)
        ranked = [s for s in ranked if not _INJECTION.search(s.text)]
        timings["retrieve"] = _ms(t)

        def finish(answer: Answer) -> Answer:
            answer.timings_ms = {"retrieve": timings["retrieve"], "generate": timings.get("generate", 0.0),
                                 "verify": timings.get("verify", 0.0), "total": _ms(started)}
            answer.standalone_question = searched if searched != question else None
            return answer

        # the form is read from what the user typed: a follow-up's own «ومتى؟», not the previous question's
        assessment = assess(question, ranked, self._refusal_threshold(searched), self._knows,
                            self.settings.refuse_below_meaning, follow_up=searched != question)
        if not assessment.answerable:
            yield finish(self._refusal(question, backend, assessment.reason))
            return
        ranked = assessment.sentences
        if backend == "extractive":
            t = time.perf_counter()
            answer = self._extractive(question, ranked)
            timings["generate"] = _ms(t)
            yield answer.answer
            yield finish(answer)
            return
        yield from self._generate(question, backend, ranked, timings, finish)

    def search(self, question: str, history: Chat | None = None, top_k: int | None = None) -> tuple[str, list[Hit]]:
        """The question searched for (a follow-up with the question it depends on) and the passages found.

        A follow-up's own words also search on their own (so up to 2 × `top_k` passages): «وكم دامت الجلسة
        الأولى؟» after a question on the summit asks about a passage the summit question does not find."""
        searched = standalone_question(question, history or [])
        hits = self.pipeline.retriever.search(searched, k=top_k).hits
        if own_words_count(question, searched):
            seen = {h.chunk.chunk_id for h in hits}
            own = self.pipeline.retriever.search(question, k=top_k).hits
            hits = [*hits, *(h for h in own if h.chunk.chunk_id not in seen)]
        return searched, hits

    def _generate(self, question: str, backend: str, ranked: list[ScoredSentence], timings: dict[str, float],
                  finish: Callable[[Answer], Answer]) -> Iterator[str | Answer]:
        sources = as_sources(ranked[:self.settings.prompt_sentences])
        t = time.perf_counter()
        pieces: list[str] = []
        try:
            model = self._model(backend)
            for piece in model.stream(chat_messages(question, sources), self.settings.max_tokens):
                pieces.append(piece)
                yield piece
        except (LLMError, ConfigError) as exc:  # unreachable, misconfigured, or a bad model file
            timings["generate"] = _ms(t)
            answer = self._extractive(question, ranked)
            answer.fallback_reason = str(exc)
            yield finish(answer)
            return
        timings["generate"] = _ms(t)
        raw = "".join(pieces)
        if NOT_IN_SOURCES in raw or refusal_text() in raw:
            yield finish(self._refusal(question, backend, "the model said the sources do not answer"))
            return
        t = time.perf_counter()
        verified = verify_answer(raw, sources, self.pipeline.index.bm25.idf)
        timings["verify"] = _ms(t)
        if not verified.citations:
            answer = self._extractive(question, ranked)
            answer.fallback_reason = "nothing in the model's answer was supported by the sources"
            answer.verification.notes = verified.report.notes + answer.verification.notes
            yield finish(answer)
            return
        yield finish(Answer(question, verified.text, False, verified.citations, backend, verified.report, {}))

    def _extractive(self, question: str, ranked: list[ScoredSentence]) -> Answer:
        """The best sentences verbatim, each cited: deterministic and supported by construction.

        Verification still runs (a sentence that is mostly non-Arabic, e.g. markup, is dropped);
        if it leaves nothing, the next-best sentences are tried, and failing that we refuse.
        """
        for start in range(0, min(len(ranked), 6), self.settings.answer_sentences):
            best = ranked[start]
            chosen = [best] + [s for s in ranked[start + 1:start + self.settings.answer_sentences]
                               if s.score >= best.score - 0.08]
            chosen.sort(key=lambda s: (s.hit.chunk.doc_id != best.hit.chunk.doc_id, s.hit.chunk.doc_id, s.start))
            sources = as_sources(chosen)
            verified = verify_answer(" ".join(f"{s.text} [{s.n}]" for s in sources), sources,
                                     self.pipeline.index.bm25.idf)
            if verified.citations:
                return Answer(question, verified.text, False, verified.citations, "extractive", verified.report, {})
        return self._refusal(question, "extractive", "no retrieved sentence passed verification")

    def _refusal(self, question: str, backend: str, reason: str) -> Answer:
        return Answer(question, refusal_text(), True, [], backend, Verification(), {}, refusal_reason=reason)

    def _refusal_threshold(self, question: str) -> float:
        latin = arabic_share(question) < 0.5
        return self.settings.refuse_below_latin if latin else self.settings.refuse_below

    def for_pipeline(self, pipeline: Pipeline) -> "Answerer":
        """The same answerer over a rebuilt pipeline, keeping any LLM already loaded (seconds, GBs)."""
        answerer = Answerer(pipeline, self._factory)
        answerer._models = self._models
        return answerer

    def _model(self, backend: str) -> ChatModel:
        if backend not in self._models:
            self._models[backend] = self._factory(backend)
        return self._models[backend]


def default_model_factory(settings) -> ModelFactory:  # noqa: ANN001 - Settings
    """Build the real backends from settings (imported lazily: the extractive path needs neither)."""

    def make(backend: str) -> ChatModel:
        if backend == "local":
            from assistant.local_llm import LocalChatModel

            return LocalChatModel(settings.model_cache_dir)
        if backend == "hosted":
            from assistant.hosted_llm import HostedChatModel

            return HostedChatModel(settings.llm_base_url, settings.llm_model, settings.llm_api_key,
                                   settings.llm_timeout_s, settings.llm_max_retries)
        raise ConfigError(f"backend {backend!r} has no model")

    return make


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


__all__ = ["Answerer", "Answer", "Citation", "Source", "BACKENDS"]
