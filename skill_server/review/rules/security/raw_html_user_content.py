"""## What it does
Flags `raw/1` (or `Phoenix.HTML.raw/1`) applied to content in a template or module.

## Why is this bad?
`raw/1` turns off HTML escaping. On content a user wrote (comments, profiles, messages) it is a stored
XSS: their HTML and scripts run in every other visitor's browser.

## Example
```heex
<div>{raw(@comment.body)}</div>
```

## Use instead
Render text normally (`{@comment.body}`), or sanitize with an allow-list (e.g. HtmlSanitizeEx) before
`raw/1`.

## False positives
Content that is sanitized (`sanitize`, `safe_`, `_html` built by your own renderer) or a literal is medium
or not flagged; fields named like user text (`body`, `content`, `comment`, `message`, `bio`,
`description`, `text`) are high confidence.

## References
knowledge: security#raw-1-and-user-content
"""

import re

from ...helpers import module_text_calls
from ...rule import Hit, Rule

RULE = Rule(
    slug="raw_html_user_content", code="LV605", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="raw/1 on content that may come from users (stored XSS).",
    fix="Render it escaped, or sanitize it with an allow-list before raw/1.", cites="security#raw-1-and-user-content",
)
RAW = re.compile(r"(?<![\w.])(?:Phoenix\.HTML\.)?raw\(\s*([^)]*)\)")
USER_TEXT = re.compile(r"\b(body|content|comment|message|bio|description|text|note|title|name|params|input)\b")


def check(ctx):
    for match, line in module_text_calls(ctx, RAW):
        argument = match.group(1).strip()
        if not argument or argument.startswith('"') or re.search(r"sanitiz|safe_|escape", argument):
            continue
        confidence = None if USER_TEXT.search(argument) else "medium"
        yield Hit(line=line, column=1, message=f"raw({argument}) renders unescaped HTML.", confidence=confidence)
