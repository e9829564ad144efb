// Generated from the ontology's expected properties (gg:expected): do not edit.
// Regenerate with `python scripts/update_queries.py`.
MATCH (n:AISystem)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'AISystem' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:ApplicabilityDecision)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'ApplicabilityDecision' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:AuditFinding)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.finding_type IS NULL THEN 'finding_type' END,
        CASE WHEN n.raised_on IS NULL THEN 'raised_on' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'AuditFinding' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Control)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.control_type IS NULL THEN 'control_type' END,
        CASE WHEN n.status IS NULL THEN 'status' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Control' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:CorrectiveAction)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.action_status IS NULL THEN 'action_status' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'CorrectiveAction' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Dataset)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.contains_personal_data IS NULL THEN 'contains_personal_data' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Dataset' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Evidence)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.issued_on IS NULL THEN 'issued_on' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Evidence' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:ImpactAssessment)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.assessed_on IS NULL THEN 'assessed_on' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'ImpactAssessment' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Incident)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.communicated IS NULL THEN 'communicated' END,
        CASE WHEN n.occurred_on IS NULL THEN 'occurred_on' END,
        CASE WHEN n.severity IS NULL THEN 'severity' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Incident' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Model)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Model' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Organization)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Organization' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Policy)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.policy_type IS NULL THEN 'policy_type' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Policy' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Risk)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.level IS NULL THEN 'level' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Risk' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:RiskAssessment)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.assessed_on IS NULL THEN 'assessed_on' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'RiskAssessment' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Stakeholder)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END,
        CASE WHEN n.stakeholder_type IS NULL THEN 'stakeholder_type' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Stakeholder' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
UNION ALL
MATCH (n:Supplier)
UNWIND [CASE WHEN n.name IS NULL THEN 'name' END] AS missing
WITH n, missing
WHERE missing IS NOT NULL
RETURN n.id AS id, 'Supplier' AS label, n.name AS name,
       n.source_file AS source_file, n.source_line AS source_line, missing
