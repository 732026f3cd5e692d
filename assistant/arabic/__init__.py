"""Everything the assistant knows about Arabic, in one place: code here, word lists in `resources/`.

Text in, match keys, stems, sentence spans, number values and question forms out. Nothing here imports
anything else from `assistant`, so every stage (cleaning, BM25, the citation judge, answerability,
follow-ups, the eval) reads Arabic the same way.

- `normalize`: spelling folds (hamza, ى/ي, ة/ه, digits, transliterated names) -> match keys
- `morphology`: Light10 stemming, proclitics, tokens, "same word" under inflection
- `numbers`: the one number-word table (cardinals, duals, ordinals)
- `script`: Arabic vs Latin letters, and the Arabic share of words (names, numbers and markup set aside)
- `sentences`: sentence spans with exact offsets
- `words`: word classes from the word lists (dates, quantities, verbs of saying, negation)
- `questions`: what a question asks for, read from its form (Arabic and English), follow-up cues
- `boilerplate`: the furniture of Arabic news pages (buttons, bylines, credits, link lists)
- `instructions`: text that addresses the answerer (a model, the reader) instead of informing, told by its form
- `noise`: input that is no question in any language (code, SQL, a shell line, keyboard noise)
"""
