"""Flask test client: every page and API route, each error as a clear 4xx, nothing half-stored, text escaped."""
from __future__ import annotations

import csv
import io
import os

import pytest

from web import create_app

from conftest import ANCHOR, DATA

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "MAX_CONTENT_LENGTH": 200_000})


@pytest.fixture
def client(app):
    return app.test_client()


def create(client, **body):
    return client.post("/api/timelines", json={"title": "T", "published": "2025-01-29", "articles": [ARTICLE], **body})


def test_api_create_list_read_delete(client):
    created = create(client)
    assert created.status_code == 201
    timeline_id, events = created.json["id"], created.json["events"]
    assert events == 2
    assert [t["id"] for t in client.get("/api/timelines").json["timelines"]] == [timeline_id]
    body = client.get(f"/api/timelines/{timeline_id}").json
    assert [e["value"] for e in body["events"]] == ["2025-01-27", "2025-01-28"]
    assert body["documents"][0]["published_source"] == "option"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/timelines/{timeline_id}/events.csv").text)))
    assert list(rows[0])[:4] == ["order", "event_id", "start", "end"] and rows[0]["start"] == "2025-01-27"
    assert client.delete(f"/api/timelines/{timeline_id}").status_code == 204
    assert client.get(f"/api/timelines/{timeline_id}").status_code == 404


API_ERRORS = [
    ({"articles": []}, 400, "non-empty list"),
    ({"articles": [{"title": "no text"}]}, 400, "'text'"),
    ({"published": "29/01/2025"}, 400, "not a date"),
    ({"articles": [{"text": "x", "published": "2025-02-30"}]}, 400, "not a date"),
    ({"title": 5}, 400, "'title'"),
]


@pytest.mark.parametrize("body,status,message", API_ERRORS, ids=["empty", "no-text", "bad-default", "bad-field", "title"])
def test_api_create_errors(client, body, status, message):
    response = create(client, **body)
    assert response.status_code == status and message in response.json["error"]
    assert client.get("/api/timelines").json["timelines"] == []


def test_api_not_json(client):
    response = client.post("/api/timelines", data="text", content_type="text/plain")
    assert response.status_code == 415 and "error" in response.json


def test_api_too_large(client):
    response = create(client, articles=[{"text": "x" * 300_000}])
    assert response.status_code == 413 and "larger" in response.json["error"]


def test_api_errors_share_one_shape(client):
    for response in (client.get("/api/timelines/none"), client.delete("/api/timelines/none"),
                     client.get("/api/nothing"), client.put("/api/timelines")):
        assert response.status_code in (404, 405) and set(response.json) == {"error"}


def test_openapi_lists_the_routes(client):
    spec = client.get("/api/openapi.json").json
    assert set(spec["paths"]) == {"/api/timelines", "/api/timelines/{timeline_id}",
                                  "/api/timelines/{timeline_id}/events.csv",
                                  "/api/timelines/{timeline_id}/events/{event_id}",
                                  "/api/timelines/{timeline_id}/edits", "/api/timelines/{timeline_id}/edits/undo",
                                  "/api/jobs/{job_id}", "/api/timelines/{timeline_id}/merge",
                                  "/api/timelines/{timeline_id}/events/{event_id}/split"}


# Modest, so that the suite stays fast; TIMELINE_SCHEMATHESIS_EXAMPLES=200 for a longer hunt.
SCHEMATHESIS_EXAMPLES = int(os.environ.get("TIMELINE_SCHEMATHESIS_EXAMPLES", "8"))


