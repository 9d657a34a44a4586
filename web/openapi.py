"""The OpenAPI 3 document of the JSON API (checked against the routes by schemathesis in the tests)."""
from __future__ import annotations

import copy

from timeline.filters import FALSE_WORDS, LEVEL_PATTERN, QUERY_CHARS, TRUE_WORDS

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
UNAVAILABLE = {"description": "database busy or unavailable; retry after Retry-After seconds",
               "headers": {"Retry-After": {"schema": {"type": "integer"}}}, **ERROR_RESPONSE}
REFUSED = {"description": "cross-site request (Origin / Sec-Fetch-Site) or a Host not served", **ERROR_RESPONSE}
UNAUTHENTICATED = {"description": "tokens are on and the request has none, or an unknown or revoked one",
                   "headers": {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
                   **ERROR_RESPONSE}
FORBIDDEN = {"description": "cross-site request, a read-only token asking to write, or another token's timeline",
             **ERROR_RESPONSE}
NOT_FOUND = {"description": "no such timeline (or another token's, not shared)", **ERROR_RESPONSE}
# Whose timelines a token sees: its own, shared ones and those made without a token.
TIMELINE_INFO = {"type": "object", "required": ["id", "title", "created", "events", "documents"],
                 "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "created": {"type": "string"},
                                "events": {"type": "integer"}, "documents": {"type": "integer"},
                                "owner": {"type": "string", "nullable": True,
                                          "description": "id of the token that made it; null: made without one "
                                                         "(owner and shared: only once tokens are on)"},
                                "shared": {"type": "boolean"}}}
UNRESOLVED = {"type": "object", "properties": {"document": {"type": "string"}, "phrase": {"type": "string"},
                                              "sentence": {"type": "string"}, "reason": {"type": "string"}}}
SKIPPED = {"type": "object", "properties": {"path": {"type": "string"}, "line": {"type": "integer", "nullable": True},
                                           "reason": {"type": "string"}}}
EDIT = {"type": "object", "required": ["seq", "action", "undone"],
        "properties": {"seq": {"type": "integer"}, "action": {"type": "string",
                                                              "enum": ["delete", "redate", "reword", "rename",
                                                                       "merge", "split"]},
                       "event_id": {"type": "string", "nullable": True}, "fields": {"type": "object"},
                       "created": {"type": "string"}, "undone": {"type": "boolean"}}}
JOB = {"type": "object", "required": ["job", "url", "status", "progress"],
       "properties": {"job": {"type": "string"}, "url": {"type": "string"}, "title": {"type": "string"},
                      "status": {"type": "string", "enum": ["queued", "running", "done", "failed", "cancelled"]},
                      "stage": {"type": "string", "enum": ["waiting", "tagging", "merging", "saving", "finished"]},
                      "progress": {"type": "object", "required": ["done", "total"],
                                   "description": "articles tagged of the total",
                                   "properties": {"done": {"type": "integer"}, "total": {"type": "integer"}}},
                      "timeline": {"type": "string", "nullable": True, "description": "its id once done"},
                      "timeline_url": {"type": "string", "nullable": True},
                      "error": {"type": "string", "nullable": True, "description": "why it failed"},
                      "created": {"type": "string"}, "updated": {"type": "string"}}}
