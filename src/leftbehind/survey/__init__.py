"""From a survey file to an analysis dataset: read, check, clean (counted), derive, score.

``readers``    CSV (UTF-8, GB18030/GBK) and Excel files as students actually have them.
``validate``   a raw export checked against the codebook's contract (file, column, rule and rows named).
``clean``      exclusions of valid-but-unusable questionnaires, counted by reason.
``derive``     derived variables (labelled levels, left-behind status, school stage, help-seeking).
``scoring``    coping scale scores and Cronbach's alpha.
``pipeline``   the Yingshan path: raw export -> validated -> cleaned -> derived -> scored.
``prepare``    the same for any survey, as its study spec says.
``study``      one spec-driven analysis of a prepared file: prevalence, comparison, model, forest plot.
``synthetic``  the synthetic questionnaire export calibrated to Yong et al. (2023): one producer of data in the
               Yingshan spec, never presented as real children.
``examples``   real public surveys shipped in Python packages, for the worked example of a study spec.
"""
