MATCH (i:Incident)
WHERE NOT EXISTS { MATCH (i)-[:CORRECTED_BY]->(:CorrectiveAction) }
RETURN i.id AS id, 'Incident' AS label, i.name AS name,
       i.source_file AS source_file, i.source_line AS source_line
ORDER BY id
