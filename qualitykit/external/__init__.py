"""Numerical code ported from other projects, each module with its origin, what it changed,
its citation and its licence."""
