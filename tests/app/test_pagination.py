"""pagination.page_params and pagination.links, on hand-built requests."""

from starlette.requests import Request

from eventschema.pagination import Page, links, page_params
from eventschema.settings import Settings

PATH = "/api/projects/1/event_definitions/"


def _request(query: str = "", headers: dict[str, str] | None = None, host: str = "testserver") -> Request:
    raw_headers = [(b"host", host.encode())]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": PATH,
            "raw_path": PATH.encode(),
            "query_string": query.encode(),
            "headers": raw_headers,
            "server": (host, 80),
        }
    )


def _settings(**values: object) -> Settings:
    return Settings(rate_limit_enabled=False, **values)


def test_page_params_defaults() -> None:
    assert page_params(_request(), _settings()) == Page(limit=100, offset=0)


def test_page_params_valid_values() -> None:
    assert page_params(_request("limit=5&offset=10"), _settings()) == Page(limit=5, offset=10)
    assert page_params(_request("limit=1000"), _settings()) == Page(limit=1000, offset=0)


def test_page_params_invalid_values_fall_back() -> None:
    for query in ("limit=0", "limit=-5", "limit=abc", "limit=", "limit=1.5", "offset=-1", "offset=x", "offset="):
        assert page_params(_request(query), _settings()) == Page(limit=100, offset=0), query


def test_page_params_caps_the_limit() -> None:
    assert page_params(_request("limit=1001"), _settings()) == Page(limit=1000, offset=0)
    assert page_params(_request("limit=10**9"), _settings()) == Page(limit=100, offset=0)
    assert page_params(_request("limit=999999999999"), _settings()) == Page(limit=1000, offset=0)
    assert page_params(_request("limit=80"), _settings(page_size_max=50)) == Page(limit=50, offset=0)


def test_first_page() -> None:
    assert links(_request(), _settings(), Page(100, 0), 250) == (f"http://testserver{PATH}?limit=100&offset=100", None)


def test_middle_page() -> None:
    next_url, previous_url = links(_request("offset=100"), _settings(), Page(100, 100), 250)

    assert next_url == f"http://testserver{PATH}?limit=100&offset=200"
    assert previous_url == f"http://testserver{PATH}?limit=100"


def test_last_page() -> None:
    next_url, previous_url = links(_request("offset=200&limit=100"), _settings(), Page(100, 200), 250)

    assert next_url is None
    assert previous_url == f"http://testserver{PATH}?limit=100&offset=100"


def test_previous_drops_the_offset_when_it_would_not_be_positive() -> None:
    assert links(_request("offset=50"), _settings(), Page(100, 50), 250)[1] == f"http://testserver{PATH}?limit=100"
    assert links(_request("offset=150"), _settings(), Page(100, 150), 250)[1] == (
        f"http://testserver{PATH}?limit=100&offset=50"
    )


def test_a_single_page_has_no_links() -> None:
    assert links(_request(), _settings(), Page(100, 0), 100) == (None, None)
    assert links(_request(), _settings(), Page(100, 0), 0) == (None, None)


def test_other_parameters_are_kept_and_sorted() -> None:
    request = _request("search=a%20b&offset=2&event_definition=x&limit=2")

    next_url, previous_url = links(request, _settings(), Page(2, 2), 10)

    assert next_url == f"http://testserver{PATH}?event_definition=x&limit=2&offset=4&search=a+b"
    assert previous_url == f"http://testserver{PATH}?event_definition=x&limit=2&search=a+b"


def test_the_host_as_the_client_sent_it() -> None:
    request = _request(host="registry.example.com:8080")

    assert links(request, _settings(), Page(1, 0), 2)[0] == f"http://registry.example.com:8080{PATH}?limit=1&offset=1"


def test_forwarded_headers_are_ignored_by_default() -> None:
    request = _request(headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example.com"})

    assert links(request, _settings(), Page(1, 0), 2)[0] == f"http://testserver{PATH}?limit=1&offset=1"


def test_forwarded_headers_are_honoured_when_trusted() -> None:
    request = _request(headers={"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "public.example.com, proxy"})

    next_url = links(request, _settings(trust_proxy_headers=True), Page(1, 0), 2)[0]

    assert next_url == f"https://public.example.com{PATH}?limit=1&offset=1"


def test_trusted_proxy_without_forwarded_headers() -> None:
    next_url = links(_request(), _settings(trust_proxy_headers=True), Page(1, 0), 2)[0]

    assert next_url == f"http://testserver{PATH}?limit=1&offset=1"
