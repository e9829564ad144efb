MATCH (n:AISystem)
  WHERE n.in_scope = true
  RETURN 'AISystem' AS label, n.id AS id, n.name AS name, 'yes' AS in_scope
UNION
MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM*1..10]->(n:Model)
  WHERE s.in_scope = true
  RETURN DISTINCT 'Model' AS label, n.id AS id, n.name AS name, CASE n.in_scope WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not set' END AS in_scope
UNION
MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM*1..10]->(n:Dataset)
  WHERE s.in_scope = true
  RETURN DISTINCT 'Dataset' AS label, n.id AS id, n.name AS name, CASE n.in_scope WHEN true THEN 'yes' WHEN false THEN 'no' ELSE 'not set' END AS in_scope
UNION
MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]->(x)-[:SUPPLIED_BY]->(n:Supplier)
  WHERE s.in_scope = true
  RETURN DISTINCT 'Supplier' AS label, n.id AS id, n.name AS name, 'not applicable' AS in_scope
UNION
MATCH (s:AISystem)-[:AFFECTS]->(n:Stakeholder)
  WHERE s.in_scope = true
  RETURN DISTINCT 'Stakeholder' AS label, n.id AS id, n.name AS name, 'not applicable' AS in_scope
