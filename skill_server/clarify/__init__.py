"""Clarifying questions: decide whether a request leaves open a decision that changes the code, and ask it.

`clarify(request)` is the core; `elicit.py` turns its questions into an MCP form-elicitation schema and the
answers back; `dimensions.py` holds the data (interaction kinds, cue words, question templates)."""

from .decide import clarify

__all__ = ["clarify"]
