MATCH (s:AISystem)
WHERE s.in_scope = true AND s.role IN ['provider', 'both']
  AND NOT EXISTS {
    MATCH (c:Control)-[:APPLIES_TO]->(s), (c)-[:EVIDENCED_BY]->(e:Evidence)
    WHERE c.control_type = 'verification_validation' AND c.status = 'implemented'
      AND e.issued_on <= $as_of AND (e.valid_until IS NULL OR e.valid_until >= $as_of)
  }
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
