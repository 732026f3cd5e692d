"""Arabic word forms: Light10 stemming, proclitics, content-word tokens, and "the same word" under inflection.

Stemming is Light10 (Larkey, Ballesteros & Connell 2002), the standard light stemmer for Arabic
retrieval: it strips the conjunction و, the article forms and common suffixes. Measured on
eval/retrieval_dev.jsonl it beat PyStemmer's Arabic Snowball (hybrid recall@1 0.850 vs 0.800,
MRR 0.910 vs 0.885), which stems «قمة» and «وقمة» differently.
"""

from __future__ import annotations

import re
from typing import Iterator

from assistant.arabic.data import digest
from assistant.arabic.normalize import STOPWORDS, match_key, normalize_arabic

ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
"""Light10's article forms, after normalisation: longest first."""
PROCLITICS = ("و", "ف", "ب", "ل", "ك")
"""One-letter clitics written onto the next word: and, then, with/by, for/to, like."""
CONJUNCTIONS = ("و", "ف")
"""The proclitics that join clauses: «وماذا», «فلم»."""
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
VERB_PREFIXES = ("ت", "ي", "ن", "ا")
"""Prefixes of the imperfect verb: «تصدر» and «صدرت» are one verb."""
PERSON_ENDINGS = ("", "ت", "وا", "ها", "هما", "هم", "ه")
"""Endings a verb takes for its subject or object: «قالت», «اعتبرهما»."""
_ARTICLE = "ال"
_ENGLISH_ARTICLES = frozenset({"a", "an", "the"})


def tokenizer_id() -> str:
    """Changes whenever tokens would change (code version or word lists), making indexes stale."""
    return f"light10-v3:{digest('transliterations.tsv', 'stopwords.txt')}"


def light_stem(word: str) -> str:
    """Light10 on a normalised word; keeps at least two letters. «و50» -> «50»."""
    if word[1:].isdigit() and word[0] in PROCLITICS:
        return word[1:]
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for prefix in ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[:-len(suffix)]
    return word


def proclitic_forms(word: str) -> Iterator[str]:
    """A normalised word, then the word without each article/proclitic it may carry (والقمة -> القمة, قمة)."""
    yield word
    for prefix in ARTICLES + PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            yield word[len(prefix):]


def is_function_word(word: str) -> bool:
    """A stop word, alone or after «و/ف» («وماذا»)."""
    return word in STOPWORDS or (word[:1] in CONJUNCTIONS and word[1:] in STOPWORDS)


def content_words(key: str) -> list[str]:
    """The words of a match key that can carry evidence (numbers, and words that are not function words)."""
    return [w for w in key.split() if w.isdigit() or (len(w) > 1 and not is_function_word(w))]


def tokenize(text: str) -> list[str]:
    """Stemmed match keys of the content words of `text`."""
    return [light_stem(w) for w in content_words(match_key(text))]


def without_article(key: str) -> str:
    """«الترسانة» -> «ترسانة» for a phrase long enough to keep a word."""
    return key[2:] if key.startswith(_ARTICLE) and len(key) > 4 else key


def phrase_pattern(key: str) -> re.Pattern[str]:
    """Whole words `key` (a match key) inside another match key, under up to two proclitics and the article
    («الترسانة» in «وبالترسانة»)."""
    clitics = "".join(PROCLITICS)
    return re.compile(rf"(?<!\S)[{clitics}]{{0,2}}(?:{_ARTICLE})?{re.escape(without_article(key))}(?!\S)")


def bare_word(word: str) -> str:
    """A normalised word without any article or one-letter proclitic, stripped to a fixed point while four
    letters or more remain («وبالقمة» -> «قمه», «للقمة» -> «قمه»). Crude, but the same for every text it is
    applied to, so two spellings of one phrase compare equal (the SQuAD answer normalisation, for Arabic)."""
    while len(word) >= 4:
        if word.startswith(_ARTICLE):
            word = word[len(_ARTICLE):]
        elif word[0] in PROCLITICS:
            word = word[1:]
        else:
            break
    return word


def answer_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation adapted to Arabic: diacritics, hamza forms, ى/ي, ة/ه, punctuation and
    case folded (`normalize_arabic`), then the article and one-letter proclitics stripped from each word."""
    return [bare_word(w) for w in normalize_arabic(text).split() if w not in _ENGLISH_ARTICLES]


def has_token(token: str, tokens: set[str] | frozenset[str]) -> bool:
    """Exact, or the same word with a clitic or inflection the light stemmer left on.

    استانف ~ استانفت (suffix), تصدر ~ صدرت (imperfect prefix): one shares the other's first
    three letters once a verb prefix is set aside.
    """
    if token in tokens:
        return True
    if token.isdigit() or len(token) < 3:
        return False
    return any(_related(token, t) for t in tokens if not t.isdigit() and len(t) >= 3)


def _related(a: str, b: str) -> bool:
    if len(a) >= 4 and len(b) >= 4 and abs(len(a) - len(b)) <= 2 and (a.startswith(b) or b.startswith(a)):
        return True
    bare_a, bare_b = _bare(a), _bare(b)
    return len(bare_a) >= 3 and len(bare_b) >= 3 and abs(len(bare_a) - len(bare_b)) <= 2 and (
        bare_a.startswith(bare_b) or bare_b.startswith(bare_a))


def _bare(word: str) -> str:
    """Without one proclitic (و ف ب ل ك) and one imperfect-verb prefix (ت ي ن ا)."""
    if len(word) >= 4 and word[0] in PROCLITICS:
        word = word[1:]
    if len(word) >= 4 and word[0] in VERB_PREFIXES:
        word = word[1:]
    return word


def strip_endings(word: str, endings: tuple[str, ...] = PERSON_ENDINGS) -> Iterator[str]:
    """The word without each of `endings` it has («قالت» -> «قالت», «قال»)."""
    for ending in endings:
        if not ending:
            yield word
        elif word.endswith(ending):
            yield word[:len(word) - len(ending)]
