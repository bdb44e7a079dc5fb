"""Writers behind one seam: PowerPoint (image or native charts), update in place,
the Kaleido renderer with its cache, figures CSV and the quality report."""