@pytest.mark.parametrize("tokens", [False, True], ids=["open", "tokens"])
def test_openapi_matches_app_with_schemathesis_all_checks(tmp_path, tokens):
    """schemathesis's `--checks all` (every check it has: status codes, headers, schemas, negative data rejected,
    positive accepted, Allow on 405, ignored auth, ...) on valid and invalid data for every operation."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import CHECKS
    from schemathesis.generation.modes import GenerationMode

    from timeline.store import Scope, Store

    # The default upload limit (10 MB): a generated body past a test-sized limit is refused with 413, which
    # schemathesis does not count among the answers to invalid data.
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    headers = {}
    if tokens:
        headers = {"Authorization": f"Bearer {Store(app.config['DATABASE']).create_token(Scope.READ_WRITE)[1]}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    assert ("security" in schema.raw_schema) == tokens
    checks = CHECKS.get_all()
    assert {"negative_data_rejection", "ignored_auth", "unsupported_method", "use_after_free"} <= \
        {c.__name__ for c in checks}
    operations = [operation.ok() for operation in schema.get_all_operations()]
    for op in operations:
        for mode in GenerationMode:
            @settings(max_examples=SCHEMATHESIS_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            @given(case=op.as_strategy(generation_mode=mode, headers=headers))
            def check(case):
                response = case.call()
                assert response.status_code < 500, response.text
                case.validate_response(response, checks=checks, headers=headers)

            check()
    assert len(operations) == 14


def test_list_refuses_an_empty_limit(client):
    # schemathesis (negative_data_rejection): "?limit=" was read as the default; the document says a number.
    for query in ("limit=", "offset="):
        response = client.get(f"/api/timelines?{query}")
        assert response.status_code == 400 and query[:-1] in response.json["error"]


def upload(client, files, **form):
    data = {"title": "Upload", "published": "", "text": "", **form,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/timelines", data=data, content_type="multipart/form-data")


def test_upload_sample_and_show_page(client):
    files = [(p.name, p.read_bytes()) for p in sorted(DATA.glob("*.txt"))]
    response = upload(client, files)
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="chart"' in html and "Dates disagree:" in html
    assert "(date taken from the article&#39;s web address)" in html and 'class="timex"' in html
    assert "(inferred:" not in html and "(option)" not in html and "(header)" not in html  # words, not codes
    assert client.get("/").get_data(as_text=True).count("Upload") >= 1


UPLOAD_ERRORS = [
    ([("a.txt", b"")], {}, "file is empty"),
    ([("a.txt", b"\x00\x01binary")], {}, "binary"),
    ([("a.txt", "Caf\u00e9".encode("latin-1"))], {}, "not UTF-8"),
    ([("a.exe", b"text")], {}, "not a .txt"),
    ([], {}, "no articles"),
    ([], {"text": "on Monday", "published": "tomorrow"}, "not a date"),
]


@pytest.mark.parametrize("files,form,message", UPLOAD_ERRORS, ids=["empty", "binary", "latin1", "exe", "none", "date"])
def test_upload_errors_show_message_and_store_nothing(client, files, form, message):
    response = upload(client, files, **form)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert client.get("/api/timelines").json["timelines"] == []


def test_upload_too_large(client):
    response = upload(client, [("big.txt", b"x" * 300_000)])
    assert response.status_code == 413 and "larger than" in response.get_data(as_text=True)


def test_upload_name_never_becomes_a_path(client, tmp_path):
    response = upload(client, [("../../evil.txt", b"Published: 2025-01-29\n\nIt closed on Monday.")])
    assert response.status_code == 303
    body = client.get("/api/timelines/" + response.headers["Location"].rsplit("/", 1)[1]).json
    assert body["documents"][0]["id"] == "evil"
    assert not (tmp_path.parent / "evil.txt").exists()


def test_article_text_is_escaped(client):
    created = create(client, articles=[{"text": "<script>alert('x')</script> It fell on Monday.", "title": "<b>t</b>"}])
    html = client.get(created.json["url"]).get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html and "<b>t</b>" not in html


def test_downloads(client):
    timeline_id = create(client).json["id"]
    csv_download = client.get(f"/timelines/{timeline_id}/events.csv")
    assert "attachment" in csv_download.headers["Content-Disposition"] and csv_download.text.startswith("order,")
    assert client.get(f"/timelines/{timeline_id}/timelinejs.json").json["events"][0]["start_date"]["day"] == 27
    assert client.get(f"/timelines/{timeline_id}/timeline.json").json["events"][0]["value"] == "2025-01-27"
    assert client.get("/timelines/nope").status_code == 404


def test_store_survives_new_app(tmp_path):
    config = {"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")}
    timeline_id = create(create_app(config).test_client()).json["id"]
    assert create_app(config).test_client().get(f"/api/timelines/{timeline_id}").status_code == 200


def test_plotly_served_locally(client):
    response = client.get("/static/plotly.min.js")
    assert response.status_code == 200 and b"plotly" in response.data[:2000].lower()


@pytest.mark.parametrize("events", [40, 2000])
def test_chart_figure_is_valid_plotly(events):
    """The figure is built as plain data for speed; plotly.graph_objects still has to accept all of it."""
    import plotly.graph_objects as go

    from bench.page import synthetic_timeline
    from web.charts import LARGE, build_figure

    figure = build_figure(synthetic_timeline(events))
    go.Figure(figure)  # raises ValueError on any property plotly does not know
    kinds = {trace["type"] for trace in figure["data"]}
    assert kinds == ({"bar", "scattergl"} if events > LARGE else {"bar", "scatter"})
    assert sum(len(trace["customdata"]) for trace in figure["data"]) == events


@pytest.mark.parametrize("limits, status, named", [
    ({"MAX_ARTICLES": 2}, 413, "more than 2 articles"),
    ({"MAX_CHARACTERS": 100}, 413, "more than 100 characters"),
    ({"MAX_EXPRESSIONS": 3}, 422, "more than 3 dated mentions"),
], ids=["articles", "characters", "expressions"])
def test_api_build_budget_names_the_limit(tmp_path, limits, status, named):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), **limits})
    client = app.test_client()
    articles = [{"id": f"a{i}", "published": "2025-01-29",
                 "text": "Shares fell on Monday. They rose on Tuesday. Markets calmed on Wednesday."} for i in range(3)]
    response = client.post("/api/timelines", json={"articles": articles})
    assert response.status_code == status and named in response.json["error"]
    assert client.get("/api/timelines").json["timelines"] == []  # nothing half-built was stored
    # Within the limits the same request builds.
    assert client.post("/api/timelines", json={"articles": articles[:1]}).status_code == 201


def test_build_budget_stops_a_long_build_by_time():
    from timeline.errors import BudgetExceeded
    from timeline.pipeline import Budget, build_from_documents
    from timeline.types import Document

    documents = [Document(f"d{i}", "Crews repaired the bridge on Monday. " * 50, published=ANCHOR) for i in range(400)]
    with pytest.raises(BudgetExceeded, match="longer than 0.01 seconds") as raised:
        build_from_documents(documents, budget=Budget(seconds=0.01))
    assert raised.value.limit == "seconds" and not raised.value.too_large


def test_openapi_timeline_patch_documents_both_title_and_sharing(client):
    # Two "patch" keys in one dict literal keep only the last: the document once described renaming alone.
    patch = client.get("/api/openapi.json").json["paths"]["/api/timelines/{timeline_id}"]["patch"]
    schema = patch["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"title", "shared"}


def test_readme_gives_the_page_download_paths(app):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    web_api = readme.split("## Web API", 1)[1].split("\n## ", 1)[0]
    paths = [rule.rule.replace("<timeline_id>", "<id>") for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("pages.download_")]
    assert len(paths) == 3
    for path in paths:
        assert f"`GET {path}`" in web_api or f"`GET {path}" in web_api, path
