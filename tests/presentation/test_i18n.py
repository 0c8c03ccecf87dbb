"""leftbehind.presentation.i18n: what a translation must keep, number templates, and two-edition outputs."""

import json

import pytest
from bs4 import BeautifulSoup

from leftbehind.presentation import i18n
from leftbehind.presentation.i18n import (
    Translator,
    choose_edition,
    edition_html,
    fill,
    message_problems,
    needs_translation,
    numbers,
    roles,
    template,
    translate,
)


@pytest.fixture
def fake_catalogue(monkeypatch):
    entries = {
        "Odds ratio": "比值比",
        "Forest plot of {0} odds ratios; the largest is {1}": "{0} 个比值比的森林图；最大为 {1}",
        "none": "无",
        "Synthetic cohort (not real children)": "合成队列（并非真实的儿童）",
    }
    monkeypatch.setattr(i18n, "catalogue", lambda language="zh_CN": entries)
    return entries


# --------------------------------------------------------------------------- faithful prose translations

def test_a_faithful_translation_has_no_problems():
    msgid = ("In {glue:text}`n:,` pupils ({numref}`tbl-flow`), {term}`LBC` made up {glue:text}`pct:.1f`% "
             "[see the line](tel:12356) {cite:p}`yong2023`.")
    msgstr = ("在 {glue:text}`n:,` 名学生中（{numref}`tbl-flow`），{term}`留守儿童 <LBC>` 占 {glue:text}`pct:.1f`%"
              "（[见热线](tel:12356)）{cite:p}`yong2023`。")
    assert message_problems(msgid, msgstr) == []


def test_an_empty_translation_is_untranslated():
    assert message_problems("Coping", "") == ["untranslated"]
    assert message_problems("Coping", "   ") == ["untranslated"]


@pytest.mark.parametrize(
    "msgstr, expected",
    [
        ("共 {glue:text}`n` 名", "roles differ"),            # format spec dropped: a different number shown
        ("共 {glue:text}`m:,` 名", "roles differ"),          # another key
        ("共 名", "roles differ"),                           # the number left out
        ("共 {glue:text}`n:,` 名 {glue:text}`n:,`", "roles differ"),  # shown twice
    ],
)
def test_glue_roles_must_be_kept_exactly(msgstr, expected):
    problems = message_problems("There are {glue:text}`n:,` pupils", msgstr)
    assert any(expected in p for p in problems), problems


def test_a_term_may_take_a_chinese_title_but_not_another_target():
    assert roles("{term}`留守儿童 <LBC>`") == roles("{term}`LBC`")
    assert message_problems("{term}`LBC` pupils", "{term}`留守儿童 <NLBC>` 学生")


def test_link_targets_must_not_change():
    problems = message_problems("[call](tel:12356)", "[拨打](tel:12355)")
    assert any("link targets" in p for p in problems)


def test_a_number_typed_into_a_translation_is_refused():
    problems = message_problems("About ten schools took part", "约有 10 所学校参加")
    assert problems == ["numbers not in the English text: ['10']"]
    assert message_problems("Table 7 of the paper", "原论文表 7") == []


def test_numbers_ignore_roles_links_and_words():
    assert numbers("In 2023, 16,866 pupils {glue:text}`n:,` [x](tel:12356) in CR2 and t5a") == ["2023", "16866"]


# --------------------------------------------------------------------------- output strings

def test_template_and_fill_round_trip():
    text = "Forest plot of 9 odds ratios; the largest is 2.14"
    key, found = template(text)
    assert key == "Forest plot of {0} odds ratios; the largest is {1}"
    assert found == ["9", "2.14"]
    assert fill(key, found) == text


def test_template_keeps_literal_braces():
    key, found = template("set {a} to 3")
    assert fill(key, found) == "set {a} to 3"


def test_translate_uses_the_catalogue_and_puts_the_numbers_back(fake_catalogue):
    assert translate("Odds ratio") == "比值比"
    assert translate("Forest plot of 12 odds ratios; the largest is 3.5") == "12 个比值比的森林图；最大为 3.5"


def test_translate_leaves_numbers_and_symbols_alone(fake_catalogue):
    missing = []
    for text in ("2.14", "p < 0.001", "1.67–2.75", "—", "n = 120"):
        assert translate(text, missing=missing) == text
    assert missing == []
    assert not needs_translation("p = 0.576")
    assert not needs_translation("报告有 NSSI")  # already translated (a figure's text is translated once)
    assert not needs_translation("lbc_share_pct") and not needs_translation("data/published/yong2023.csv")
    assert needs_translation("Fantasy/denial")
    assert needs_translation("OR 2.14")


def test_an_untranslated_string_is_kept_in_english_and_recorded(fake_catalogue):
    translator = Translator("zh_CN")
    assert translator("Mother's education: college, 12 pupils") == "Mother's education: college, 12 pupils"
    assert translator("Mother's education: college, 13 pupils") == "Mother's education: college, 13 pupils"
    assert translator.missing == ["Mother's education: college, {0} pupils"]


def test_english_edition_is_never_translated(fake_catalogue):
    assert translate("Odds ratio", "en") == "Odds ratio"


# --------------------------------------------------------------------------- two-edition outputs

def test_edition_html_holds_both_editions_and_plain_jupyter_sees_english(fake_catalogue):
    output = edition_html(lambda tr: f"<p>{tr('Odds ratio')} {tr('Escape')}</p>")
    english, missing_en = choose_edition(output, "en")
    chinese, missing_zh = choose_edition(output, "zh_CN")
    assert english == "<p>Odds ratio Escape</p>" and missing_en == []
    assert chinese == "<p>比值比 Escape</p>" and missing_zh == ["Escape"]
    # outside the book (plain Jupyter) the Chinese part sits in a <template>, which a browser never displays
    soup = BeautifulSoup(output, "html.parser")
    assert soup.find("template")["lang"] == "zh-CN"
    assert json.loads(soup.find("template")["data-untranslated"]) == ["Escape"]


def test_choose_edition_passes_other_html_through():
    assert choose_edition("<p>plain</p>", "zh_CN") == ("<p>plain</p>", [])
    assert choose_edition("<p>plain</p>", None) == ("<p>plain</p>", [])


def test_outside_the_book_outputs_are_english_only(fake_catalogue, monkeypatch):
    """A downloaded chapter in plain Jupyter (no LEFTBEHIND_EDITIONS) writes English only: no font, no catalogue."""
    monkeypatch.setenv("LEFTBEHIND_EDITIONS", "en")
    assert edition_html(lambda tr: f"<p>{tr('Odds ratio')}</p>") == "<p>Odds ratio</p>"
