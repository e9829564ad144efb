"""The iso42001 pack: traceability checks and explorations for ISO/IEC 42001."""
