MATCH (f:AuditFinding)
WHERE f.finding_status = 'closed' AND f.closed_on IS NULL
RETURN f.id AS id, 'AuditFinding' AS label, f.name AS name,
       f.source_file AS source_file, f.source_line AS source_line,
       f.finding_type AS finding_type
ORDER BY id
