MATCH (c:Control)
WHERE c.status = 'not_applicable' AND c.justification IS NULL
RETURN c.id AS id, 'Control' AS label, c.name AS name,
       c.source_file AS source_file, c.source_line AS source_line
ORDER BY id
