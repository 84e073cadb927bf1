"""Checks every generated file before it is returned: tree-sitter always (Elixir, each ~H sigil as HEEx,
JS, CSS), and when an `elixir` executable is on PATH, Code.string_to_quoted!/1 and Code.format_string!/1
on our own generated Elixir (never user input), with a timeout. Elixir results are cached by content.

The same run yields what `mix format` would write: mix_formatted/1 puts it in place of a file whose lines
the templates could not lay out (long module or resource names push a call past 98 columns)."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..models import FileCheck, SnippetChecks, SnippetFile
from ..parsing import parse, problem_nodes

ELIXIR_TIMEOUT_S = 120
_ELIXIR_RESULTS: dict[str, str] = {}
_FORMATTED: dict[str, str] = {}  # digest of a source that is not formatted -> the formatted source
ELIXIR_SCRIPT = r"""
[list] = System.argv()
for path <- File.read!(list) |> String.split("\n", trim: true) do
  source = File.read!(path)
  result =
    try do
      Code.string_to_quoted!(source)
      # What `mix format` does in a Phoenix app whose .formatter.exs has import_deps: [:ecto, :phoenix, ...]:
      # the locals_without_parens :phoenix_live_view (attr, slot, embed_templates) and :ecto (schema
      # macros) export.
      opts = [locals_without_parens: [attr: 2, attr: 3, slot: 1, slot: 2, slot: 3, embed_templates: 1,
        embed_templates: 2, field: 1, field: 2, field: 3, timestamps: 1, belongs_to: 2, belongs_to: 3,
        has_one: 2, has_one: 3, has_many: 2, has_many: 3, many_to_many: 2, many_to_many: 3,
        embeds_one: 2, embeds_one: 3, embeds_one: 4, embeds_many: 2, embeds_many: 3, embeds_many: 4]]
      formatted = IO.iodata_to_binary(Code.format_string!(source, opts)) <> "\n"
      if formatted == source, do: "ok", else: {"not formatted as mix format would", Base.encode64(formatted)}
    rescue
      error -> "does not compile: " <> Exception.message(error)
    end
  case result do
    {problem, formatted} -> IO.puts(path <> "\t" <> problem <> "\t" <> formatted)
    problem -> IO.puts(path <> "\t" <> String.replace(problem, "\n", " "))
  end
end
"""


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def elixir_available() -> bool:
    return shutil.which("elixir") is not None


def check_elixir_sources(sources: list[str]) -> dict[str, str]:
    """'ok' or the problem, per source, from one elixir process for all sources not yet cached."""
    todo = {_digest(s): s for s in sources if _digest(s) not in _ELIXIR_RESULTS}
    if todo and elixir_available():
        with tempfile.TemporaryDirectory(prefix="lvskill-elixir-") as tmp:
            paths = {}
            for digest, source in todo.items():
                path = Path(tmp) / f"{digest}.ex"
                path.write_text(source, encoding="utf-8")
                paths[str(path)] = digest
            listing = Path(tmp) / "files.txt"
            listing.write_text("\n".join(paths), encoding="utf-8")
            try:
                done = subprocess.run(["elixir", "-e", ELIXIR_SCRIPT, str(listing)], capture_output=True, text=True,
                                      timeout=ELIXIR_TIMEOUT_S, cwd=tmp)
                for line in done.stdout.splitlines():
                    path, _, result = line.partition("\t")
                    result, _, formatted = result.partition("\t")
                    if path in paths:
                        _ELIXIR_RESULTS[paths[path]] = result
                        if formatted:
                            text = base64.b64decode(formatted).decode()
                            _FORMATTED[paths[path]] = text
                            _ELIXIR_RESULTS[_digest(text)] = "ok"
            except (subprocess.TimeoutExpired, OSError) as exc:
                for digest in todo:
                    _ELIXIR_RESULTS[digest] = f"elixir check did not finish: {exc.__class__.__name__}"
    return {s: _ELIXIR_RESULTS.get(_digest(s), "elixir not available") for s in sources}


def mix_formatted(files: list[SnippetFile]) -> list[SnippetFile]:
    """The files with each Elixir source as `mix format` would write it (when an elixir is on PATH; as they
    are otherwise). Only our own generated code is formatted."""
    sources = [f.content for f in files if f.language == "elixir"]
    if not sources or not elixir_available():
        return files
    check_elixir_sources(sources)
    return [f.model_copy(update={"content": _FORMATTED[_digest(f.content)]})
            if f.language == "elixir" and _digest(f.content) in _FORMATTED else f for f in files]


def heex_sigils(source: str) -> list[tuple[str, int]]:
    """(content, first line) of every ~H sigil in an Elixir source."""
    tree = parse("elixir", source)
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "sigil":
            name = next((c for c in node.children if c.type == "sigil_name"), None)
            content = next((c for c in node.children if c.type == "quoted_content"), None)
            if name is not None and name.text == b"H" and content is not None:
                found.append((content.text.decode(), content.start_point[0] + 1))
            continue
        stack.extend(node.children)
    return found


def _tree_problems(language: str, source: str, offset: int = 0) -> list[str]:
    tree = parse(language, source)
    return [f"line {n.start_point[0] + 1 + offset}: {'missing ' + n.type if n.is_missing else 'syntax error'}"
            for n in problem_nodes(tree.root_node)]


def check_files(files: list[SnippetFile]) -> SnippetChecks:
    results = []
    parsers = set()
    elixir_sources = [f.content for f in files if f.language == "elixir"]
    elixir_results = check_elixir_sources(elixir_sources) if elixir_sources and elixir_available() else {}
    for file in files:
        errors = _tree_problems(file.language, file.content)
        parsers.add(f"tree-sitter-{file.language}")
        if file.language == "elixir":
            for content, line in heex_sigils(file.content):
                parsers.add("tree-sitter-heex")
                errors += [f"~H: {e}" for e in _tree_problems("heex", content, line - 1)]
        elixir = elixir_results.get(file.content) if file.language == "elixir" else None
        if elixir and elixir.startswith("does not compile"):
            errors.append(f"elixir: {elixir}")
        results.append(FileCheck(path=file.path, parser=f"tree-sitter-{file.language}", parsed=not errors,
                                 elixir=elixir, errors=errors))
    ran_elixir = bool(elixir_results) and all(r != "elixir not available" for r in elixir_results.values())
    return SnippetChecks(parsed=all(r.parsed for r in results), parser=", ".join(sorted(parsers)),
                         elixir=ran_elixir, files=results)

