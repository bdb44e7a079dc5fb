"""The deck file: YAML with line numbers, the deck's models, variants (`extends:`),
validation messages, the JSON Schema and placeholders. Knows nothing of data or output."""
