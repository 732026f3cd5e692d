"""Language models for the answer step: `base.ChatModel` is the one interface; `local` runs the bundled
Qwen2.5-Coder-1.5B (assembled and verified by `model_files`), `hosted` any OpenAI-compatible server.
Chat messages in, streamed text out; every failure is an `LLMError` the answerer falls back from."""
