"""The generated Go is a drop-in for PostHog's `package typed`: a program using it as PostHog's tests do builds,
passes `go vet` and sends what it should; wrong uses do not build.

The Go module proxy is not reachable from the test machines, so posthog-go is replaced (a `replace` directive)
by a minimal local module declaring the few posthog-go types the generated package uses, with posthog-go's
field names and `Properties.Merge` semantics.
"""

import json
from pathlib import Path

import pytest

from eventschema.codegen import golang
from eventschema.codegen.plan import Declaration, TrackingPlan, build_plan, make_group
from tests.codegen import fixture, toolchains

GO_MOD = """\
module testmodule

go 1.18

require github.com/posthog/posthog-go v1.0.0

replace github.com/posthog/posthog-go => ./posthog-go
"""

POSTHOG_GO = """\
// Package posthog declares the part of github.com/posthog/posthog-go that generated code uses.
package posthog

import "time"

type Properties map[string]interface{}

// Merge adds props to p, overwriting keys present in both, and returns p.
func (p Properties) Merge(props Properties) Properties {
	for k, v := range props {
		p[k] = v
	}
	return p
}

type Groups map[string]interface{}

type Capture struct {
	Type             string
	Uuid             string
	DistinctId       string
	Event            string
	Timestamp        time.Time
	Properties       Properties
	Groups           Groups
	SendFeatureFlags interface{}
}
"""

# PostHog's own plan for its Go test.
POSTHOG_PLAN = fixture.posthog_plan("$pageview")

# Written the way PostHog's test uses its generated package; prints each capture as JSON.
MAIN = """\
package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/posthog/posthog-go"
	"testmodule/typed"
)

func main() {
	when := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	cap1 := typed.FileDownloadedCapture(
		"user_123",
		when,
		"document.pdf",
		1024,
		typed.FileDownloadedWithFileExtension("pdf"),
		typed.FileDownloadedWithExtraProps(posthog.Properties{
			"custom_field": "custom_value",
		}),
	)
	cap2 := typed.UserSignedUpCapture("user_456", "user@example.com", "premium")
	base := posthog.Capture{
		DistinctId: "user_789",
		Properties: posthog.Properties{"source": "web"},
	}
	cap3 := typed.FileDownloadedCaptureFromBase(base, when, "image.png", 2048)
	cap4 := typed.UserEventWithQuotesCapture("user_999", "value")
	cap5 := typed.PageviewCapture("user_1", posthog.Properties{"$current_url": "/"})
	cap6 := typed.PageviewCaptureFromBase(posthog.Capture{DistinctId: "user_2"}, posthog.Properties{"a": 1})
	for _, c := range []posthog.Capture{cap1, cap2, cap3, cap4, cap5, cap6, base} {
		encoded, err := json.Marshal(c.Properties)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s\\t%s\\t%s\\n", c.DistinctId, c.Event, encoded)
	}
}
"""

# Each holds exactly one mistake that `go build` must report, on line 9.
BAD_PREFIX = 'package main\n\nimport (\n\t"time"\n\n\t"testmodule/typed"\n)\n\n'
BAD = {
    "missing_required": 'var _ = typed.FileDownloadedCapture("u", time.Now(), "document.pdf")\n',
    "wrong_type": 'var _ = typed.FileDownloadedCapture("u", time.Now(), "document.pdf", "big")\n',
    "string_for_datetime": 'var _ = typed.FileDownloadedCapture("u", "2024-05-01", "document.pdf", 1)\n',
    "other_events_option": (
        'var _ = typed.UserSignedUpCapture("u", "e", "p", typed.FileDownloadedWithFileExtension("pdf"))\n'
    ),
}


def _module(directory: Path, plan: TrackingPlan) -> dict[str, str]:
    (directory / "go.mod").write_text(GO_MOD, encoding="utf-8")
    (directory / "posthog-go").mkdir()
    (directory / "posthog-go" / "go.mod").write_text("module github.com/posthog/posthog-go\n\ngo 1.18\n")
    (directory / "posthog-go" / "posthog.go").write_text(POSTHOG_GO, encoding="utf-8")
    (directory / "typed").mkdir()
    (directory / "typed" / "event_definitions.go").write_text(golang.generate(plan), encoding="utf-8")
    return toolchains.go_env()


