MATCH (f:AuditFinding)
WHERE f.finding_type IN ['minor_nonconformity', 'major_nonconformity']
  AND NOT EXISTS { MATCH (f)-[:CORRECTED_BY]->(:CorrectiveAction) }
RETURN f.id AS id, 'AuditFinding' AS label, f.name AS name,
       f.source_file AS source_file, f.source_line AS source_line,
       f.finding_type AS finding_type,
       coalesce(f.finding_status, 'open') AS finding_status
ORDER BY id
