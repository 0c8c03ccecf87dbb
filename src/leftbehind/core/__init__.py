"""What every other part stands on: user errors, repository paths, the result cache, the environment, atomic output
folders and the provenance convention for published numbers.

``errors``       :class:`UserError` and friends: problems a user can fix, printed without a traceback.
``paths``        where the repository's data live.
``cache``        an on-disk cache for heavy results, keyed by inputs and code, so it cannot go stale.
``environment``  pinned and installed package versions.
``outputs``      atomic output folders: a run writes all of its files or none.
``fast_csv``     a big table as CSV, byte-identical to pandas' ``to_csv``, several times faster.
``provenance``   loading published numbers (``data/published/``) with their source.
"""
