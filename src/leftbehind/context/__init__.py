"""The wider picture around the survey: other studies, official headcounts, the qualitative strand and policy.

``evidence``     the living evidence table and its meta-analysis.
``headcounts``   how many children are left behind, by definition and source.
``qualitative``  what survives of Lei (2024), and a joint display with the survey.
``policy``       from evidence to action: the help-seeking gap and Hung's (2023) obstacles.
"""
