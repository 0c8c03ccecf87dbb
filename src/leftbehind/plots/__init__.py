"""Figures: one colour-blind-safe style legible on a phone, alt text for every figure, and the data tier in the image.

``figures``    the style, the figure contract and the book's shared figures.
``flowchart``  the participant-flow diagram, drawn from the pipeline's counts.
``forest``     the forest plot of a spec-driven model.
"""
