"""The LiveView reviewer: parsing, shared context, rules (rules/<family>/<slug>.py), suppressions, project mode."""
