"""Deck + survey -> what each slide shows (texts with their language, numbers with
their provenance, chart specs). No python-pptx, no Plotly."""
