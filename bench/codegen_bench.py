"""Code generation time for a large tracking plan: 1,000 events x 3 property groups x 12 properties each.

Run from the project root:  PYTHONPATH=src .venv/bin/python bench/codegen_bench.py [--rounds N]

Everything is pure and in memory (no database, no HTTP): building the plan from its groups and links, the
schema hash, and each language's generator. Every event links three groups of its own (3,000 groups, 36,000
property declarations), covering all five types and every is_required / is_optional_in_types combination,
with one name per event declared by two groups with different types, so the merging and JSON Schema
conflict paths are exercised too. Each round times every step in an order rotated from round to round; the
table reports the median over the rounds, next to a baseline measured in the same run (`json.dumps` of the
same declarations as plain lists, indented), because these machines are shared and noisy. Target: every
language under 1 s. With `--rules`, every String, Numeric and Object declaration also has validation rules
(an enum and a length, a range, two nested properties one of which has a pattern), to show what rules cost.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from eventschema.codegen import GENERATORS
from eventschema.codegen.hashing import schema_hash
from eventschema.codegen.plan import Declaration, Group, TrackingPlan, build_plan, make_group

EVENTS, GROUPS_PER_EVENT, PROPERTIES_PER_GROUP = 1000, 3, 12
# The five types of the recorded runs, so figures stay comparable (Any and Array came with validation rules).
PROPERTY_TYPES = ("Boolean", "DateTime", "Numeric", "Object", "String")


NESTED = [
    {"name": "a", "property_type": "String", "is_required": True, "is_optional_in_types": False, "description": "",
     "validation_rules": {"pattern": "^a"}},
    {"name": "b", "property_type": "Numeric", "is_required": False, "is_optional_in_types": False, "description": "",
     "validation_rules": None},
]  # fmt: skip
RULES: dict[str, dict[str, Any] | None] = {
    "String": {"enum": ["free", "pro", "team"], "maxLength": 20},
    "Numeric": {"minimum": 0, "maximum": 100},
    "Object": {"properties": NESTED},
}


def _groups(with_rules: bool = False) -> tuple[list[Group], dict[str, list[str]]]:
    groups, links = [], {}
    for event in range(EVENTS):
        names = [f"event {event:04d} group {index}" for index in range(GROUPS_PER_EVENT)]
        links[f"event {event:04d} happened"] = names
        for index, name in enumerate(names):
            declarations = [
                Declaration(
                    # The last property of every group shares its name (and, by type, not its type) across groups.
                    "shared value" if number == PROPERTIES_PER_GROUP - 1 else f"property {index}-{number}",
                    PROPERTY_TYPES[(number + index) % len(PROPERTY_TYPES)],
                    is_required=number % 2 == 0,
                    is_optional_in_types=number % 3 == 0,
                    # Only given with --rules, so the script still runs against versions before rules.
                    **({"validation_rules": RULES.get(PROPERTY_TYPES[(number + index) % 5])} if with_rules else {}),
                )
                for number in range(PROPERTIES_PER_GROUP)
            ]
            groups.append(make_group(name, declarations))
    return groups, links


def _rules(declaration: Declaration) -> list[object]:
    rules = getattr(declaration, "validation_rules", None)  # absent before rules existed
    return [rules] if rules else []


def _baseline(groups: list[Group]) -> Callable[[], object]:
    rows = [
        [g.name, [[d.name, d.property_type, d.is_required, d.is_optional_in_types, *_rules(d)] for d in g.properties]]
        for g in groups
    ]
    return lambda: json.dumps(rows, indent=2)


def steps(groups: list[Group], links: dict[str, list[str]], plan: TrackingPlan) -> dict[str, Callable[[], object]]:
    timed: dict[str, Callable[[], object]] = {
        "baseline: json.dumps of the declarations": _baseline(groups),
        "build the plan (merge)": lambda: build_plan(links, groups, links),
        "schema_hash": lambda: schema_hash(plan),
    }
    for language, generate in GENERATORS.items():
        timed[f"generate {language}"] = lambda generate=generate: generate(plan)  # type: ignore[misc]
    return timed


def measure(timed: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    names = list(timed)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    gc.disable()
    try:
        for round_no in range(rounds):
            shift = round_no % len(names)
            for name in names[shift:] + names[:shift]:
                start = time.perf_counter()
                timed[name]()
                seconds[name].append(time.perf_counter() - start)
    finally:
        gc.enable()
    return {name: statistics.median(values) for name, values in seconds.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rules", action="store_true", help="give declarations validation rules")
    arguments = parser.parse_args()
    rounds = arguments.rounds
    groups, links = _groups(arguments.rules)
    plan = build_plan(links, groups, links)
    sizes = {language: len(generate(plan).encode()) for language, generate in GENERATORS.items()}
    medians = measure(steps(groups, links, plan), rounds)
    baseline = medians["baseline: json.dumps of the declarations"]
    declarations = sum(len(g.properties) for g in plan.groups)
    print(f"{len(plan.events)} events, {len(plan.groups)} groups, {declarations} property declarations; ", end="")
    print(f"median of {rounds} rounds\n")
    print("| step | median | x baseline | output |")
    print("|---|---:|---:|---:|")
    for name, value in medians.items():
        language = name.removeprefix("generate ")
        size = f"{sizes[language] / 1e6:.1f} MB" if language in sizes else ""
        print(f"| {name} | {value * 1000:.0f} ms | {value / baseline:.2f} | {size} |")
    worst = max(medians[f"generate {language}"] + medians["schema_hash"] for language in GENERATORS)
    print(f"\nslowest language including the hash: {worst * 1000:.0f} ms (target: under 1000 ms)")


if __name__ == "__main__":
    main()
