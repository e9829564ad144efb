// A decision with applicable left blank is not made yet; with no decision record at
// all, a control implementing the Annex A control still speaks for it (legacy: any
// status from planned up, or not_applicable, whose justification the check
// exclusion-without-justification judges), so each control is reported once.
// The finding points where the decision is to be made: its row, else the file that
// holds the other decisions, else the catalogue entry.
MATCH (a:AnnexAControl)
OPTIONAL MATCH (d:ApplicabilityDecision)-[:DECIDES]->(a)
WITH a, d
WHERE d.applicable IS NULL
  AND (d IS NOT NULL OR NOT EXISTS {
    MATCH (c:Control)-[:IMPLEMENTS]->(a)
    WHERE c.status IN $applicable_statuses OR c.status = 'not_applicable'
  })
OPTIONAL MATCH (other:ApplicabilityDecision)
WITH a, d, min(other.source_file) AS decisions
RETURN a.id AS id, 'AnnexAControl' AS label, a.name AS name,
       CASE WHEN d IS NOT NULL THEN d.source_file
            ELSE coalesce(decisions, a.source_file) END AS source_file,
       CASE WHEN d IS NOT NULL THEN d.source_line
            WHEN decisions IS NOT NULL THEN NULL
            ELSE a.source_line END AS source_line
ORDER BY id