@pytest.mark.slow
def test_code_written_for_posthogs_package_builds_vets_and_sends_what_it_should(tmp_path: Path) -> None:
    env = _module(tmp_path, POSTHOG_PLAN)
    (tmp_path / "main.go").write_text(MAIN, encoding="utf-8")
    go = toolchains.go()
    vet = toolchains.run([go, "vet", "./..."], tmp_path, env)
    assert vet.returncode == 0, vet.output
    unformatted = toolchains.run([toolchains.gofmt(), "-l", "typed"], tmp_path)
    assert (unformatted.returncode, unformatted.output) == (0, ""), unformatted.output
    ran = toolchains.run([go, "run", "."], tmp_path, env)
    assert ran.returncode == 0, ran.output
    sent = [
        (who, event, json.loads(props)) for who, event, props in (line.split("\t") for line in ran.output.splitlines())
    ]
    assert sent == [
        (
            "user_123",
            "file_downloaded",
            {
                "custom_field": "custom_value",
                "downloaded_at": "2024-05-01T12:00:00Z",
                "file_extension": "pdf",
                "file_name": "document.pdf",
                "file_size": 1024,
            },
        ),
        ("user_456", "user_signed_up", {"email": "user@example.com", "plan": "premium"}),
        (
            "user_789",
            "file_downloaded",
            {"source": "web", "downloaded_at": "2024-05-01T12:00:00Z", "file_name": "image.png", "file_size": 2048},
        ),
        ("user_999", "user'event\"with\\quotes", {"prop'with\"quotes": "value"}),
        ("user_1", "$pageview", {"$current_url": "/"}),
        ("user_2", "$pageview", {"a": 1}),
        ("user_789", "", {"source": "web"}),  # the base passed to CaptureFromBase is left as it was
    ]


def test_missing_and_mistyped_properties_do_not_build(tmp_path: Path) -> None:
    env = _module(tmp_path, POSTHOG_PLAN)
    for name, line in BAD.items():
        (tmp_path / f"bad_{name}").mkdir()
        (tmp_path / f"bad_{name}" / "main.go").write_text(BAD_PREFIX + line + "\nfunc main() {}\n", encoding="utf-8")
    for name in BAD:
        result = toolchains.run([toolchains.go(), "build", "-o", "/dev/null", f"./bad_{name}"], tmp_path, env)
        assert result.returncode != 0, name
        assert f"bad_{name}/main.go:9:" in result.output, result.output


def test_awkward_names_build_and_vet(tmp_path: Path) -> None:
    env = _module(tmp_path, fixture.plan())
    (tmp_path / "main.go").write_text(
        'package main\n\nimport "testmodule/typed"\n\nfunc main() {\n'
        '\t_ = typed.PurchaseCapture("u", 1, map[string]interface{}{}, typed.PurchaseWithShared(true))\n'
        '\t_ = typed.PurchaseCapture("u", 1, nil, typed.PurchaseWithShared(2.5), typed.PurchaseWithClass("c"))\n'
        '\t_ = typed.SignUpCapture("u")\n\t_ = typed.SignUp2Capture("u", 1, nil, 2)\n\t_ = typed.EventCapture("u")\n'
        "}\n",
        encoding="utf-8",
    )
    vet = toolchains.run([toolchains.go(), "vet", "./..."], tmp_path, env)
    assert vet.returncode == 0, vet.output
    unformatted = toolchains.run([toolchains.gofmt(), "-l", "typed"], tmp_path)
    assert (unformatted.returncode, unformatted.output) == (0, ""), unformatted.output


def test_a_plan_without_events_builds(tmp_path: Path) -> None:
    env = _module(tmp_path, build_plan([], [], {}))
    result = toolchains.run([toolchains.go(), "vet", "./typed"], tmp_path, env)
    assert result.returncode == 0, result.output


def test_names_follow_posthogs_rules() -> None:
    assert golang.parameter_name("file_name") == "fileName"
    assert golang.parameter_name("user-ID") == "userId"
    assert golang.parameter_name("123x") == "param123x"
    assert golang.parameter_name("type") == "type_"
    assert golang.option_suffix("file_extension") == "FileExtension"
    assert golang.option_suffix("$$") == "Prop"


