"""`looks` in one match gives exactly what the validation engine's checks say of a string, one by one."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventschema.observed.coercions import BOOLEAN, DATETIME, NUMERIC, looks
from eventschema.validation.checks import is_numeric_text
from eventschema.validation.datetimes import is_datetime_string


def expected(value: str) -> int:
    return (
        NUMERIC * is_numeric_text(value)
        + BOOLEAN * (value == "true" or value == "false")
        + DATETIME * is_datetime_string(value)
    )


@pytest.mark.parametrize(
    "value",
    [
        "12",
        " -1.5e3 ",
        "1e999",
        "1e308",
        "-.5E-3",
        "5.",
        ".",
        "+",
        "1_000",
        "0x1F",
        "inf",
        "NaN",
        "9" * 300,
        "9" * 309,
        "9" * 400 + ".5",
        "0." + "0" * 400 + "1",
        "true",
        "false",
        " true",
        "True",
        "2026-11-30T10:00:00Z",
        "2026-11-30 10:00:00.123456+01:00",
        "2026-02-29",
        "2024-02-29",
        "\u00a02026-11-30\n",
        "\u200b2026-11-30",
        "1700000000",
        "1700000000000",
        "17000000000",
        "20261130",
        "20261130101010",
        "00000000",
        "Mon, 30 Nov 2026 10:00:00 GMT",
        "mon, 30 nov 2026 10:00:00 gmt",
        "30 Nov 2026 10:00 +0100",
        "\u017fun, 29 Nov 2026 10:00:00 GMT",
        "hello",
        "",
        " ",
        "1" * 5000 + "x",
        "\x1c42\x1f",
        "\uff14\uff12",  # full-width digits
    ],
)
def test_table(value: str) -> None:
    assert looks(value) == expected(value)


# Strings built from the characters the grammars care about, and from their own shapes.
_ALPHABET = "0123456789 .+-eEtTZz:,_xfalsruMonTueSatNovFebGMTUC\t\n\u00a0\x1c\u2028\u0661"
_ISO_LIKE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,10})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)
_RFC_LIKE = (
    r"((Mon|tue|SAT), *)?[0-9]{1,2} +(Jan|feb|NOV|Apr) +[0-9]{4} +[0-9]{2}:[0-9]{2}(:[0-9]{2})? +(GMT|ut|[+-][0-9]{4})"
)
_SHAPES = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=40),
    st.from_regex(r"\s?[+-]?[0-9]{0,15}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,4})?\s?", fullmatch=True),
    st.from_regex(_ISO_LIKE, fullmatch=True),
    st.from_regex(_RFC_LIKE, fullmatch=True),
)


@settings(max_examples=3000, deadline=None)
@given(_SHAPES)
def test_any_string(value: str) -> None:
    assert looks(value) == expected(value)
