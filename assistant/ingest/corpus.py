"""The document collection: the bundled articles plus those a user added with `ingest`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ArticleError, InputError
from assistant.ingest.cleaning import clean_article
from assistant.ingest.loaders import load_file
from assistant.io import write_atomic
from assistant.settings import Settings
from assistant.types import Document, RawArticle


@dataclass
class AddResult:
    """What `Corpus.add` did, by document id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Corpus:
    """Reads raw articles from disk and cleans them; user additions persist as JSON records."""

    def __init__(self, settings: Settings) -> None:
        self.bundled_dir = settings.corpus_dir
        self.user_dir = settings.user_corpus_dir

    def raw_articles(self) -> list[RawArticle]:
        """Bundled articles first, then user ones; a user article replaces a bundled one of the same id."""
        by_id: dict[str, RawArticle] = {}
        if self.bundled_dir.is_dir():
            for path in sorted(self.bundled_dir.glob("*.txt")):
                for article in load_file(path):
                    by_id[article.id] = article
        for path in self._user_records():
            try:
                article = RawArticle.from_json(path.read_text("utf-8"))
            except (OSError, ValueError, TypeError) as exc:
                raise ArticleError(f"{path}: stored article is unreadable ({exc}); delete it or ingest it again") from None
            by_id[article.id] = article
        return list(by_id.values())

    def documents(self) -> list[Document]:
        """All cleaned documents, glued-on articles split out, in a stable order."""
        return [doc for raw in self.raw_articles() for doc in clean_article(raw)]

    def get(self, doc_id: str) -> Document:
        for doc in self.documents():
            if doc.id == doc_id:
                return doc
        raise InputError(f"no document with id {doc_id!r}; `assistant docs` lists them")

    def add(self, articles: list[RawArticle]) -> AddResult:
        """Store articles as user records; unchanged ones are left alone so nothing is re-embedded.

        An article that cleans to nothing is reported in `errors`; the others still go in.
        """
        result = AddResult()
        existing = {a.id: a for a in self.raw_articles()}
        self.user_dir.mkdir(parents=True, exist_ok=True)
        for article in articles:
            if not clean_article(article):
                result.errors.append(f"{article.origin or article.id}: no article text left after "
                                     f"removing boilerplate")
                continue
            old = existing.get(article.id)
            if old is not None and (old.text, old.title, old.source) == (article.text, article.title, article.source):
                result.unchanged.append(article.id)
                continue
            write_atomic(self.user_dir / f"{article.id}.json", article.to_json())
            (result.updated if old is not None else result.added).append(article.id)
            existing[article.id] = article
        return result

    def _user_records(self) -> list[Path]:
        return sorted(self.user_dir.glob("*.json")) if self.user_dir.is_dir() else []

