"""Pure rules: which events are included, how declarations merge, identifiers, and what the hash covers."""

from dataclasses import replace

import pytest

import eventschema
from eventschema.codegen import GENERATORS
from eventschema.codegen.hashing import GENERATOR_VERSION, canonical, schema_hash
from eventschema.codegen.names import json_string, pascal_case, unique_identifiers
from eventschema.codegen.plan import Declaration, Property, build_plan, make_group, merge
from tests.codegen import fixture


def test_inclusion_keeps_every_event_but_dollar_events_without_groups() -> None:
    plan = build_plan(["b", "$with", "$without", "a"], [make_group("g", [])], {"$with": ["g"]})
    assert [e.name for e in plan.events] == ["$with", "a", "b"]
    assert [e.typed for e in plan.events] == [True, False, False]


def test_events_apps_capture_by_hand_are_included_without_groups_as_posthog_does() -> None:
    names = ["$pageview", "$pageleave", "$screen", "$autocapture", "$identify", "$set"]
    assert [e.name for e in build_plan(names, [], {}).events] == ["$pageleave", "$pageview", "$screen"]


def test_the_generator_version_is_the_package_version() -> None:
    assert eventschema.__version__ == GENERATOR_VERSION


def test_a_name_in_several_groups_gets_the_union_of_types_and_is_optional_if_any_occurrence_is() -> None:
    merged = merge(
        [
            Declaration("x", "Numeric", True, False),
            Declaration("x", "Boolean", False, False),
            Declaration("y", "String", True, False),
            Declaration("y", "String", True, True),
            Declaration("z", "DateTime", True, False),
        ]
    )
    assert merged == (
        Property("x", ("Boolean", "Numeric"), required=True, optional_in_types=True),
        Property("y", ("String",), required=True, optional_in_types=True),
        Property("z", ("DateTime",), required=True, optional_in_types=False),
    )


@pytest.mark.parametrize(
    ("is_required", "is_optional_in_types", "optional"),
    [(False, False, True), (False, True, True), (True, False, False), (True, True, True)],
)
def test_optional_in_types(is_required: bool, is_optional_in_types: bool, optional: bool) -> None:
    assert Declaration("p", "String", is_required, is_optional_in_types).optional_in_types is optional


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown type 'Integer'"):
        merge([Declaration("x", "Integer", True, False)])


def test_identifiers_are_ascii_pascal_case_and_collisions_are_numbered_in_name_order() -> None:
    assert pascal_case("$current_url", "Event") == "CurrentUrl"
    assert pascal_case("123x", "Event") == "Event123x"
    assert pascal_case("名前", "Event") == "Event"
    names = unique_identifiers(
        ["sign up", "sign-up", "Sign Up", "名前", "event"], suffix="Properties", reserved={"EventProperties"}
    )
    assert names == {
        "Sign Up": "SignUpProperties",
        "event": "Event2Properties",
        "sign up": "SignUp2Properties",
        "sign-up": "SignUp3Properties",
        "名前": "Event3Properties",
    }


def test_json_strings_escape_quotes_line_breaks_and_invisible_characters() -> None:
    assert json_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    assert json_string("café 名前") == '"café 名前"'
    assert json_string("\u2028\u200b\ud800\U000e0001") == '"\\u2028\\u200b\\ud800\\udb40\\udc01"'


def test_the_hash_is_32_hex_digits_and_ignores_input_order() -> None:
    plan = fixture.plan()
    reversed_groups = [make_group(g.name, reversed(g.properties)) for g in reversed(plan.groups)]
    links = {name: list(reversed(groups)) for name, groups in reversed(fixture.EVENTS.items())}
    again = build_plan(reversed(list(fixture.EVENTS)), reversed_groups, links)
    assert schema_hash(plan) == schema_hash(again)
    assert len(schema_hash(plan)) == 32 and int(schema_hash(plan), 16) >= 0
    assert GENERATOR_VERSION.encode() in canonical(plan)


def test_the_hash_of_a_fixed_plan_never_changes_without_a_new_generator_version() -> None:
    """Recorded once: the same schemas must hash the same in every process, on every machine and database."""
    order = make_group(
        "order", [Declaration("amount", "Numeric", True, False), Declaration("café", "DateTime", False, True)]
    )
    plan = build_plan(["purchase", "$pageview", "page viewed"], [order], {"purchase": ["order"]})
    assert (GENERATOR_VERSION, schema_hash(plan)) == ("0.2.0", "24d6bc23812de63926ebde08a9a4a03c")


def _changed(**change: object) -> str:
    """The fixture's hash after changing one field of the first property of the group 'order'."""
    groups = []
    for name, properties in fixture.GROUPS.items():
        declarations = [Declaration(*p) for p in properties]
        if name == "order":
            declarations[0] = replace(declarations[0], **change)
        groups.append(make_group(name, declarations))
    return schema_hash(build_plan(fixture.EVENTS, groups, fixture.EVENTS))


@pytest.mark.parametrize(
    "change",
    [{"name": "total"}, {"property_type": "String"}, {"is_required": False}, {"is_optional_in_types": True}],
)
def test_the_hash_changes_with_any_name_type_or_flag(change: dict[str, object]) -> None:
    assert _changed(**change) != schema_hash(fixture.plan())


def test_the_hash_changes_with_event_names_and_links() -> None:
    base = schema_hash(fixture.plan())
    groups = fixture.plan().groups
    assert schema_hash(build_plan([*fixture.EVENTS, "new event"], groups, fixture.EVENTS)) != base
    assert schema_hash(build_plan(fixture.EVENTS, groups, {**fixture.EVENTS, "func": ["order"]})) != base


@pytest.mark.parametrize("language", sorted(GENERATORS))
def test_every_file_encodes_as_utf8_even_with_lone_surrogates_in_names(language: str) -> None:
    name = "lone \ud800 surrogate \U0001f600"
    group = make_group(name, [Declaration(name, "DateTime", True, False)])
    content = GENERATORS[language](build_plan([name, "x"], [group], {name: [name]}))
    assert content.encode("utf-8").decode("utf-8") == content
    assert "\ud800" not in content and "\U0001f600" in content
