MATCH (o:Organization)
WHERE NOT EXISTS {
  MATCH (c:Control)
  WHERE c.control_type = 'concern_reporting' AND c.status = 'implemented'
}
RETURN o.id AS id, 'Organization' AS label, o.name AS name,
       o.source_file AS source_file, o.source_line AS source_line
ORDER BY id
