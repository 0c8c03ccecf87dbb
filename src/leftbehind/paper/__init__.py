"""Yong et al. (2023) rebuilt: the paper's Tables 1-8, what it claims, and what our synthetic cohort assumes.

This is the only layer (with the Yingshan spec and the synthetic generator) that knows the Yingshan survey's columns.

``tables``        Tables 1-6 (who the left-behind children are, NSSI prevalence, help-seeking, coping).
``models``        Tables 7 and 8: backward logistic regressions among left-behind children.
``report``        every table and figure of an ``analyse`` run, written to files, and the synthetic cohort the book uses.
``claims``        what the paper says about each comparison, and whether our numbers agree.
``study_design``  the sample flow as the paper prints it.
``sensitivity``   the key results rerun under other assumptions.
``construction``  what holds by construction of the synthetic cohort, and what a real survey would face without it.
"""
