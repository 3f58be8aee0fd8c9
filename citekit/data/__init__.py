"""Data files shipped with citekit (the style catalogue index)."""
