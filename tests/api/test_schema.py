"""The OpenAPI schema is valid, documented, and the API keeps to it under generated input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from timeline.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["info"]["title"] == "Crisis Timeline API"
    events = schema["paths"]["/api/v1/events/"]
    assert "involving Russia" in events["get"]["description"]
    assert events["post"]["requestBody"]["content"]["application/json"]["examples"]
    parameters = {p["name"] for p in events["get"]["parameters"]}
    assert {"crisis", "actor", "date_from", "date_to", "q", "cursor", "page_size"} <= parameters
    assert "TokenAuth" in schema["components"]["securitySchemes"] or schema["components"].get(
        "securitySchemes"
    )


def test_the_docs_are_served_from_this_site_only(api_client: APIClient) -> None:
    page = api_client.get("/api/v1/docs/")
    script = api_client.get("/api/v1/docs/", {"script": ""})

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<style" not in html and "<script>" not in html
    assert script.status_code == 200
    assert "/api/v1/schema/" in script.content.decode()


def _generated_schema() -> Any:
    """The API's own schema, generated in-process (no request, no database)."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    # Calls go straight to the WSGI app: nothing leaves the process, not even to loopback.
    loaded.app = WSGIHandler()
    return loaded


schema = _generated_schema()


@pytest.fixture
def demo_data(db: None, settings: Any) -> Iterator[None]:
    """The demo crisis to read, with the rate limits off (the run makes hundreds of requests)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "write": None},
    }
    load_demo(django_settings.DEMO_CORPUS_DIR)
    # As Django's test client does: a request must not close the test's database connection
    # (and with it the transaction the test runs in) when it starts or finishes.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = hypothesis_settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.slow
@schema.parametrize()
@EXAMPLES
def test_no_generated_request_from_a_reader_gets_a_5xx_or_an_off_schema_response(
    case: Any, demo_data: None
) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@EXAMPLES
def test_no_generated_request_from_an_editor_gets_a_5xx_or_an_off_schema_response(
    case: Any, demo_data: None, editor: User
) -> None:
    # With Erin's token the writes get past authentication, so their bodies are exercised too.
    token = Token.objects.get_or_create(user=editor)[0].key
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@pytest.mark.slow
@schema.parametrize()
@EXAMPLES
def test_no_generated_request_from_a_publisher_gets_a_5xx_or_an_off_schema_response(
    case: Any, demo_data: None, publisher: User
) -> None:
    # Publishing, merging and deleting are the publisher's: their operations run past the
    # permission check here.
    token = Token.objects.get_or_create(user=publisher)[0].key
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_the_schema_documents_every_error_an_operation_can_answer(api_client: APIClient) -> None:
    schema = api_client.get("/api/v1/schema/", {"format": "json"}).json()
    event = schema["paths"]["/api/v1/events/{id}/"]

    assert {"400", "401", "403", "404", "409", "413", "429", "503"} <= set(
        event["patch"]["responses"]
    )
    assert {"400", "429", "503"} <= set(schema["paths"]["/api/v1/events/"]["get"]["responses"])
    assert "409" not in schema["paths"]["/api/v1/events/"]["get"]["responses"]
