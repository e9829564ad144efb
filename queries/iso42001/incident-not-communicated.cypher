MATCH (i:Incident)
WHERE i.communicated = false
RETURN i.id AS id, 'Incident' AS label, i.name AS name,
       i.source_file AS source_file, i.source_line AS source_line,
       i.severity AS severity
ORDER BY id
