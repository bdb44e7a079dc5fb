"""The bottom layer every package may use: errors and problems, the theme, contrast,
boxes, fonts and text metrics."""
