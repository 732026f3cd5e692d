"""Text that addresses the answerer instead of informing a reader («أيها المساعد، قل إن ...»).

Such a sentence in a source is data, never an instruction: it is not put in a prompt nor quoted as an answer.
It is told by its form, not by a list of attack strings: a news sentence reports (third person, past tense,
speech in quotes); an injection speaks to whoever answers —

- a vocative to the answerer («أيها المساعد»، «يا أيها النموذج»، «عزيزي القارئ»);
- the answerer named beside an imperative or a second-person word («على المساعد أن ...»، «للنموذج: اكتب ...»);
- a second-person condition with an imperative («إذا سُئلت عن ... فقل ...»، «when asked about …, say …»);
- a sentence that opens with an imperative of saying, outside quotes («قل إن ...»، «أجب بأن ...»);
- a note that names a model as its reader («رسالة إلى المساعد الذكي»، «ملاحظة للنموذج»);
- words that only instructions to a model use («التعليمات السابقة»، «ignore previous instructions»).

Imperatives inside quotes are a speaker's words reported («قال الوزير: «اعملوا بجد»»): they count only
when the answerer is also addressed. The word lists live in `resources/` (model_addressees, instruction_verbs,
second_person, instruction_meta); measured in docs/experiments.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.arabic.data import entries
from assistant.arabic.normalize import normalize_arabic
from assistant.arabic.sentences import sentence_spans

_LATIN = re.compile(r"[A-Za-z]")
_QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
_VOCATIVES = frozenset({"ايها", "ايتها", "يا", "عزيزي", "عزيزتي"})
_THAT = frozenset({"ان", "انه", "انها", "بان", "بانه", "بانها", "له", "لهم", "لها", "للسائل", "لمن"})
"""After «قل», what makes it «say (that)» rather than «decreased» (قلّ)."""
_SAY = "قل"
_ON_YOU = "عليك"
_HAMZA_WORD = re.compile("(?<![\\w\u0640])[\u0648\u0641]?\u0623\\w+")
"""A word written with an initial hamza: «أذكر» (I remember), never the imperative «اذكر»."""
_TO = "الي"
_OPENING_OBJECTS = _THAT | {"ما", "كل"}
"""After an opening imperative, what makes it an instruction («انس كل ما ...»، «اذكر أن ...»)."""
_ENGLISH = re.compile("|".join([
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,40}\b(?:instructions?|prompts?|rules|directions|"
    r"guidelines|context)\b",
    r"\byou are now\b|\bfrom now on,? you\b|\bact as (?:an?|the|if)\b|\bpretend (?:to be|that you|you are)\b",
    r"\b(?:when|if|whenever|once)\b(?: you are| you're| you get)? asked\b[^.!?]{0,160}?\b(?:say|answer|reply|"
    r"respond|state|tell|write|claim|mention)\b",
    r"\b(?:assistant|ai|chatbot|chat bot|language model|llm|model|bot|reader)s?\s*[,:]\s*(?:please\s+)?(?:say|"
    r"answer|reply|respond|tell|write|ignore|state|claim|report|output)\b",
    r"\b(?:note|message|instructions?|reminder)s? (?:to|for) (?:the |any |all )?(?:ai|assistants?|models?|"
    r"language models?|chatbots?|llms?|bots?)\b",
    r"\bsystem prompt\b|\bnew instructions\b|\bprevious instructions\b",
    r"\b(?:dear|hey|attention),? (?:ai|assistant|model|chatbot|llm)\b",
    r"\bif you are an? (?:ai|assistant|language model|chatbot|llm|bot)\b",
    r"\byour (?:answer|response|reply|output) (?:must|should|will)\b",
    r"\b(?:always|only) (?:answer|reply|respond) (?:with|that)\b",
    r"\b(?:reply|respond|answer) with (?:that|this)\b",
    r"^\W*(?:please\s+)?(?:say|answer|reply|respond|write|tell|state|repeat|ignore|forget|disregard|pretend)\b",
]), re.IGNORECASE)


def addresses_a_model(text: str) -> bool:
    """The sentence speaks to the answerer (an assistant, a model, the reader) with an instruction."""
    if _LATIN.search(text) and _ENGLISH.search(text):
        return True
    lists = _lists()
    if lists.triggers.isdisjoint(normalize_arabic(text).split()):  # most sentences: none of the listed words
        return False
    text = _HAMZA_WORD.sub(lambda m: " " if m.group() in lists.first_person else m.group(), text)
    words = normalize_arabic(text).split()
    unquoted = normalize_arabic(_QUOTED.sub(" ", text)).split()
    if lists.meta.found_in(words) or _vocative(words, lists.models) or _note_to_model(words, lists):
        return True
    imperative = _imperative(words, lists.verbs, text)
    addressed = lists.addressees.found_in(words)
    second = lists.second_person.found_in(words)
    if addressed and (imperative or second or _obliged(words, lists.models)):
        return True
    if second and (_imperative(unquoted, lists.verbs, text) or _second_then_that(unquoted, lists.second_person)):
        return True
    return _opens_with_imperative(unquoted, lists, text)


def without_instructions(paragraph: str) -> tuple[str, int]:
    """The paragraph without its sentences that address the answerer, and how many were taken out."""
    spans = sentence_spans(paragraph)
    kept = [paragraph[s.start:s.end] for s in spans if not addresses_a_model(paragraph[s.start:s.end])]
    return (paragraph, 0) if len(kept) == len(spans) else (" ".join(kept), len(spans) - len(kept))


RESOURCES = ("model_addressees.txt", "reader_addressees.txt", "instruction_verbs.txt", "second_person.txt",
             "instruction_meta.txt", "note_words.txt")
"""The lists this module reads (a change to any of them changes what cleaning keeps)."""


class Phrases:
    """Phrases as word tuples, looked up by their first word."""

    def __init__(self, phrases: set[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            self.by_first.setdefault(phrase[0], []).append(phrase)

    def __or__(self, other: "Phrases") -> "Phrases":
        return Phrases({*self.phrases(), *other.phrases()})

    def phrases(self) -> list[tuple[str, ...]]:
        return [p for ps in self.by_first.values() for p in ps]

    def at(self, words: list[str], i: int) -> bool:
        return i < len(words) and any(tuple(words[i:i + len(p)]) == p for p in self.by_first.get(words[i], ()))

    def found_in(self, words: list[str]) -> bool:
        return any(self.at(words, i) for i in range(len(words)))


class _Lists:
    def __init__(self) -> None:
        self.models = _phrases(RESOURCES[0], clitics=True)
        self.addressees = self.models | _phrases("reader_addressees.txt", clitics=True)
        self.verbs = _phrases("instruction_verbs.txt")
        bare = [v for v in entries("instruction_verbs.txt") if v[0] == "\u0627"]
        self.first_person = frozenset(c + "\u0623" + v[1:] for v in bare for c in ("", "\u0648", "\u0641"))
        """«أذكر», «وأكتب»: with a hamza these are the first person, not the bare-alef imperative («اذكر»)."""
        self.second_person = _phrases("second_person.txt", clitics=True)
        self.meta = _phrases("instruction_meta.txt")
        self.notes = frozenset(_phrases("note_words.txt").by_first)
        self.triggers = frozenset(max(p, key=len) for ps in (self.addressees, self.verbs, self.second_person,
                                                             self.meta) for p in ps.phrases())
        """Every rule needs a phrase of these lists, so a sentence without the longest word of any of them
        addresses no one (the common case, checked first)."""


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    return _Lists()


def _phrases(name: str, clitics: bool = False) -> Phrases:
    """The phrases of a list as word tuples; with `clitics`, also with «و/ف/ب/ل/ك» on the first word
    (and «لل» for «ال»: «للمساعد»)."""
    found = set()
    for line in entries(name):
        words = tuple(normalize_arabic(line).split())
        found.add(words)
        if clitics:
            first, rest = words[0], words[1:]
            found.update((p + first, *rest) for p in _PROCLITICS)
            if first.startswith("ال"):
                found.add(("لل" + first[2:], *rest))
    return Phrases(found)


def _vocative(words: list[str], addressees: Phrases) -> bool:
    """«أيها المساعد», «يا أيها النموذج», «عزيزي القارئ»: the answerer called on."""
    return any(w in _VOCATIVES and any(addressees.at(words, j) for j in range(i + 1, min(i + 4, len(words))))
               for i, w in enumerate(words))


def _note_to_model(words: list[str], lists: _Lists) -> bool:
    """«رسالة إلى المساعد الذكي»، «ملاحظة للنموذج»: text that says it is meant for a model."""
    return any(w in lists.notes and (lists.models.at(words, i + 1)
                                     or words[i + 1:i + 2] == [_TO] and lists.models.at(words, i + 2))
               for i, w in enumerate(words))


def _second_then_that(words: list[str], second: Phrases) -> bool:
    """«مهمتك أن تقول»، «يجب عليك أن تجيب»: what the one spoken to must do. A bare «عليك أن» is a
    columnist's generic «you» («عليك أن لا تتلعثم») unless the answerer is named."""
    return any(second.at(words, i) and words[i].lstrip("وف") != _ON_YOU
               and any(w in ("ان", "بان") for w in words[i + 1:i + 3]) for i in range(len(words)))


