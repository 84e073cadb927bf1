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
High confidence needs a secret *value*: a field read whose last key is a secret's name
(`@account.api_key`, `@user.hashed_password`). The name of a secret (`@secret.name`), an atom
(`as: :api_key`), a keyword key, a boolean (`@show_secret?`) or a bare variable that may be a struct is
medium confidence at most, as are generic `token` fields. CSRF tokens (`get_csrf_token()`) and masked
values are not flagged.

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
SECRET_NAMES = (r"(api_key|apikey|secret|secret_key|client_secret|password_hash|hashed_password|private_key|"
                r"access_token|refresh_token|auth_token|api_token)")
# A field read that ends in a secret's name: the secret's value itself.
SECRET_VALUE = re.compile(r"\.\s*" + SECRET_NAMES + r"\b(?![.(?!:\w])")
# A whole expression that is a variable or assign named like a secret (it may be a struct): `{@api_key}`.
SECRET_WORD = re.compile(r"@?" + SECRET_NAMES)
TOKEN = re.compile(r"(@?\w+\.)*@?\w*token")


def check(ctx):
    for template in ctx.templates:
        for node, expression in template.expressions():
            if "csrf" in expression or "mask" in expression:
                continue
            line, column = template.position(node)
            if SECRET_VALUE.search(expression):
                yield Hit(line=line, column=column, message=f"{{{expression.strip()}}} renders a secret into the page.")
            elif SECRET_WORD.fullmatch(expression.strip()) or TOKEN.fullmatch(expression.strip()):
                yield Hit(line=line, column=column, message=f"{{{expression.strip()}}} may render a secret or token.",
                          confidence="medium")
