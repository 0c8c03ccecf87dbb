"""Statistics, each a small function over a data frame: nothing here knows a survey's column names.

``prevalence``, ``group_prevalence``  shares with Wilson and exact CIs; a group against everyone else.
``granularity``                       which whole-number counts could have produced a printed share (GRIM-style).
``comparisons``                       chi-square or Fisher for counts; Welch's t and Cohen's d for means.
``stepwise``, ``backward``            backward LR elimination (SPSS "Backward: LR"); driven by a spec.
``fast_logit``                        fast logistic maximum likelihood for resampling work.
``penalised``                         the L1 path and Firth's bias-reduced logistic regression.
``design_effects``                    cluster-robust standard errors and design effects.
``multiplicity``                      Holm and Benjamini-Hochberg adjusted p-values.
``bootstrap_selection``               bootstrap stability of a whole backward elimination.
``estimable``                         why a model cannot be estimated, naming the variable.
"""
