"""The .pptx wing: templates and their layouts, the writer, OOXML parts, shape identity,
update and the checks of a written deck."""
