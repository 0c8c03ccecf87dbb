"""The Yingshan survey's own pipeline: everything that knows its raw columns, apart from the paper's tables.

``validate``   a raw export checked against the codebook's contract (file, column, rule and rows named).
``clean``      exclusions of valid-but-unusable questionnaires, counted by reason.
``derive``     derived variables (labelled levels, left-behind status, school stage, help-seeking).
``pipeline``   raw export -> validated -> cleaned -> derived -> scored.
``synthetic``  the synthetic questionnaire export calibrated to Yong et al. (2023): one producer of data in the
               Yingshan spec, never presented as real children.

Its contract is ``data/codebook.yaml`` (read by :mod:`leftbehind.spec.codebook`).  A student's own survey does
not come here: it goes through :mod:`leftbehind.survey.prepare` and :mod:`leftbehind.survey.study`, which take every
name from a study specification.
"""
