MATCH (s:AISystem)-[:DEPENDS_ON|USES_MODEL|USES_DATASET]->(x)
WHERE s.in_scope = true AND x.in_scope = false
RETURN DISTINCT s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line,
       x.id AS dependency
ORDER BY id, dependency
