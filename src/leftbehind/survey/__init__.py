"""From any survey file to an analysis dataset, as its study specification says.

``readers``    CSV (UTF-8, GB18030/GBK) and Excel files as students actually have them.
``scoring``    scale scores and Cronbach's alpha.
``prepare``    a survey read, checked, cleaned (counted) and derived as its study spec says.
``study``      one spec-driven analysis of a prepared file: prevalence, comparison, model, forest plot.
``examples``   real public surveys shipped in Python packages, for the worked example of a study spec.

The Yingshan survey's own pipeline (its codebook contract, derived variables and the synthetic generator) lives in
:mod:`leftbehind.yingshan`.
"""
