"""Left Behind: the tested code behind the book.

Data flows one way: ``data/`` -> this package -> ``notebooks/`` -> HTML.
Each module holds one idea; see the module docstrings.
"""

__version__ = "0.1.0"
