"""Check every sentence of a generated answer against the sources it cites, before anyone sees it.

- a marker [n] that names no provided source is dropped;
- a sentence its cited sources do not support is re-cited to a source that does, or removed;
- a sentence that is not Arabic prose is removed (answers are Arabic even for English questions); Latin names,
  numbers and markup in an Arabic sentence do not make it foreign (`script.arabic_word_share`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.support import CITATION_MARKER, Idf, covered_words, judge
from assistant.arabic.script import is_arabic_prose
from assistant.arabic.sentences import sentence_spans
from assistant.types import Citation, Source, Verification

_MARKERS_AFTER_END = re.compile(r"\s*([.!?؟])\s*((?:\[\d+\]\s*)+)")
_END = re.compile(r"\s*([.!?؟…]+)$")


@dataclass(frozen=True)
class Verified:
    text: str
    citations: list[Citation]
    report: Verification


def verify_answer(raw: str, sources: list[Source], idf: Idf | None = None) -> Verified:
    """Keep only supported, Arabic sentences, each citing a source that supports it."""
    by_n = {s.n: s for s in sources}
    report = Verification()
    kept: list[tuple[str, list[int]]] = []
    # "... دولة. [1] ثم" -> "... دولة [1]. ثم": a marker belongs to the sentence before it
    raw = _MARKERS_AFTER_END.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", raw.strip()).strip()
    for span in sentence_spans(raw):
        sentence = raw[span.start:span.end]
        cited = [int(n) for n in CITATION_MARKER.findall(sentence)]
        body = CITATION_MARKER.sub("", sentence).strip()
        if not body or not re.search(r"\w", body):
            continue
        report.sentences += 1
        valid = [n for n in dict.fromkeys(cited) if n in by_n]
        if len(valid) < len(cited):
            report.notes.append(f"dropped citation(s) to unknown source(s) {sorted(set(cited) - set(valid))}")
        if not is_arabic_prose(body):
            report.removed += 1
            report.notes.append(f"removed a sentence not in Arabic: {body[:60]!r}")
            continue
        supporting = _supporting_sources(body, valid, sources, idf)
        if not supporting:
            report.removed += 1
            report.notes.append(f"removed an unsupported sentence: {body[:60]!r}")
            continue
        if supporting != valid:
            report.recited += 1
            report.notes.append(f"re-cited {valid or 'nothing'} -> {supporting}: {body[:40]!r}")
        report.supported += 1
        kept.append((body, supporting))
    return _number(kept, by_n, report)


def _supporting_sources(body: str, cited: list[int], sources: list[Source], idf: Idf | None) -> list[int]:
    """The cited sources that together support `body` (none that adds nothing); else the single
    best source that supports it alone."""
    by_n = {s.n: s for s in sources}
    texts = [by_n[n].text for n in cited]
    if cited and jointly_supported(body, texts, idf):
        return [n for n, needed in zip(cited, needed_citations(body, texts, idf)) if needed]
    ranked = sorted(sources, key=lambda s: -judge(body, s.text, idf).coverage)
    for source in ranked:
        if judge(body, source.text, idf).supported:
            return [source.n]
    return []


def jointly_supported(sentence: str, passages: list[str], idf: Idf | None) -> bool:
    """The passages, read together, support the sentence (a sentence may join facts from two)."""
    return bool(passages) and judge(sentence, " ".join(passages), idf).supported


def needed_citations(sentence: str, passages: list[str], idf: Idf | None) -> list[bool]:
    """For passages that together support `sentence`: which ones it needs. A passage is not needed
    when the others support the sentence and it adds none of the sentence's words they lack (of two
    passages that say the same thing, the first is kept); one that adds words stays, because a
    sentence joining two facts cites both."""
    needed = [True] * len(passages)
    for i in range(len(passages)):
        rest = [p for j, p in enumerate(passages) if needed[j] and j != i]
        if rest and jointly_supported(sentence, rest, idf) and (
                covered_words(sentence, passages[i]) <= covered_words(sentence, " ".join(rest))):
            needed[i] = False
    return needed


def _number(kept: list[tuple[str, list[int]]], by_n: dict[int, Source], report: Verification) -> Verified:
    """Renumber citations 1..m in order of first use; citations point to exact document spans."""
    order: dict[int, int] = {}
    lines = []
    for body, ns in kept:
        for n in ns:
            order.setdefault(n, len(order) + 1)
        marks = "".join(f"[{order[n]}]" for n in ns)
        end = _END.search(body)
        stem, stop = (body[:end.start()], end.group(1)) if end else (body.rstrip(), ".")
        lines.append(f"{stem} {marks}{stop}")
    citations = [Citation.from_source(by_n[old], new) for old, new in order.items()]
    return Verified(" ".join(lines), citations, report)
