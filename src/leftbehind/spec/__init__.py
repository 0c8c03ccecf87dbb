"""Study specifications: one YAML file says everything study-specific (see :mod:`leftbehind.spec.study`)."""

from leftbehind.spec.study import MINIMAL_EXAMPLE, TIERS, SpecError, StudySpec, canonical, canonical_series, load_spec, parse_spec

__all__ = ["MINIMAL_EXAMPLE", "TIERS", "SpecError", "StudySpec", "canonical", "canonical_series", "load_spec", "parse_spec"]
