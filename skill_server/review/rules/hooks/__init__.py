"""Review rules: hooks."""
