"""Evaluation: eval files in, metrics, reports and CI verdicts out.

`retrieval` scores rankings (recall@k, MRR); `answers` scores answers (key facts, citation precision and
recall, faithfulness, refusals, language, latency); `judge` measures the citation judge itself; `runner`
is `assistant eval`; `report` writes eval/reports/.
"""
