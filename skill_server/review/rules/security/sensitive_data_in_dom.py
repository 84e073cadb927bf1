"""## What it does
Flags templates that render secrets into the page: fields named like API keys, secrets, password hashes,
private keys or access tokens, in text, attributes, `phx-value-*` or `JS.push` values; and Elixir code that sends
them to the browser over the socket: the payload of `push_event/3` and the reply map of `{:reply, map, socket}` in
`handle_event/3`, written inline or built in a variable first (`payload = %{...}` then `push_event(socket, "k",
payload)`: the map last bound to it in the same clause is read).

## Why is this bad?
Everything in the page, including data attributes and JS command payloads, is readable by the user and by
any script on the page; secrets there leak. A pushed event or a reply is as readable: any hook or script on the
page receives it (`handleEvent`, `pushEvent`'s callback) and it shows in the browser's socket log.

## Example
```heex
<div data-key={@account.api_key}></div>
```

```elixir
{:ok, push_event(socket, "stripe:init", %{key: Application.get_env(:app, :stripe_secret_key)})}
```

## Use instead
Keep secrets on the server; render a masked form (`sk-…1234`) if users must recognise them.

## False positives
High confidence needs a value no page should hold: a field read ending in `hashed_password`, `password_hash`,
`private_key`, `client_secret`, a cloud store's `secret_access_key` (only its access key id is meant to
be seen) and the like, the same names with a provider or use in front (`stripe_secret_key`, `github_client_secret`,
`jwt_secret`, a webhook's `signing_key`: the server's credentials with another service; `is_secret`, `show_secret`
are flags, not values), a secret fetched by such a name
(`get_setting("vapid_private_key")`), or an attribute named for one (`data-private-key={...}`). An API key or
token value (`@account.api_key`) may be shown to its owner on purpose (copy it once), so it is low confidence
(strict only); put in a hidden input's value, a `data-*` or a `phx-value-*` attribute it is not shown to anyone,
only carried in the source where any script can read it: medium, shown (keys made for browsers, a maps or captcha
site key or a publishable payment key, are not, nor is a copy button's text: `data-clipboard-text`). The name of a secret (`@secret.name`), an atom (`as: :api_key`), a keyword key, a boolean
(`@show_secret?`) or a bare variable that may be a struct is low confidence at most, as are generic `token`
fields. The login session's token (`@user_token`, `@session_token`, the name phx.gen.auth gives it) is
medium, shown by default: whoever reads it can act as the user. A form field's name is not its value:
`@form[:client_secret].id` (a label's `for`), `label(f, :secret_access_key)`, `input_id/2`, and `password_input/3`
without a `value:` (it leaves the value out) are not flagged; a text input of a stored secret
(`text_input(f, :secret_access_key, type: "password")`, `<.input field={@form[:client_secret]} type="password">`:
the value is filled from the form's data) is, unless the input is given a literal value (`value=""`), which the
core input renders instead of the field's. A token in a path of the app's own routes
(`~p"/invites/#{@invite.token}"`, `url(~p"/s/#{@board.secret_token}")`, `"/files/" <> @file.signed_token`) is a
capability link, made to be handed on: not flagged (a password hash or private key there still is). CSRF tokens (`get_csrf_token()`) and masked
values are not flagged, nor are the names of keys being
removed before rendering (`Jason.encode!(Map.drop(@user.data, ["password_hash", "ip"]))`, `|> Map.delete(:api_key)`,
`Keyword.drop/2`, `Enum.reject/2`), nor presence tests (`@user.hashed_password == nil`, `is_nil(@key.secret)`, `@api_token == ""`, `String.length(@key) > 0`:
only a boolean reaches the page);
a secret kept with `Map.take/2` or read as a field still is.

A value read from the server's configuration under a secret's name (`Application.get_env(:app, :jwt_secret)`,
`System.get_env("SIGNING_SALT")`, or an assign this module fills from one) is high; under an API key's or
token's name (`System.get_env("PUSH_API_KEY")`) medium, shown, since some keys are made for browsers and are not
flagged: public and publishable keys, a Google Maps JavaScript key (`GMAP_API_KEY`, restricted by referrer), captcha
site keys (reCAPTCHA, hCaptcha, Turnstile), Mapbox public tokens, Algolia search-only keys, Sentry DSNs, analytics
project and write keys (PostHog, Plausible, Segment), tokens named for what the browser sends with them (an ingest,
tracking or front-end token), and a read whose default is such a key's value (`"pk_test_..."`). A name that also says
secret, private, server or admin (`MAPBOX_SECRET_TOKEN`, `GOOGLE_MAPS_SERVER_KEY`, `ALGOLIA_ADMIN_API_KEY`,
`SENTRY_AUTH_TOKEN`), or a secret key's value as the default (`"sk_live_..."`), is the service's server key and is
reported. The names and value prefixes, each with its reason, are the tables `BROWSER_KEY_NAMES`,
`BROWSER_KEY_VALUES` and `SECRET_KEY_VALUES` of this rule. The answer of a quiz or check carried in a `data-*`,
`phx-value-*` or hidden input (`data-correct={to_string(option.correct?)}`) is medium: anyone can read it before
answering; shown as text (after answering) it is not flagged.

A service's credential read off a record (`integration.sendgrid_token`, `@account.stripe_api_key`) in a hidden input,
`data-*` or `phx-value-*` is medium like an API key, and so are a key that grants a role over a record
(`@secret.creator_key`, `admin_key`), the stored hash of a key or token (`key.key_hash`) and a connected account's
OAuth token (`account.token`) (tokens of one-time flows the user already holds, a reset,
confirmation or invitation token, are not counted). The sign-in's own hand-off is not flagged either: a token in a
hidden input of a form with `phx-trigger-action`, or rendered only once the assign that triggers it is set
(`:if={@trigger_submit}`), is posted by this browser to the app's session controller right after the user proved who
they are (a service's API or access token there still is). A key or token rendered whole where the same page shows it only in
part (`String.slice(@key.value, 0..6)`, a `mask_*` helper) is medium, shown: the page itself says the whole value must
stay off it (a body cut short for a preview is no mask: only fields named for a key, token, secret or password count).

What the Elixir code sends is read entry by entry like an attribute nobody sees: a value no page should hold, a
configured secret or an assign filled from one is high; an API key or service token
(`%{token: integration.access_token}`) medium, shown; an entry named for a key made for browsers
(`publishable_key:`), a payment intent's or checkout session's `client_secret` (Stripe makes it for the customer's
browser), ordinary data (`%{count: 3, user_id: user.id}`) and presence tests are not flagged, nor is a `handle_call/3` reply (it goes to a process, not the browser). A `JS.push`
`value:` map is carried in the page source until the click, as a `phx-value-*` attribute is: an API key there is
medium, shown (the event's name, `"copy"`, does not make it a copy button's text).

## Severity and confidence
Error, harm security: anyone who can view the page source gets the secret. High for values no page should
hold; medium for the login session's token and keys carried in hidden attributes; low for keys shown to their owner and names of secrets.

## References
knowledge: security#secrets-in-the-page
"""

