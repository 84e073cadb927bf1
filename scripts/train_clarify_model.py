"""Train skill_server/clarify/model.json from the clarify tuning sets in evals/ (never evals/reserved/).

    .venv/bin/python scripts/train_clarify_model.py          # writes the model
    .venv/bin/python scripts/train_clarify_model.py --check  # exits 1 if the committed model is stale

Logistic regression (L2, C=4) per head over TF-IDF features, fitted with full-batch Adam in numpy; the result
is deterministic, so retraining on the same data reproduces the file."""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skill_server.clarify.model import HEADS, MODEL_PATH, features  # noqa: E402
from skill_server.knowledge.languages import gloss  # noqa: E402

C = 4.0
STEPS = 1500
MIN_DF = 2
# What the features depend on: the labelled requests, the translations and the stemmer.
INPUTS = ("evals/clarify*.jsonl", "skill_server/knowledge/translations.toml", "skill_server/matching/lexicon.py")


def input_files() -> list[Path]:
    return sorted(p for pattern in INPUTS for p in ROOT.glob(pattern))


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in input_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cases() -> list[dict]:
    return [json.loads(line) for path in sorted(ROOT.glob("evals/clarify*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def text_of(request: str) -> str:
    return f"{request} {gloss(request)}"


def train(labelled: list[dict]) -> dict:
    docs = [features(text_of(c["request"])) for c in labelled]
    df = Counter(f for d in docs for f in d)
    vocabulary = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocabulary)}
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[f])) + 1 for f in vocabulary])
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        entries = [(index[f], (1 + math.log(k)) * idf[index[f]]) for f, k in d.items() if f in index]
        norm = math.sqrt(sum(v * v for _, v in entries)) or 1.0
        for c, v in entries:
            rows.append(r), cols.append(c), vals.append(v / norm)
    rows, cols, vals = np.array(rows), np.array(cols), np.array(vals)
    y = np.array([[c["underspecified"]] + [d in c["missing"] for d in HEADS[1:]] for c in labelled], dtype=float)
    w, b = np.zeros((len(vocabulary), len(HEADS))), np.zeros(len(HEADS))
    m, v = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    heads = range(len(HEADS))
    for step in range(1, STEPS + 1):  # sparse products as bincounts: X @ w and X.T @ error
        scores = np.stack([np.bincount(rows, vals * w[cols, h], minlength=n) for h in heads], axis=1)
        error = 1 / (1 + np.exp(-(scores + b))) - y
        grad = w + C * np.stack([np.bincount(cols, vals * error[rows, h], minlength=len(vocabulary))
                                 for h in heads], axis=1)
        grad_b = C * error.sum(axis=0)
        for param, g, mom, var in ((w, grad, m, v), (b, grad_b, mb, vb)):
            mom *= 0.9
            mom += 0.1 * g
            var *= 0.999
            var += 0.001 * g * g
            param -= 0.05 * (mom / (1 - 0.9**step)) / (np.sqrt(var / (1 - 0.999**step)) + 1e-8)
    return {"heads": list(HEADS), "trained_on": fingerprint(), "cases": n, "features": vocabulary,
            "idf": [round(float(x), 5) for x in idf], "intercept": [round(float(x), 5) for x in b],
            "coef": [[round(float(x), 5) for x in row] for row in w]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if model.json was trained on other data")
    args = parser.parse_args()
    if args.check:
        trained_on = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["trained_on"]
        if trained_on != fingerprint():
            print(f"{MODEL_PATH.relative_to(ROOT)} is stale: run scripts/train_clarify_model.py", file=sys.stderr)
            return 1
        return 0
    model = train(cases())
    MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{MODEL_PATH.relative_to(ROOT)}: {model['cases']} cases, {len(model['features'])} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
