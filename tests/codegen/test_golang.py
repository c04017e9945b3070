"""The generated Go builds and passes `go vet`; a program using it runs; wrong uses of it do not build."""

import json
from pathlib import Path

from eventschema.codegen import golang
from eventschema.codegen.plan import build_plan
from tests.codegen import fixture, toolchains

GO_MOD = "module example.com/plan\n\ngo 1.18\n"

MAIN = """\
package main

import (
	"encoding/json"
	"fmt"
	"time"

	ev "example.com/plan/posthogevents"
)

func main() {
	currency := "EUR"
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	events := []ev.Event{
		ev.PurchaseProperties{Amount: 12.5, Currency: &currency, Details: map[string]any{"sku": "a"}, Shared: true,
			Extra: map[string]any{"$set": map[string]any{"plan": "pro"}, "amount": "overridden"}},
		ev.PageViewedProperties{CurrentUrl: "https://example.com", HasSpaces: 2, Caf: when,
			Field: map[string]any{"a": 1}},
		ev.FuncProperties{Extra: map[string]any{"anything": []int{1, 2}}},
		ev.ClassProperties{Flag: false},
	}
	for _, event := range events {
		encoded, err := json.Marshal(event)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s\\t%s\\n", event.EventName(), encoded)
	}
}
"""

BAD = """\
package bad

import ev "example.com/plan/posthogevents"

var _ = ev.PageViewedProperties{CurrentUrl: "/", HasSpaces: "two"}
"""


def _module(directory: Path) -> None:
    (directory / "go.mod").write_text(GO_MOD, encoding="utf-8")
    (directory / "posthogevents").mkdir()
    (directory / "posthogevents" / "events.go").write_text(golang.generate(fixture.plan()), encoding="utf-8")


def test_generated_go_builds_vets_and_sends_every_property(tmp_path: Path) -> None:
    _module(tmp_path)
    (tmp_path / "cmd").mkdir()
    (tmp_path / "cmd" / "main.go").write_text(MAIN, encoding="utf-8")
    go, env = toolchains.go(), toolchains.go_env()
    vet = toolchains.run([go, "vet", "./..."], tmp_path, env)
    assert vet.returncode == 0, vet.output
    unformatted = toolchains.run([toolchains.gofmt(), "-l", "posthogevents"], tmp_path)
    assert (unformatted.returncode, unformatted.output) == (0, ""), unformatted.output
    ran = toolchains.run([go, "run", "./cmd"], tmp_path, env)
    assert ran.returncode == 0, ran.output
    sent = {name: json.loads(encoded) for name, encoded in (line.split("\t") for line in ran.output.splitlines())}
    assert sent["purchase"] == {
        "$set": {"plan": "pro"},
        "amount": 12.5,
        "currency": "EUR",
        "details": {"sku": "a"},
        "shared": True,
    }
    assert sent["page viewed"] == {
        "$current_url": "https://example.com",
        "has spaces": 2,
        "café": "2024-05-01T12:00:00Z",
        "名前": {"a": 1},
    }
    assert sent["func"] == {"anything": [1, 2]}
    assert sent["class"] == {"flag": False}


def test_assigning_a_string_to_a_numeric_field_does_not_build(tmp_path: Path) -> None:
    _module(tmp_path)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "bad.go").write_text(BAD, encoding="utf-8")
    result = toolchains.run([toolchains.go(), "build", "./bad"], tmp_path, toolchains.go_env())
    assert result.returncode != 0
    assert "bad.go:5:" in result.output and "float64" in result.output, result.output


def test_a_plan_without_events_builds(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text(GO_MOD, encoding="utf-8")
    (tmp_path / "events.go").write_text(golang.generate(build_plan([], [], {})), encoding="utf-8")
    result = toolchains.run([toolchains.go(), "vet", "."], tmp_path, toolchains.go_env())
    assert result.returncode == 0, result.output
