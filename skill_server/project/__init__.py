"""Project awareness: the user's own Phoenix project (found from --project, the MCP client's roots or the
CLI's working directory), its LiveView version from mix.lock and the docs of its installed deps.

Nothing here compiles or runs the project: mix files are read as text, deps sources are parsed with the
tree-sitter Elixir grammar. Every file is untrusted input (regular files only, inside the project, capped)."""
