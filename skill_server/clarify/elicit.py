"""Clarifying questions as an MCP form elicitation, and answers back into {dimension: option key}.

The MCP spec allows only flat objects of primitive fields in form elicitation: one enum field per
question, defaulting to the recommended option. People and assistants without elicitation answer with
the compact reply form instead ("1b 2a" or "defaults"), parsed by `parse_reply`."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, create_model

from ..errors import InputError
from ..models import ClarifyResult

ELICITATION_MESSAGE = "A few choices change the code. Pick one per question (the defaults are the recommended ones)."


def elicitation_model(result: ClarifyResult) -> type[BaseModel]:
    """A flat pydantic model with one enum field per question (field name = dimension)."""
    fields = {}
    for question in result.questions:
        keys = tuple(option.key for option in question.options)
        default = next((o.key for o in question.options if o.recommended), keys[0])
        labels = "; ".join(f"{o.key}: {o.label}" for o in question.options)
        fields[question.dimension] = (
            Literal[keys],  # type: ignore[valid-type]
            Field(default=default, title=question.question, description=labels),
        )
    return create_model("ClarifyingAnswers", **fields)


def answers_from(result: ClarifyResult, content: BaseModel | dict) -> dict[str, str]:
    """Answers from accepted elicitation content; "default" or an unknown key picks the recommended option."""
    data = content.model_dump() if isinstance(content, BaseModel) else dict(content)
    answers = default_answers(result)
    for question in result.questions:
        if data.get(question.dimension) in {o.key for o in question.options} - {"default"}:
            answers[question.dimension] = data[question.dimension]
    return answers


def default_answers(result: ClarifyResult) -> dict[str, str]:
    return {q.dimension: next(o.key for o in q.options if o.recommended) for q in result.questions}


def parse_reply(reply: str, result: ClarifyResult) -> dict[str, str]:
    """'1b 2a' (question number, option letter) or 'defaults' → {dimension: option key}."""
    text = reply.strip().lower()
    answers = default_answers(result)
    if text in ("", "defaults", "default", "d"):
        return answers
    pairs = re.findall(r"(\d+)\s*([a-z])", text)
    if not pairs:
        raise InputError("reply like `1b 2a` (question number and option letter) or `defaults`")
    for number, letter in pairs:
        index = int(number) - 1
        if not 0 <= index < len(result.questions):
            raise InputError(f"there is no question {number}; answer 1 to {len(result.questions)}")
        question = result.questions[index]
        position = ord(letter) - ord("a")
        if not 0 <= position < len(question.options):
            raise InputError(f"question {number} has options a to {chr(ord('a') + len(question.options) - 1)}")
        option = question.options[position]
        answers[question.dimension] = answers[question.dimension] if option.key == "default" else option.key
    return answers
