"""The one error type the core raises for bad input; adapters turn it into an MCP tool error or exit 2."""


class InputError(ValueError):
    """Bad input from a caller. The message says what was wrong and what to send instead."""