import re

from ....brackets import balanced_args, split_top_level
from ....sanitize import code_span
from ...elixir_tree import call_arguments, enclosing_clause, text, walk
from ...rule import Hit, Rule
from ...template import nearest

RULE = Rule(
    slug="sensitive_data_in_dom", code="LV606", family="security", severity="error", confidence="high",
    languages=("elixir", "heex"), summary="A secret is rendered into the page or sent to the browser.",
    fix="Do not render secrets; keep them server-side or show a masked form.", cites="security#secrets-in-the-page",
    harm="security",
)
SECRET_NAMES = (r"(api_key|apikey|secret|secret_key|client_secret|password_hash|hashed_password|private_key|"
                r"access_token|refresh_token|auth_token|api_token)")
# A secret named for its provider or use (`stripe_secret_key`, `github_client_secret`, `jwt_secret`,
# `webhook_signing_key`): a server's credential with another service, never the user's own key. Flags and
# toggles named for a secret (`is_secret`, `show_secret`) are not values.
PREFIXED_SECRET = (r"(?!(?:is|has|show|hide|keep|use|with|no|needs|requires|reveal|display|toggle)_)"
                   r"(?:[a-z0-9]+_)+(?:secret|secret_key|client_secret|signing_key|private_key|api_secret)")
# Values no page should ever hold, whoever looks at it.
NEVER_RENDERED = re.compile(r"\.\s*(password_hash|hashed_password|encrypted_password|private_key|client_secret|"
                            r"secret_key_base|signing_secret|signing_key|(?:aws_)?secret_access_key|"
                            r"(?:otp|totp|mfa|two_factor|webhook|hmac|shared|signing)_secret|recovery_codes|backup_codes|"
                            + PREFIXED_SECRET + r")\b(?![.(?!:\w])")
# Credentials no link carries on purpose, kept when a route's text is left out (`~p"/x/#{@user.hashed_password}"`).
NEVER_RENDERED_IN_ROUTE = re.compile(r"[@\w.]{0,120}\.(?:password_hash|hashed_password|encrypted_password|private_key|"
                                     r"client_secret|secret_key_base|(?:aws_)?secret_access_key)\b")
# A field read that ends in a secret's name: the secret's value itself.
SECRET_VALUE = re.compile(r"\.\s*" + SECRET_NAMES + r"\b(?![.(?!:\w])")
# An assign named for a provider's secret (`@stripe_secret`), carried where scripts read it.
SECRET_ASSIGN = re.compile(r"@" + PREFIXED_SECRET)
# A whole expression that is a variable or assign named like a secret (it may be a struct): `{@api_key}`.
SECRET_WORD = re.compile(r"@?" + SECRET_NAMES)
# A secret fetched by name (`get_setting("vapid_private_key")`, `System.get_env("STRIPE_SECRET_KEY")`).
NAMED_SECRET = re.compile(r"[\"':](?:\w*_)?(private_key|client_secret|secret_key(?:_base)?|signing_secret|api_secret|"
                          r"password_hash|hashed_password|secret_access_key)\b", re.I)
