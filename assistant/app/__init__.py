"""Front ends: `wiring` opens the pipeline's parts from settings; `importer` adds files and news dumps to the
corpus and the index (resumable) and deletes articles; `service` is the assistant as one object for front
ends (ask with progress, documents, uploads, deletes, feedback), helped by `generation` (lanes and stoppable
runs), `uploads` and `feedback`; `ui/` is the Gradio page over it; `cli` (with `cli_corpus` and `cli_eval`)
the command line."""
