"""What may leave the research team when the data are real: small-cell suppression and the release folder.

``suppression``  hide counts below a threshold and, complementarily, any count a reader could recover by subtraction.
``ledger``       the counts a set of tables publishes, keyed by what they count, with the sums that link them.
``study``        the release version of a spec-driven analysis (``analyse DATA --spec SPEC``).
``folders``      ``release/`` and ``restricted/``: what each holds, who may see it, and the disclosure report.

The Yingshan tables' release version (``analyse RAW``) is the Yingshan layer's: ``paper.release_tables`` and
``paper.release_write``.  Synthetic and published data are never suppressed; only data whose tier is ``real`` go through here.
"""