# An attribute named for a secret (`data-vapid-private-key={...}`).
SECRET_ATTRIBUTE = re.compile(r"(private[-_]key|client[-_]secret|secret[-_]key|signing[-_]secret|api[-_]secret)", re.I)
# The login session's token (phx.gen.auth keeps it in the session as `user_token`): whoever reads it is the user.
SESSION_TOKEN = re.compile(r"(@?\w+\.)*@?(?:user|session|remember_me|remember)_token")
TOKEN = re.compile(r"(@?\w+\.)*@?\w*token")
# Calls whose key arguments name what is taken OUT: `Map.drop(user, [:password_hash])`, `|> Map.delete("api_key")`.
REMOVING = re.compile(r"\b(?:Map|Keyword|Enum)\.(?:drop|delete|reject|split_with)\(")


# A presence test renders nothing but a boolean: `@user.hashed_password == nil`, `is_nil(@account.api_key)`, a
# comparison with an empty string or another literal (`socket.assigns.api_secret != ""`, `@token == ''`), its length
# or size tested (`String.length(@key) > 0`, `byte_size(key) == 0`), a blank/present predicate.
LITERAL = r"(?:nil|\"\"|''|true|false|\d{1,20}|:\w{1,40})\b"
PRESENCE_TEST = re.compile(r"\bis_nil\(\s{0,8}[@\w.]{1,200}\s{0,8}\)|(?<![@\w.])[@\w.]{1,200}\s{0,8}[!=]==?\s{0,8}" + LITERAL.replace(r"\b", "") +
                           r"(?![\w\"'])|(?<![\w\"'])" + LITERAL.replace(r"\b", "") + r"\s{0,8}[!=]==?\s{0,8}[@\w.]{1,200}|"
                           r"\b(?:String\.length|byte_size|length|blank\?|present\?|empty\?)\(\s{0,8}[@\w.]{1,200}\s{0,8}\)")


# A capability link: a token put into a path of the app's own routes (`~p"/invites/#{@invite.token}"`, `url(~p"/s/#{
# @board.secret_token}")`, `"/files/" <> @file.signed_token`). The URL is made to be handed to whoever should get in:
# an unguessable key in a link is the feature, not a leak. The route's text is left out, its interpolations with it;
# values no page should hold (a password hash, a private key) are still read.
ROUTE_SIGIL = re.compile(r"~p\"[^\"\n]{0,400}\"|~p\([^()\n]{0,400}\)")
ROUTE_JOINED = re.compile(r"\"/[^\"\n]{0,200}\"\s{0,8}<>\s{0,8}@?[\w.]{1,200}")


def _inert(value: str) -> str:
    """What of a value can carry a secret to the page: presence tests and capability links left out."""
    value = PRESENCE_TEST.sub("", value)
    if "~p" not in value and "<>" not in value:
        return value
    kept = " ".join(NEVER_RENDERED_IN_ROUTE.findall(value))
    return ROUTE_JOINED.sub("", ROUTE_SIGIL.sub('""', value)) + (" " + kept if kept else "")


