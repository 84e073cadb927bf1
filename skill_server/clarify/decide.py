"""clarify(): is a request underspecified, and which questions settle it.

A request is underspecified when a decision that changes the code matters for the interaction it
describes and the request does not settle it, explicitly or by clear implication. Length is no signal.
The concept data and the overrides decide first (rule_view); a learned model trained on the labelled tuning
requests overrules them only when it is fairly sure (blended_missing), and never to ask about a request whose
every recognised interaction leaves no decision open: there the model leans on words it saw in other requests
("select all devices that match a filter" reads like bulk deletes it learned from)."""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import InputError
from ..knowledge.languages import gloss
from ..models import ClarifyResult, ClarifyTrace, Question, QuestionOption
from . import cues, overrides
from .model import model as learned_model
from .view import View, build

MAX_REQUEST_CHARS = 4_000  # a request, not a whole spec or file; keeps a call well under a second
MAX_QUESTIONS = 3
# The blend: ask when (1 - RULE_WEIGHT) x the model's probability + RULE_WEIGHT x the rules' yes/no > 0.5, i.e.
# follow the rules unless the model is fairly sure otherwise (above 0.71 or below 0.29). Chosen on blind rounds
# 14-25, each judged with only the data written before it; `README.md` has the figures.
RULE_WEIGHT = 0.3
# Questions the learned model may not take away: whether the code differs by LiveView version is a fact of the
# API the rules read (assign_async, stream_async, colocated hooks), and whether a status changes by itself (a
# toast on a timer, a job's progress label) is what the notification concepts recognise; the model, trained on
# words, read such requests as complete (real sets A-C: every version or announcement question it removed was
# wanted). Nor the scope question the rules ask of a request too vague or only a title naming an area: the model
# read such titles as complete ('Introduce LiveView!', real set B).
RULES_DECIDE = ("liveview_version", "accessibility", "scope")
NOT_SURE = QuestionOption(key="default", label="Not sure: use the recommended default")
Decision = tuple[ClarifyResult, View]  # clarify's answer and the view behind it (what the request settles)


def validate(request: object) -> str:
    if not isinstance(request, str):
        raise InputError("request must be a string: the user's request, verbatim")
    if "\x00" in request:
        raise InputError("request contains a NUL byte; send plain text")
    if not request.strip():
        raise InputError("request is empty; send the user's request, e.g. \"make deleting a comment feel instant\"")
    if len(request) > MAX_REQUEST_CHARS:
        raise InputError(f"request is {len(request):,} characters; the limit is {MAX_REQUEST_CHARS:,}. Send the "
                         "request in a few sentences, not a whole spec or file (use review_code to review code)")
    return request.strip()


def rule_view(request_text: str, text: str, liveview_version: str | None) -> View:
    """What the concept data and the overrides make of a request; missing(view) is what they would ask."""
    view = build(request_text, text)
    if liveview_version:
        view = replace(view, stated={**view.stated, "liveview_version": "stated"})
    return overrides.run(view)


def missing(view: View) -> list[str]:
    return sorted((d for d in view.needed if d not in view.stated), key=lambda d: cues.decisions()[d]["order"])


def blended_missing(view: View, probabilities: dict[str, float]) -> list[str]:
    """The rules' answer and the learned model's, blended (see RULE_WEIGHT); the dimensions to ask about."""
    asked = missing(view)
    if not asked and (view.trapped or view.ruled_out):
        return []  # the request names an interaction only for the rules to rule it out; the model cannot tell
    if not asked and view.kinds and not view.kinds_with("matters"):
        return []  # the rules know what is asked (a form, a search, an upload, paging) and it leaves nothing open
    ask = (1 - RULE_WEIGHT) * probabilities["underspecified"] + RULE_WEIGHT * bool(asked) > 0.5
    open_dimensions = [d for d in cues.decisions() if d not in view.stated]
    if not ask or not open_dimensions:
        return [d for d in asked if d in RULES_DECIDE]
    learned = [d for d in open_dimensions if probabilities[d] > 0.5]
    likeliest = max(cues.decisions(), key=probabilities.__getitem__)
    if not asked and not learned and likeliest not in open_dimensions:
        return []  # the model's reason to ask is a decision the request settles ("we are on 1.1.5")
    fallback = likeliest if likeliest in open_dimensions else max(open_dimensions, key=probabilities.__getitem__)
    chosen = list(dict.fromkeys(asked + learned)) or [fallback]
    if "scope" in chosen:  # until the interaction is known, nothing else can be asked
        return ["scope"]
    return sorted(chosen, key=lambda d: cues.decisions()[d]["order"])


