"""leftbehind.presentation.vocabulary: one label per name, book-wide."""

import pandas as pd
import pytest

from leftbehind.presentation import vocabulary as vocab
from leftbehind.paper.models import FACTOR_NAMES, TERM_NAMES
from leftbehind.paper.models import VARIABLE_NAMES


def test_labels_come_from_the_file_and_fall_back_to_words():
    assert vocab.label("fantasy_denial") == "Fantasy/denial"
    assert vocab.label("family[single_parent]") == "Single-parent family (vs nuclear)"
    assert vocab.label("not_in_file") == "Not in file"
    assert vocab.label("OR") == "OR"


def test_models_and_bootstrap_use_the_vocabulary():
    assert FACTOR_NAMES["positive_reappraisal"] == vocab.label("positive_reappraisal") == "Positive reappraisal"
    assert TERM_NAMES["gender[girl]"] == vocab.label("gender[girl]")
    assert VARIABLE_NAMES["boarder"] == vocab.label("boarder")


def test_a_key_defined_twice_is_an_error_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "vocabulary.csv").write_text("key,label\na,A\na,B\n")
    monkeypatch.setattr(vocab, "data_dir", lambda: tmp_path)
    vocab.vocabulary.cache_clear()
    try:
        with pytest.raises(ValueError, match="vocabulary.csv: key\\(s\\) defined twice: a"):
            vocab.vocabulary()
    finally:
        vocab.vocabulary.cache_clear()


def test_labels_inside_sentences():
    assert vocab.in_prose("emotion_oriented") == "emotion-oriented coping"
    assert vocab.in_prose("lbc_n") == "LBC (n)"
    assert vocab.describe_category("mother_edu", "college") == "mother's education: college"
    assert vocab.describe_category("residence", "county_town") == "residence: county town"


def test_level_labels_come_from_the_vocabulary_or_lose_their_underscores():
    assert vocab.level_label("county_town") == "county town"
    assert vocab.level_label("self_help") == "self-help"
    assert vocab.level_label("below_junior") == "below junior middle school"
    assert vocab.level_label("some_new_level") == "some new level"
    assert vocab.describe_category("residence", "county_town") == "residence: county town"
