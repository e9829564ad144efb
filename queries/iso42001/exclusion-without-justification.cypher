// An exclusion is a decision with applicable false; with no decision record, a control
// implementing the Annex A control with status not_applicable (and none from planned
// up) is the legacy form of one. Either way the finding names the Annex A control,
// once, and points at the line to complete: the decision, or the first such control.
MATCH (a:AnnexAControl)
OPTIONAL MATCH (d:ApplicabilityDecision)-[:DECIDES]->(a)
WITH a, d
WHERE (d.applicable = false AND d.justification IS NULL)
   OR (d IS NULL
       AND NOT EXISTS {
         MATCH (c:Control)-[:IMPLEMENTS]->(a) WHERE c.status IN $applicable_statuses
       }
       AND EXISTS {
         MATCH (c:Control)-[:IMPLEMENTS]->(a)
         WHERE c.status = 'not_applicable' AND c.justification IS NULL
       })
OPTIONAL MATCH (c:Control)-[:IMPLEMENTS]->(a)
WHERE c.status = 'not_applicable' AND c.justification IS NULL
WITH a, d, min(c.id) AS first
OPTIONAL MATCH (s:Control)-[:IMPLEMENTS]->(a)
WHERE s.id = first
RETURN a.id AS id, 'AnnexAControl' AS label, a.name AS name,
       coalesce(d.source_file, s.source_file) AS source_file,
       coalesce(d.source_line, s.source_line) AS source_line
ORDER BY id
