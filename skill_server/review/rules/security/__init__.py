"""Review rules: security."""
