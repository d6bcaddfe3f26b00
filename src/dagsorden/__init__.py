"""dagsorden: Danish committee agendas and minutes from YAML records and Word templates."""

__version__ = "0.1.0"
