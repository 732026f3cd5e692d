"""Errors the user can act on; each carries a one-line message fit for a terminal."""


class AssistantError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class InputError(AssistantError):
    """The user's input (a question, a flag) is not usable."""


class ArticleError(AssistantError):
    """An article file cannot be read or parsed."""


class IndexCorruptError(AssistantError):
    """The persisted index exists but cannot be loaded."""


class ConfigError(AssistantError):
    """A setting has a value we cannot use."""


class EmbedderError(AssistantError):
    """The embedding model cannot be loaded."""


class LLMError(AssistantError):
    """The language model backend failed (unreachable, timed out, bad reply); we fall back."""


class StorageError(AssistantError):
    """The corpus or the index cannot be written (a read-only folder, a full disk) or read back."""
