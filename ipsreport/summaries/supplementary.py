"""Placeholder: filled in by the analysis work."""

__all__: list[str] = []
