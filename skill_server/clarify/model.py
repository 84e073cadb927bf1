"""A small learned second opinion for clarify(): TF-IDF over word stems (and pairs of them) with one logistic
regression per question (is anything missing? and each dimension).

The cue rules know LiveView and explain themselves but miss wording nobody wrote down; the model has seen the
2,000 labelled tuning requests in `evals/` and catches phrasings the rules lack. `decide.py` blends the two.
`model.json` is data, written by `scripts/train_clarify_model.py` from the tuning sets (never the reserved
ones); `tests/test_clarify_model.py` fails when it is stale."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..matching import lexicon

MODEL_PATH = Path(__file__).with_name("model.json")
HEADS = ("underspecified", "failure_ux", "collection_kind", "persistence", "concurrency", "accessibility",
         "liveview_version", "scope")


def features(text: str) -> Counter[str]:
    """Word stems and adjacent pairs of them, as counts (sentence ends and one-letter words left out)."""
    stems = [t.stem for t in lexicon.tokens(text) if len(t.stem) > 1 and t.stem not in lexicon.SENTENCE_ENDS]
    return Counter(stems + [f"{a} {b}" for a, b in zip(stems, stems[1:])])


def tfidf(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sub-linear term frequency times idf, L2-normalised, over the features the model knows."""
    weights = {f: (1 + math.log(n)) * idf[f] for f, n in counts.items() if f in idf}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {f: w / norm for f, w in weights.items()}


@dataclass(frozen=True)
class Model:
    idf: dict[str, float]
    coef: dict[str, tuple[float, ...]]  # feature -> one weight per head
    intercept: tuple[float, ...]

    def probabilities(self, text: str) -> dict[str, float]:
        x = tfidf(features(text), self.idf)
        scores = list(self.intercept)
        for feature, value in x.items():
            for head, weight in enumerate(self.coef[feature]):
                scores[head] += weight * value
        return {head: 1 / (1 + math.exp(-score)) for head, score in zip(HEADS, scores, strict=True)}


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return Model(idf=dict(zip(data["features"], data["idf"], strict=True)),
                 coef={f: tuple(c) for f, c in zip(data["features"], data["coef"], strict=True)},
                 intercept=tuple(data["intercept"]))
