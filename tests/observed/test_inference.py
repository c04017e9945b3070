"""The inference rules, table by table: counters in, the proposed type (and enum) out."""

import pytest

from eventschema.observed.inference import Counts, Declared, enum_of, infer_type, status
from eventschema.observed.tally import looks


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (Counts(events=3, null=3), "String"),
        (Counts(events=5, numeric=5), "Numeric"),  # ints and floats alike
        (Counts(events=5, boolean=5), "Boolean"),
        (Counts(events=5, object=5), "Object"),
        (Counts(events=5, array=5), "Array"),
        (Counts(events=5, object=3, array=2), "Object"),
        (Counts(events=4, string=4, boolean_strings=4), "Boolean"),
        (Counts(events=4, string=4, datetime_strings=4), "DateTime"),
        (Counts(events=4, string=4, numeric_strings=4), "String"),  # ids and codes stay strings
        (Counts(events=4, string=4, numeric_strings=3), "String"),
        (Counts(events=6, numeric=3, string=3, numeric_strings=3), "Numeric"),
        (Counts(events=6, numeric=3, string=3, datetime_strings=3), "DateTime"),
        (Counts(events=6, boolean=3, string=3, boolean_strings=3), "Boolean"),
        (Counts(events=6, numeric=3, string=3), "Any"),
        (Counts(events=6, numeric=3, boolean=3), "Any"),
        (Counts(events=6, object=3, string=3), "Any"),
        (Counts(events=6, numeric=5, null=1), "Numeric"),
    ],
)
def test_inferred_types(counts: Counts, expected: str) -> None:
    assert infer_type(counts) == expected


@pytest.mark.parametrize(
    ("value", "numeric", "boolean", "datetime"),
    [
        ("12", 1, 0, 0),
        (" -1.5e3 ", 1, 0, 0),
        ("1e999", 0, 0, 0),
        ("0x1F", 0, 0, 0),
        ("true", 0, 1, 0),
        ("True", 0, 0, 0),
        ("2026-11-30T10:00:00Z", 0, 0, 1),
        ("1700000000", 1, 0, 1),
        ("Mon, 30 Nov 2026 10:00:00 GMT", 0, 0, 1),
        ("hello", 0, 0, 0),
        ("", 0, 0, 0),
    ],
)
def test_string_looks_follow_posthogs_coercions(value: str, numeric: int, boolean: int, datetime: int) -> None:
    code = looks(value)
    assert (code & 1, code >> 1 & 1, code >> 2 & 1) == (numeric, boolean, datetime)


@pytest.mark.parametrize(
    ("counts", "values", "expected"),
    [
        (Counts(events=20, string=20), ["pro", "free"], ["free", "pro"]),
        (Counts(events=19, string=19), ["pro", "free"], None),  # too few events to say
        (Counts(events=50, string=50), [str(i) for i in range(11)], None),  # more than 10 values
        (Counts(events=50, string=50), [str(i) for i in range(10)], sorted(str(i) for i in range(10))),
        (Counts(events=50, string=40, numeric=10), ["a"], None),  # not all strings
        (Counts(events=50, string=50), ["a" * 200], None),  # a value cut when kept is not known
        (Counts(events=50, string=50), None, None),  # values not kept (examples off)
    ],
)
def test_enum_suggestions_need_low_cardinality_and_every_value(
    counts: Counts, values: list[str] | None, expected: list[str] | None
) -> None:
    assert enum_of("String", counts, values) == expected


def test_enums_are_only_suggested_for_strings() -> None:
    assert enum_of("Boolean", Counts(events=50, string=50, boolean_strings=50), ["true", "false"]) is None


@pytest.mark.parametrize(
    ("counts", "declared", "expected"),
    [
        (Counts(events=10, string=10), None, ("unplanned", 10)),
        (Counts(events=10, numeric=8, string=2, numeric_strings=1), Declared(("Numeric",), False), ("type_drift", 1)),
        (Counts(events=10, numeric=10), Declared(("String",), False), ("planned", 0)),
        (Counts(events=8, numeric=8), Declared(("Numeric",), True), ("missing", 2)),
        (Counts(events=8, numeric=8), Declared(("Numeric",), False), ("planned", 0)),
        (Counts(events=10, numeric=5, string=5, datetime_strings=5), Declared(("DateTime",), False), ("planned", 0)),
    ],
)
def test_plan_status(counts: Counts, declared: Declared | None, expected: tuple[str, int]) -> None:
    assert status(counts, 10, declared) == expected
