"""The survey: data files as archived, the codebook, indicators and significance tests.
Pure pandas/scipy; knows nothing of decks' layout or output formats."""
