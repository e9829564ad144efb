"""The ontology and the ISO/IEC 42001 catalogue, shipped as data."""
