MATCH (s:AISystem)
WHERE s.in_scope = true
  AND NOT EXISTS {
    MATCH (c:Control)-[:APPLIES_TO]->(s)
    WHERE c.control_type = 'kill_switch' AND c.status = 'implemented' AND c.last_tested IS NOT NULL
      AND coalesce(c.last_test_result, 'passed') <> 'failed'
  }
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
