"""Which calls write data, and whether an event handler writes: the vocabulary mutation_result_ignored checks
results of, and form_missing_id uses to tell an auto-saving form (every change is already stored) from one
whose input a reconnect would lose."""

from __future__ import annotations

import re

from tree_sitter import Node

from .elixir_tree import Clause, ElixirModule, calls

# Repo calls returning {:ok, _} | {:error, ...} (a transaction too, whether given a Multi or a function).
REPO_WRITES = {"insert", "update", "delete", "insert_or_update", "transaction", "transact"}
# A context function named for a single write (`create_post`, `toggle_keeper`, `archive_card`).
CONTEXT_WRITE = re.compile(r"^(create|update|delete|destroy|archive|insert|remove|save|toggle|add|publish|unpublish|approve|"
                           r"reject|cancel|restore|accept|follow|unfollow|ban|unban|revoke|transfer|move)_\w+$")
# Modules whose calls are not data writes with a result to check: caches, broadcasts, telemetry.
NOT_DATA = re.compile(r"(Cache|PubSub|Presence|Telemetry|Logger|Analytics|Tracker|Metrics|Endpoint|Notifier)$")
# What stores a value however it is named: the context verbs (bang and bulk forms too), and the setters an
# auto-saving form calls (`Variable.set_value`, `Items.rename_by_id!`, `Settings.put_setting`, `Prefs.upsert`).
STORES = re.compile(r"^(create|update|delete|archive|insert|remove|save|toggle|add|publish|unpublish|approve|reject|"
                    r"cancel|restore|accept|transfer|move|set|rename|mark|upsert|put|store|persist)"
                    r"(_\w+)?[!?]?$")
# Elixir's and Phoenix's own modules change values in memory, not stored data (`Map.put`, `Changeset.put_change`).
IN_MEMORY = re.compile(r"^(Map|Keyword|List|Enum|MapSet|Process|String|Access|Kernel|Tuple|Integer|Float|Date|DateTime|"
                       r"NaiveDateTime|Time|URI|Jason|Base|System|Application|Registry|Agent|JS|Socket|Conn|Changeset|"
                       r"Ecto\.Changeset|Phoenix\.[\w.]+|Plug\.[\w.]+)$")
REPO_STORES = re.compile(r"^(insert|update|delete|insert_or_update|insert_all|update_all|delete_all)!?$")
FOLLOW_DEPTH = 2  # local helpers followed from a handler: `handle_event -> do_update -> Context.update_x`


def stores(module: str | None, name: str) -> bool:
    """A remote call that writes data: `Repo.update!`, `Drafts.toggle_keeper`, `Variable.set_value`."""
    if module is None or not module[:1].isupper() or NOT_DATA.search(module) or IN_MEMORY.match(module):
        return False
    if module == "Repo" or module.endswith(".Repo"):
        return REPO_STORES.match(name) is not None
    return STORES.match(name) is not None


# Names LiveView, Phoenix.Component and Ecto.Changeset give a module by import that change values in memory, not
# stored data, though named with a store's verb.
IMPORTED_IN_MEMORY = {"update", "put_flash", "put_private", "put_change", "put_assoc", "put_embed", "update_change",
                      "delete_change", "add_error", "cancel_upload", "cancel_async", "put_session", "set", "put_in",
                      "update_in", "put_elem", "update_counter"}


def imported_store(name: str) -> bool:
    """A call to a function the module imports (not one it defines) named for storing a value: an app's own
    auto-save helper (`save(socket, changeset)`, `save_preferences_and_patch(...)`)."""
    return STORES.match(name) is not None and name not in IMPORTED_IN_MEMORY


def body_writes(module: ElixirModule, body: Node | None, depth: int = FOLLOW_DEPTH) -> bool:
    """Whether the code writes data, directly, through a store-named function the module imports, or through this
    module's own functions it calls (followed `depth` levels deep)."""
    if body is None:
        return False
    functions: dict[str, list[Clause]] = {}
    for clause in module.clauses:
        functions.setdefault(clause.name, []).append(clause)
    pending, seen = [(body, depth)], set()
    while pending:
        node, left = pending.pop()
        for call, remote_module, name in calls(node):
            if stores(remote_module, name) or (remote_module is None and name not in functions
                                               and imported_store(name)):
                return True
            if remote_module is None and left > 0:  # any arity: a piped call shows one argument fewer
                for clause in functions.get(name, []):
                    if clause.node.id not in seen and clause.body is not None:
                        seen.add(clause.node.id)
                        pending.append((clause.body, left - 1))
    return False
