"""Summarise bench/run_api_bench.sh results: per-round tables, medians, and eventschema/peer ratios.

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
    runs = {name: sorted(out.glob(f"{name}_*.txt")) for name in ("eventschema", "peer")}
    results = {
        name: [read(path) for path in paths if not path.name.startswith(f"{name}_shape")]
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
    print("\n| scenario | eventschema median req/s | peer median req/s | ratio |")
    print("|---|---|---|---|")
    for scenario in SCENARIOS:
        ours = statistics.median(r[scenario][0] for r in results["eventschema"] if scenario in r)
        theirs = statistics.median(r[scenario][0] for r in results["peer"] if scenario in r)
        print(f"| {scenario} | {ours:g} | {theirs:g} | **{ours / theirs:.1f}x** |")


if __name__ == "__main__":
    main()
