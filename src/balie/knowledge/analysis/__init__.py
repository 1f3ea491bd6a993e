"""Turning shoppers' and articles' text into comparable terms, one idea a module."""
