MATCH (a:AnnexAControl)
WHERE NOT EXISTS {
  MATCH (c:Control)-[:IMPLEMENTS]->(a)
  WHERE c.status IN $applicable_statuses
     OR (c.status = 'not_applicable' AND c.justification IS NOT NULL)
}
RETURN a.id AS id, 'AnnexAControl' AS label, a.name AS name,
       a.source_file AS source_file, a.source_line AS source_line
ORDER BY id
