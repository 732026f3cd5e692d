"""Arabic question answering over a news corpus, with citations."""

__version__ = "0.1.0"
