"""The build: inputs read once, the decks of a run laid out, rendered and written in
batches, many decks over worker processes, and watch mode."""
