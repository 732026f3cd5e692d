"""Any server speaking the OpenAI chat API (llama.cpp server, vLLM, Ollama, OpenAI).

Timeouts and retries with exponential backoff come from the `openai` client; a total deadline per answer
bounds them all: each attempt may wait at most its share of the deadline, and the stream is closed once the
deadline passes, however steadily tokens come. The API key is never put in a message or a log line.
"""

from __future__ import annotations

import time
from typing import Any, Iterator

from assistant.errors import ConfigError, LLMError
from assistant.redact import strip_userinfo


class HostedChatModel:
    def __init__(self, base_url: str, model: str, api_key: str = "", timeout_s: float = 30.0,
                 max_retries: int = 2, deadline_s: float = 30.0) -> None:
        if not base_url or not model:
            raise ConfigError("the hosted backend needs ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL")
        import openai

        self.name = f"hosted:{model}"
        self.base_url = strip_userinfo(base_url)
        """For messages only: without a user or password written into the URL."""
        self.model = model
        self.deadline_s = deadline_s
        self._openai = openai
        per_attempt = min(timeout_s, deadline_s / (max_retries + 1))  # retries cannot stretch the deadline
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed",
                                     timeout=per_attempt, max_retries=max_retries)

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "HostedChatModel":
        return cls(settings.llm_base_url, settings.llm_model, settings.llm_api_key.get_secret_value(),
                   settings.llm_timeout_s, settings.llm_max_retries, settings.llm_deadline_s)

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        errors = self._openai
        ends = time.monotonic() + self.deadline_s
        try:
            response = self._client.chat.completions.create(
                model=self.model, messages=messages, max_tokens=max_tokens, temperature=0.0, stream=True)
            with response:  # closed also when the caller stops reading (a stop in the UI): the server sees it
                for chunk in response:
                    if time.monotonic() > ends:  # leaving the `with` closes the connection
                        raise LLMError(f"the hosted LLM at {self.base_url} did not finish within the "
                                       f"{self.deadline_s:g} s deadline")
                    if not getattr(chunk, "choices", None):
                        continue
                    content = chunk.choices[0].delta.content if chunk.choices[0].delta else None
                    if content:
                        yield content
        except errors.APITimeoutError:
            raise LLMError(f"the hosted LLM at {self.base_url} did not answer in time") from None
        except errors.APIConnectionError:
            raise LLMError(f"cannot reach the hosted LLM at {self.base_url}") from None
        except errors.AuthenticationError:
            raise LLMError(f"the hosted LLM at {self.base_url} refused the API key (HTTP 401)") from None
        except errors.APIStatusError as exc:
            raise LLMError(f"the hosted LLM at {self.base_url} answered HTTP {exc.status_code}") from None
        except (errors.APIError, ValueError, AttributeError, TypeError, KeyError) as exc:
            raise LLMError(f"the hosted LLM at {self.base_url} sent a malformed reply "
                           f"({type(exc).__name__})") from None
