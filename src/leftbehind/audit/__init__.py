"""Auditing Yong et al. (2023) from its own printed numbers.

``scorecard``       the consistency checks and the scorecard of every published number.
``reconstruction``  every integer 2x2 table consistent with a printed odds ratio and its confidence interval.
"""
