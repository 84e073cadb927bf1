"""Review rules: accessibility."""
