"""Review rules: lifecycle."""
