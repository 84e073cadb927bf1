"""Review rules: optimistic_ui."""
