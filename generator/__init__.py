"""Survey-deck generator: YAML deck description + survey data -> PowerPoint deck."""

__version__ = "0.1.0"
