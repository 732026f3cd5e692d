"""Front ends: `wiring` opens the pipeline's parts from settings; `service` is the assistant as one object
for front ends (ask, documents, uploads); `ui` is the Gradio page over it and `cli` the command line."""
