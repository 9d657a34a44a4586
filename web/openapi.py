"""The OpenAPI 3 document of the JSON API (checked against the routes by schemathesis in the tests)."""
from __future__ import annotations

ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
ERROR_RESPONSE = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
TIMELINE_ID = {"name": "timeline_id", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}}

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "timeline API", "version": "1.0.0",
             "description": "Build dated, ordered, sourced timelines from news articles."},
    "paths": {
        "/api/timelines": {
            "post": {
                "summary": "Build and store the timeline of some articles",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewTimeline"}}}},
                "responses": {
                    "201": {"description": "created", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["id", "events"],
                        "properties": {"id": {"type": "string"}, "events": {"type": "integer"},
                                       "url": {"type": "string"}}}}}},
                    "400": {"description": "bad input", **ERROR_RESPONSE},
                    "413": {"description": "too large", **ERROR_RESPONSE},
                    "415": {"description": "not JSON", **ERROR_RESPONSE},
                },
            },
            "get": {
                "summary": "List stored timelines",
                "responses": {"200": {"description": "the timelines", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["timelines"],
                    "properties": {"timelines": {"type": "array", "items": {"type": "object"}}}}}}}},
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
                    "404": {"description": "no such timeline", **ERROR_RESPONSE},
                },
            },
            "delete": {
                "summary": "Delete a timeline",
                "responses": {"204": {"description": "deleted"},
                              "404": {"description": "no such timeline", **ERROR_RESPONSE}},
            },
        },
        "/api/timelines/{timeline_id}/events.csv": {
            "parameters": [TIMELINE_ID],
            "get": {
                "summary": "The events as CSV (the CLI's columns)",
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                              "404": {"description": "no such timeline", **ERROR_RESPONSE}},
            },
        },
    },
    "components": {"schemas": {
        "Error": ERROR,
        "NewTimeline": {
            "type": "object", "required": ["articles"],
            "properties": {
                "title": {"type": "string"},
                "published": {"type": "string", "format": "date",
                              "description": "YYYY-MM-DD, for articles that give none"},
                "articles": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["text"],
                    "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                                   "published": {"type": "string", "format": "date"}, "url": {"type": "string"},
                                   "text": {"type": "string", "minLength": 1, "pattern": "\\S"}}}},
            },
        },
    }},
}
