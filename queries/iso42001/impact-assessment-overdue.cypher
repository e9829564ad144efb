MATCH (a:ImpactAssessment)
WHERE a.next_review < $as_of
RETURN a.id AS id, 'ImpactAssessment' AS label, a.name AS name,
       a.source_file AS source_file, a.source_line AS source_line,
       a.next_review AS next_review
ORDER BY id
