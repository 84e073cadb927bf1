"""The pattern catalogue: recommend_patterns (recommend.py) and generate_snippet (snippets.py) over library/<id>/."""
