"""Summary statistics shared by the eval and the benchmarks."""

from __future__ import annotations

import numpy as np


def percentile(values: list[float], pct: float) -> float:
    """The value at `pct` (nearest rank, as latency reports usually give it); 0.0 for no values."""
    return float(np.percentile(values, pct, method="nearest")) if values else 0.0


def median(values: list[float]) -> float:
    return float(np.median(values)) if values else 0.0
