"""Hardening of the web app through the Flask test client on a real SQLite file: each test sends the payload
that broke it (issue 16) and checks the answer: escaping, CSRF, Host, headers, JSON errors, storage faults,
validation, pagination, idempotency."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from web import create_app

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}
XSS_URL = "javascript:alert(document.domain)"
HTML_TEXT = ('Acme "Quoted" <a href="javascript:alert(1)">Click</a> <img src=x onerror=alert(2)> shares fell on '
             'Monday. It rose on Tuesday.')
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "MAX_CONTENT_LENGTH": 200_000,
                       "DATABASE_TIMEOUT": 0.2})


@pytest.fixture
def client(app):
    return app.test_client()


def create(client, headers=None, **body):
    return client.post("/api/timelines", headers=headers or {},
                       json={"title": "T", "published": "2025-01-29", "articles": [ARTICLE], **body})


URLS = [
    (XSS_URL, False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,<b>", False),
    ("vbscript:msgbox", False), ("//evil.example/x", False), ("https://news.example/a?b=1&c=2", True),
    ("http://news.example/a", True),
]


@pytest.mark.parametrize("url,linked", URLS, ids=[u for u, _ in URLS])
def test_show_links_only_http_urls(client, url, linked):
    timeline_id = create(client, articles=[{**ARTICLE, "url": url}]).json["id"]
    html = client.get(f"/timelines/{timeline_id}").get_data(as_text=True)
    links = [line for line in html.splitlines() if ">source</a>" in line]
    assert bool(links) == linked
    assert "javascript:" not in " ".join(links).lower() and 'href="data:' not in html


def test_timelinejs_escapes_title_and_headlines(client):
    timeline_id = create(client, title="<img src=x onerror=alert(1)>", articles=[{**ARTICLE, "text": HTML_TEXT}]).json["id"]
    data = client.get(f"/timelines/{timeline_id}/timelinejs.json").json
    texts = [data["title"]["text"]["headline"]] + [v for e in data["events"] for v in (e["text"]["headline"],
                                                                                      e["text"]["text"])]
    assert data["title"]["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert not any("<a " in t or "<img" in t for t in texts)
    assert any("&lt;a href=&quot;javascript:alert(1)&quot;&gt;" in t for t in texts)


def test_chart_labels_escaped_once_for_plotly(client):
    from web.charts import escape_label

    assert escape_label('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    timeline_id = create(client, articles=[{**ARTICLE, "text": HTML_TEXT}]).json["id"]
    html = client.get(f"/timelines/{timeline_id}").get_data(as_text=True)
    figure = json.loads(html.split('id="figure">', 1)[1].split("</script>", 1)[0])
    shown = [label for trace in figure["data"] for label in trace["y"]]
    shown += [cell for trace in figure["data"] for row in trace["customdata"] for cell in row[:5]]
    assert not any("<a" in s or "<img" in s for s in shown)
    assert any('"Quoted"' in s for s in shown) and not any("&quot;" in s for s in shown)


def test_every_response_has_security_headers(client):
    timeline_id = create(client).json["id"]
    for path in ("/", f"/timelines/{timeline_id}", "/api/timelines", "/api/nothing", "/static/timeline.js",
                 f"/timelines/{timeline_id}/events.csv"):
        response = client.get(path)
        assert all(name in response.headers for name in SECURITY_HEADERS), path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client):
    timeline_id = create(client).json["id"]
    for path in ("/", f"/timelines/{timeline_id}"):
        html = client.get(path).get_data(as_text=True)
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, opening


CROSS_SITE = [
    {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://evil.example"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "null"},
    {"Origin": "http://localhost.evil.example"},
]


@pytest.mark.parametrize("headers", CROSS_SITE, ids=["both", "origin", "same-site", "null-origin", "lookalike"])
def test_cross_site_requests_are_refused(client, headers):
    form = {"title": "csrf", "text": "It closed on Monday.", "published": "2025-01-29"}
    assert client.post("/timelines", data=form, headers=headers).status_code == 403
    assert create(client, headers=headers).status_code == 403
    timeline_id = create(client).json["id"]
    assert client.delete(f"/api/timelines/{timeline_id}", headers=headers).status_code == 403
    assert [t["id"] for t in client.get("/api/timelines").json["timelines"]] == [timeline_id]


def test_same_origin_form_is_accepted(client):
    form = {"title": "mine", "text": "It closed on Monday.", "published": "2025-01-29"}
    response = client.post("/timelines", data=form, headers={"Origin": "http://localhost",
                                                             "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 303


@pytest.mark.parametrize("host,status", [("evil.example", 400), ("rebind.attacker.test:5000", 400),
                                         ("localhost:5000", 200), ("127.0.0.1", 200), ("[::1]:5000", 200)])
def test_host_allow_list(client, host, status):
    assert client.get("/api/timelines", headers={"Host": host}).status_code == status


def test_host_allow_list_is_configurable(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "ALLOWED_HOSTS": ["team.example"]})
    assert app.test_client().get("/", headers={"Host": "team.example"}).status_code == 200
    assert app.test_client().get("/", headers={"Host": "localhost"}).status_code == 400


def test_405_carries_allow_and_json(client):
    response = client.put("/api/timelines")
    assert response.status_code == 405 and set(response.json) == {"error"}
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert "Allow" in client.put("/").headers


def test_api_500_is_json_without_traceback(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "t.sqlite")})  # not TESTING: errors are handled, not raised

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret /srv/path")

    response = app.test_client().get("/api/boom")
    assert response.status_code == 500 and response.json == {"error": "internal error"}


SURROGATES = [
    {"title": "\ud800"},
    {"articles": [{"text": "Shares fell on Monday \udfff."}]},
    {"articles": [{**ARTICLE, "id": "\ud83d"}]},
    {"articles": [{**ARTICLE, "url": "https://x.example/\udc00"}]},
    {"articles": [{**ARTICLE, "title": "a\ud800b"}]},
    {"extra": {"\ud800": 1}},
]


@pytest.mark.parametrize("body", SURROGATES, ids=["title", "text", "id", "url", "article-title", "key"])
def test_lone_surrogates_are_400(client, body):
    payload = json.dumps({"published": "2025-01-29", "articles": [ARTICLE], **body})  # ensure_ascii: \ud800
    response = client.post("/api/timelines", data=payload, content_type="application/json")
    assert response.status_code == 400 and "surrogate" in response.json["error"]
    assert client.get("/api/timelines").json["timelines"] == []


def test_lone_surrogate_in_uploaded_jsonl_is_400(client):
    line = b'{"id": "x", "published": "2025-01-29", "text": "Fell on Monday \\ud800."}\n'
    response = client.post("/timelines", data={"files": [(io.BytesIO(line), "a.jsonl")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "surrogate" in response.get_data(as_text=True)


@pytest.mark.parametrize("depth", [40, 1000, 50_000])
def test_deeply_nested_json_is_400(client, depth):
    payload = '{"articles": [' + "[" * depth + "]" * depth + "]}"
    response = client.post("/api/timelines", data=payload, content_type="application/json")
    assert response.status_code == 400 and "nested" in response.json["error"]


BAD_FIELDS = [
    ({"title": {}}, "title", "must be a string"),
    ({"title": []}, "title", "must be a string"),
    ({"title": False}, "title", "must be a string"),
    ({"title": "x" * 501}, "title", "longer than 500"),
    ({"published": 20250129}, "published", "must be a string"),
    ({"published": "2025-01-29 junk"}, "published", "not a date"),
    ({"articles": [{**ARTICLE, "id": {"a": 1}}]}, "articles[0].id", "must be a string"),
    ({"articles": [{**ARTICLE, "id": 7}]}, "articles[0].id", "must be a string"),
    ({"articles": [{**ARTICLE, "published": 2025}]}, "articles[0].published", "must be a string"),
    ({"articles": [{**ARTICLE, "published": "2025-01-29 junk"}]}, "articles[0].published", "not a date"),
    ({"articles": [{**ARTICLE, "url": ["x"]}]}, "articles[0].url", "must be a string"),
    ({"articles": [{**ARTICLE, "text": 5}]}, "articles[0].text", "non-empty 'text'"),
    ({"articles": ["text"]}, "articles[0]", "must be an object"),
    ({"articles": {"text": "x"}}, "articles", "non-empty list"),
]


@pytest.mark.parametrize("body,field,message", BAD_FIELDS, ids=[f"{f}-{m}-{i}" for i, (_, f, m) in enumerate(BAD_FIELDS)])
def test_api_validates_types_naming_the_field(client, body, field, message):
    response = create(client, **body)
    assert response.status_code == 400, response.json
    assert response.json["error"].startswith(field + ":") and message in response.json["error"]
    assert client.get("/api/timelines").json["timelines"] == []


def test_api_accepts_iso_datetime_and_null_optional_fields(client):
    response = create(client, title=None, articles=[{**ARTICLE, "published": "2025-01-29T10:00:00Z", "url": None}])
    assert response.status_code == 201


def test_duplicate_article_ids_are_made_unique(client):
    articles = [{**ARTICLE, "id": "a"}, {**ARTICLE, "id": "a"}, {**ARTICLE, "id": "a-2"}, {**ARTICLE, "id": "a"}]
    response = create(client, articles=articles)
    assert response.status_code == 201, response.json
    ids = [d["id"] for d in client.get(f"/api/timelines/{response.json['id']}").json["documents"]]
    assert ids == ["a", "a-3", "a-2", "a-4"]


def test_duplicate_file_names_in_upload_are_made_unique(client):
    files = [(io.BytesIO(b"Published: 2025-01-29\n\nIt closed on Monday."), name)
             for name in ("a.txt", "a.txt", "a-2.txt")]
    response = client.post("/timelines", data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 303


def test_list_pagination_keeps_shape(client):
    ids = {create(client, title=f"T{i}").json["id"] for i in range(5)}
    whole = client.get("/api/timelines").json
    assert {t["id"] for t in whole["timelines"]} == ids and whole["total"] == 5 and whole["next_offset"] is None
    assert set(whole["timelines"][0]) == {"id", "title", "created", "events", "documents"}
    first = client.get("/api/timelines?limit=2").json
    second = client.get("/api/timelines?limit=2&offset=2").json
    last = client.get("/api/timelines?limit=2&offset=4").json
    assert len(first["timelines"]) == 2 and first["next_offset"] == 2 and last["next_offset"] is None
    assert [t["id"] for t in first["timelines"] + second["timelines"] + last["timelines"]] == \
        [t["id"] for t in whole["timelines"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=abc", "limit=100000", "offset=-3", "offset=1e3",
                                   "offset=9223372036854775808", "limit=\u0661"])
def test_list_pagination_refuses_bad_params(client, query):
    response = client.get(f"/api/timelines?{query}")
    assert response.status_code == 400 and query.split("=")[0] in response.json["error"]


def test_idempotency_key_replays_the_first_answer(client):
    key = {"Idempotency-Key": "4f1c2b7e-retry"}
    first, again = create(client, headers=key), create(client, headers=key)
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get("/api/timelines").json["timelines"]) == 1
    other = create(client, headers=key, title="another body")
    assert other.status_code == 409 and "Idempotency-Key" in other.json["error"]
    assert create(client, headers={"Idempotency-Key": "x" * 300}).status_code == 400
    assert len(client.get("/api/timelines").json["timelines"]) == 1


@pytest.fixture
def locked(app):
    """The database held by another process's exclusive lock, past the app's timeout."""
    holder = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM idempotency_keys")  # a write: the lock is taken now
    yield
    holder.execute("ROLLBACK")
    holder.close()


def test_locked_database_is_503_not_404(app, client, locked):
    requests = [client.get("/api/timelines/abc"), client.get("/api/timelines"), client.delete("/api/timelines/abc"),
                client.get("/api/timelines/abc/events.csv"), create(client)]
    for response in requests:
        assert response.status_code == 503 and response.headers["Retry-After"].isdigit(), response.json
        assert set(response.json) == {"error"} and app.config["DATABASE"] not in response.json["error"]
        assert ".sqlite" not in response.json["error"]
    for page in (client.get("/"), client.get("/timelines/abc")):
        assert page.status_code == 503 and "try again" in page.get_data(as_text=True)


def test_locked_database_stored_timeline_survives(app, client):
    timeline_id = create(client).json["id"]
    holder = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM idempotency_keys")
    assert client.get(f"/api/timelines/{timeline_id}").status_code == 503
    holder.execute("ROLLBACK")
    holder.close()
    assert client.get(f"/api/timelines/{timeline_id}").status_code == 200


FORMULAS = ["=2+5+cmd|' /C calc'!A0", "b\r=2+5+cmd|' /C calc'!A0", "x\n@SUM(A1)", " =1+1", "\t=1", "-2+3",
            "+cmd", "a;=HYPERLINK(\"http://evil\")"]


def test_csv_download_neutralizes_formulas_everywhere(client):
    articles = [{"id": payload, "title": payload, "text": f"{payload} The mill closed on Monday."}
                for payload in FORMULAS]
    created = create(client, articles=articles).json
    timeline_id = created["id"]
    for path in (f"/api/timelines/{timeline_id}/events.csv", f"/timelines/{timeline_id}/events.csv"):
        text = client.get(path).get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert len(rows) == 1 + created["events"] and len({len(r) for r in rows}) == 1  # no row broken by a CR or LF
        for cell in (c for row in rows for c in row):
            for part in cell.replace("\r", "\n").replace(";", "\n").split("\n"):
                assert not part.lstrip(" ").startswith(("=", "+", "-", "@", "\t")), cell
