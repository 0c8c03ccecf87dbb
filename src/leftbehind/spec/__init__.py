"""What a study is: a study spec (one YAML file with everything study-specific, :mod:`leftbehind.spec.study`) and
the Yingshan raw-data contract (:mod:`leftbehind.spec.codebook`, read from ``data/codebook.yaml``)."""

from leftbehind.spec.study import MINIMAL_EXAMPLE, TIERS, SpecError, StudySpec, canonical, canonical_series, load_spec, parse_spec

__all__ = ["MINIMAL_EXAMPLE", "TIERS", "SpecError", "StudySpec", "canonical", "canonical_series", "load_spec", "parse_spec"]
