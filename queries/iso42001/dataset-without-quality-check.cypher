MATCH (d:Dataset)
WHERE coalesce(d.in_scope, true) = true
  AND (d.quality_checked_on IS NULL OR d.quality_status IN ['not_checked', 'unknown'])
RETURN d.id AS id, 'Dataset' AS label, d.name AS name,
       d.source_file AS source_file, d.source_line AS source_line,
       coalesce(d.quality_status, 'unknown') AS quality_status,
       d.quality_checked_on AS quality_checked_on
ORDER BY id
