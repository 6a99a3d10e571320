"""Prints PyYAML's (YAML 1.1) reading of each corpus scalar, as a value and as a key: one JSON object a line."""
import datetime
import json
import math
import sys

import yaml


def describe(v):
    if v is None:
        return {"kind": "null"}
    if isinstance(v, bool):
        return {"kind": "bool", "text": "true" if v else "false"}
    if isinstance(v, int):
        return {"kind": "int", "text": str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {"kind": "float", "text": "nan"}
        if math.isinf(v):
            return {"kind": "float", "text": "inf" if v > 0 else "-inf"}
        return {"kind": "float", "text": repr(v)}
    if isinstance(v, (datetime.date, datetime.datetime)):
        return {"kind": "timestamp", "text": v.isoformat()}
    return {"kind": "str", "text": str(v)}


with open(sys.argv[1], encoding="utf-8") as corpus:
    for line in corpus:
        scalar = line.rstrip("\n")
        if not scalar or scalar.startswith("# "):
            continue
        value = yaml.safe_load("v: " + scalar + "\n")["v"]
        key = next(iter(yaml.safe_load(scalar + ": v\n")))
        print(json.dumps({"scalar": scalar, "value": describe(value), "key": describe(key)}))
