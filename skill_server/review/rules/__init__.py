"""The review rules, one module per rule in a family folder."""
