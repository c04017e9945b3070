"""Reading an upstream's answer: what is a refusal, what says "later", and what the quarantine keeps."""

from datetime import UTC, datetime

import pytest

from eventschema.upstream.answers import DELIVERED, REFUSED, RETRY, Answer, judge, quarantined, retry_after_seconds
from eventschema.upstream.forwarder import retry_delay


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (200, DELIVERED),
        (204, DELIVERED),
        (400, REFUSED),
        (413, REFUSED),
        (422, REFUSED),
        (408, RETRY),
        (429, RETRY),
        # The URL or the key is wrong: no event is at fault, and quarantining them all would not help.
        (401, RETRY),
        (403, RETRY),
        (404, RETRY),
        (500, RETRY),
        (503, RETRY),
        (302, RETRY),
    ],
)
def test_statuses(status: int, kind: str) -> None:
    assert judge(status, None, b"").kind == kind


def test_a_refusal_keeps_the_first_kibibyte_of_the_answer_without_nul() -> None:
    answer = judge(400, None, b'{"detail": "bad\x00 event"' + b"x" * 5000)
    assert answer == Answer(REFUSED, 400, detail='{"detail": "bad event"' + "x" * (1024 - 23))
    assert judge(400, None, "é".encode() * 600).detail.startswith("é" * 512)


def test_retry_after() -> None:
    now = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Mon, 30 Nov 2026 12:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Mon, 30 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None
    assert judge(429, "7", b"").retry_after == 7.0
    assert judge(503, None, b"").retry_after is None


def test_retry_after_lengthens_the_backoff_up_to_the_ceiling() -> None:
    assert retry_delay(1, None, 300.0) <= 1.0
    assert retry_delay(1, 30.0, 300.0) == 30.0
    assert retry_delay(1, 86_400.0, 300.0) == 300.0
    assert 48.0 <= retry_delay(7, 2.0, 300.0) <= 64.0  # never sooner than the backoff


def test_a_refused_event_as_the_quarantine_keeps_it() -> None:
    payload = {
        "event": "viewed",
        "properties": {"distinct_id": 42, "n": 1, "$schema_violations": [{"property": "plan"}]},
        "uuid": "u-1",
        "timestamp": "2024-01-01T00:00:00Z",
        "api_key": "phc_x",
    }
    item = quarantined(payload, Answer(REFUSED, 400, detail="no"))
    assert (item.event, item.distinct_id, item.reasons) == ("viewed", "42", "upstream_rejected")
    assert item.properties == {"distinct_id": 42, "n": 1}
    assert item.fields == {"uuid": "u-1", "timestamp": "2024-01-01T00:00:00Z"}
    assert item.violations == [
        {
            "property": "",
            "reason": "upstream_rejected",
            "expected_types": [],
            "actual_value": None,
            "message": "The upstream answered 400: no",
        }
    ]
