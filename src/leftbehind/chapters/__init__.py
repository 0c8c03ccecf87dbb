"""One module per chapter whose computation is more than a call or two: a tested function that returns everything
the chapter glues into its prose and the tables it shows, so the notebook is narrative plus thin calls.

The module is named after the chapter's notebook (``notebooks/auditing_the_numbers.md`` ->
``chapters/auditing_the_numbers.py``) and its function is ``chapter_facts`` (robustness: ``robustness_chapter``),
returning a :class:`leftbehind.chapters.facts.Facts`, glued in the order the chapter adds its facts. The adapt-your-survey
and status pages, whose code is a call or two, call the lower layers directly.
"""
