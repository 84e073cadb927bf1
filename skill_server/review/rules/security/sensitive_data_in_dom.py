"""## What it does
Flags templates that render secrets into the page: fields named like API keys, secrets, password hashes,
private keys or access tokens, in text, attributes, `phx-value-*` or `JS.push` values.

## Why is this bad?
Everything in the page, including data attributes and JS command payloads, is readable by the user and by
any script on the page; secrets there leak.

## Example
```heex
<div data-key={@account.api_key}></div>
```

## Use instead
Keep secrets on the server; render a masked form (`sk-…1234`) if users must recognise them.

## False positives
CSRF tokens (`get_csrf_token()`) and upload refs are meant for the page and are not flagged. Generic
`token` fields are medium confidence.

## References
knowledge: security#secrets-in-the-page
"""

import re

from ...rule import Hit, Rule

RULE = Rule(
    slug="sensitive_data_in_dom", code="LV606", family="security", severity="error", confidence="high",
    languages=("heex",), summary="A secret is rendered into the page.",
    fix="Do not render secrets; keep them server-side or show a masked form.", cites="security#secrets-in-the-page",
)
SECRET = re.compile(r"\b(api_key|apikey|secret|secret_key|client_secret|password_hash|hashed_password|private_key|"
                    r"access_token|refresh_token|auth_token|api_token)\b")
TOKEN = re.compile(r"\btoken\b")


def check(ctx):
    for template in ctx.templates:
        for node, expression in template.expressions():
            if "csrf" in expression or "mask" in expression:
                continue
            line, column = template.position(node)
            if SECRET.search(expression):
                yield Hit(line=line, column=column, message=f"{{{expression.strip()}}} renders a secret into the page.")
            elif TOKEN.search(expression):
                yield Hit(line=line, column=column, message=f"{{{expression.strip()}}} may render a token.",
                          confidence="medium")
