"""One module per chapter whose computation is more than a call or two: a tested function that returns everything
the chapter glues into its prose and the tables it shows, so the notebook is narrative plus thin calls.

The module is named after the chapter's notebook (``notebooks/auditing_the_numbers.md`` ->
``chapters/auditing_the_numbers.py``). Chapters whose code is a few calls call the lower layers directly.
"""
