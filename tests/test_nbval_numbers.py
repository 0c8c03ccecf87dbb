"""tests/nbval_numbers.py: decimals compared at 10 significant digits, integers and shown digits untouched."""

from nbval_numbers import canonical_numbers


def test_machine_noise_beyond_ten_significant_digits_disappears():
    assert canonical_numbers("0.5687672362054464") == canonical_numbers("0.568767236205403")
    assert canonical_numbers("x = 0.57000000000057;") == "x = 0.57;"


def test_shown_digits_survive():
    assert canonical_numbers("0.57") != canonical_numbers("0.58")
    assert canonical_numbers("<td>1.67</td>") == "<td>1.67</td>"
    assert canonical_numbers("1.50") == canonical_numbers("1.5")


def test_integers_words_and_exponents():
    assert canonical_numbers("19005 pupils, 19,005 rows, t7:x[2]") == "19005 pupils, 19,005 rows, t7:x[2]"
    assert canonical_numbers("2.5000000000001e-07") == "2.5e-07"
    assert canonical_numbers("version 1.2.3") == "version 1.2.3"
