"""Clarifying questions: decide whether a request leaves open a decision that changes the code, and ask it.

`clarify(request)` is the core; `elicit.py` turns its questions into an MCP form-elicitation schema and the
answers back; `concepts/` holds the data (interaction kinds, decisions and their options, request cues)
and `cues.py` the matcher over it."""

from .decide import clarify

__all__ = ["clarify"]
