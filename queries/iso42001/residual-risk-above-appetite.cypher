OPTIONAL MATCH (o:Organization)
WITH coalesce(o.risk_appetite, $default_appetite) AS appetite
MATCH (r:Risk)
WITH r, appetite, coalesce(r.residual_level, r.level) AS residual
// $levels is the ontology's order, least first. Places are counted from the end
// ($levels[-1] is the highest) because lists start at 0 on Neo4j and at 1 on other
// engines, while the last element is -1 on both.
UNWIND range(1, size($levels)) AS residual_place
UNWIND range(1, size($levels)) AS appetite_place
WITH r, appetite, residual, residual_place, appetite_place
WHERE $levels[-residual_place] = residual AND $levels[-appetite_place] = appetite
  AND residual_place < appetite_place
RETURN r.id AS id, 'Risk' AS label, r.name AS name,
       r.source_file AS source_file, r.source_line AS source_line,
       residual, appetite
ORDER BY id
