"""One vocabulary: the reader's label for every variable, coping factor, model term and table column.

The labels live in ``data/vocabulary.csv`` (``key,label``), so a variable is called the same in prose, tables,
figures and the glossary.  :func:`label` falls back to the name written in words (``snake_case`` → "Snake case")
for names the file does not list.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from leftbehind.core.paths import data_dir

SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """``key -> label`` from ``data/vocabulary.csv``; a key defined twice is an error naming the file."""
    path = data_dir() / "vocabulary.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    duplicated = table["key"][table["key"].duplicated()].tolist()
    if duplicated:
        raise ValueError(f"{path}: key(s) defined twice: {', '.join(duplicated)}")
    empty = table["key"][table["label"].str.strip() == ""].tolist()
    if empty:
        raise ValueError(f"{path}: key(s) without a label: {', '.join(empty)}")
    return dict(zip(table["key"], table["label"]))


def label(name) -> str:
    """The reader's label for a column, variable, factor or model term."""
    text = str(name)
    found = vocabulary().get(text)
    if found:
        return found
    if SNAKE.match(text):
        text = text.replace("_", " ")
    if re.fullmatch(r"[a-z][a-z ]{2,}", text):
        return text[0].upper() + text[1:]
    return text


def labels(names) -> dict[str, str]:
    """``{name: label(name)}`` for several names."""
    return {name: label(name) for name in names}


def in_prose(name) -> str:
    """The label as it reads inside a sentence: first letter lower-cased unless it starts an acronym
    ("Problem-oriented coping" → "problem-oriented coping"; "LBC (n)" stays)."""
    text = label(name)
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def level_label(level) -> str:
    """A category (level) in words: ``"county_town"`` → "county town"; from the vocabulary when it has one."""
    return vocabulary().get(str(level), str(level).replace("_", " "))


def describe_category(name, level) -> str:
    """A variable's category in words: ``("mother_edu", "college")`` → "mother's education: college"."""
    return f"{in_prose(name)}: {level_label(level)}"


@lru_cache(maxsize=2)
def translated_labels(language: str = "zh_CN") -> dict[str, str]:
    """English label → its translation, from the vocabulary's ``label_<lang>`` column (``label_zh`` for zh_CN).

    The Chinese edition reads every label the English book shows through this map
    (:mod:`leftbehind.presentation.i18n`), so a variable is called the same in both editions' tables and figures.
    A label left empty is simply not translated (the build reports it).
    """
    column = "label_" + language.split("_")[0]
    path = data_dir() / "vocabulary.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if column not in table:
        return {}
    pairs = table[table[column].str.strip() != ""]
    return dict(zip(pairs["label"], pairs[column]))
