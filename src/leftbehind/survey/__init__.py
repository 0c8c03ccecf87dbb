"""Turning a survey file into an analysis dataset as a study spec says (read, check, derive, score, exclude)."""
