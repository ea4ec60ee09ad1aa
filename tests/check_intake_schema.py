#!/usr/bin/python3
"""Checks docs/intake.schema.json with a real JSON Schema validator (Debian's
python3-jsonschema): every docs/examples intake is valid, and documents the
reader refuses for a single field's value are invalid too."""
import copy
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "docs/intake.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

examples = sorted((root / "docs/examples").glob("*.intake.json"))
assert len(examples) >= 8, "expected at least eight examples"
for path in examples:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    assert not errors, f"{path.name}: {errors[0].message}"

base = json.loads((root / "docs/examples/sample-client.intake.json").read_text())
bad_values = [
    (("hair_loss", "norwood"), "VIII"),
    (("client", "age"), 121),
    (("client", "age"), 30.5),
    (("client", "fitzpatrick"), 0),
    (("goals", "currency"), "usd"),
    (("goals", "budget"), -1),
    (("hair_loss", "areas"), ["crown", "crown"]),
    (("scalp", "scars"), [{"length_mm": 3}]),
    (("scalp", "scars"), [{"kind": "burn", "length_mm": 0}]),
    (("hair_loss", "progressing"), "yes"),
    (("schema",), "stipple.intake/2"),
]
for path, value in bad_values:
    doc = copy.deepcopy(base)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert list(validator.iter_errors(doc)), f"schema accepted {'.'.join(path)} = {value!r}"
missing = copy.deepcopy(base)
del missing["client"]["sex"]
assert list(validator.iter_errors(missing)), "schema accepted a missing client.sex"
print(f"intake schema: {len(examples)} examples valid, {len(bad_values) + 1} bad documents refused")
