"""recommend_patterns: rank catalogue patterns for a described interaction, say why, name the close
alternatives not chosen, and respect the LiveView version (fallbacks instead of missing APIs)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..clarify import clarify
from ..clarify.dimensions import STATED
from ..errors import InputError
from ..knowledge.languages import in_english
from ..knowledge.tokenizer import stem
from ..models import PatternMatch, RecommendResult, RejectedPattern
from ..versions import resolve, version_in_range
from .catalogue import Pattern, load_patterns

MAX_SCENARIO_CHARS = 20_000
MAX_LIMIT = 16
# Patterns scoring under this share of the best one are left out.
RELATIVE_FLOOR = 0.25
# Patterns that never talk to the server.
CLIENT_ONLY = {"instant_toggle", "reduced_motion_css"}
# How answers to clarifying questions move patterns: (dimension, option) → {pattern: factor}.
STEERING = {
    ("failure_ux", "undo"): {"undo_delete": 3.0},
    ("failure_ux", "revert"): {"archive_with_revert": 1.3, "optimistic_toggle": 1.2, "delete_with_transition": 1.2,
                               "drag_reorder": 1.2},
    ("failure_ux", "retry"): {"optimistic_stream_insert": 1.2},
    ("collection_kind", "assign"): {"optimistic_stream_insert": 0.6, "scoped_pubsub_stream": 0.7, "archive_with_revert": 0.7,
                                    "live_feed_stream": 0.7, "infinite_scroll": 0.7},
    ("collection_kind", "stream"): {"optimistic_stream_insert": 1.2, "optimistic_toggle": 1.1},
    ("concurrency", "shared"): {"optimistic_locking_update": 3.0},
    ("persistence", "client_only"): {"instant_toggle": 3.0},
    ("accessibility", "announce"): {"aria_live_region": 1.5},
}


def _root(word: str) -> str:
    """A looser stem for matching signals: "deleting", "deleted" and "delete" meet at "delet"."""
    root = stem(word)
    return root[:-1] if len(root) > 4 and root.endswith("e") else root


def _phrase_regex(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    body = r"\W+".join(w + r"\w{0,3}" if w[-1].isalnum() else w for w in words)
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])", re.I)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[str, float, re.Pattern | str]]]:
    compiled = {}
    for pattern in load_patterns().values():
        entries = []
        for phrase, weight in pattern.signals.items():
            if " " in phrase or not phrase.isalpha():
                entries.append((phrase, weight, _phrase_regex(phrase)))
            else:
                entries.append((phrase, weight, _root(phrase)))
        compiled[pattern.id] = entries
    return compiled


# A signal right after one of these words in the same clause is what the user does NOT want ("no need to add a
# flash", "without a modal"): it does not count.
NEGATION_RE = re.compile(r"\b(?:no|not|without|never|don't|doesn't|dont|doesnt)\b(?:\W+\w+){0,3}\W*$", re.I)
WORD_RE = re.compile(r"[a-z_]+")


def _negated(text: str, start: int) -> bool:
    clause = re.split(r"[.;:!?,()]", text[max(0, start - 40):start])[-1]
    return NEGATION_RE.search(clause) is not None


def _signals_found(pattern: Pattern, text: str, stems: set[str]) -> list[tuple[str, float]]:
    found = []
    for phrase, weight, matcher in _compiled()[pattern.id]:
        if isinstance(matcher, str):
            starts = [m.start() for m in WORD_RE.finditer(text.lower()) if _root(m.group(0)) == matcher] \
                if matcher in stems else []
        else:
            starts = [m.start() for m in matcher.finditer(text)]
        if any(not _negated(text, start) for start in starts):
            found.append((phrase, weight))
    return found


def validate(scenario: object, limit: object) -> tuple[str, int]:
    if not isinstance(scenario, str):
        raise InputError("scenario must be a string describing the interaction, e.g. \"delete a comment with a fade\"")
    if "\x00" in scenario:
        raise InputError("scenario contains a NUL byte; send plain text")
    if not scenario.strip():
        raise InputError("scenario is empty; describe the interaction, e.g. \"mark a task done and save it\"")
    if len(scenario) > MAX_SCENARIO_CHARS:
        raise InputError(f"scenario is {len(scenario):,} characters; the limit is {MAX_SCENARIO_CHARS:,}")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return scenario.strip(), limit


def _stated_persistence(text: str) -> str | None:
    for pattern, key in STATED["persistence"]:
        if re.search(pattern, text, re.I):
            return key
    return None


def recommend(scenario: str, liveview_version: str | None = None, limit: int = 3,
              answers: dict[str, str] | None = None) -> RecommendResult:
    text, limit = validate(scenario, limit)
    target = resolve(liveview_version)
    answers = dict(answers or {})
    clarified = clarify(text, liveview_version=liveview_version)
    if _stated_persistence(text) == "client_only":
        answers.setdefault("persistence", "client_only")
    signal_text = f"{text} {in_english(text)}"  # signals are English; a Spanish scenario still matches
    stems = {_root(w) for w in re.findall(r"[a-z_]+", signal_text.lower())}
    scored = []
    for pattern in load_patterns().values():
        found = _signals_found(pattern, signal_text, stems)
        score = sum(weight for _, weight in found)
        for (dimension, option), factors in STEERING.items():
            if answers.get(dimension) == option and pattern.id in factors:
                score = score * factors[pattern.id] if score else factors[pattern.id] if factors[pattern.id] > 1 else 0
        if answers.get("persistence") == "client_only" and pattern.id not in CLIENT_ONLY:
            score *= 0.3
        if score > 0:
            scored.append((score, pattern, found))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    if scored:  # a stray word is not a recommendation
        scored = [item for item in scored if item[0] >= scored[0][0] * RELATIVE_FLOOR]
    chosen = scored[:limit]
    chosen_ids = {p.id for _, p, _ in chosen}
    matches, rejected, decide, notes = [], [], [], []
    for score, pattern, found in chosen:
        fallback = None
        if pattern.fallback and pattern.fallback_below and version_in_range(target.version, None, pattern.fallback_below):
            fallback = pattern.fallback
            notes.append(f"{pattern.id} on LiveView {target.label}: {pattern.fallback}")
        why = [f"mentions “{phrase}”" for phrase, _ in sorted(found, key=lambda f: -f[1])[:4]]
        for (dimension, option), factors in STEERING.items():
            if answers.get(dimension) == option and factors.get(pattern.id, 1) > 1:
                why.append(f"you chose {dimension.replace('_', ' ')}: {option.replace('_', ' ')}")
        matches.append(PatternMatch(
            id=pattern.id, title=pattern.title, summary=pattern.summary, why=why, tradeoffs=list(pattern.tradeoffs),
            since=pattern.since, snippet=pattern.id, uri=pattern.uri, score=round(score, 2), fallback=fallback,
        ))
        if pattern is chosen[0][1]:  # the alternatives the best match was weighed against
            for other, reason in pattern.alternatives.items():
                if other not in chosen_ids:
                    rejected.append(RejectedPattern(id=other, reason=reason))
        decide += [d for d in pattern.decide if d not in decide]
    if answers.get("persistence") == "client_only" and "optimistic_toggle" not in chosen_ids:
        if all(r.id != "optimistic_toggle" for r in rejected):
            rejected.append(RejectedPattern(id="optimistic_toggle", reason="nothing to persist: the change is client-side"))
    if target.note:
        notes.insert(0, target.note)
    if not matches:
        notes.append("No catalogue pattern matches this scenario; describe the interaction (what the user does and "
                     "what should happen), or search the guidance.")
    open_dimensions = [d for d in clarified.missing if d not in answers]
    questions = [q for q in clarified.questions if q.dimension in open_dimensions]
    return RecommendResult(
        scenario=text, liveview_version=target.label, needs_clarification=bool(questions), questions=questions,
        patterns=matches, rejected=rejected[:5], decide=decide, assumptions=clarified.assumptions if questions else [],
        notes=notes,
    )
