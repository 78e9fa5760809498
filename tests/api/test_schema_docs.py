"""The schema is documentation worth reading: every operation, parameter and field described in
Russian, allowed values spelled out, the cross-cutting rules (auth, errors, throttling, ETag,
idempotency) in the description, real examples, an ASCII title a generator can name a package
after, and servers."""

import re

import yaml

from tests.api.test_schema import CHECKED_IN

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
SCHEMA = yaml.safe_load(CHECKED_IN.read_text())


def _operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_russian_summary_and_description():
    for label, operation in _operations():
        assert CYRILLIC.search(operation.get("summary", "")), label
        assert CYRILLIC.search(operation.get("description", "")), label


def test_every_parameter_and_field_is_described():
    for label, operation in _operations():
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (label, parameter["name"])
    for name, component in SCHEMA["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            assert prop.get("description"), (name, field)


def test_ordering_names_its_allowed_fields():
    for label, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "ordering":
                assert "Сортировка по полям:" in parameter["description"], label
                assert parameter["schema"]["pattern"].startswith("^-?("), label


def test_the_rules_of_the_api_are_described_once_at_the_top():
    info = SCHEMA["info"]
    assert info["title"].isascii()
    for topic in (
        "Bearer",
        "insufficient_scope",
        "ErrorCodeEnum",
        "409",
        "X-RateLimit-Remaining",
        "ETag",
        "If-Modified-Since",
        "Idempotency-Key",
        "execution_status",
        "review_state",
    ):
        assert topic in info["description"], topic
    assert SCHEMA["servers"] and SCHEMA["servers"][0]["url"]
    assert SCHEMA["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_it_shows_real_examples_and_no_placeholders():
    submit = SCHEMA["paths"]["/api/v1/obligations/{id}/submit/"]["post"]
    example = submit["requestBody"]["content"]["application/json"]["examples"]["Done"]["value"]
    assert example["execution_status"] == "done" and "Зырянского" in example["comment"]
    order = SCHEMA["paths"]["/api/v1/reports/"]["post"]
    assert set(order["requestBody"]["content"]["application/json"]["examples"]) == {"Quarterly", "Municipal"}
    text = CHECKED_IN.read_text()
    assert "string" not in re.findall(r"value: (\w+)", text)
