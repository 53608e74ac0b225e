"""A document as text, the same bytes every time for the same document: fields in the models'
order, lists in the document's order, fields without a value left out."""

from __future__ import annotations

import json
from typing import Any

import yaml

from bot.exchange.document import FORMAT, TopicDocument


class _BlockDumper(yaml.SafeDumper):
    """Text of several lines is written as a block, the way a person would write it."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_text)


def document_data(document: TopicDocument) -> dict[str, Any]:
    data = document.model_dump(mode="json", exclude_defaults=True)
    data.pop("format", None)
    return {"format": FORMAT, **data}


def write_document(document: TopicDocument, as_json: bool = False) -> str:
    data = document_data(document)
    if as_json:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(
        data,
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def is_json_name(filename: str) -> bool:
    return filename.lower().endswith(".json")