# The plan using every rule (see fixture.RULES_GROUPS): "checkout" merges two groups declaring "plan" and "cart".
RULES_MAIN = """\
package main

import (
	"encoding/json"
	"fmt"

	"github.com/posthog/posthog-go"
	"testmodule/typed"
)

func main() {
	quantity := 2.0
	kind := typed.CheckoutCartCartKindDigital
	cart := typed.CheckoutCartCart{
		Sku:      "SKU-1",
		Quantity: quantity,
		Kind:     &kind,
		Meta:     &typed.CheckoutCartCartMeta{Source: "web"},
		Extra:    posthog.Properties{"note": "n"},
	}
	price := 2.5
	c := typed.CheckoutCartCapture(
		"user_1",
		cart,
		"a@example.com",
		[]interface{}{1, "x"},
		typed.CheckoutCartPlanPro,
		0.5,
		typed.CheckoutCartWithTags([]typed.CheckoutCartTagsItem{typed.CheckoutCartTagsItemA}),
		typed.CheckoutCartWithLines([]typed.CheckoutCartLinesItem{{Sku: "x", Price: &price}, {Sku: "y"}}),
		typed.CheckoutCartWithSeats(typed.CheckoutCartSeatsValue5),
		typed.CheckoutCartWithFlag(true),
	)
	other := typed.CheckoutCapture("user_2", typed.CheckoutCart{Sku: "S"}, "e", nil, typed.CheckoutPlanEnterprise, 1)
	for _, capture := range []posthog.Capture{c, other} {
		encoded, err := json.Marshal(capture.Properties)
		if err != nil {
			panic(err)
		}
		fmt.Println(string(encoded))
	}
}
"""
RULES_BAD_PREFIX = 'package main\n\nimport "testmodule/typed"\n\nvar plan = "pro"\n\nfunc main() {}\n\n'
RULES_BAD = {
    "enum_of_another_event": 'var _ = typed.CheckoutCartCapture("u", typed.CheckoutCartCart{}, "e", 1, '
    "typed.CheckoutPlanEnterprise, 0)\n",
    "string_variable_for_enum": 'var _ = typed.CheckoutCartCapture("u", typed.CheckoutCartCart{}, "e", 1, plan, 0)\n',
    "wrong_nested_type": 'var _ = typed.CheckoutCartCapture("u", typed.CheckoutCart{}, "e", 1, "pro", 0)\n',
    "wrong_nested_field": "var _ = typed.CheckoutCartCart{Sku: 5}\n",
    "closed_nested_object": 'var _ = typed.CheckoutCartCartMeta{Source: "s", Extra: nil}\n',
    "wrong_item": 'var _ = typed.CheckoutCartWithTags([]string{"a"})\n',
}


def test_rules_become_enum_types_structs_and_slices(tmp_path: Path) -> None:
    env = _module(tmp_path, fixture.rules_plan())
    (tmp_path / "main.go").write_text(RULES_MAIN, encoding="utf-8")
    go = toolchains.go()
    vet = toolchains.run([go, "vet", "./..."], tmp_path, env)
    assert vet.returncode == 0, vet.output
    unformatted = toolchains.run([toolchains.gofmt(), "-l", "typed"], tmp_path)
    assert (unformatted.returncode, unformatted.output) == (0, ""), unformatted.output
    ran = toolchains.run([go, "run", "."], tmp_path, env)
    assert ran.returncode == 0, ran.output
    first, second = (json.loads(line) for line in ran.output.splitlines())
    assert first == {
        "cart": {"sku": "SKU-1", "quantity": 2, "kind": "digital", "meta": {"source": "web"}, "note": "n"},
        "email": "a@example.com",
        "payload": [1, "x"],
        "plan": "pro",
        "ratio": 0.5,
        "tags": ["a"],
        "lines": [{"sku": "x", "price": 2.5}, {"sku": "y"}],
        "seats": 5,
        "flag": True,
    }
    assert second == {"cart": {"sku": "S"}, "email": "e", "payload": None, "plan": "enterprise", "ratio": 1}
    for name, line in RULES_BAD.items():
        (tmp_path / f"bad_{name}").mkdir()
        main = RULES_BAD_PREFIX + line
        (tmp_path / f"bad_{name}" / "main.go").write_text(main, encoding="utf-8")
    for name in RULES_BAD:
        result = toolchains.run([go, "build", "-o", "/dev/null", f"./bad_{name}"], tmp_path, env)
        assert result.returncode != 0, name
        assert f"bad_{name}/main.go:9:" in result.output, result.output


def test_enum_and_struct_names_never_rename_functions() -> None:
    rules = {"enum": ["a"]}
    group = make_group("g", [Declaration("capture", "String", True, False, rules)])
    content = golang.generate(build_plan(["x", "x capture"], [group], {"x": ["g"], "x capture": ["g"]}))
    assert "func XCapture(" in content and "func XCaptureCapture(" in content
    assert "type XCapture2 string" in content and "const XCapture2A XCapture2 = " in content
