"""The articles tab's search timed on a stored corpus: the same fixed searches every run, common and rare.

Common words match thousands of SaudiNewsNet articles (the ranking then sorts them all), rare ones a few or
none; a two-word query needs both. The searches are in eval/fulltext_searches.txt (Arabic words stay out of
the code). The first search after the corpus opens also folds the article list once (`ingest.listing`), so
it is reported apart from the rest.
"""

from __future__ import annotations

import time
from pathlib import Path

from assistant.evaluation.runner import EVAL_DIR
from assistant.evaluation.stats import median, percentile
from assistant.ingest.corpus import Corpus

SEARCHES = EVAL_DIR / "fulltext_searches.txt"


def searches(path: Path = SEARCHES) -> list[str]:
    """The queries of `path`: one a line; blank lines and `#` comments skipped."""
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def search_latency(corpus: Corpus, queries: list[str], repeats: int = 5) -> dict:
    """Milliseconds of a page of results for each query, `repeats` times over, and how many each matched."""
    started = time.perf_counter()
    corpus.page(queries[0])
    first_ms = (time.perf_counter() - started) * 1000
    took: list[float] = []
    matches: dict[str, int] = {}
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            matches[query] = corpus.page(query).matched
            took.append((time.perf_counter() - started) * 1000)
    return {"first_ms": first_ms, "ms": {"median": median(took), "p95": percentile(took, 95), "n": len(took)},
            "matches": matches, "repeats": repeats}
