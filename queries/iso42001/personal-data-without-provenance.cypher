MATCH (d:Dataset)
WHERE d.contains_personal_data = true AND d.provenance IS NULL
  AND EXISTS {
    MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM*1..10]->(d)
    WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers
  }
RETURN d.id AS id, 'Dataset' AS label, d.name AS name,
       d.source_file AS source_file, d.source_line AS source_line
ORDER BY id
