"""What a remount (a reconnect) renders: the state `mount` always resets, the `if` blocks a template element sits
in, and a mount that consumes its one-shot data and redirects when it is gone. Rules about what a reconnect
recovers (form recovery needs the same form in the new render) ask here whether the element can exist then."""

import re

from .elixir_tree import text

DIRECTIVE = re.compile(r"<%=?\s{0,8}(?:(if|unless)\s([^%]{1,300}?)\sdo"
                       r"|([^\s%][^%]{0,300}?)\s(?:do|fn\b[^%]{0,100}->))\s{0,8}%>"
                       r"|<%\s{0,8}(else)\s{0,8}%>|<%\s{0,8}(end)\s{0,8}%>")
ASSIGN_REF = re.compile(r"^@(\w{1,60})(?:\.\w{1,60})?$")
CONJUNCTS = re.compile(r"\s{0,8}(?:&&|\band\b)\s{0,8}")
FALSY = {"nil", "false"}


def _guards(template, element) -> list[str]:
    """The conditions that must hold for the element to render: the `:if` of it and its ancestors, and the
    `<%= if cond do %>` blocks around it (their `do` part only; an `else` part renders when they fail)."""
    found = []
    for holder in (element, *element.ancestors()):
        guard = holder.attr(":if")
        if guard is not None and guard.is_expr and guard.value:
            found.append(guard.value)
    data = template.data or template.source.encode()
    before = data[:element.node.start_byte].decode(errors="replace")
    stack = []
    for match in DIRECTIVE.finditer(before):
        if match.group(5):
            if stack:
                stack.pop()
        elif match.group(4):
            if stack:
                stack[-1] = None  # an else part: the block's condition no longer holds here
        elif match.group(1) == "if":
            stack.append(match.group(2))
        else:
            stack.append(None)  # unless, for, case, a component block: no condition this reads
    return found + [condition for condition in stack if condition]


def _assigned_values(clauses, name: str) -> list[str]:
    """Every value the clauses give the assign `name` (`name: value`, `assign(socket, :name, value)`)."""
    pattern = re.compile(rf"(?:\b{name}:\s{{0,8}}|assign\((?:\w{{1,40}},\s{{0,8}})?:{name},\s{{0,8}})([\w.]{{1,80}})")
    return [match.group(1) for clause in clauses for match in pattern.finditer(text(clause.node))]


def reset_by_mount(module, name: str) -> bool:
    """`mount` always gives the assign a falsy value (`compose_editing: false`, `assign(socket, :draft, nil)`) and
    `handle_params`, which also runs on a remount, never sets it: after a reconnect the assign is falsy."""
    mounts = module.clauses_of("mount", 3)
    if not mounts or _assigned_values(module.clauses_of("handle_params", 3), name):
        return False
    if any("assign_new(" in text(clause.node) and f":{name}" in text(clause.node) for clause in mounts):
        return False
    values = _assigned_values(mounts, name)
    return bool(values) and all(value in FALSY for value in values) and len(values) >= len(mounts)


def absent_after_remount(module, template, element) -> bool:
    """The element renders only while an assign is truthy that mount always resets to nil or false."""
    for guard in _guards(template, element):
        for conjunct in CONJUNCTS.split(guard.strip()):
            ref = ASSIGN_REF.match(conjunct.strip())
            if ref and reset_by_mount(module, ref.group(1)):
                return True
    return False


ONE_SHOT_READ = re.compile(r"\b([A-Z]\w{0,40}(?:\.[A-Z]\w{0,40}){0,4})\.(?:get|fetch|lookup)\((\w{1,40})[,)]")
LEAVES = re.compile(r"\b(?:redirect|push_navigate)\(")


def mount_consumes_data(module) -> bool:
    """`mount` reads its data from a store and deletes it there (`Storage.get(id)` then `Storage.delete(id)`: a
    one-shot hand-off) and redirects when it is missing: a remount finds nothing and leaves the page, so nothing
    on it is ever recovered."""
    for clause in module.clauses_of("mount", 3):
        body = text(clause.node)
        if not LEAVES.search(body):
            continue
        for read in ONE_SHOT_READ.finditer(body):
            store, key = read.groups()
            if re.search(rf"\b{re.escape(store)}\.(?:delete|pop|take)\({key}[,)]", body):
                return True
    return False
