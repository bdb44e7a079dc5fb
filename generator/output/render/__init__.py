"""The picture wing: Kaleido (headless Chromium) behind one adapter, the picture cache
and its keys, and the layout check."""
