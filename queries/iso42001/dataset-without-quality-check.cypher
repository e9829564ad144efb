MATCH (d:Dataset)
WHERE coalesce(d.in_scope, true) = true AND d.quality_checked_on IS NULL
RETURN d.id AS id, 'Dataset' AS label, d.name AS name,
       d.source_file AS source_file, d.source_line AS source_line
ORDER BY id
