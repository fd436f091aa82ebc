"""The rulebooks and the declarations of the event source nhncloud.nks.nks_events agree with each other
and with ansible-rulebook: each rulebook passes ansible-rulebook's own schema and parser, the source
arguments it gives pass the source's JSON schema (extensions/eda/plugins/event_source/schemas/), the
schema, DOCUMENTATION and the source's defaults name the same options, and the EDA credential type
injects the variables the example rulebooks read. Run by `make eda-test` in .build/venv-eda.
"""

from __future__ import annotations

import glob
import json
import os
import runpy
import types

import jsonschema
import pytest
import yaml
from ansible_rulebook import rules_parser
from ansible_rulebook.validators import Validate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDA = os.path.join(ROOT, "extensions", "eda")
SOURCE_DIR = os.path.join(EDA, "plugins", "event_source")
src = types.SimpleNamespace(**runpy.run_path(os.path.join(SOURCE_DIR, "nks_events.py")))
SCHEMA = json.load(open(os.path.join(SOURCE_DIR, "schemas", "nks_events.json"), encoding="utf-8"))
RULEBOOKS = sorted(glob.glob(os.path.join(EDA, "rulebooks", "*.yml"))) + \
    [os.path.join(ROOT, "tests", "eda", "rulebooks", "nks_events_test.yml")]
VARIABLES = {"nks_events_state_file": "/tmp/state.json", "eda_state_file": "/tmp/state.json",
             "eda_record": "/tmp/record", "eda_record_playbook": "record.yml"}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def source_args(rulebook):
    for ruleset in rulebook:
        for source in ruleset["sources"]:
            if "nhncloud.nks.nks_events" in source:
                yield source["nhncloud.nks.nks_events"]


@pytest.mark.parametrize("path", RULEBOOKS, ids=os.path.basename)
def test_rulebook_is_valid_for_ansible_rulebook(path):
    rulebook = load(path)
    Validate.rulebook(rulebook)
    rulesets = rules_parser.parse_rule_sets(rulebook, VARIABLES)
    assert rulesets and all(rs.rules for rs in rulesets)
    args = list(source_args(rulebook))
    assert args, "%s does not use nhncloud.nks.nks_events" % path
    for given in args:
        concrete = {k: v for k, v in given.items() if not (isinstance(v, str) and "{{" in v)}
        jsonschema.validate(concrete, SCHEMA)
        src.options_from(dict(concrete, api_url="http://x", tenant_id="t", username="u", api_password="p"),
                         environ={})


@pytest.mark.parametrize("path", RULEBOOKS, ids=os.path.basename)
def test_rule_conditions_name_event_types_the_source_emits(path):
    text = open(path, encoding="utf-8").read()
    named = set(part.split('"')[1] for part in text.split('event.nks.type == ')[1:])
    assert named and named <= set(src.EVENT_TYPES), named - set(src.EVENT_TYPES)


def test_schema_documentation_and_defaults_name_the_same_options():
    documented = yaml.safe_load(src.DOCUMENTATION)["options"]
    known = set(src.DEFAULTS) | set(src.CONNECTION_OPTIONS)
    assert set(documented) == known == set(SCHEMA["properties"])
    for name, option in documented.items():
        if "default" in option and name in SCHEMA["properties"]:
            assert SCHEMA["properties"][name].get("default") == option["default"], name
        if name in src.DEFAULTS and "default" in option:
            assert src.DEFAULTS[name] == option["default"], name
    assert set(SCHEMA["properties"]["events"]["items"]["enum"]) == set(src.EVENT_TYPES)
    assert yaml.safe_load(src.EXAMPLES)


def test_credential_type_injects_what_the_example_rulebooks_read():
    folder = os.path.join(SOURCE_DIR, "credential_types", "nhncloud_nks")
    inputs = load(os.path.join(folder, "input.yml"))
    injectors = load(os.path.join(folder, "injectors.yml"))
    fields = {f["id"] for f in inputs["fields"]}
    assert set(inputs["required"]) <= fields
    assert fields <= set(src.CONNECTION_OPTIONS)
    injected = set(injectors["extra_vars"])
    for path in glob.glob(os.path.join(EDA, "rulebooks", "*.yml")):
        for given in source_args(load(path)):
            used = {v.split("{{")[1].split("|")[0].strip() for v in given.values()
                    if isinstance(v, str) and "{{" in v} - {"nks_events_state_file"}
            assert used == injected, (path, used ^ injected)
    secret = [f["id"] for f in inputs["fields"] if f.get("secret")]
    assert secret == ["api_password"]
