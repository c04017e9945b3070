"""Summarise bench/run_api_bench.sh results: per-round tables, medians, eventschema/peer and eventschema/ceiling
ratios (the ceiling: the same answers precomputed, served by a bare ASGI app; see bench/ceiling.py).

python bench/summarize_api_bench.py bench/results/<run>
"""

import statistics
import sys
from pathlib import Path

SCENARIOS = ["list_event_schemas_100", "list_property_groups_100", "list_event_schemas_10", "create_property_group_5"]


def read(path: Path) -> dict[str, list[float]]:
    rows: dict[str, list[float]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] in SCENARIOS:
            rows[parts[0]] = [float(value) for value in parts[1:]]
    return rows


def main() -> None:
    out = Path(sys.argv[1])
    runs = {name: sorted(out.glob(f"{name}_*.txt")) for name in ("eventschema", "ceiling", "peer")}
    results = {
        name: [read(path) for path in paths if not path.name.startswith((f"{name}_shape", f"{name}_server"))]
        for name, paths in runs.items()
    }
    for name, rounds in results.items():
        print(f"\n**{name}** (req/s / p50 ms / p99 ms / non-2xx, one column per round)\n")
        print("| scenario | " + " | ".join(f"round {i + 1}" for i in range(len(rounds))) + " | median req/s |")
        print("|---|" + "---|" * (len(rounds) + 1))
        for scenario in SCENARIOS:
            cells = [" / ".join(f"{v:g}" for v in r.get(scenario, [])) for r in rounds]
            median = statistics.median(r[scenario][0] for r in rounds if scenario in r)
            print(f"| {scenario} | " + " | ".join(cells) + f" | **{median:g}** |")
    print("\n| scenario | eventschema | peer | ceiling | eventschema / peer | eventschema / ceiling |")
    print("|---|---|---|---|---|---|")
    for scenario in SCENARIOS:
        ours, theirs, ceiling = (median_rate(results[name], scenario) for name in ("eventschema", "peer", "ceiling"))
        print(
            f"| {scenario} | {ours:g} | {theirs:g} | {ceiling:g} | **{ratio(ours, theirs, '.1f')}** "
            f"| **{ratio(ours, ceiling, '.2f')}** |"
        )


def ratio(ours: float, theirs: float, spec: str) -> str:
    """ours / theirs, or a dash when no request of theirs finished in the run (too short for that server)."""
    return f"{ours / theirs:{spec}}x" if theirs else "-"


def median_rate(rounds: list[dict[str, list[float]]], scenario: str) -> float:
    """The median req/s of a scenario over the rounds (NaN when no round has it)."""
    values = [r[scenario][0] for r in rounds if scenario in r]
    return statistics.median(values) if values else float("nan")


if __name__ == "__main__":
    main()
