"""Left Behind: the tested code behind the book.

Data flows one way: ``data/`` -> this package -> ``notebooks/`` -> HTML.
Subpackages, in the direction data flows:

``core``          errors, paths, cache, environment, atomic outputs, provenance.
``spec``          study specifications, the Yingshan codebook and the validation of a raw export against it.
``survey``        reading, cleaning, deriving and scoring a survey; the synthetic generator.
``stats``         the statistics (no survey's column names).
``paper``         Yong et al. (2023): Tables 1-8, claims, sensitivity, what holds by construction.
``audit``         the consistency audit of the paper's printed numbers.
``context``       other studies, headcounts, the qualitative strand, policy.
``plots``         figures.
``presentation``  what reaches a reader: glue, tables, the numbers manifest, vocabulary, result-driven wording.
``chapters``      a chapter's glued facts and tables from one tested function.
``commands``      ``python -m leftbehind`` subcommands.

Each module holds one idea; see the module docstrings.
"""

__version__ = "0.1.0"
