MATCH (c:Control)
WHERE c.status = 'implemented'
  AND NOT EXISTS {
    MATCH (c)-[:EVIDENCED_BY]->(e:Evidence)
    WHERE e.issued_on <= $as_of AND (e.valid_until IS NULL OR e.valid_until >= $as_of)
  }
RETURN c.id AS id, 'Control' AS label, c.name AS name,
       c.source_file AS source_file, c.source_line AS source_line
ORDER BY id
