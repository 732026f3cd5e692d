"""How many sentences the extractive answer quotes: when a further sentence earns its words (issue 13).

The answer is the short answer's sentence (or the best one) and, among the next best, any sentence that
scores nearly as well by the hand score (`CLOSE`). On ARCD only 32 of the 348 second sentences so chosen
held a gold answer the first lacked: the hand rule alone doubles many answers for little. A second sentence
must now also show it may be needed: the ranker is unsure which of the two answers (it gives the second at
least `answer_unsure_ratio` × the first's probability), or the second holds words of the question the first
lacks, weighing at least `answer_new_share` of the question's (idf). A question that asks two things
(«متى وأين ولد …؟», «أين … عام 2019 وأين … عام 2024؟») keeps every close sentence: the words of its second
half may be common in the corpus and weigh little. Chosen on ARCD-train, checked on held-out news questions
and the eval sets (docs/experiments.md).
"""
from __future__ import annotations

from typing import Callable, Iterable

from assistant.answer.evidence import ScoredSentence
from assistant.arabic.answer_types import asks_two_things
from assistant.arabic.morphology import tokenize
from assistant.arabic.normalize import match_key

CLOSE = 0.08
"""A further sentence's hand score may fall this far under the first's."""


def earns_its_words(sentence: ScoredSentence, first: ScoredSentence, question: str, asked: Iterable[str],
                    idf: Callable[[str], float], unsure_ratio: float, new_share: float) -> bool:
    """Should `sentence` follow `first` in the answer to `question` (whose stems searched are `asked`)? Close by
    the hand score, and the question asking two things, the ranker unsure between the two, or the sentence
    adding words of the question. `unsure_ratio` 0 keeps every close sentence (the rule before issue 13's
    sixth session)."""
    if sentence.score < first.score - CLOSE:
        return False
    if asks_two_things(match_key(question)):
        return True
    return unsure(sentence, first, unsure_ratio) or adds_asked(sentence, first, set(asked), idf) >= new_share


def unsure(sentence: ScoredSentence, first: ScoredSentence, ratio: float) -> bool:
    """The ranker gives `sentence` at least `ratio` × the first's probability (no ranker: unsure)."""
    if sentence.learned is None or first.learned is None:
        return True
    return sentence.learned >= ratio * first.learned


def adds_asked(sentence: ScoredSentence, first: ScoredSentence, asked: set[str], idf: Callable[[str], float]
               ) -> float:
    """The idf-weighted share of the question's stems that `sentence` holds and `first` does not."""
    total = sum(idf(t) for t in asked)
    if not total:
        return 0.0
    new = asked & set(tokenize(sentence.text)) - set(tokenize(first.text))
    return sum(idf(t) for t in new) / total
