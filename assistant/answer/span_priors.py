"""Word priors at a short answer's edges, learned from the training answers (columns of the span model).

Feature-based SQuAD readers lean on the words themselves: some words tend to open an answer («الدكتور»), and
some stand just outside it («هو/هي» before a definition; «الذي/التي», «حيث», «ذلك» after it, in the shipped
counts). For each of four roles (the span's first word, its last, the word just before it and the word just
after it) a word's prior is the rate at which it takes that role in the gold answers of the training
questions, against how often it occurs in the sentences holding them. The rate is smoothed towards the role's
base rate, and learned twice: over all questions, and per answer type (smoothed towards the first). The span
model reads each as log-odds against the base rate: 0 for a word never seen in training.

`assistant train` counts them and ships the counts beside the span model (`span_priors.json`). The training
rows take their priors from the other half of the training articles, so that no row sees its own answer
counted (`fit_short`). Measured in docs/experiments.md («Word priors at the short answer's edges»).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from assistant.arabic.phrases import phrase_words
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from assistant.answer.short import Span

ROLES = ("first", "last", "before", "after")
PRIOR_FEATURES: tuple[str, ...] = tuple(f"prior_{role}{typed}" for role in ROLES for typed in ("", "_typed"))
SPAN_PRIORS = "span_priors.json"
SMOOTHING = 5.0
"""Pseudo-occurrences at the base rate: a word seen once says little."""


@dataclass
class SpanPriors:
    """Counts of the training answers' edge words; `columns` turns them into the span model's columns."""

    occurrences: Counter[str] = field(default_factory=Counter)
    """Word -> occurrences in the sentences that hold a gold answer."""
    roles: dict[str, Counter[str]] = field(default_factory=lambda: {r: Counter() for r in ROLES})
    typed_occurrences: Counter[str] = field(default_factory=Counter)
    """«type word» -> the same, for questions of that answer type."""
    typed_roles: dict[str, Counter[str]] = field(default_factory=lambda: {r: Counter() for r in ROLES})

    @classmethod
    def learn(cls, answers: Iterable[tuple[Span, str]]) -> SpanPriors:
        """Counted from (the span that best matches a gold answer, its question's answer type) pairs."""
        priors = cls()
        for span, kind in answers:
            sentence = _Sentence.of(span.sentence.text)
            priors.occurrences.update(sentence.keys)
            priors.typed_occurrences.update(f"{kind} {w}" for w in sentence.keys)
            for role, word in zip(ROLES, sentence.edges(span)):
                if word is not None:
                    priors.roles[role][word] += 1
                    priors.typed_roles[role][f"{kind} {word}"] += 1
        return priors

    def columns(self, spans: Sequence[Span], kind: str) -> np.ndarray:
        """One row of `PRIOR_FEATURES` per span (zeros when nothing was learned)."""
        base = self._base_rates
        if not base:
            return np.zeros((len(spans), len(PRIOR_FEATURES)), np.float32)
        described: dict[str, _Sentence] = {}
        known: dict[tuple[str, str | None], tuple[float, float]] = {}  # a sentence's words recur in its spans
        rows = []
        for span in spans:
            if span.sentence.text not in described:
                described[span.sentence.text] = _Sentence.of(span.sentence.text)
            row: list[float] = []
            for role, word in zip(ROLES, described[span.sentence.text].edges(span)):
                if (role, word) not in known:
                    known[role, word] = (self._log_odds(role, word, kind, base[role])
                                         if word is not None and base[role] > 0 else (0.0, 0.0))
                row.extend(known[role, word])
            rows.append(row)
        return np.asarray(rows, np.float32).reshape(len(spans), len(PRIOR_FEATURES))

    @cached_property
    def _base_rates(self) -> dict[str, float]:
        """Each role's share of the words counted (empty when nothing was learned); counts are final by now."""
        total = sum(self.occurrences.values())
        return {r: sum(self.roles[r].values()) / total for r in ROLES} if total else {}

    def _log_odds(self, role: str, word: str, kind: str, base: float) -> tuple[float, float]:
        overall = (self.roles[role][word] + SMOOTHING * base) / (self.occurrences[word] + SMOOTHING)
        typed_key = f"{kind} {word}"
        typed = (self.typed_roles[role][typed_key] + SMOOTHING * overall) / (self.typed_occurrences[typed_key]
                                                                             + SMOOTHING)
        return math.log(overall / base), math.log(typed / base)

    def save(self, path: Path) -> None:
        data = {"occurrences": self.occurrences, "roles": self.roles,
                "typed_occurrences": self.typed_occurrences, "typed_roles": self.typed_roles}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @classmethod
    def read(cls, source) -> SpanPriors:  # noqa: ANN001 - a Path or a package resource
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            return cls(Counter(data["occurrences"]), {r: Counter(data["roles"][r]) for r in ROLES},
                       Counter(data["typed_occurrences"]), {r: Counter(data["typed_roles"][r]) for r in ROLES})
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{source}: not a usable span-priors file ({exc}); run `make train`") from None


@dataclass(frozen=True)
class _Sentence:
    """A sentence's words as prior keys (stem, else match key), and where each begins and ends."""

    keys: list[str]
    starts: dict[int, int]
    ends: dict[int, int]

    @classmethod
    def of(cls, text: str) -> _Sentence:
        words = phrase_words(text)
        return cls([w.stem or w.key for w in words], {w.start: k for k, w in enumerate(words)},
                   {w.end: k for k, w in enumerate(words)})

    def edges(self, span: Span) -> tuple[str | None, ...]:
        """The keys of the span's first and last words and of the words just before and after it (None past
        an end, or for all four if the span does not begin and end on word boundaries)."""
        i, last = self.starts.get(span.start), self.ends.get(span.end)
        if i is None or last is None:
            return (None,) * len(ROLES)
        k = self.keys
        return k[i], k[last], k[i - 1] if i > 0 else None, k[last + 1] if last + 1 < len(k) else None


__all__ = ["PRIOR_FEATURES", "ROLES", "SPAN_PRIORS", "SpanPriors"]
