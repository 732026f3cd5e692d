"""The pipeline of an ingest on Ray (`assistant ingest … --ray`, `assistant bench --store`): cleaning and chunking
in Ray tasks (`index.ray_prepare`), embedding over an actor pool (`index.ray_embed`), the configured store."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from assistant import factory
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.index.ray_prepare import RayPreparer


@dataclass
class RayIngest:
    pipeline: Pipeline
    preparer: RayPreparer
    actors: int
    """Embedder actors per job (one per CPU of the cluster, less one above two)."""


@contextmanager
def ray_ingest(settings: Settings, address: str | None = None, local_cpus: int | None = None) -> Iterator[RayIngest]:
    """Joins the cluster at `address` (None: a local Ray on `local_cpus`, default all); shut down after if
    it started one. Pass `.preparer.clean` to `importer.ingest` as its cleaner."""
    from assistant.index.ray_embed import RayEmbedder, ray_settings
    from assistant.index.ray_prepare import RayPreparer

    settings = ray_settings(settings)
    embedder = RayEmbedder(factory.create("embedder", settings.embed_model, settings), settings, address=address,
                           local_cpus=local_cpus)
    try:
        pipeline, preparer = open_pipeline(settings, embedder=embedder), RayPreparer(settings)
        pipeline.store.preparer = preparer.prepare
        yield RayIngest(pipeline, preparer, embedder.actors)
    finally:
        embedder.close()
