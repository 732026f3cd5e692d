"""Serve the bundled model over the OpenAI chat API on 127.0.0.1, to measure the `hosted` backend.

    python eval/serve_bundled_model.py --port 8088 --key KEY &
    ASSISTANT_LLM_BASE_URL=http://127.0.0.1:8088/v1 ASSISTANT_LLM_MODEL=bundled ASSISTANT_LLM_API_KEY=KEY \
        assistant eval --backend hosted

The hosted backend then runs the real HTTP path (client, retries, streaming) against a real
llama.cpp server. Its figures are the bundled model's over HTTP, not those of a larger hosted model.
"""

from __future__ import annotations

import argparse
import time

import xllamacpp

from assistant.llm.model_files import ensure_model
from assistant.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--key", required=True, help="API key clients must send")
    args = parser.parse_args()
    params = xllamacpp.CommonParams()
    params.model.path = str(ensure_model(Settings.load().model_cache_dir))
    params.n_ctx = 2048
    params.n_parallel = 1
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = 2
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.api_keys = [args.key]
    server = xllamacpp.Server(params)
    print(f"serving on http://127.0.0.1:{args.port}/v1", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        del server


if __name__ == "__main__":
    main()
