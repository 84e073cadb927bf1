"""Review rules: forms."""
