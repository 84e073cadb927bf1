"""clarify(): is a request underspecified, and which questions settle it.

A request is underspecified when a decision that changes the code matters for the interaction it
describes and the request does not settle it, explicitly or by clear implication. Length is no signal.
The concept data and the overrides decide first (rule_view); a learned model trained on the labelled tuning
requests overrules them only when it is fairly sure (blended_missing)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import InputError
from ..knowledge.languages import gloss
from ..models import ClarifyResult, ClarifyTrace, Question, QuestionOption
from . import cues, lexicon, overrides
from .model import model as learned_model
from .view import View, build

MAX_REQUEST_CHARS = 20_000
MAX_QUESTIONS = 3
# The blend: ask when (1 - RULE_WEIGHT) x the model's probability + RULE_WEIGHT x the rules' yes/no > 0.5, i.e.
# follow the rules unless the model is fairly sure otherwise (above 0.71 or below 0.29). Chosen on blind rounds
# 14-25, each judged with only the data written before it; `README.md` has the figures.
RULE_WEIGHT = 0.3
NOT_SURE = QuestionOption(key="default", label="Not sure: use the recommended default")


def validate(request: object) -> str:
    if not isinstance(request, str):
        raise InputError("request must be a string: the user's request, verbatim")
    if "\x00" in request:
        raise InputError("request contains a NUL byte; send plain text")
    if not request.strip():
        raise InputError("request is empty; send the user's request, e.g. \"make deleting a comment feel instant\"")
    if len(request) > MAX_REQUEST_CHARS:
        raise InputError(f"request is {len(request):,} characters; the limit is {MAX_REQUEST_CHARS:,}")
    return request.strip()


def explanation_cue(view: View) -> str | None:
    """The cue that shows the request asks how something works or why code misbehaves (not for new code)."""
    for name in ("explain", "debug"):
        if view.cue(name):
            return f"cue {name}: {view.text[view.cue(name)[0].start:view.cue(name)[0].end]!r}"
    if cues.cue("compare").found(view.request):
        return "cue compare"
    if view.cue("build"):
        return None
    question = cues.cue("question")
    for sentence in re.findall(r"[^.!?:\n]+\?", view.text):
        opening = lexicon.tokens(sentence)[:6]
        if any(not h.is_phrase for h in question.found(sentence)) or any(
                start <= 2 for start, _, _ in lexicon.spans(question.phrases, opening)):
            return f"cue question: {sentence.strip()!r}"
    return None


def rule_view(request_text: str, text: str, liveview_version: str | None) -> View:
    """What the concept data and the overrides make of a request: `missing` is what they would ask."""
    view = build(request_text, text)
    vague = bool(view.cue("vague"))
    explained = None if vague else explanation_cue(view)
    if explained:
        return replace(view, found=(), stated={}, explanation=True,
                       trace=(*view.trace, f"a question about how something works ({explained})"))
    if liveview_version:
        view = replace(view, stated={**view.stated, "liveview_version": "stated"})
    if vague and (not view.found or view.cue("everywhere")):
        return replace(view, found=(), added=("scope",), trace=(*view.trace, "too vague to know the interaction (cue vague)"))
    return overrides.run(view)


def missing(view: View) -> list[str]:
    return sorted((d for d in view.needed if d not in view.stated), key=lambda d: cues.decisions()[d]["order"])


def blended_missing(view: View, probabilities: dict[str, float]) -> list[str]:
    """The rules' answer and the learned model's, blended (see RULE_WEIGHT); the dimensions to ask about."""
    asked = missing(view)
    if not asked and view.dismissed:
        return []  # the request names an interaction only for the rules to rule it out; the model cannot tell
    ask = (1 - RULE_WEIGHT) * probabilities["underspecified"] + RULE_WEIGHT * bool(asked) > 0.5
    open_dimensions = [d for d in cues.decisions() if d not in view.stated]
    if not ask or not open_dimensions:
        return []
    learned = [d for d in open_dimensions if probabilities[d] > 0.5]
    likeliest = max(cues.decisions(), key=probabilities.__getitem__)
    if not asked and not learned and likeliest not in open_dimensions:
        return []  # the model's reason to ask is a decision the request settles ("we are on 1.1.5")
    fallback = likeliest if likeliest in open_dimensions else max(open_dimensions, key=probabilities.__getitem__)
    chosen = list(dict.fromkeys(asked + learned)) or [fallback]
    if "scope" in chosen:  # until the interaction is known, nothing else can be asked
        return ["scope"]
    return sorted(chosen, key=lambda d: cues.decisions()[d]["order"])


def _words(view: View) -> dict[str, str]:
    """How questions name the action and its object: 'the delete of the comment'."""
    primary = next((f for kind in view.kinds for f in view.found if f.kind == kind), None)
    named = None if primary else named_action(view.request)
    if primary:
        action = next(c.data["action"] for c in cues.interactions() if c.name == primary.kind)
        words = re.findall(r"[a-z_]+", view.text[primary.hit.start:primary.hit.end].lower())
        named_in_hit = len(words) > 2 and words[-2] in cues.wording()["articles"] and words[-3] not in ("from", "to")
        obj = (_singular(words[-1]) if named_in_hit  # the hit names its object: "cancel their reservations"
               else object_after(view.text[:view.sentence_end(primary.hit.start)], primary.hit.end))
    else:
        action, obj = named or ("change", None)
    obj = obj or "item"
    return {"action": action, "object": obj, "objects": _plural(obj), "of_object": f" of the {obj}" if obj != "item" else ""}


def object_after(text: str, end: int) -> str | None:
    """The noun a verb acts on: 'delete a comment' → 'comment'."""
    wording = cues.wording()
    rest = [w for w in re.findall(r"[a-z_]+", text[end:].lower())[:6] if w not in wording["articles"]]
    while rest and (rest[0] in wording["not_objects"] or len(rest[0]) < 3 or rest[0].endswith(("ing", "ly"))):
        if rest[0] in wording["no_object_after"]:
            return None
        rest.pop(0)
    return _singular(rest[0]) if rest else None


def named_action(request_text: str) -> tuple[str, str] | None:
    """The verb and object a request names ("ban", "user") when no interaction was found."""
    wording = cues.wording()
    for match in wording["named_action"].finditer(request_text):
        verb, noun = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        if verb.lower() not in wording["not_actions"] and noun.lower() not in wording["articles"] and len(noun) > 2:
            return verb.lower(), _singular(noun.lower())
    return None


def _singular(noun: str) -> str:
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 4 else noun


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


Decision = tuple[ClarifyResult, View]  # clarify's answer and the view behind it (what the request settles)


def decide(request: str, liveview_version: str | None = None) -> Decision:
    request_text = validate(request)
    # Matched against the request plus, if it has Spanish, Portuguese, French, German, Dutch or Italian words,
    # a copy with those words in English.
    english = gloss(request_text)
    view = rule_view(request_text, f"{request_text} ({english})" if english else request_text, liveview_version)
    asked = blended_missing(view, learned_model().probabilities(f"{request_text} {english}"))
    words = _words(view)
    questions = []
    for dimension in asked[:MAX_QUESTIONS]:
        template = cues.decisions()[dimension]
        options = [QuestionOption(key=key, label=o["label"], recommended=o.get("recommended", False))
                   for key, o in template["options"].items() if "label" in o]
        questions.append(Question(dimension=dimension, question=template["question"].format(**words),
                                  options=[*options, NOT_SURE], uri=template["uri"]))
    if asked or not view.explanation:
        # what the code will assume: the questions asked, or where the rules saw an open decision the blend
        # judged settled enough
        assumptions = [cues.decisions()[d]["assumption"].format(**words) for d in (asked or missing(view))]
    else:
        assumptions = ["This asks how something works; no code decision is open."]
    reply_hint = None
    if questions:
        example = " ".join(f"{n}a" for n in range(1, len(questions) + 1))
        reply_hint = f"Reply with a letter per question, e.g. `{example}`, or `defaults`."
    return ClarifyResult(request=request_text, underspecified=bool(asked), missing=asked, questions=questions,
                         assumptions=assumptions, reply_hint=reply_hint), view


def clarify(request: str, liveview_version: str | None = None) -> ClarifyResult:
    return decide(request, liveview_version)[0]


def explain(request: str, liveview_version: str | None = None) -> ClarifyTrace:
    """clarify() with the entries that fired: concepts (phrase or pattern), traps, overrides."""
    result, view = decide(request, liveview_version)
    consulted = [f"cue {hit.concept}: {view.text[hit.start:hit.end]!r} by {hit.by}"
                 for hits in view._cues.values() for hit in hits]
    return ClarifyTrace(result=result, interactions=view.kinds, settled=dict(view.stated), rules_missing=missing(view),
                        fired=[*view.trace, *consulted])
