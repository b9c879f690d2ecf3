"""The API against its own OpenAPI schema (schemathesis): generated requests, valid and not, get no server error, no
undocumented status, and answers that match the schema; schema-valid requests are accepted.

Schemathesis' own pytest plugin does not run under this pytest; its cases are drawn here as hypothesis strategies,
operation by operation, and checked with ``call_and_validate`` (every check it has)."""

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory import load_settings
from tests.web.conftest import TOKEN

OPERATIONS = [("GET", "/health"), ("POST", "/articles"), ("GET", "/articles/{article_id}"), ("DELETE", "/articles/{article_id}"),
              ("GET", "/jobs/{job_id}"), ("GET", "/stories"), ("GET", "/stories/{story_id}"), ("POST", "/compare"),
              ("POST", "/corrections"), ("GET", "/corrections"), ("POST", "/sources"), ("GET", "/sources"),
              *(("GET", f"/{what}.{fmt}") for what in ("stories", "assignments", "articles") for fmt in ("csv", "jsonl"))]


@pytest.fixture(scope="module")
def api_schema(demo_db, tmp_path_factory):
    from samestory.web import create_app

    db = tmp_path_factory.mktemp("schema") / "s.db"
    shutil.copy(demo_db, db)
    # URLs the cases post are fetched without waiting: nothing outside the machine answers here
    settings = load_settings(overrides={"fetch": {"timeout": 1.0, "retries": 0, "delay": 0.0, "robots": False}})
    app = create_app(str(db), settings=settings, token=TOKEN, max_body=200_000, warm=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_the_schema_lists_every_operation_tested(api_schema):
    listed = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert listed == set(OPERATIONS)


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_answers_as_documented(api_schema, method, path):
    operation = api_schema[path][method]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(data=st.data())
    def check(data):
        case = data.draw(operation.as_strategy())
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})

    check()
