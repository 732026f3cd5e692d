"""The learned models of the answer stage, shipped as small files in `models/`, fitted by `assistant train` on a
SQuAD-format set and validated by article.

- which sentence answers: a logistic regression over `features.FEATURES` (standardised; scikit-learn at
  training time only). At run time it is a dot product in a JSON file: no pickle, no version to match.
- whether any does (refusal) and which words are the short answer: gradient-boosted trees (LightGBM),
  kept in LightGBM's own text format with the decision threshold on a first line; a linear model was
  measured and lost there (docs/experiments.md).
Input: a feature matrix; output: a probability or score per row. Each file says what it was trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from assistant.errors import ConfigError

SENTENCE_MODEL = "sentence_ranker.json"
REFUSAL_MODEL = "refusal.txt"
SHORT_MODEL = "short_answer.txt"


@dataclass(frozen=True)
class LinearModel:
    """A standardised logistic regression: p = sigmoid(((x - mean) / scale) · coef + intercept)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5
    """The decision threshold chosen at training time (for refusal: answer at or above it)."""
    about: dict = field(default_factory=dict)
    """What it was trained on and its validation figures."""

    def probability(self, rows: np.ndarray) -> np.ndarray:
        if rows.shape[1] != len(self.features):
            raise ConfigError(f"model expects {len(self.features)} features, got {rows.shape[1]}: retrain it")
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, "threshold": self.threshold,
                "about": self.about}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        return cls(tuple(data["features"]), np.asarray(data["mean"]), np.asarray(data["scale"]),
                   np.asarray(data["coef"]), float(data["intercept"]), float(data.get("threshold", 0.5)),
                   data.get("about", {}))


class BoostedModel:
    """A LightGBM booster and its decision threshold."""

    def __init__(self, booster, threshold: float) -> None:  # noqa: ANN001 - lightgbm.Booster
        self.booster, self.threshold = booster, threshold

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return self.booster.predict(rows, num_threads=1)  # a few rows: threads would only contend

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# threshold {self.threshold:.6f}\n" + self.booster.model_to_string(), encoding="utf-8")

    @classmethod
    def load(cls, name: str, features: int, folder: Path | None = None) -> BoostedModel:
        """A model file from `folder`, or the one shipped; it must take `features` columns."""
        import lightgbm

        source = model_source(name, folder)
        try:
            head, body = source.read_text(encoding="utf-8").split("\n", 1)
            model = cls(lightgbm.Booster(model_str=body), float(head.removeprefix("# threshold ")))
        except (OSError, ValueError, lightgbm.basic.LightGBMError) as exc:
            raise ConfigError(f"{source}: not a usable model file ({exc}); run `make train`") from None
        if model.booster.num_feature() != features:
            raise ConfigError(f"{source}: trained on other features than this version computes; run `make train`")
        return model


def model_source(name: str, folder: Path | None):  # noqa: ANN201 - a Path or a package resource
    """The file `name` in `folder`, or the one shipped in the package."""
    return (folder / name) if folder else resources.files("assistant.answer") / "models" / name


def load_model(name: str, expected: tuple[str, ...], folder: Path | None = None) -> LinearModel:
    """A linear model file from `folder`, or the one shipped in the package; it must use the features we compute."""
    source = model_source(name, folder)
    try:
        model = LinearModel.from_json(json.loads(source.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{source}: not a usable model file ({exc}); run `make train`") from None
    if model.features != expected:
        raise ConfigError(f"{source}: trained on other features than this version computes; run `make train`")
    return model


__all__ = ["BoostedModel", "LinearModel", "REFUSAL_MODEL", "SENTENCE_MODEL", "SHORT_MODEL", "load_model",
           "model_source"]
