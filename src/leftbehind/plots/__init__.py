"""Figures driven by a study spec; each function returns ``(fig, alt)`` like the rest of the book."""
