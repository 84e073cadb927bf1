"""liveview-skill: curated Phoenix LiveView guidance, patterns, snippets and review, over MCP and a CLI."""

__version__ = "0.1.0"
