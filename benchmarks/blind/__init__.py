"""Blind synthetic worlds for testing ``detector`` (see README.md and generate.py)."""
