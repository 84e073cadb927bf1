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
High confidence needs a value no page should hold: a field read ending in `hashed_password`, `password_hash`,
`private_key`, `client_secret` and the like, a secret fetched by such a name
(`get_setting("vapid_private_key")`), or an attribute named for one (`data-private-key={...}`). An API key or
token value (`@account.api_key`) may be shown to its owner on purpose (copy it once), so it is low confidence
(strict only). The name of a secret (`@secret.name`), an atom (`as: :api_key`), a keyword key, a boolean
(`@show_secret?`) or a bare variable that may be a struct is low confidence at most, as are generic `token`
fields. CSRF tokens (`get_csrf_token()`) and masked values are not flagged.

## Severity and confidence
Error, harm security: anyone who can view the page source gets the secret. High for values no page should
hold; low for keys shown to their owner and names of secrets.

## References
knowledge: security#secrets-in-the-page
"""

import re

from ....sanitize import code_span
from ...rule import Hit, Rule

RULE = Rule(
    slug="sensitive_data_in_dom", code="LV606", family="security", severity="error", confidence="high",
    languages=("heex",), summary="A secret is rendered into the page.",
    fix="Do not render secrets; keep them server-side or show a masked form.", cites="security#secrets-in-the-page",
    harm="security",
)
SECRET_NAMES = (r"(api_key|apikey|secret|secret_key|client_secret|password_hash|hashed_password|private_key|"
                r"access_token|refresh_token|auth_token|api_token)")
# Values no page should ever hold, whoever looks at it.
NEVER_RENDERED = re.compile(r"\.\s*(password_hash|hashed_password|encrypted_password|private_key|client_secret|"
                            r"secret_key_base|signing_secret)\b(?![.(?!:\w])")
# A field read that ends in a secret's name: the secret's value itself.
SECRET_VALUE = re.compile(r"\.\s*" + SECRET_NAMES + r"\b(?![.(?!:\w])")
# A whole expression that is a variable or assign named like a secret (it may be a struct): `{@api_key}`.
SECRET_WORD = re.compile(r"@?" + SECRET_NAMES)
# A secret fetched by name (`get_setting("vapid_private_key")`, `System.get_env("STRIPE_SECRET_KEY")`).
NAMED_SECRET = re.compile(r"[\"':](?:\w*_)?(private_key|client_secret|secret_key(?:_base)?|signing_secret|api_secret|"
                          r"password_hash|hashed_password)\b", re.I)
# An attribute named for a secret (`data-vapid-private-key={...}`).
SECRET_ATTRIBUTE = re.compile(r"(private[-_]key|client[-_]secret|secret[-_]key|signing[-_]secret|api[-_]secret)", re.I)
TOKEN = re.compile(r"(@?\w+\.)*@?\w*token")


def check(ctx):
    for template in ctx.templates:
        for element in template.elements:
            for name, attr in element.attrs.items():
                if attr.is_expr and SECRET_ATTRIBUTE.search(name) and not NAMED_SECRET.search(attr.value or "") \
                        and not NEVER_RENDERED.search(attr.value or ""):
                    yield Hit(line=attr.line, column=attr.column, message=f"{code_span(name)} puts a secret into the page.")
        for node, expression in template.expressions():
            if "csrf" in expression or "mask" in expression:
                continue
            line, column = template.position(node)
            shown = code_span('{' + expression.strip() + '}')
            if NEVER_RENDERED.search(expression) or NAMED_SECRET.search(expression):
                yield Hit(line=line, column=column, message=f"{shown} renders a secret into the page.")
            elif SECRET_VALUE.search(expression):
                # An API key or token shown to its owner (copy it once) can be the feature: low.
                yield Hit(line=line, column=column, message=f"{shown} renders a secret into the page.", confidence="low")
            elif SECRET_WORD.fullmatch(expression.strip()) or TOKEN.fullmatch(expression.strip()):
                yield Hit(line=line, column=column, message=f"{shown} may render a secret or token.", confidence="low")
