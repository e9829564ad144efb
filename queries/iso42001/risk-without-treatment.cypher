MATCH (r:Risk)
WHERE r.treatment IS NULL
RETURN r.id AS id, 'Risk' AS label, r.name AS name,
       r.source_file AS source_file, r.source_line AS source_line,
       r.level AS level
ORDER BY id
