"""Front ends: `wiring` opens the pipeline's parts from settings; `service` is the assistant as one object
for front ends (ask with progress, documents, uploads, deletes, feedback), helped by `generation` (lanes and
stoppable runs), `uploads`, `feedback` and `freshness`; `ui/` is the Gradio page over it and
`cli` the command line."""
