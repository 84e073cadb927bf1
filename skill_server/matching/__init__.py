"""Phrase and pattern matching over concept data, shared by clarify and recommend."""
