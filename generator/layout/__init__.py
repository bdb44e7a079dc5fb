"""Theme, boxes, and text measured with the font's metrics."""
