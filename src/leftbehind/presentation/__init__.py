"""What reaches a reader: numbers glued into prose, the numbers manifest, and their formats.

``glue``      :class:`Page`, the one way chapters put a number into prose: rounded to the precision at which
              the page shows it, and labelled with its data tier (published, synthetic or derived).
``manifest``  every number the built book shows, in one JSON file, and the reviewer's comparison of two builds.
``tables``    the one renderer for every table (labels, numbers by kind, no index column, scroll box).
``vocabulary`` one reader's label for every variable, coping factor, model term and column (``data/vocabulary.csv``).
``wording``   sentences whose wording depends on a result, generated from that result.
"""
