"""Small helpers several rules share: finding code in callbacks, balanced call arguments in expression
text, and the loading/JS facts templates carry."""

from __future__ import annotations

import re
from typing import Iterator

from tree_sitter import Node

from ..brackets import balanced_args
from .context import ReviewContext
from .elixir_tree import Clause, calls, enclosing_clause, in_connected_branch, text, walk
from .rule import Hit
from .template import Element

JS_COMMAND_RE = re.compile(r"\bJS\.([a-z_]+)\(")
STICKY_COMMANDS = {"add_class", "remove_class", "hide", "show", "set_attribute", "remove_attribute", "toggle",
                   "toggle_class", "toggle_attribute", "transition"}


def hit(node: Node, message: str | None = None, confidence: str | None = None) -> Hit:
    return Hit(line=node.start_point[0] + 1, column=node.start_point[1] + 1, end_line=node.end_point[0] + 1,
               end_column=node.end_point[1] + 1, message=message, confidence=confidence)


def element_hit(element: Element, message: str | None = None, confidence: str | None = None) -> Hit:
    return Hit(line=element.line, column=element.column, end_line=element.end_line, message=message,
               confidence=confidence)


def clause_calls(clause: Clause, names: set[str] | None = None) -> Iterator[tuple[Node, str | None, str]]:
    if clause.body is not None:
        yield from calls(clause.body, names)


def callback_clauses(ctx: ReviewContext, name: str, arity: int) -> list[Clause]:
    return ctx.module.clauses_of(name, arity) if ctx.module is not None else []


def unguarded(node: Node, clause: Clause) -> bool:
    """Whether `node` in `clause` runs on the dead render too (outside every connected? branch)."""
    return not in_connected_branch(node, clause)


def js_commands(expression: str) -> Iterator[tuple[str, str]]:
    """(command, argument text) of each JS.* call in an expression, in order (one at a time: a huge
    expression of nested calls would hold every call's arguments at once)."""
    for m in JS_COMMAND_RE.finditer(expression):
        yield m.group(1), balanced_args(expression, m.end() - 1)


def pushes(expression: str) -> Iterator[tuple[str | None, str]]:
    """(event name or None, arguments) of each JS.push in an expression."""
    for command, args in js_commands(expression):
        if command == "push":
            match = re.match(r'\s*"([^"]+)"', args)
            yield match.group(1) if match else None, args


HIDDEN_CLASS = re.compile(r"(?<![\w:-])(hidden|is-hidden|d-none)(?![\w-])")  # Tailwind, Bulma, Bootstrap
SHOWN_AT = re.compile(r"\w:(block|inline|inline-block|flex|inline-flex|grid|table|contents)\b|"
                      r"\bd-(sm|md|lg|xl|xxl)-(block|inline|inline-block|flex|inline-flex|grid|table)\b")


INLINE_NONE = re.compile(r"(?:^|;)\s{0,8}display\s{0,8}:\s{0,8}none\b")


# An expression that picks between values (`hidden={not @changed}`, `class={if @open, do: "block", else: "hidden"}`,
# `@hide && "hidden"`): the element is shown in some states.
CONDITIONAL = re.compile(r"(?<![\w.])(?:if|unless|case|cond|not)\b|&&|\|\||[@!]|\band\b|\bor\b")


def never_displayed(element: Element) -> bool:
    """`hidden`, `style="display: none"`, or a display-none class (Tailwind `hidden`, Bulma `is-hidden`,
    Bootstrap `d-none`) with no responsive `md:block`/`d-md-block` override: assistive technology never
    reaches it. A `hidden={...}` or class expression that depends on state (`hidden={not @changed}`) shows the
    element in some states, so it counts as displayed."""
    style = element.attr("style")
    hidden = element.attr("hidden")
    if hidden is not None and not (hidden.is_expr and CONDITIONAL.search(hidden.value or "")):
        return True
    if style is not None and not style.is_expr and INLINE_NONE.search(style.value or ""):
        return True
    css = element.attr("class")
    value = css.value or "" if css is not None else ""
    if css is not None and css.is_expr and CONDITIONAL.search(value):
        return False
    return bool(HIDDEN_CLASS.search(value)) and not SHOWN_AT.search(value)


