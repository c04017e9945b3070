"""Field types shared by request schemas, raising PostHog's error codes and messages."""

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from eventschema import errors


def _text(value: Any) -> Any:
    # DRF's CharField accepts numbers and turns them into strings; so do we.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _no_null_characters(value: str) -> str:
    # PostgreSQL cannot store U+0000 in text; DRF refuses it for every CharField.
    if "\x00" in value:
        raise PydanticCustomError("null_characters_not_allowed", "Null characters are not allowed.")
    return value


NoNullCharacters = AfterValidator(_no_null_characters)
# A text filter in the query string; a NUL would reach the database (PostgreSQL cannot compare with one): 400.
QueryText = Annotated[str | None, AfterValidator(lambda value: None if value is None else _no_null_characters(value))]


def _name(max_length: int, message: str | None = None) -> AfterValidator:
    def check(value: str) -> str:
        value = value.strip()
        if not value:
            raise PydanticCustomError("blank", "This field may not be blank.")
        if len(value) > max_length:
            if message:
                raise PydanticCustomError("invalid_input", message)
            raise PydanticCustomError("max_length", f"Ensure this field has no more than {max_length} characters.")
        return value

    return AfterValidator(check)


# What str.strip() removes, spelled out: regular expression engines disagree on what `\s` matches.
_SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"


def _documented(max_length: int | None = None) -> WithJsonSchema:
    """What these fields accept, for the OpenAPI document: text without NUL (for names, 1 to `max_length`
    characters once stripped), or a number, which is taken as its text."""
    pattern = "^[^\\x00]*$"
    if max_length is not None:
        pattern = f"^[{_SPACE}]*[^\\x00{_SPACE}]([^\\x00]{{0,{max_length - 2}}}[^\\x00{_SPACE}])?[{_SPACE}]*$"
    return WithJsonSchema({"anyOf": [{"type": "string", "pattern": pattern}, {"type": "number"}]})


Text = Annotated[str, BeforeValidator(_text), NoNullCharacters, _documented()]
Name400 = Annotated[str, BeforeValidator(_text), NoNullCharacters, _name(400), _documented(400)]
PropertyName = Annotated[
    str,
    BeforeValidator(_text),
    NoNullCharacters,
    _name(200, "Property name must be 200 characters or less"),
    _documented(200),
]


class RequestModel(BaseModel):
    """Request bodies: unknown keys are ignored (as DRF does), values are not coerced beyond DRF's rules."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False)

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (a PUT leaves the others as they are, as DRF does)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class PartialModel(RequestModel):
    """PATCH bodies: only the fields present are changed."""

    # Fields for which null is a value (e.g. "no rules") rather than a mistake.
    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    def changes(self) -> dict[str, Any]:
        """The fields the client sent; an explicit null is refused, as DRF does for non-nullable fields."""
        changes = super().changes()
        for name, value in changes.items():
            if value is None and name not in self.NULLABLE:
                raise errors.ValidationError("This field may not be null.", code="null", attr=name)
        return changes
