"""Numerical code ported from published algorithms, each module with its citation."""
