"""Analyses garant runs on participation data (synthesis, ...)."""

__all__: list[str] = []
