"""A question set over licensed articles, stored without their text: SQuAD rebuilt from the archive's zips.

SaudiNewsNet is for research only and must not be copied into the repository. Its questions are stored as
references instead — one JSON line per question: `id`, `question`, `zip`, `index_in_zip`, `answers` as
character offsets (`answer_start`, `answer_end`) into that article's `content`, `is_impossible` — and the
articles are read from the dataset's own zips at load time, so the gold spans are the article's text exactly.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from assistant.errors import InputError


def rebuild(path: Path, archive: Path) -> dict:
    """The SQuAD 2.0 data (`{"data": [...]}`) of the references in `path`, articles read from `archive`."""
    try:
        refs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable question reference file ({exc})") from None
    articles: dict[tuple[str, int], dict] = {}
    zips: dict[str, list[dict]] = {}  # each zip read once
    for line, ref in enumerate(refs, start=1):
        key = (ref["zip"], int(ref["index_in_zip"]))
        if key not in articles:
            if ref["zip"] not in zips:
                zips[ref["zip"]] = _articles(archive / ref["zip"])
            if not 0 <= key[1] < len(zips[ref["zip"]]):
                raise InputError(f"{path}:{line}: {ref['zip']} has no article {key[1]}")
            article = zips[ref["zip"]][key[1]]
            articles[key] = {"title": article["title"], "source": article.get("source"), "url": article.get("url"),
                             "paragraphs": [{"context": article["content"], "qas": []}]}
        context = articles[key]["paragraphs"][0]["context"]
        answers = [_answer(context, a, f"{path}:{line}") for a in ref.get("answers", [])]
        articles[key]["paragraphs"][0]["qas"].append(
            {"id": ref["id"], "question": ref["question"], "answers": answers,
             "is_impossible": bool(ref.get("is_impossible"))})
    return {"data": list(articles.values())}


def _answer(context: str, span: dict, where: str) -> dict:
    """A gold answer as SQuAD has it, from its offsets (a span outside the article is an error, not an empty
    answer that would make the question look unanswerable)."""
    start, end = span["answer_start"], span["answer_end"]
    if not 0 <= start < end <= len(context):
        raise InputError(f"{where}: answer span {start}-{end} lies outside its article ({len(context)} characters)")
    return {"text": context[start:end], "answer_start": start}


def _articles(zip_path: Path) -> list[dict]:
    """The articles of one dataset zip (a JSON array)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            return json.loads(archive.read(archive.namelist()[0]))
    except (OSError, ValueError, zipfile.BadZipFile, IndexError) as exc:
        raise InputError(f"{zip_path}: cannot read the article archive ({exc}); the question references need "
                         "the dataset beside the checkout (../shared/datasets/saudinewsnet)") from None


__all__ = ["rebuild"]
