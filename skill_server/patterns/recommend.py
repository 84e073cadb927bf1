"""recommend_patterns: rank catalogue patterns for a described interaction, say why, name the close
alternatives not chosen, and respect the LiveView version (fallbacks instead of missing APIs)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ..clarify import cues
from ..matching import lexicon
from ..matching.concepts import Concept, Pattern as Regex, negated
from ..clarify import decide as clarify_decide
from ..clarify.decide import Decision
from ..clarify.elicit import answers_from, default_answers
from ..errors import InputError
from ..knowledge.languages import in_english
from ..models import PatternMatch, RecommendResult, RejectedPattern
from ..versions import resolve, version_in_range
from .catalogue import Pattern, load_patterns

MAX_SCENARIO_CHARS = 4_000  # as clarify's request and search's query: a request, not a whole spec
MAX_LIMIT = 16
POLICY = tomllib.loads(Path(__file__).with_name("recommend.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _signals() -> dict[str, tuple[Concept, dict[str, float]]]:
    """Each pattern's signals as a concept of the shared matcher (phrases, structured patterns, traps), with the
    weight of each phrase or pattern."""
    found = {}
    for pattern in load_patterns().values():
        concept = Concept(pattern.id, lexicon.by_first_word(list(pattern.signals)),
                          tuple(Regex(regex, why) for regex, why, _ in pattern.signal_patterns),
                          lexicon.by_first_word(list(pattern.signal_traps)), {})
        found[pattern.id] = (concept, {**pattern.signals, **{why: w for _, why, w in pattern.signal_patterns}})
    return found


def _signals_found(pattern: Pattern, text: str, toks: list[lexicon.Token]) -> list[tuple[str, float]]:
    """The signals the text names (each once), leaving out those a trap or a negation vetoes."""
    concept, weights = _signals()[pattern.id]
    hits = [h for h in negated(concept.hits(text, toks), text, toks, cues.cue("negation")) if not h.trap]
    return [(entry, weights[entry]) for entry in dict.fromkeys(h.entry for h in hits)]


def validate(scenario: object, limit: object) -> tuple[str, int]:
    if not isinstance(scenario, str):
        raise InputError("scenario must be a string describing the interaction, e.g. \"delete a comment with a fade\"")
    if "\x00" in scenario:
        raise InputError("scenario contains a NUL byte; send plain text")
    if not scenario.strip():
        raise InputError("scenario is empty; describe the interaction, e.g. \"mark a task done and save it\"")
    if len(scenario) > MAX_SCENARIO_CHARS:
        raise InputError(f"scenario is {len(scenario):,} characters; the limit is {MAX_SCENARIO_CHARS:,}. Send the "
                         "request in a few sentences, not a whole spec or file (use review_code to review code)")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return scenario.strip(), limit


def _score(pattern: Pattern, found: list[tuple[str, float]], answers: dict[str, str]) -> float:
    """The signals' weights, moved by the pattern's steering for the answers given; a client-side-only request
    keeps client_only patterns whole and cuts the others to client_only_penalty."""
    score = sum(weight for _, weight in found)
    for (dimension, option), factor in pattern.steering.items():
        if answers.get(dimension) == option and score:
            score *= factor
        elif answers.get(dimension) == option and factor > 1:
            score = factor  # the answer alone recommends a pattern no signal named
    if answers.get("persistence") == "client_only" and not pattern.client_only:
        score *= POLICY["client_only_penalty"]
    return score


def recommend(scenario: str, liveview_version: str | None = None, limit: int = 3,
              answers: dict[str, str] | None = None, decision: Decision | None = None) -> RecommendResult:
    """`decision` is clarify's on the same scenario (computed here when not passed): recommend asks its open
    questions and reads what it settled, instead of deciding again."""
    text, limit = validate(scenario, limit)
    target = resolve(liveview_version)
    clarified, view = decision or clarify_decide.decide(text, liveview_version=liveview_version)
    answers = {**({"persistence": "client_only"} if view.stated.get("persistence") == "client_only" else {}),
               **(answers or {})}
    signal_text = f"{text}. {in_english(text)}"  # signals are English; a Spanish scenario still matches
    toks = lexicon.tokens(signal_text)
    scored = []
    for pattern in load_patterns().values():
        found = _signals_found(pattern, signal_text, toks)
        score = _score(pattern, found, answers)
        if score > 0:
            scored.append((score, pattern, found))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    if scored:  # a stray word is not a recommendation
        scored = [item for item in scored if item[0] >= scored[0][0] * POLICY["relative_floor"]]
    chosen = scored[:limit]
    chosen_ids = {p.id for _, p, _ in chosen}
    matches, rejected, to_decide, notes = [], [], [], []
    for score, pattern, found in chosen:
        fallback = None
        if pattern.fallback and pattern.fallback_below and version_in_range(target.version, None, pattern.fallback_below):
            fallback = pattern.fallback
            notes.append(f"{pattern.id} on LiveView {target.label}: {pattern.fallback}")
        why = [f"mentions “{phrase}”" for phrase, _ in sorted(found, key=lambda f: -f[1])[:4]]
        why += [f"you chose {dimension.replace('_', ' ')}: {option.replace('_', ' ')}"
                for (dimension, option), factor in pattern.steering.items() if answers.get(dimension) == option
                and factor > 1]
        matches.append(PatternMatch(
            id=pattern.id, title=pattern.title, summary=pattern.summary, why=why, tradeoffs=list(pattern.tradeoffs),
            since=pattern.since, snippet=pattern.id, uri=pattern.uri, score=round(score, 2), fallback=fallback,
        ))
        if pattern is chosen[0][1]:  # the alternatives the best match was weighed against
            for other, reason in pattern.alternatives.items():
                if other not in chosen_ids:
                    rejected.append(RejectedPattern(id=other, reason=reason))
        to_decide += [d for d in pattern.decide if d not in to_decide]
    for pattern in load_patterns().values():  # answers that rule a pattern out
        reason = next((r for (d, o), r in pattern.rejected_when.items() if answers.get(d) == o), None)
        if reason and pattern.id not in chosen_ids and all(r.id != pattern.id for r in rejected):
            rejected.append(RejectedPattern(id=pattern.id, reason=reason))
    if target.note:
        notes.insert(0, target.note)
    if not matches:
        notes.append("No catalogue pattern matches this scenario; describe the interaction (what the user does and "
                     "what should happen), or search the guidance.")
    open_dimensions = [d for d in clarified.missing if d not in answers]
    questions = [q for q in clarified.questions if q.dimension in open_dimensions]
    return RecommendResult(
        scenario=text, liveview_version=target.label, needs_clarification=bool(questions), questions=questions,
        patterns=matches, rejected=rejected[:5], decide=to_decide, assumptions=clarified.assumptions if questions else [],
        notes=notes,
    )


def recommend_answered(scenario: str, liveview_version: str | None = None, limit: int = 3,
                       answers: dict[str, str] | None = None, decision: Decision | None = None,
                       form: dict | None = None, declined: str | None = None) -> RecommendResult:
    """recommend() after clarify's questions were put to the user (MCP form elicitation): accepted `form`
    content steers the ranking and is named in the notes; a form the user declined or cancelled (`declined`:
    "decline" or "cancel") falls back to the recommended answers and says so. One clarify decision serves all."""
    text, _ = validate(scenario, limit)
    decision = decision or clarify_decide.decide(text, liveview_version=liveview_version)
    clarified = decision[0]
    if form is not None:
        chosen = {**(answers or {}), **answers_from(clarified, form)}
        result = recommend(text, liveview_version, limit, chosen, decision)
        return result.model_copy(update={"notes": [*result.notes, "Used your answers: " + ", ".join(
            f"{k.replace('_', ' ')} = {v.replace('_', ' ')}" for k, v in chosen.items())]})
    if declined is not None:
        result = recommend(text, liveview_version, limit, {**default_answers(clarified), **(answers or {})}, decision)
        return result.model_copy(update={
            "needs_clarification": False, "questions": [], "assumptions": clarified.assumptions,
            "notes": [*result.notes, f"The questions were {'declined' if declined == 'decline' else 'cancelled'}, "
                      "so the defaults were used."]})
    return recommend(text, liveview_version, limit, answers, decision)
