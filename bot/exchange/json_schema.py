"""The JSON Schema of the topic document, generated from its models. The committed copy in
`schema/topic.schema.json` is rewritten with `python -m bot.exchange.json_schema`; a test
fails when it no longer matches the models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.exchange.document import TopicDocument

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "topic.schema.json"


def schema_text() -> str:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "roundwatch-topic/1",
        **TopicDocument.model_json_schema(),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