def event_attrs(element: Element) -> Iterator[tuple[str, str, bool]]:
    """(binding, value, is_expression) of the element's phx event bindings."""
    for name, attr in element.attrs.items():
        if name.startswith("phx-") and name[4:] in ("click", "submit", "change", "blur", "focus", "keydown", "keyup",
                                                     "window-keydown", "window-keyup", "click-away", "mounted",
                                                     "remove") and attr.value is not None:
            yield name, attr.value, attr.is_expr


def source_line(ctx: ReviewContext, offset: int) -> int:
    return ctx.text.line_of(offset)


COMMENT_STARTS = {"elixir": ("#",), "heex": ("<%!--", "<!--"), "javascript": ("//", "/*", "*"), "css": ("/*", "*")}


# A comment that can end on its line: what ends it. The other starts (`#`, `//`, a `*` continuation) run to the end.
COMMENT_ENDS = {"<%!--": "--%>", "<!--": "-->", "/*": "*/"}


def is_comment_line(ctx: ReviewContext, line: int) -> bool:
    """Whether the line starts with a comment of the language it is written in: in HEEx (a .heex file or a
    ~H template) a line of text starting with `#` or `*` is page content, not a comment."""
    return leading_comment_end(ctx, line) is not None


def leading_comment_end(ctx: ReviewContext, line: int) -> int | None:
    """The column where the comment a line starts with ends (the line's length when it runs on), or None when the
    line starts with no comment: `<!-- note --><div>{raw(@x)}</div>` is code after column 13."""
    language = "heex" if ctx.language == "elixir" and line in ctx.template_lines else ctx.language
    text = ctx.line(line)
    body = text.lstrip()
    start = next((marker for marker in COMMENT_STARTS.get(language, ("#", "//", "<%!--", "*", "/*"))
                  if body.startswith(marker)), None)
    if start is None:
        return None
    end = COMMENT_ENDS.get(start)
    offset = len(text) - len(body)
    close = body.find(end, len(start)) if end else -1
    return len(text) if close < 0 else offset + close + len(end)


def in_leading_comment(ctx: ReviewContext, match: re.Match, line: int) -> bool:
    """Whether a whole-file match starts inside the comment its line starts with (not merely on such a line)."""
    end = leading_comment_end(ctx, line)
    return end is not None and match.start() - ctx.text.line_starts[line - 1] < end


def module_text_calls(ctx: ReviewContext, pattern: re.Pattern) -> Iterator[tuple[re.Match, int]]:
    """Regex matches in the source outside comment lines and documentation strings, with their line numbers
    (for expressions that live both in Elixir code and inside ~H attribute values). The file is scanned
    once; each module unit gets the matches on its own lines."""
    for match, line in ctx.text.matches(pattern, ctx.unit):
        if not in_leading_comment(ctx, match, line) and not ctx.in_doc(match.start(), line):
            yield match, line


def references(node: Node, names: set[str]) -> Iterator[Node]:
    """Identifiers named in `names` under `node`, except a call's own name (`socket(...)`); `socket.assigns` counts.
    One walk down: a call is met before its name, so no node is asked for its parent (tree-sitter finds a parent
    by walking down from the root, which costs the square of the nesting depth over a whole file: audit 8 D6)."""
    call_names: set[int] = set()
    for child in walk(node):
        if child.type == "call":
            target = child.child_by_field_name("target")
            if target is not None and target.type == "identifier":
                call_names.add(target.id)
        elif child.type == "identifier" and child.id not in call_names and text(child) in names:
            yield child


def in_callback(ctx: ReviewContext, node: Node) -> Clause | None:
    return enclosing_clause(ctx.module, node) if ctx.module is not None else None


def remote(module: str | None, name: str, modules: tuple[str, ...]) -> bool:
    return module is not None and any(module == m or module.endswith("." + m) for m in modules)



