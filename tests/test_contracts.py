"""bot/contracts.py, docs/contracts.schema.json, docs/contracts.md and domain.yml tell one contract version, and
the payloads the renderer builds follow the schema (tests/e2e/test_contracts.py checks a running assistant)."""
from __future__ import annotations

import json
import re
from typing import get_type_hints

import jsonschema
import yaml

from bot.contracts import CONTRACT_VERSION, AssessmentPayload, CausePayload, reasons_line
from bot.interview.render import Renderer
from bot.triage.engine import TriageEngine
from tests.conftest import ROOT

SCHEMA = json.loads((ROOT / "docs" / "contracts.schema.json").read_text())


def test_one_contract_version_everywhere():
    assert SCHEMA["definitions"]["version"]["const"] == CONTRACT_VERSION
    assert f"(contract version {CONTRACT_VERSION})" in SCHEMA["title"]
    docs = (ROOT / "docs" / "contracts.md").read_text()
    assert f'carries `version`, now `"{CONTRACT_VERSION}"`' in docs
    assert set(re.findall(r'"version": "(\w+)"', docs)) == {CONTRACT_VERSION}
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    told = {variation["custom"]["emergency"]["version"] for variation in domain["responses"]["utter_emergency"]}
    assert told == {CONTRACT_VERSION}


def test_the_python_shapes_name_the_schemas_fields():
    definitions = SCHEMA["definitions"]
    assert set(get_type_hints(AssessmentPayload)) == set(definitions["assessment"]["properties"])
    cause = definitions["assessment"]["properties"]["conditions"]["items"]
    assert set(get_type_hints(CausePayload)) == set(cause["properties"]) == set(cause["required"])


def test_an_assessment_with_reasons_follows_the_schema(knowledge_base):
    evidence = {"foot_numbness": "present", "burning_pain": "present", "diabetes": "present",
                "leg_weakness": "absent", "lower_back_pain": "absent"}
    message = Renderer(knowledge_base).assessment(TriageEngine(knowledge_base).assess(evidence, 60, "male"))
    payload = message["custom"]["assessment"]
    jsonschema.validate({"assessment": payload}, SCHEMA)
    leading = payload["conditions"][0]
    assert leading["id"] == "diabetic_neuropathy"
    assert [f["id"] for f in leading["supporting"]] == ["diabetes", "burning_pain", "foot_numbness"]
    assert f"   {reasons_line(leading['supporting'], leading['conflicting'])}." in message["text"].splitlines()
    assert any(c["conflicting"] for c in payload["conditions"]), "a cause the answers speak against says why"
