"""Languages: CLDR formats and names (Babel), the shipped and user catalogues, and
texts that carry the language they are in."""
