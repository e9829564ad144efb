MATCH (:AnnexAControl {id: $control})<-[:IMPLEMENTS]-(c:Control)
OPTIONAL MATCH (c)-[:EVIDENCED_BY]->(e:Evidence)
OPTIONAL MATCH (c)-[:APPLIES_TO]->(t)
RETURN c.id AS control, c.name AS name, c.status AS status, c.justification AS justification,
       e.id AS evidence, e.valid_until AS valid_until, t.id AS applies_to
ORDER BY control, evidence, applies_to
