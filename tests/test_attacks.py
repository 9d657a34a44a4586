"""The findings of an attack on a running server (issue 16's check), each with the payload that broke it."""
from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from timeline.cli import main
from timeline.store import Scope, Store
from web import create_app

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "MAX_CONTENT_LENGTH": 100_000})


@pytest.fixture
def client(app):
    return app.test_client()


def test_oversized_login_shows_no_timelines(app, client):
    store = Store(app.config["DATABASE"])
    secret = store.create_token(Scope.READ_WRITE, "alice")[1]
    made = client.post("/api/timelines", json={"title": "ALICE SECRET PLANS", "published": "2025-01-29",
                                               "articles": [ARTICLE]}, headers={"Authorization": f"Bearer {secret}"})
    assert made.status_code == 201
    response = client.post("/login", data={"token": "x", "next": "/", "pad": "A" * 200_000})
    assert response.status_code == 413
    assert "ALICE SECRET PLANS" not in response.get_data(as_text=True)
    assert made.json["id"] not in response.get_data(as_text=True)


def test_database_is_private_once_tokens_exist(app):
    Store(app.config["DATABASE"]).create_token(Scope.READ, "reader")
    # It holds the key that signs session cookies: nobody but its owner may read it.
    assert stat.S_IMODE(os.stat(app.config["DATABASE"]).st_mode) == 0o600


@pytest.mark.parametrize("target", ["/%09/evil.com", "/%0a/x", "/%0d/x", "//evil.com", "/\\evil.com",
                                    "https://evil.com/", "/%09%09/evil.com/path"])
def test_login_never_redirects_off_site(client, target):
    response = client.get(f"/login?next={target}")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_year_one_publication_date_is_no_server_error(client):
    response = client.post("/api/timelines", json={"published": "0001-01-01", "articles": [
        {"text": "Shares fell on Monday. Tomorrow the board meets. The following day it closed."}]})
    assert response.status_code == 201, response.json


def test_page_parameter_of_thousands_of_digits_is_a_bad_request(client):
    response = client.get("/api/timelines?limit=" + "9" * 5000)
    assert response.status_code == 400 and "limit" in response.json["error"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_json_lacks_are_refused(client, constant):
    body = '{"title": %s, "articles": [{"text": "It fell on Monday."}]}' % constant
    response = client.post("/api/timelines", data=body, content_type="application/json")
    assert response.status_code == 400 and constant.lstrip("-") in response.json["error"]


def test_docx_that_unpacks_to_far_more_is_refused(tmp_path, capsys):
    import docx

    made = docx.Document()
    made.add_paragraph("Shares fell on Monday.")
    plain = io.BytesIO()
    made.save(plain)
    source, bomb = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p><w:r><w:t>Shares fell.</w:t></w:r></w:p>" * 200_000)
            out.writestr(item, data)
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb.getvalue())
    assert main(["build", str(path), "--published", "2025-01-29", "--no-progress"]) == 1
    assert "unpacks to" in capsys.readouterr().err


def test_cli_messages_escape_terminal_controls(tmp_path, capsys):
    corpus = tmp_path / "a.jsonl"
    corpus.write_text('{"id": "x\\u001b]0;PWNED\\u0007\\r\\u001b[2Kfake line", "text": "It fell."}\n', encoding="utf-8")
    assert main(["build", str(corpus), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\r" not in err and "\x07" not in err
    assert "x\\x1b]0;PWNED\\x07\\r\\x1b[2Kfake line" in err


def test_cli_refuses_an_id_with_a_line_break(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Published: 2025-01-29\n\nShares fell on Monday.", encoding="utf-8")
    assert main(["build", str(article), "--database", str(tmp_path / "d.sqlite"), "--id", "nl\n",
                 "--no-progress"]) == 1
    assert "timeline id" in capsys.readouterr().err


def test_cli_refuses_one_file_for_events_and_mentions(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Published: 2025-01-29\n\nShares fell on Monday.", encoding="utf-8")
    same = tmp_path / "x.csv"
    assert main(["build", str(article), "--out", str(same), "--mentions", str(same), "--no-progress"]) == 1
    assert "different files" in capsys.readouterr().err and not same.exists()


def test_upload_with_one_bad_record_keeps_the_good_ones(client):
    corpus = b'{"id": "good", "published": "2025-01-29", "text": "Shares fell on Monday."}\n' \
             b'{"id": "bad", "published": "2025-01-29", "text": "It fell \\ud800 on Monday."}\n'
    response = client.post("/timelines", data={"files": (io.BytesIO(corpus), "c.jsonl")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "skipped" in page.lower() and "surrogate" in page


@pytest.mark.parametrize("where", ["top", "article"])
def test_empty_published_is_no_date_and_refused(client, where):
    # schemathesis: the document says format date, and null is how a client leaves it out.
    body = {"articles": [{"text": "Shares fell on Monday."}]}
    if where == "top":
        body["published"] = ""
    else:
        body["articles"][0]["published"] = ""
    response = client.post("/api/timelines", json=body)
    assert response.status_code == 400 and "published" in response.json["error"]
