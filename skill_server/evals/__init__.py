"""The eval harness: suites over evals/*.jsonl, in-process or through a real MCP client over stdio."""
