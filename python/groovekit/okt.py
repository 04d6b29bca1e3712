"""Amiga Oktalyzer modules (.okt/.okta): load, save byte-exact, samples, patterns, render to a
numpy array as the original replayer plays, trace the replayer tick by tick."""

from groovekit._groovekit.okt import Cell, Module, Pattern, Sample, Warning

__all__ = ["Cell", "Module", "Pattern", "Sample", "Warning"]
