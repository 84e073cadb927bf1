"""Review rules: streams."""
