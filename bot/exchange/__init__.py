"""A topic as one JSON or YAML document: the format, reading, writing, import and export."""
