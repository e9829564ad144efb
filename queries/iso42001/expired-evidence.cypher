MATCH (e:Evidence)
WHERE e.valid_until < $as_of
RETURN e.id AS id, 'Evidence' AS label, e.name AS name,
       e.source_file AS source_file, e.source_line AS source_line,
       e.valid_until AS valid_until
ORDER BY id
