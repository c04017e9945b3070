"""errors.from_pydantic: the first Pydantic error, in PostHog's shape."""

from typing import Literal
from uuid import UUID

import pydantic
import pytest
from pydantic import BaseModel, ConfigDict

from eventschema import errors
from eventschema.fields import Name400, PropertyName


class Item(BaseModel):
    name: PropertyName
    kind: Literal["a", "b"] = "a"


class Thing(BaseModel):
    id: UUID
    title: Name400 = "t"
    flag: bool = False
    count: int = 0
    items: list[Item] = []


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: int = 0


def _error(model: type[BaseModel], data: object) -> errors.ValidationError:
    with pytest.raises(pydantic.ValidationError) as caught:
        model.model_validate(data)
    return errors.from_pydantic(caught.value)


ID = "00000000-0000-0000-0000-000000000001"


@pytest.mark.parametrize(
    ("data", "code", "detail", "attr"),
    [
        ({}, "required", "This field is required.", "id"),
        ({"id": None}, "null", "This field may not be null.", "id"),
        ({"id": "nope"}, "invalid_input", "Must be a valid UUID.", "id"),
        ({"id": 5}, "invalid_input", "Must be a valid UUID.", "id"),
        ({"id": ID, "title": " "}, "blank", "This field may not be blank.", "title"),
        ({"id": ID, "title": "x" * 401}, "max_length", "Ensure this field has no more than 400 characters.", "title"),
        ({"id": ID, "flag": "maybe"}, "invalid_input", "Must be a valid boolean.", "flag"),
        ({"id": ID, "count": "many"}, "invalid_input", "A valid integer is required.", "count"),
        ({"id": ID, "items": "x"}, "not_a_list", 'Expected a list of items but got type "str".', "items"),
        ({"id": ID, "items": ["x"]}, "invalid_input", "Invalid data. Expected a dictionary, but got str.", "items__0"),
        (
            {"id": ID, "items": [{"name": "ok"}, {"name": ""}]},
            "blank",
            "This field may not be blank.",
            "items__1__name",
        ),
        (
            {"id": ID, "items": [{"name": "p" * 201}]},
            "invalid_input",
            "Property name must be 200 characters or less",
            "items__0__name",
        ),
        (
            {"id": ID, "items": [{"name": "ok", "kind": "c"}]},
            "invalid_choice",
            '"c" is not a valid choice.',
            "items__0__kind",
        ),
        ({"id": ID, "items": [{"name": None}]}, "null", "This field may not be null.", "items__0__name"),
    ],
)
def test_codes_details_and_attrs(data: dict, code: str, detail: str, attr: str) -> None:
    error = _error(Thing, data)

    assert error.status_code == 400
    assert error.body() == {"type": "validation_error", "code": code, "detail": detail, "attr": attr}


def test_only_the_first_error_is_reported() -> None:
    error = _error(Thing, {"id": "nope", "flag": "maybe", "items": "x"})

    assert error.attr == "id"


def test_unknown_fields_when_forbidden() -> None:
    assert _error(Strict, {"other": 1}).body() == {
        "type": "validation_error",
        "code": "invalid_input",
        "detail": "Unknown field.",
        "attr": "other",
    }


def test_a_whole_body_error_has_no_attr() -> None:
    error = _error(Thing, ["not", "a", "dict"])

    assert error.body() == {
        "type": "validation_error",
        "code": "invalid_input",
        "detail": "Invalid data. Expected a dictionary, but got list.",
        "attr": None,
    }