def wording(view: View) -> dict[str, str]:
    """How questions name the action and its object: 'the delete of the comment'."""
    words = cues.wording()
    primary = next((h for kind in view.kinds for h in view.hits(kind)), None)
    if primary:
        action = cues.interaction(primary.concept).data["action"]
        hit = re.findall(r"[a-z_]+", view.text[primary.start:primary.end].lower())
        if len(hit) > 2 and hit[-2] in words["articles"] and hit[-3] not in ("from", "to"):
            obj = hit[-1]  # the hit names its object: "cancel their reservations"
        else:  # the noun after the verb: "delete a comment"
            rest = re.findall(r"[a-z_]+", view.text[primary.end:view.sentence_end(primary.start)].lower())[:6]
            rest = [w for w in rest if w not in words["articles"]]
            while rest and rest[0] not in words["no_object_after"] and (
                    rest[0] in words["not_objects"] or len(rest[0]) < 3 or rest[0].endswith(("ing", "ly"))):
                rest.pop(0)
            obj = rest[0] if rest and rest[0] not in words["no_object_after"] else None
    else:  # the action a request names when no interaction was found: "let admins ban a user"
        named = (((m[1] or m[3]).lower(), (m[2] or m[4]).lower()) for m in words["named_action"].finditer(view.request))
        action, obj = next(((verb, noun) for verb, noun in named if verb not in words["not_actions"]
                            and noun not in words["articles"] and len(noun) > 2), ("change", None))
    obj = obj[:-1] if obj and obj.endswith("s") and not obj.endswith("ss") and len(obj) > 4 else obj or "item"
    objects = obj[:-1] + "ies" if obj.endswith("y") and obj[-2:-1] not in "aeiou" else obj + (
        "es" if obj.endswith(("s", "x", "ch", "sh")) else "s")
    return {"action": action, "object": obj, "objects": objects, "of_object": f" of the {obj}" if obj != "item" else ""}


def decide(request: str, liveview_version: str | None = None) -> Decision:
    request_text = validate(request)
    # Matched against the request plus, if it has Spanish, Portuguese, French, German, Dutch or Italian words,
    # a copy with those words in English.
    english = gloss(request_text)
    view = rule_view(request_text, f"{request_text} ({english})" if english else request_text, liveview_version)
    asked = blended_missing(view, learned_model().probabilities(f"{request_text} {english}"))
    words, templates = wording(view), cues.decisions()
    questions = [Question(dimension=d, question=templates[d]["question"].format(**words), uri=templates[d]["uri"],
                          options=[*(QuestionOption(key=key, label=o["label"], recommended=o.get("recommended", False))
                                     for key, o in templates[d]["options"].items() if "label" in o), NOT_SURE])
                 for d in asked[:MAX_QUESTIONS]]
    # What the code will assume: the questions asked, or where the rules saw an open decision the blend judged
    # settled enough.
    assumptions = [templates[d]["assumption"].format(**words) for d in (asked or missing(view))]
    if view.explanation and not asked:
        assumptions = ["Nothing to design here (a question, a fix, docs, work behind the page); no decision is open."]
    example = " ".join(f"{n}a" for n in range(1, len(questions) + 1))
    return ClarifyResult(request=request_text, underspecified=bool(asked), missing=asked, questions=questions,
                         assumptions=assumptions, reply_hint=f"Reply with a letter per question, e.g. `{example}`, "
                         "or `defaults`." if questions else None), view


def clarify(request: str, liveview_version: str | None = None) -> ClarifyResult:
    return decide(request, liveview_version)[0]


def explain(request: str, liveview_version: str | None = None) -> ClarifyTrace:
    """clarify() with the entries that fired: concepts (phrase or pattern), traps, overrides, cues consulted."""
    result, view = decide(request, liveview_version)
    consulted = [f"cue {h.concept}: {view.text[h.start:h.end]!r} by {h.by}"
                 for hits in view._cues.values() for h in hits]
    return ClarifyTrace(result=result, interactions=view.kinds, settled=dict(view.stated), rules_missing=missing(view),
                        fired=[*view.trace, *consulted])
