"""SQuAD's answer metrics with Arabic normalisation: exact match, token F1 and containment.

Normalisation (`arabic.morphology.answer_tokens`): diacritics, hamza forms, ى/ي, ة/ه, punctuation, the article
ال and one-letter proclitics, so «المدينة المنورة» matches «بالمدينة المنورة». Against several gold answers the
best score counts, as in SQuAD.
"""

from __future__ import annotations

from collections import Counter

from assistant.arabic.morphology import answer_tokens


def exact_match(prediction: str, gold: str) -> bool:
    return answer_tokens(prediction) == answer_tokens(gold)


def f1(prediction: str, gold: str) -> float:
    pred, ref = answer_tokens(prediction), answer_tokens(gold)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or not common:
        return float(pred == ref)
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def contains(text: str, gold: str) -> bool:
    """The gold answer's words appear, in order and together, in `text`."""
    words, ref = answer_tokens(text), answer_tokens(gold)
    return bool(ref) and any(words[i:i + len(ref)] == ref for i in range(len(words) - len(ref) + 1))


def best(metric, prediction: str, golds: list[str]) -> float:  # noqa: ANN001 - one of the functions above
    return max((float(metric(prediction, g)) for g in golds), default=0.0)
