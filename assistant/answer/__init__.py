"""Answering: a Question and its retrieved passages in, a verified Arabic answer with citations out.

`evidence` scores the sentences of the passages; `answerability` decides whether they can answer the
question at all (or it is refused); `answerer` writes the answer (extractive, or an LLM through
`prompts`); `verify` checks every sentence against the source it cites with the `support` judge.
"""
