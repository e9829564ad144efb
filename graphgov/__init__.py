"""graphgov: a knowledge-graph governance and traceability engine for ISO/IEC 42001."""

__version__ = "0.1.0"
