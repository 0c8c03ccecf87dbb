"""What may leave the research team when the data are real: small-cell suppression and the release folder.

``suppression``  hide counts below a threshold and, complementarily, any count a reader could recover by subtraction.
``ledger``       the counts a set of tables publishes, keyed by what they count, with the sums that link them.
``study``        the release version of a spec-driven analysis (``analyse DATA --spec SPEC``).
``contract``     the release version of the Yingshan tables (``analyse RAW``).
``folders``      ``release/`` and ``restricted/``: what each holds, who may see it, and the disclosure report.

Synthetic and published data are never suppressed; only data whose tier is ``real`` go through here.
"""