JOB_ID = {"name": "job_id", "in": "path", "required": True,
          "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}
TIMELINE_ID = {"name": "timeline_id", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "timeline API", "version": "1.1.0",
             "description": "Build dated, ordered, sourced timelines from news articles. Once a token exists "
                            "(`timeline token create`), every operation needs `Authorization: Bearer <token>`; "
                            "this document then lists that requirement."},
    "paths": {
        "/api/timelines": {
            "post": {
                "summary": "Build and store the timeline of some articles",
                "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                "description": "a retry with the same key and body answers as the first request "
                                               "did (header Idempotent-Replayed: true); another body, 409",
                                "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"}}],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewTimeline"}}}},
                "responses": {
                    "201": {"description": "created", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["id", "events"],
                        "properties": {"id": {"type": "string"}, "events": {"type": "integer"},
                                       "url": {"type": "string"},
                                       "unresolved": {"type": "array", "items": UNRESOLVED,
                                                      "description": "date phrases that could not be placed"},
                                       "skipped": {"type": "array", "items": SKIPPED},
                                       "undated_documents": {"type": "array", "items": {"type": "string"},
                                                             "description": "articles with no publication "
                                                                            "date: their relative phrases "
                                                                            "stay unplaced"}}}}}},
                    "202": {"description": "accepted: the articles are more than TIMELINE_JOB_THRESHOLD characters, "
                                           "so they are built in the background; poll the job's url",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": {
                                "type": "object", "required": ["job", "url"],
                                "properties": {"job": {"type": "string"}, "url": {"type": "string"},
                                               "status": {"type": "string"}}}}}},
                    "400": {"description": "bad input", **ERROR_RESPONSE},
                    "413": {"description": "too large: more articles or characters than the server's limits",
                            **ERROR_RESPONSE},
                    "422": {"description": "too costly: more dated mentions or build seconds than the server's "
                                           "limits", **ERROR_RESPONSE},
                    "401": UNAUTHENTICATED,
                    "403": FORBIDDEN,
                    "415": {"description": "not JSON", **ERROR_RESPONSE},
                    "409": {"description": "Idempotency-Key reused with another body", **ERROR_RESPONSE},
                    "503": UNAVAILABLE,
                },
            },
            "get": {
                "summary": "List stored timelines, newest first, a page at a time",
                "parameters": [
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}},
                    {"name": "offset", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}}],
                "responses": {"200": {"description": "the timelines", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["timelines"],
                    "properties": {"timelines": {"type": "array", "items": TIMELINE_INFO},
                                   "total": {"type": "integer"}, "limit": {"type": "integer"},
                                   "offset": {"type": "integer"},
                                   "next_offset": {"type": "integer", "nullable": True}}}}}},
                              "400": {"description": "bad limit or offset", **ERROR_RESPONSE},
                              "401": UNAUTHENTICATED,
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}": {
            "parameters": [TIMELINE_ID],
            "get": {
                "summary": "A timeline's events and documents",
                "responses": {
                    "200": {"description": "the timeline", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["id", "events", "documents"],
                        "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                       "events": {"type": "array", "items": {"type": "object"}},
                                       "documents": {"type": "array", "items": {"type": "object"}}}}}}},
                    "401": UNAUTHENTICATED,
                    "404": NOT_FOUND,
                    "503": UNAVAILABLE,
                },
            },
            "patch": {
                "summary": "Rename a timeline (an edit: undoable) and/or share it with every token or make it its "
                           "owner's only (owner only)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "minProperties": 1, "additionalProperties": False,
                    "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"},
                                   "shared": {"type": "boolean"}}}}}},
                "responses": {
                    "200": {"description": "the timeline now", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["id", "title", "shared"],
                        "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                       "shared": {"type": "boolean"},
                                       "owner": {"type": "string", "nullable": True}}}}}},
                    "400": {"description": "bad input", **ERROR_RESPONSE},
                    "401": UNAUTHENTICATED,
                    "403": FORBIDDEN,
                    "404": NOT_FOUND,
                    "413": {"description": "too large", **ERROR_RESPONSE},
                    "415": {"description": "not JSON", **ERROR_RESPONSE},
                    "503": UNAVAILABLE,
                },
            },
            "delete": {
                "summary": "Delete a timeline (its owner, or any writer for one made without a token)",
                "responses": {"204": {"description": "deleted"},
                              "401": UNAUTHENTICATED,
                              "403": FORBIDDEN,
                              "404": NOT_FOUND,
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/events/{event_id}": {
            "parameters": [TIMELINE_ID, {"name": "event_id", "in": "path", "required": True,
                                         "schema": {"type": "string"}}],
            "patch": {
                "summary": "Re-word and/or re-date an event (edits: marked edited in exports, undoable)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object",
                    "anyOf": [{"required": ["summary"]}, {"required": ["start"]}, {"required": ["end"]}],
                    "properties": {"summary": {"type": "string", "minLength": 1, "maxLength": 1000,
                                               "pattern": "\\S"},
                                   "start": {"type": "string", "format": "date"},
                                   "end": {"type": "string", "format": "date",
                                           "description": "inclusive; the start when left out"}}}}}},
                "responses": {"200": {"description": "the event as exported", "content": {"application/json": {
                    "schema": {"type": "object"}}}},
                              "400": {"description": "bad edit", **ERROR_RESPONSE}, "403": REFUSED,
                              "404": {"description": "no such timeline or event", **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
            "delete": {
                "summary": "Delete an event (an edit: undoable)",
                "responses": {"204": {"description": "deleted"}, "403": REFUSED,
                              "404": {"description": "no such timeline or event", **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/merge": {
            "parameters": [TIMELINE_ID],
            "post": {
                "summary": "Merge events into the first one named: their mentions together, the date settled again "
                           "(an edit: undoable)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["events"],
                    "properties": {"events": {"type": "array", "minItems": 2, "items": {"type": "string"},
                                              "description": "event ids; the first keeps its id and wording"}}}}}},
                "responses": {"200": {"description": "the merged event as exported", "content": {
                    "application/json": {"schema": {"type": "object"}}}},
                              "400": {"description": "bad edit", **ERROR_RESPONSE},
                              "401": UNAUTHENTICATED, "403": FORBIDDEN,
                              "404": {"description": "no such timeline", **ERROR_RESPONSE},
                              "413": {"description": "too large", **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/events/{event_id}/split": {
            "parameters": [TIMELINE_ID, {"name": "event_id", "in": "path", "required": True,
                                         "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}],
            "post": {
                "summary": "Split some of an event's mentions off into a new event (an edit: undoable)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "anyOf": [{"required": ["documents"]}, {"required": ["mentions"]}],
                    "properties": {"documents": {"type": "array", "items": {"type": "string"},
                                                 "description": "article ids: every mention of these"},
                                   "mentions": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                                "description": "places in the event's `mentions`, from 0"}}}}}},
                "responses": {"200": {"description": "the event as left and the new one", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["event", "new_event"],
                                                    "properties": {"event": {"type": "object"},
                                                                   "new_event": {"type": "object"}}}}}},
                              "400": {"description": "bad edit", **ERROR_RESPONSE},
                              "401": UNAUTHENTICATED, "403": FORBIDDEN,
                              "404": {"description": "no such timeline or event", **ERROR_RESPONSE},
                              "413": {"description": "too large", **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/edits": {
            "parameters": [TIMELINE_ID],
            "get": {
                "summary": "The timeline's edit history, oldest first",
                "responses": {"200": {"description": "the edits", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["edits"],
                    "properties": {"edits": {"type": "array", "items": {"$ref": "#/components/schemas/Edit"}}}}}}},
                              "404": {"description": "no such timeline", **ERROR_RESPONSE}, "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/edits/undo": {
            "parameters": [TIMELINE_ID],
            "post": {
                "summary": "Undo the latest edit still applied",
                "responses": {"200": {"description": "undone", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["undone"],
                    "properties": {"undone": {"$ref": "#/components/schemas/Edit"}}}}}},
                              "403": REFUSED, "404": {"description": "no such timeline", **ERROR_RESPONSE},
                              "409": {"description": "nothing to undo", **ERROR_RESPONSE}, "503": UNAVAILABLE},
            },
        },
        "/api/jobs/{job_id}": {
            "parameters": [JOB_ID],
            "get": {
                "summary": "A background build: status, progress, the timeline once done, the error once failed",
                "responses": {"200": {"description": "the job", "content": {"application/json": {"schema": {
                    "$ref": "#/components/schemas/Job"}}}},
                              "401": UNAUTHENTICATED,
                              "404": {"description": "no such job (or another token's)", **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
            "delete": {
                "summary": "Cancel a queued or running build (it stops before its next article; nothing is stored)",
                "responses": {"200": {"description": "the job, cancelled", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Job"}}}},
                              "401": UNAUTHENTICATED,
                              "403": FORBIDDEN,
                              "404": {"description": "no such job (or another token's)", **ERROR_RESPONSE},
                              "409": {"description": "the job has finished (done, failed or cancelled)",
                                      **ERROR_RESPONSE},
                              "503": UNAVAILABLE},
            },
        },
        "/api/timelines/{timeline_id}/events.csv": {
            "parameters": [TIMELINE_ID],
            "get": {
                "summary": "The events as CSV (the CLI's columns)",
                "parameters": [{"name": "source", "in": "query", "required": False,
                                "description": "a document id: only the events that article tells",
                                "schema": {"type": "string"}},
                               {"name": "from", "in": "query", "required": False,
                                "description": "only events ending on or after this day",
                                "schema": {"type": "string", "format": "date"}},
                               {"name": "to", "in": "query", "required": False,
                                "description": "only events starting on or before this day",
                                "schema": {"type": "string", "format": "date"}},
                               {"name": "confidence", "in": "query", "required": False,
                                "description": "only events of these confidence levels (comma-separated)",
                                "schema": {"type": "string", "pattern": LEVEL_PATTERN}},
                               {"name": "conflicts", "in": "query", "required": False,
                                "description": "1: only events whose articles give different dates",
                                "schema": {"type": "string", "enum": list(TRUE_WORDS + FALSE_WORDS[1:])}},
                               {"name": "q", "in": "query", "required": False,
                                "description": "only events whose wording, article names, date phrases or "
                                               "sentences hold this text (any case)",
                                "schema": {"type": "string", "maxLength": QUERY_CHARS}}],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                              "400": {"description": "no such article in the timeline, or a filter that cannot be "
                                                     "read (named)", **ERROR_RESPONSE},
                              "401": UNAUTHENTICATED,
                              "404": NOT_FOUND,
                              "503": UNAVAILABLE},
            },
        },
    },
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                      "description": "a token from `timeline token create`"}},
                   "schemas": {
        "Edit": EDIT,
        "Job": JOB,
        "Error": ERROR,
        "NewTimeline": {
            "type": "object", "required": ["articles"],
            "properties": {
                "title": {"type": "string", "maxLength": 500, "nullable": True},
                "published": {"type": "string", "format": "date", "nullable": True,
                              "description": "YYYY-MM-DD, for articles that give none"},
                "articles": {"type": "array", "minItems": 1, "maxItems": 10000, "items": {
                    "type": "object", "required": ["text"],
                    "properties": {"id": {"type": "string", "maxLength": 200, "nullable": True},
                                   "title": {"type": "string", "maxLength": 500, "nullable": True},
                                   "published": {"type": "string", "format": "date", "nullable": True,
                                                 "description": "YYYY-MM-DD (an ISO 8601 date-time is read "
                                                                "as its date)"},
                                   "url": {"type": "string", "maxLength": 2048, "nullable": True,
                                           "description": "shown as a link only when http: or https:"},
                                   "text": {"type": "string", "minLength": 1, "pattern": "\\S"}}}},
            },
        },
    }},
}


def spec_for(access_controlled: bool) -> dict:
    """The document as this server answers: every operation needs the bearer token once tokens are on."""
    if not access_controlled:
        return SPEC
    return {**copy.deepcopy(SPEC), "security": [{"bearerAuth": []}]}
