"""Generic, spec-driven statistics: prevalence by group, group comparisons, backward elimination, coefficients."""