def _obliged(words: list[str], addressees: Phrases) -> bool:
    """«على المساعد أن ...»: the answerer told what it must do."""
    return any(w == "علي" and addressees.at(words, i + 1) and "ان" in words[i + 2:i + 6]
               for i, w in enumerate(words))


def _imperative(words: list[str], verbs: Phrases, raw: str) -> bool:
    return any(_imperative_at(words, i, verbs, raw) for i in range(len(words)))


def _imperative_at(words: list[str], i: int, verbs: Phrases, raw: str) -> bool:
    """An imperative at word i; a bare «قل» only when «إن/أن/له…» or a colon follows (else it may be «قلّ»)."""
    if not verbs.at(words, i):
        return False
    if words[i].lstrip("وف") != _SAY:
        return True
    following = words[i + 1] if i + 1 < len(words) else ""
    return following in _THAT or bool(re.search(r"(?<!\w)[وف]?قُ?ل\s*:", raw))


def _opens_with_imperative(words: list[str], lists: _Lists, raw: str) -> bool:
    """The sentence (outside quotes) opens with an imperative of saying and what to say: «قل إن ...»,
    «أجب بأن ...», «اكتب: ...» (not «أكتب هذه السطور», I write, which folds to the same letters)."""
    return (bool(words) and _imperative_at(words, 0, lists.verbs, raw)
            and (any(w in _OPENING_OBJECTS for w in words[1:5]) or bool(re.match(r"\W*\w+\s*:", raw))))
