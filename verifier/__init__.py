"""My Number Card knowledge: pure parsers and checks over bytes, one session over a Transport."""

__version__ = "0.1.0"