def first_clauses(ctx: ReviewContext) -> dict[tuple[str, int], Clause]:
    first: dict[tuple[str, int], Clause] = {}
    for clause in ctx.module.clauses if ctx.module is not None else []:
        first.setdefault((clause.name, clause.arity), clause)
    return first


def clause_hit(clause: Clause, message: str | None = None, confidence: str | None = None) -> Hit:
    return Hit(line=clause.line, column=clause.node.start_point[1] + 1, end_line=clause.head.end_point[0] + 1,
               message=message, confidence=confidence)


def js_method_name(node) -> str | None:
    """The name of a JS method definition or object pair, as written, or of a class field holding a function (`begin =
    () => {...}` in a class hook's body: a method bound to the instance); None for any other node."""
    if node.type == "field_definition":
        value, key = node.child_by_field_name("value"), node.child_by_field_name("property")
        if value is None or key is None or value.type not in ("arrow_function", "function_expression", "function"):
            return None
        return key.text.decode("utf-8", "replace")
    if node.type not in ("method_definition", "pair"):
        return None
    key = node.child_by_field_name("name") or node.child_by_field_name("key")
    return key.text.decode("utf-8", "replace") if key is not None else None


JS_FUNCTION_VALUES = ("arrow_function", "function_expression", "function")


def js_module_functions(root) -> dict[str, object]:
    """Name -> node of a JS file's top-level functions (`function wire(state) {...}`, `const wire = (state) => {...}`,
    exported or not), which a hook's methods may call to attach listeners or start timers."""
    found = {}
    for statement in root.children:
        if statement.type == "export_statement":
            statement = statement.child_by_field_name("declaration") or statement
        if statement.type == "function_declaration":
            name = statement.child_by_field_name("name")
            if name is not None:
                found[name.text.decode()] = statement
        if statement.type in ("lexical_declaration", "variable_declaration"):
            for declarator in statement.named_children:
                name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                if name is not None and value is not None and value.type in JS_FUNCTION_VALUES:
                    found[name.text.decode()] = value
    return found


# Clients of services over the network: HTTP libraries, and SDKs of AI models and other hosted APIs, whose calls
# wait on another machine (seconds for a model's answer). `Nx.Serving.batched_run` waits on a model run locally.
HTTP_CLIENTS = ("Req", "HTTPoison", "Tesla", "Finch", ":httpc", ":hackney", "Mint.HTTP", "HTTPotion", "HTTPower")
AI_CLIENTS = ("OpenAI", "OpenaiEx", "ExOpenAI", "Anthropic", "Anthropix", "LangChain", "Instructor", "Ollama", "Gemini",
              "GoogleAI", "Mistral", "ReqLLM", "ExLLM", "Replicate", "Cohere", "Groq", "Nx.Serving")
HOSTED_APIS = ("Stripe", "ExAws", "ExTwilio", "Twilio", "Slack", "Tentacat", "Octokit")


BUILDS_ONLY = frozenset({"new", "merge", "build", "client", "child_spec", "start_link", "config", "parse", "attach_default_logger"})


def external_call(module: str | None, name: str) -> str | None:
    """What a call waits on, when it goes over the network (`Req.get!` -> "an HTTP request", `OpenAI.chat_completion`
    -> "an AI model's answer"), or None. A module counts by its first parts (`LangChain.Chains.LLMChain`)."""
    if module is None or "(" in module:
        return None
    for names, what in ((HTTP_CLIENTS, "an HTTP request"), (AI_CLIENTS, "an AI model's answer"),
                        (HOSTED_APIS, "a hosted API")):
        if any(module == m or module.startswith(m + ".") for m in names):
            if names is AI_CLIENTS and module == "Nx.Serving" and name not in ("batched_run", "run"):
                return None
            if name in BUILDS_ONLY or name.startswith(("put_", "with_")):
                return None  # `Req.new(base_url: ...)`, `Finch.build(:get, url)`: a request described, not sent
            return what
    return None
