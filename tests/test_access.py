"""Access control on a real SQLite file: tokens made by the CLI and stored hashed, Bearer on /api (401/403), the
login form and its cookie on pages, timelines owned by their token unless shared, serve refusing to go off
loopback without a token."""
from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from timeline.cli import main
from timeline.store import Scope, Store
from web import create_app

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}
BODY = {"title": "T", "published": "2025-01-29", "articles": [ARTICLE]}


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "t.sqlite")


@pytest.fixture
def app(database):
    return create_app({"TESTING": True, "DATABASE": database, "MAX_CONTENT_LENGTH": 200_000})


@pytest.fixture
def client(app):
    return app.test_client()


def make_token(database: str, scope: str, name: str = "") -> str:
    token, secret = Store(database).create_token(Scope(scope), name)
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def create(client, secret: str | None = None, headers: dict | None = None, **body):
    return client.post("/api/timelines", json={**BODY, **body},
                       headers={**(bearer(secret) if secret else {}), **(headers or {})})


def test_token_create_prints_secret_once_and_stores_only_its_hash(database, capsys):
    assert main(["token", "create", "--scope", "read", "--name", "newsroom", "--database", database]) == 0
    out, err = capsys.readouterr()
    secret = out.strip()
    assert len(secret) >= 40 and "shown only now" in err and secret not in err
    with sqlite3.connect(database) as db:
        token_id, stored, scope = db.execute("SELECT id, hash, scope FROM tokens").fetchone()
    assert stored == hashlib.sha256(secret.encode()).hexdigest() and scope == "read"
    raw = b"".join(open(database + suffix, "rb").read() for suffix in ("", "-wal")
                   if os.path.exists(database + suffix))
    assert secret.encode() not in raw
    assert main(["token", "list", "--database", database]) == 0
    listed = capsys.readouterr().out.strip().split("\t")
    assert listed[:3] == [token_id, "read", "newsroom"] and listed[-1] == "live" and secret not in "".join(listed)
    assert main(["token", "revoke", token_id, "--database", database]) == 0
    assert "no live token is left" in capsys.readouterr().err
    assert main(["token", "list", "--database", database]) == 0
    assert capsys.readouterr().out.strip().split("\t")[-1].startswith("revoked ")
    assert main(["token", "revoke", token_id, "--database", database]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_token_create_refuses_an_unknown_scope(database, capsys):
    with pytest.raises(SystemExit):
        main(["token", "create", "--scope", "admin", "--database", database])
    assert "invalid choice" in capsys.readouterr().err


def test_without_tokens_the_api_is_open(client):
    assert create(client).status_code == 201
    assert client.get("/api/timelines").status_code == 200
    assert "security" not in client.get("/api/openapi.json").json


def test_api_needs_a_bearer_token_once_one_exists(client, database):
    timeline_id = create(client).json["id"]
    secret = make_token(database, "read-write")
    for response in (client.get("/api/timelines"), client.get(f"/api/timelines/{timeline_id}"),
                     client.delete(f"/api/timelines/{timeline_id}"), create(client),
                     client.get("/api/timelines", headers={"Authorization": f"Basic {secret}"})):
        assert response.status_code == 401 and set(response.json) == {"error"}
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="timeline"'
    wrong = client.get("/api/timelines", headers=bearer(secret[:-1] + ("x" if secret[-1] != "x" else "y")))
    assert wrong.status_code == 401 and 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    assert client.get("/api/timelines", headers=bearer(secret)).status_code == 200
    spec = client.get("/api/openapi.json")  # the description stays readable, and now says a token is needed
    assert spec.status_code == 200 and spec.json["security"] == [{"bearerAuth": []}]
    assert spec.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_read_token_reads_but_cannot_write(client, database):
    writer, reader = make_token(database, "read-write"), make_token(database, "read")
    timeline_id = create(client, writer).json["id"]
    assert client.patch(f"/api/timelines/{timeline_id}", json={"shared": True}, headers=bearer(writer)).status_code == 200
    assert client.get(f"/api/timelines/{timeline_id}", headers=bearer(reader)).status_code == 200
    refused = [create(client, reader), client.delete(f"/api/timelines/{timeline_id}", headers=bearer(reader)),
               client.patch(f"/api/timelines/{timeline_id}", json={"shared": False}, headers=bearer(reader))]
    for response in refused:
        assert response.status_code == 403 and "may only read" in response.json["error"]
    assert client.put("/api/timelines", headers=bearer(reader)).status_code == 405  # unknown methods stay 405
    assert len(client.get("/api/timelines", headers=bearer(writer)).json["timelines"]) == 1


def test_revoked_token_is_refused_and_access_control_stays_on(client, database):
    secret = make_token(database, "read-write")
    token_id = Store(database).tokens()[0].id
    assert client.get("/api/timelines", headers=bearer(secret)).status_code == 200
    assert Store(database).revoke_token(token_id)
    assert client.get("/api/timelines", headers=bearer(secret)).status_code == 401
    assert client.get("/api/timelines").status_code == 401  # no live token left: nothing is let in, not everything


def test_timelines_belong_to_their_token_unless_shared(client, database):
    alice, bob = make_token(database, "read-write", "alice"), make_token(database, "read-write", "bob")
    reader = make_token(database, "read")
    mine = create(client, alice).json["id"]
    theirs = create(client, bob).json["id"]
    listed = client.get("/api/timelines", headers=bearer(bob)).json
    assert [t["id"] for t in listed["timelines"]] == [theirs] and listed["total"] == 1
    assert listed["timelines"][0]["shared"] is False and listed["timelines"][0]["owner"]
    for response in (client.get(f"/api/timelines/{mine}", headers=bearer(bob)),
                     client.get(f"/api/timelines/{mine}/events.csv", headers=bearer(bob)),
                     client.delete(f"/api/timelines/{mine}", headers=bearer(bob)),
                     client.patch(f"/api/timelines/{mine}", json={"shared": True}, headers=bearer(bob))):
        assert response.status_code == 404, response.json  # not told apart from a missing timeline
    shared = client.patch(f"/api/timelines/{mine}", json={"shared": True}, headers=bearer(alice))
    assert shared.status_code == 200 and shared.json["shared"] is True and shared.json["id"] == mine
    assert {t["id"] for t in client.get("/api/timelines", headers=bearer(bob)).json["timelines"]} == {mine, theirs}
    assert client.get(f"/api/timelines/{mine}", headers=bearer(reader)).json["title"] == "T"
    assert client.get(f"/api/timelines/{mine}/events.csv", headers=bearer(bob)).status_code == 200
    not_owner = client.delete(f"/api/timelines/{mine}", headers=bearer(bob))
    assert not_owner.status_code == 403 and "another token" in not_owner.json["error"]
    assert client.patch(f"/api/timelines/{mine}", json={"shared": False}, headers=bearer(bob)).status_code == 403
    assert client.patch(f"/api/timelines/{mine}", json={"shared": False}, headers=bearer(alice)).json["shared"] is False
    assert client.get(f"/api/timelines/{mine}", headers=bearer(bob)).status_code == 404
    assert client.delete(f"/api/timelines/{mine}", headers=bearer(alice)).status_code == 204
    assert client.get(f"/api/timelines/{theirs}", headers=bearer(bob)).status_code == 200


def test_timeline_made_without_a_token_belongs_to_the_team(client, database):
    team = create(client).json["id"]  # before tokens (or by `timeline build --database`)
    alice, reader = make_token(database, "read-write"), make_token(database, "read")
    assert [t["owner"] for t in client.get("/api/timelines", headers=bearer(reader)).json["timelines"]] == [None]
    assert client.get(f"/api/timelines/{team}", headers=bearer(reader)).status_code == 200
    assert client.delete(f"/api/timelines/{team}", headers=bearer(alice)).status_code == 204


@pytest.mark.parametrize("body,message", [({}, "'shared'"), ({"shared": "yes"}, "'shared'"), ({"shared": 1}, "'shared'"),
                                          ({"shared": True, "owner": "x"}, "'owner'"), ([True], "object")],
                         ids=["missing", "string", "number", "other-field", "array"])
def test_share_validates_its_body(client, body, message):
    timeline_id = create(client).json["id"]
    response = client.patch(f"/api/timelines/{timeline_id}", json=body)
    assert response.status_code == 400 and message in response.json["error"]
    assert client.patch(f"/api/timelines/{timeline_id}", data="x").status_code == 415


def test_idempotency_keys_belong_to_their_token(client, database):
    alice, bob = make_token(database, "read-write"), make_token(database, "read-write")
    key = {"Idempotency-Key": "same-key"}
    first = create(client, alice, headers=key)
    again = create(client, alice, headers=key)
    other = create(client, bob, headers=key)
    assert first.json["id"] == again.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 201 and other.json["id"] != first.json["id"] and "Idempotent-Replayed" not in other.headers
    conflict = create(client, alice, headers=key, title="another body")
    assert conflict.status_code == 409 and "'same-key'" in conflict.json["error"]


def login(client, secret: str, next_path: str = "/", **headers):
    return client.post("/login", data={"token": secret, "next": next_path}, headers=headers)


def test_pages_sit_behind_the_login_form(client, database):
    secret = make_token(database, "read-write", "alice")
    first = client.get("/timelines/abc/events.csv")
    assert first.status_code == 303 and first.headers["Location"] == "/login?next=/timelines/abc/events.csv"
    form = client.get("/login")
    assert form.status_code == 200 and 'name="token"' in form.get_data(as_text=True)
    assert "Content-Security-Policy" in form.headers
    upload = {"title": "x", "text": "It closed on Monday.", "published": "2025-01-29"}
    assert client.post("/timelines", data=upload).status_code == 401
    wrong = login(client, "not-a-token")
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.get_data(as_text=True)
    assert client.get("/").status_code == 303
    signed_in = login(client, secret)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/"
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("timeline_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert secret not in cookie
    page = client.get("/")
    assert page.status_code == 200 and "signed in as alice" in page.get_data(as_text=True)
    made = client.post("/timelines", data=upload)
    assert made.status_code == 303
    timeline_id = made.headers["Location"].rsplit("/", 1)[1]
    assert Store(database).info(timeline_id).owner == Store(database).tokens()[0].id
    assert client.get(f"/timelines/{timeline_id}").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 303


def test_login_cookie_is_signed_and_follows_revocation(app, client, database):
    secret = make_token(database, "read-write")
    login(client, secret)
    assert client.get("/").status_code == 200
    forged = app.test_client()
    forged.set_cookie("timeline_session", "eyJ0b2tlbiI6ImFiYyJ9.forged.signature", domain="localhost")
    assert forged.get("/").status_code == 303
    Store(database).revoke_token(Store(database).tokens()[0].id)
    assert client.get("/").status_code == 303  # the open session ends with its token


def test_read_session_cannot_upload_and_sees_only_what_it_may(client, database):
    alice, reader = make_token(database, "read-write"), make_token(database, "read")
    private = create(client, alice, title="private").json["id"]
    login(client, reader)
    assert "private" not in client.get("/").get_data(as_text=True)
    assert client.get(f"/timelines/{private}").status_code == 404
    upload = {"title": "x", "text": "It closed on Monday.", "published": "2025-01-29"}
    assert client.post("/timelines", data=upload).status_code == 403


def test_login_is_guarded_against_cross_site_posts_and_open_redirects(client, database):
    secret = make_token(database, "read")
    assert login(client, secret, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.get("/").status_code == 303  # the cross-site login did not sign anyone in
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert login(client, secret, next_path=target).headers["Location"] == "/"
    assert login(client, secret, next_path="/timelines/x").headers["Location"] == "/timelines/x"


def test_session_key_is_shared_through_the_database_or_set_by_environment(database, monkeypatch):
    secret = make_token(database, "read")
    one, two = (create_app({"TESTING": True, "DATABASE": database}) for _ in range(2))
    assert one.secret_key and one.secret_key == two.secret_key  # two workers accept each other's cookies
    client = one.test_client()
    login(client, secret)
    cookie = client.get_cookie("timeline_session").value
    other = two.test_client()
    other.set_cookie("timeline_session", cookie, domain="localhost")
    assert other.get("/").status_code == 200
    monkeypatch.setenv("TIMELINE_SECRET_KEY", "from-the-environment")
    assert create_app({"TESTING": True, "DATABASE": database}).secret_key == "from-the-environment"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_off_loopback_refuses_to_start_without_a_token(database):
    result = subprocess.run([sys.executable, "-m", "timeline.cli", "serve", "--host", "0.0.0.0", "--port",
                             str(free_port()), "--database", database], capture_output=True, text=True, timeout=60)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert "needs an access token" in lines[0] and f"timeline token create --scope read-write --database {database}" \
        in lines[0]
    Store(database).revoke_token(Store(database).create_token(Scope.READ)[0].id)  # revoked tokens do not count
    again = subprocess.run([sys.executable, "-m", "timeline.cli", "serve", "--host", "0.0.0.0", "--port",
                            str(free_port()), "--database", database], capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "needs an access token" in again.stderr


def test_curation_is_the_owners_alone(client, database):
    owner, other = make_token(database, "read-write"), make_token(database, "read-write")
    timeline_id = create(client, owner).json["id"]
    event_id = client.get(f"/api/timelines/{timeline_id}", headers=bearer(owner)).json["events"][0]["event_id"]
    edits = [("patch", f"/api/timelines/{timeline_id}/events/{event_id}", {"summary": "rewritten"}),
             ("delete", f"/api/timelines/{timeline_id}/events/{event_id}", None),
             ("patch", f"/api/timelines/{timeline_id}", {"title": "renamed"}),
             ("post", f"/api/timelines/{timeline_id}/edits/undo", None)]
    for method, url, body in edits:  # not shared: another token does not even see it
        assert getattr(client, method)(url, json=body, headers=bearer(other)).status_code == 404, url
    assert client.patch(f"/api/timelines/{timeline_id}", json={"shared": True}, headers=bearer(owner)).status_code == 200
    for method, url, body in edits:  # shared: it sees it, and may not change it
        assert getattr(client, method)(url, json=body, headers=bearer(other)).status_code == 403, url
    assert client.get(f"/api/timelines/{timeline_id}/edits", headers=bearer(owner)).json["edits"] == []
    renamed = client.patch(f"/api/timelines/{timeline_id}", json={"title": "renamed"}, headers=bearer(owner))
    assert renamed.status_code == 200 and renamed.json["title"] == "renamed" and renamed.json["shared"] is True
