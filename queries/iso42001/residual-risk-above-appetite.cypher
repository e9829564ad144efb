OPTIONAL MATCH (o:Organization)
WITH coalesce(o.risk_appetite, $default_appetite) AS appetite
MATCH (r:Risk)
WITH r, appetite, coalesce(r.residual_level, r.level) AS residual
WHERE CASE residual WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 END
    > CASE appetite WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 END
RETURN r.id AS id, 'Risk' AS label, r.name AS name,
       r.source_file AS source_file, r.source_line AS source_line,
       residual, appetite
ORDER BY id