def _top_level_comma(args: str) -> int:
    depth, quoted = 0, False
    for index, char in enumerate(args):
        if char == '"' and (index == 0 or args[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted and char in "([{":
            depth += 1
        elif not quoted and char in ")]}":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            return index
    return -1


def _without_removed_keys(expression: str) -> str:
    """The expression with the keys that drop/delete/reject calls remove blanked out: those names are not
    rendered. Piped (`|> Map.drop([...])`), every argument is a key; called, all but the first."""
    if not REMOVING.search(expression):
        return expression
    kept, start = [], 0
    for match in REMOVING.finditer(expression):
        if match.start() < start:
            continue
        open_index = match.end() - 1
        args = balanced_args(expression, open_index)
        piped = expression[max(0, match.start() - 40):match.start()].rstrip().endswith("|>")
        comma = -1 if piped else _top_level_comma(args)
        keys_from = open_index + 1 + (comma + 1 if comma >= 0 else 0)
        if not piped and comma < 0:
            continue  # one argument, not piped: no keys to blank
        kept.append(expression[start:keys_from])
        start = open_index + 1 + len(args)
    kept.append(expression[start:])
    return "".join(kept)


# A form field's name, not its value: `@form[:client_secret].id`, `f[:api_secret].name`, and helpers that render
# only the field's id, name or label (`label(f, :client_secret)`, `input_id(f, :secret_key)`).
FIELD_NAME = re.compile(r"[@\w.]{1,120}\[\s{0,4}[:\"]\w{1,80}\"?\s{0,4}\]\.(?:id|name|field)\b")
NAME_HELPERS = re.compile(r"(?<![\w.])(?:(?:Phoenix\.HTML\.Form|PhoenixHTMLHelpers\.Form|Form)\.)?"
                          r"(label|error_tag|input_id|input_name|humanize|translate_error|password_input)\(")

NAME_HELPER_BARE = re.compile(r"\s{0,20}(label|error_tag|input_id|input_name|humanize|translate_error|password_input)"
                              r"[ \t]{1,8}[^(\s]")


def _without_field_names(expression: str) -> str:
    """The expression with what renders a field's name instead of its value blanked out: `.id`/`.name` of a form
    field, label/input_id/error_tag calls, and `password_input/3`, which leaves the value out unless given one."""
    expression = FIELD_NAME.sub("", expression)
    bare = NAME_HELPER_BARE.match(expression)  # `<%= label f, :client_secret %>`
    if bare and (bare.group(1) != "password_input" or not re.search(r"\bvalue:", expression)):
        return ""
    if not NAME_HELPERS.search(expression):
        return expression
    kept, start = [], 0
    for match in NAME_HELPERS.finditer(expression):
        if match.start() < start:
            continue
        args = balanced_args(expression, match.end() - 1)
        if match.group(1) == "password_input" and re.search(r"\bvalue:", args):
            continue  # given a value, it renders it
        kept.append(expression[start:match.start()])
        start = match.end() + len(args) + 1
    kept.append(expression[start:])
    return "".join(kept)


# Keys made for browsers, recognised by name, each with the reason the page must hold it. A name that also says
# secret, private, server or admin (SECRET_KEY_NAME) is the same service's other key, and stays reported.
BROWSER_KEY_NAMES = (
    (r"public|publishable", "issued to be public: a VAPID public key, a payment provider's publishable key"),
    (r"g(?:oogle)?[-_]?maps?(?![a-z])|maps", "a Google Maps JavaScript API key: the page's script loads the map with "
                                             "it, and it is restricted by referrer, not kept secret"),
    (r"site[-_]?key|recaptcha|h?captcha|turnstile", "a captcha's site key (reCAPTCHA, hCaptcha, Turnstile): the widget "
                                                   "renders with it; its secret key checks answers on the server"),
    (r"mapbox", "a Mapbox public token (`pk.`): map pages load tiles with it"),
    (r"algolia\w{0,20}search|search[-_]?only", "an Algolia search-only key: the browser queries the index with it"),
    (r"sentry|dsn", "a Sentry DSN: the browser SDK reports errors to it"),
    (r"posthog|plausible|segment|analytics", "an analytics project or write key: the page's tracking script sends "
                                             "events with it"),
    (r"ingest|captur|track|telemetry|front[-_]?end|browser|widget|embed", "named for what the browser sends with it"),
    (r"client[-_]?id", "an OAuth client id is public; its client secret is not"),
)
BROWSER_KEY_NAME = re.compile("|".join(f"(?:{pattern})" for pattern, _ in BROWSER_KEY_NAMES), re.I)
# The service's other key: a Stripe secret or restricted key, a maps server key, Algolia's admin key, a Sentry auth
# token, PostHog's personal key.
SECRET_KEY_NAME = re.compile(r"secret|private|server|admin|personal|auth[-_]?token|management|master|"
                             r"(?<![a-z])[sr]k(?![a-z])", re.I)
# Keys recognised by how their value starts (a literal in the code, or the default of a configuration read).
BROWSER_KEY_VALUES = (
    ("pk_live_", "a Stripe publishable key"), ("pk_test_", "a Stripe publishable test key"),
    ("pk.", "a Mapbox public token"), ("phc_", "a PostHog project key"),
)
SECRET_KEY_VALUES = (
    ("sk_live_", "a Stripe secret key"), ("sk_test_", "a Stripe secret test key"), ("rk_live_", "a Stripe restricted key"),
    ("whsec_", "a Stripe webhook signing secret"), ("sk.", "a Mapbox secret token"), ("phx_", "a PostHog personal key"),
)


def _key_literal(prefixes) -> re.Pattern:
    return re.compile(r"[\"']" + "(?:" + "|".join(re.escape(prefix) for prefix, _ in prefixes) + r")[\w.-]")


BROWSER_KEY_VALUE = _key_literal(BROWSER_KEY_VALUES)
SECRET_KEY_VALUE = _key_literal(SECRET_KEY_VALUES)
# Masked values and a copy button's text (`data-clipboard-text`): that one is there to be shown to its owner, as the
# key on screen is.
SHOWN_ON_PURPOSE = re.compile(r"mask|clipboard|copy", re.I)


def _browser_key(words: str) -> bool:
    """The name (or value) says a key made for browsers, and nothing in it says the service's secret key."""
    if SHOWN_ON_PURPOSE.search(words):
        return True
    if SECRET_KEY_VALUE.search(words) or SECRET_KEY_NAME.search(words):
        return False
    return bool(BROWSER_KEY_NAME.search(words) or BROWSER_KEY_VALUE.search(words))


def _unseen_carrier(element, name: str) -> bool:
    """An attribute nobody reads on screen: a hidden input's value, a `data-*` or `phx-value-*` attribute. A key
    put there is not shown to its owner to copy; it only travels in the page's source."""
    if name.startswith(("data-", "phx-value-")):
        return True
    kind = element.attrs.get("type")
    return name == "value" and element.tag == "input" and kind is not None and kind.value == "hidden"


# A value read from the server's configuration or environment under a secret's name (`System.get_env("APP_SECRET")`,
# `Application.get_env(:app, :api_jwt_secret)`, `Application.fetch_env!(:app, :signing_salt)`): a server secret.
CONFIG_READ = re.compile(r"\b(?:System\.(?:get_env|fetch_env!?)|Application\.(?:get_env|fetch_env!?|compile_env!?|get_all_env))"
                         r"\(([^()]{0,160})\)")
CONFIG_SECRET = re.compile(r"secret|private|passw(?:or)?d|signing|salt|jwt|credential", re.I)
CONFIG_KEY = re.compile(r"api[-_]?key|token|push[-_]?key|access[-_]?key|(?<![a-z])key(?![a-z])", re.I)
# The answer of a quiz or a check the page is asking for (`option.correct?`, `question.correct_answer`): carried in
# the page, the user can read it before answering.
ANSWER_FIELD = re.compile(r"\.\s{0,4}(?:correct\??|is_correct\??|correct_answer|right_answer|answer_key|solution|"
                          r"correct_option(?:_id)?)(?![\w(?!])")


def _config_secret(expression: str) -> str | None:
    """'high' for a configured secret (a signing key, a password, a JWT secret), 'medium' for a configured API key or
    token (some are made for browsers: a maps, analytics or captcha key the name does not say), None otherwise."""
    for match in CONFIG_READ.finditer(expression):
        key = match.group(1)
        if CONFIG_SECRET.search(key) or SECRET_KEY_VALUE.search(expression):
            return "high"  # a secret's name, or a secret key's value as the default (`"sk_test_..."`)
        # A key made for browsers by its name or its default value (`System.get_env("MAPS_KEY")`, `"pk_test_..."`)
        # is meant for the page: not flagged.
        if _browser_key(key) or BROWSER_KEY_VALUE.search(expression):
            continue
        if CONFIG_KEY.search(key):
            return "medium"
    return None


# An assign set from the configuration: `assign(socket, :jwt_secret, System.get_env(..))`, `jwt_secret: Application...`.
CONFIG_ASSIGN = re.compile(r"(?:\bassign\(\s{0,8}\w{1,40},\s{0,8}:([a-z_]\w{0,60}),|(?<![\w:])([a-z_]\w{0,60}):)\s{0,8}"
                           r"((?:System|Application)\.\w{1,20}!?\([^()]{0,160}\))")


def _configured_assigns(ctx) -> dict[str, str]:
    """assign -> 'high'/'medium' for the assigns this file (or, for a separate template, the module beside it) fills
    with a configured secret or key (audit 12 G20: `pay_live.html.heex` rendering what `pay_live.ex` assigned)."""
    found = {}
    own = ctx.language == "elixir" and "_env" in ctx.source
    companion = ctx.companion_source if ctx.companion_source and "_env" in ctx.companion_source else None
    if not own and companion is None:
        return found
    matches = [*((m for m, _ in ctx.text.every(CONFIG_ASSIGN)) if own else ()),
               *(CONFIG_ASSIGN.finditer(companion) if companion else ())]
    for match in matches:
        level = _config_secret(match.group(3))
        if level is not None:
            found[match.group(1) or match.group(2)] = level
    return found


# A service's credential read off a record (`api_token.openai_token`, `@integration.stripe_api_key`), not a token of a
# one-time flow the user already holds from a link (a reset, confirmation or invitation token posted back by a form).
SERVICE_TOKEN = re.compile(r"\.\s*(?!(?:reset|confirm|invit|magic|verif|email|login|csrf|session|remember|user|signup|"
                           r"unsubscribe|share|registration|password)\w{0,30}_token\b)\w{1,40}_(?:token|api_key)\b(?![.(?!:\w])|"
                           # A key that grants a role over a record (`secret.creator_key`, `board.admin_key`), the stored
                           # hash of a key or token (`key.key_hash`, `token_digest`), and a connected account's OAuth
                           # token (`account.token`, `credential.token`).
                           r"\.\s*(?:\w{1,40}_)?(?:creator|admin|owner|master|manage|management|edit|write)_key\b(?![.(?!:\w])|"
                           r"\.\s*(?:\w{1,40}_)?(?:key|token|secret)_(?:hash|digest)\b(?![.(?!:\w])|"
                           r"(?<![\w.])@?(?:\w{1,40}_)?(?:account|credential|integration|connection|identity|oauth\w{0,20})s?"
                           r"\.\s*(?:oauth_)?token\b(?![.(?!:\w])")
# The page shows only part of a field (`String.slice(@api_token.replicate_token, 0..10)`, `mask_key(@key.value)`):
# whoever wrote it meant the whole value to stay off the page.
MASKED = re.compile(r"\b(?:String\.(?:slice|first|last)|binary_part|mask\w{0,20}|redact\w{0,20}|obfuscate\w{0,20})"
                    r"\(\s{0,4}@?([a-z_]\w{0,60}(?:\.[a-z_]\w{0,60}){1,3})\b")


CREDENTIAL_WORD = re.compile(r"key|token|secret|passw|credential")  # a preview of a body cut short is no mask


def _masked_fields(source: str) -> set[str]:
    """Field reads the template shows only in part (`api_token.replicate_token`, `@` dropped)."""
    return {match.group(1) for match in MASKED.finditer(source)}


# A payment intent's or checkout session's client secret (`intent.client_secret`): Stripe makes it for the customer's
# browser, which confirms the payment with it.
BROWSER_SECRET = re.compile(r"(?:intent|checkout\w{0,20})\s{0,4}\.\s{0,4}client_secret\b", re.I)
# The key of one map entry (`key:`, `"key" =>`, `:key =>`): the name the browser receives it under.
ENTRY_KEY = re.compile(r'\s{0,8}(?:"[^"]{0,80}"|:?\w{1,80}[?!]?)\s{0,8}(?:=>|:(?=\s))')
ASSIGN_READ = re.compile(r"(?:@|\bassigns\.)([a-z_]\w{0,60})\b(?![.\[(])")
SECRET_ASSIGN_WORD = re.compile(SECRET_ASSIGN.pattern + r"\b")  # `@stripe_secret`, not `@stripe_secret_id`
JS_PUSH = re.compile(r"(?:\bJS\.|\|>\s{0,8})push\(")
PUSH_VALUE = re.compile(r"\bvalue:\s{0,8}%\{")


def _entries(payload: str) -> list[str]:
    """The top-level entries of a map literal's text (`%{a: 1, b: x}` -> ["a: 1", "b: x"]); any other payload whole."""
    stripped = payload.strip()
    if not (stripped.startswith("%{") and stripped.endswith("}")):
        return [stripped]
    return split_top_level(stripped[2:-1])


def _entry_secret(entry: str, assigned: dict[str, str]) -> str | None:
    """'high'/'medium' for one entry of a map sent to the browser, tested as a template attribute nobody sees is:
    a value no page should hold or a configured secret high, an API key or service token carried medium."""
    key = ENTRY_KEY.match(entry)
    value = _inert(_without_removed_keys(entry[key.end():] if key else entry))
    if "csrf" in value or "mask" in value or BROWSER_SECRET.search(value):
        return None
    configured = _config_secret(value) if "_env" in value else None
    if configured is not None:
        return configured
    if NEVER_RENDERED.search(value) or NAMED_SECRET.search(value):
        return "high"
    level = next((assigned[name] for name in ASSIGN_READ.findall(value) if name in assigned), None)
    if level is not None:
        return level
    if _browser_key(entry):
        return None
    if SECRET_VALUE.search(value) or SERVICE_TOKEN.search(value) or SECRET_ASSIGN_WORD.search(value):
        return "medium"
    return None


def _payload_secret(payload: str, assigned: dict[str, str]) -> str | None:
    """The highest level of the payload's entries (None when none holds a secret)."""
    levels = {_entry_secret(entry, assigned) for entry in _entries(payload)}
    return "high" if "high" in levels else "medium" if "medium" in levels else None


def _pushed_values(expression: str) -> list[str]:
    """The `value:` maps of the `JS.push` commands in a template expression: sent with the event, and carried in the
    page's source until then, as a `phx-value-*` attribute is."""
    found = []
    for match in JS_PUSH.finditer(expression):
        args = balanced_args(expression, match.end() - 1)
        value = PUSH_VALUE.search(args)
        if value is not None:
            found.append("%{" + balanced_args(args, value.end() - 1) + "}")
    return found


def _sent_payloads(ctx):
    """(node, payload, kind) of what the module's Elixir code sends to the browser: `push_event/3` payloads (piped or
    not) and the reply maps of `{:reply, map, socket}` in handle_event/3 (a handle_call's reply goes to a process);
    payload is the map a bare variable there was bound to, else the node itself."""
    if ctx.language != "elixir":
        return
    module = ctx.module
    bindings: dict[int, dict[str, list]] = {}  # clause node id -> variable -> [(end byte, map node)], read once
    for node, _, _ in ctx.calls({"push_event"}):
        args = call_arguments(node)
        if len(args) >= 2:
            yield args[-1], _bound_map(module, args[-1], bindings), "push_event"
    for clause in module.clauses_of("handle_event", 3) if module is not None else []:
        for node in walk(clause.node):
            items = node.named_children if node.type == "tuple" else []
            if len(items) == 3 and items[0].type == "atom" and text(items[0]) == ":reply":
                yield items[1], _bound_map(module, items[1], bindings, clause), "reply"


def _bound_map(module, node, bindings: dict, clause=None):
    """The payload itself, or, when it is a bare variable (`push_event(socket, "k", payload)`, `{:reply, reply,
    socket}`), the map literal last bound to it before this point in the same clause (`payload = %{...}`); a variable
last bound to anything else (`payload = Map.take(payload, [:id])`) is left as it is."""
    if node.type != "identifier" or module is None:
        return node
    clause = clause or enclosing_clause(module, node)
    if clause is None:
        return node
    if clause.node.id not in bindings:
        found: dict[str, list] = {}
        for candidate in walk(clause.node):
            if candidate.type == "binary_operator" and text(candidate.child_by_field_name("operator")) == "=":
                left, right = candidate.child_by_field_name("left"), candidate.child_by_field_name("right")
                if left is not None and right is not None and left.type == "identifier":
                    found.setdefault(text(left), []).append((candidate.end_byte, right))
        bindings[clause.node.id] = found
    before = [bound for end, bound in bindings[clause.node.id].get(text(node), []) if end <= node.start_byte]
    return before[-1] if before and before[-1].type == "map" else node  # rebound to anything else: not read


def _directive(node) -> bool:
    """The expression is the value of `:if`, `:for` or another special attribute: tested or looped, never rendered."""
    holder = node.parent.parent if node.parent is not None else None
    return holder is not None and holder.type == "special_attribute"


def _fields_given_a_literal_value(template) -> list[tuple[int, int, str]]:
    """(start, end, field expression) of each input component given both a form field and a literal `value`
    (`<.input type="password" field={f[:client_secret]} value="" />`): the core input takes `value` from the field
    only when none is given, so the field's stored value never reaches the page."""
    found = []
    for element in template.elements:
        field, value = element.attr("field"), element.attr("value")
        if element.is_component and field is not None and field.is_expr and value is not None and not value.is_expr:
            found.append((element.node.start_byte, element.node.end_byte, (field.value or "").strip()))
    return found


# A form handed to a controller (`phx-trigger-action={@trigger_submit}`): once the LiveView has checked the sign-in,
# this browser posts the form itself, and a token in its hidden input is the user's own hand-off to the server (the
# phx.gen.auth pattern), rendered for the user who just proved who they are.
TRIGGER_ACTION = re.compile(r"phx-trigger-action=\{\s{0,4}@([a-z_]\w{0,60})")
HANDED_TOKEN = re.compile(r"token\b")
NOT_HANDED = re.compile(r"api_key|apikey|secret|private|(?:access|refresh|api|oauth)_token\b")


def _trigger_assigns(ctx) -> set[str]:
    """Assigns this file passes to `phx-trigger-action`: true once the form may be posted to the controller."""
    if "phx-trigger-action" not in ctx.source:
        return set()
    return {match.group(1) for match, _ in ctx.text.every(TRIGGER_ACTION)}


def _login_handoff(element, value: str, triggers: set[str], found: dict) -> bool:
    """A hidden input's token posted by a trigger-action form: inside a form with `phx-trigger-action`, or rendered
    only once the assign that triggers it is set (`:if={@trigger_submit}` in a slot of that form). A service's API or
    access token is not a sign-in hand-off."""
    if element.tag != "input" or not HANDED_TOKEN.search(value) or NOT_HANDED.search(value):
        return False
    condition = element.attr(":if")
    if condition is not None and any(re.search(r"@" + name + r"\b", condition.value or "") for name in triggers):
        return True
    return nearest(element, lambda holder: holder.attr("phx-trigger-action") is not None, found) is not None


# An assign filled with a record's field: `assign(socket, :h, user.hashed_password)`, `key: account.private_key`.
FIELD_ASSIGN = re.compile(r"(?:\bassign\(\s{0,120}(?:\w{1,40},\s{0,120})?:([a-z_]\w{0,60}),|(?<![\w:])([a-z_]\w{0,60}):)\s{0,120}"
                          r"((?:socket\.assigns\.|assigns\.)?[a-z_]\w{0,60}(?:\.\w{1,60}){1,4})\s{0,120}[,)\]]")


def _secret_field_assigns(ctx) -> dict[str, str]:
    """assign -> 'high' for the assigns this file (or the module beside a separate template) fills with a field no
    page should show (a password hash, a private key: NEVER_RENDERED) under a name that does not say so (audit 12
    G7: `assign(socket, :h, user.hashed_password)` then `data-h={@h}`)."""
    sources = [ctx.source if ctx.language == "elixir" else "", ctx.companion_source or ""]
    # Once per file, however many module units ask (audit 13 A13-14: once per unit cost units x file length).
    return ctx.text.once("secret_field_assigns", lambda: {
        match.group(1) or match.group(2): "high" for source in sources if "assign" in source
        for match in FIELD_ASSIGN.finditer(source) if NEVER_RENDERED.search(match.group(3))})


def check(ctx):
    secret_fields, configured = _secret_field_assigns(ctx), _configured_assigns(ctx)
    assigned = {**secret_fields, **configured}
    triggers = _trigger_assigns(ctx)
    for node, payload, kind in _sent_payloads(ctx):
        level = _payload_secret(text(payload), assigned)
        if level is not None:
            # Whatever reaches the browser is as readable as the page: any script on it gets a pushed event
            # (handleEvent) or a reply (pushEvent's callback).
            sent = "pushes" if kind == "push_event" else "replies with"
            yield Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1,
                      confidence=None if level == "high" else "medium",
                      message=f"This {code_span(kind)} {sent} a secret to the browser: any script on the page "
                              "can read it.")
    for template in ctx.templates:
        for node, expression in template.expressions() if assigned else []:
            for name in re.findall(r"@([a-z_]\w{0,60})\b(?![.\[(])", expression):
                if name in assigned:
                    line, column = template.position(node)
                    held = ("a field no page should show (assigned from a record)" if name not in configured else
                            "a secret of the server's configuration (assigned from the environment)")
                    yield Hit(line=line, column=column, confidence=None if assigned[name] == "high" else "medium",
                              message=f"{code_span('@' + name)} holds {held} and is rendered into the page.")
                    break
        for element in template.elements:
            for name, attr in element.attrs.items():
                if attr.is_expr and _unseen_carrier(element, name) and ANSWER_FIELD.search(attr.value or ""):
                    yield Hit(line=attr.line, column=attr.column, confidence="medium",
                              message=f"{code_span(name)} carries the answer ({code_span((attr.value or '').strip()[:80])}) "
                                      "in the page source: it can be read before answering.")
    trigger_page = "phx-trigger-action" in ctx.source  # read once, not once per attribute (audit 9 L5)
    for template in ctx.templates:
        carried: set[int] = set()  # lines of secrets reported in hidden carriers (not reported again as low)
        handoffs: dict = {}
        for element in template.elements:
            for name, attr in element.attrs.items():
                if attr.is_expr and trigger_page and _unseen_carrier(element, name) \
                        and _login_handoff(element, attr.value or "", triggers, handoffs):
                    carried.add(attr.line)  # the user's own sign-in hand-off: not reported, not even as low
                elif attr.is_expr and SECRET_ATTRIBUTE.search(name) and not NAMED_SECRET.search(attr.value or "") \
                        and not NEVER_RENDERED.search(attr.value or ""):
                    yield Hit(line=attr.line, column=attr.column, message=f"{code_span(name)} puts a secret into the page.")
                elif attr.is_expr and _unseen_carrier(element, name) and not _browser_key(name + " " + (attr.value or "")) \
                        and not NEVER_RENDERED.search(attr.value or "") and not NAMED_SECRET.search(attr.value or "") \
                        and (SECRET_VALUE.search(_inert(attr.value or ""))
                             or SERVICE_TOKEN.search(_inert(attr.value or ""))
                             or SECRET_ASSIGN.fullmatch((attr.value or "").strip())):
                    # Not shown to its owner on purpose: carried in the source for scripts (or a form) to read, where
                    # any script on the page can too. Likely a leak, not proven: medium, shown.
                    carried.add(attr.line)
                    yield Hit(line=attr.line, column=attr.column, confidence="medium",
                              message=f"{code_span(name)} carries a key or token in the page source.")
        masked = _masked_fields(template.source) if MASKED.search(template.source) else set()
        overridden = _fields_given_a_literal_value(template)
        for node, expression in template.expressions():
            if "csrf" in expression or "mask" in expression:
                continue
            if any(start <= node.start_byte < end and expression.strip() == field for start, end, field in overridden):
                continue  # `<.input field={f[:client_secret]} value="">`: the literal value is rendered, not the field's
            whole = expression.strip().lstrip("@")
            if whole in masked and CREDENTIAL_WORD.search(whole.rsplit(".", 1)[-1]) \
                    and template.position(node)[0] not in carried and not _directive(node):
                line, column = template.position(node)
                # Shown only in part elsewhere on this page (`String.slice(@key.value, 0..6)`): the page itself says
                # the whole value must not be shown, so rendering it whole is likely a leak: medium, shown.
                yield Hit(line=line, column=column, confidence="medium",
                          message=f"{code_span('{' + expression.strip() + '}')} renders whole a value this page shows only "
                                  "in part elsewhere: the full secret is in the page source and the diff.")
                continue
            expression = _inert(_without_removed_keys(_without_field_names(expression)))
            line, column = template.position(node)
            shown = code_span('{' + expression.strip() + '}')
            configured = _config_secret(expression) if "_env" in expression else None
            if configured is not None:
                # Read from the server's environment under a secret's name: a key of the server, not the user's.
                yield Hit(line=line, column=column, message=f"{shown} renders a secret of the server's configuration into "
                                                            "the page.", confidence=None if configured == "high" else "medium")
            elif NEVER_RENDERED.search(expression) or NAMED_SECRET.search(expression):
                yield Hit(line=line, column=column, message=f"{shown} renders a secret into the page.")
            elif any(_payload_secret(value, {}) for value in _pushed_values(expression)):
                # A `JS.push` value is carried in the page source until the click, like a `phx-value-*`: medium, shown.
                yield Hit(line=line, column=column, confidence="medium",
                          message=f"{shown} carries a key or token in a `JS.push` value in the page source.")
            elif SECRET_VALUE.search(expression) and line not in carried:
                # An API key or token shown to its owner (copy it once) can be the feature: low.
                yield Hit(line=line, column=column, message=f"{shown} renders a secret into the page.", confidence="low")
            elif SESSION_TOKEN.fullmatch(expression.strip()):
                # Any script on the page (one XSS, a third-party widget) can take over the session: medium, shown.
                yield Hit(line=line, column=column, message=f"{shown} renders the login session's token into the page.",
                          confidence="medium")
            elif (SECRET_WORD.fullmatch(expression.strip()) or TOKEN.fullmatch(expression.strip())) and not _directive(node) \
                    and line not in carried:
                yield Hit(line=line, column=column, message=f"{shown} may render a secret or token.", confidence="low")
