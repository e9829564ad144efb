MATCH (s:AISystem)
WHERE s.in_scope = true
  AND NOT EXISTS { MATCH (s)-[:ASSESSED_BY]->(:RiskAssessment) }
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
