"""book/_ext/chinese_search.py: the Chinese search language answers as Sphinx's own, without the quadratic scan."""

import sys

from sphinx.search.zh import SearchChinese

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import chinese_search  # noqa: E402

TEXT = [
    "留守儿童的非自杀性自伤（NSSI）与求助 help-seeking among LBC",
    "Odds ratios (ORs) and the 95 % CI; 应对方式 coping style",
    "NSSI 在 LBC 中更常见 as is the case in Yingshan, Sichuan",
    "a an it is OR ORs CIs analyses analysed",
]


def test_seen_words_is_a_list_whose_membership_is_a_set_lookup():
    words = chinese_search.SeenWords(["a"])
    words.extend(w for w in ["NSSI", "LBC", "NSSI"])
    words.append("OR")
    assert words == ["a", "NSSI", "LBC", "NSSI", "OR"]
    assert "LBC" in words and "OR" in words and "a" in words
    assert "ORs" not in words and "" not in words


def test_split_and_stem_match_sphinx_own_chinese_language():
    ours, theirs = chinese_search.LinearSearchChinese({}), SearchChinese({})
    theirs.latin_terms = []  # Sphinx's list is shared by the class: start both empty
    for text in TEXT:
        split = ours.split(text)
        assert split == theirs.split(text)
        assert [ours.stem(w) for w in split] == [theirs.stem(w) for w in split]
    assert list(ours.latin_terms) == theirs.latin_terms
    # a short Latin word that stemming would shorten below three letters is kept whole, as Sphinx keeps it
    assert ours.stem("LBCs") == theirs.stem("LBCs")


def test_the_extension_registers_the_language_for_zh():
    registered = []

    class App:
        def add_search_language(self, cls):
            registered.append(cls)

    chinese_search.setup(App())
    assert registered == [chinese_search.LinearSearchChinese]
    assert chinese_search.LinearSearchChinese.lang == "zh"

