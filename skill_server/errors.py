"""The one error type the core raises for bad input; adapters turn it into an MCP tool error or exit 2."""


class InputError(ValueError):
    """Bad input from a caller. The message says what was wrong and what to send instead."""


def check_text(value: object, name: str) -> None:
    """InputError when a string in `value` (or in a list or dict inside it) is not valid Unicode text: a
    lone surrogate (from a JSON escape such as \\ud800, or undecodable bytes in a command-line argument)
    cannot be encoded, so no answer could quote it back."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise InputError(f"{name} has an unpaired surrogate or undecodable bytes: send UTF-8 text") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


class ServerBusy(InputError):
    """Too many calls are already waiting for the same limited resource (review workers); retry shortly."""
