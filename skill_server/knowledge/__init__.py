"""Knowledge loading, chunking, tokenizing and BM25 search over knowledge/ and references/."""
