// A public body or provider of public services is said once, on the organisation. An
// assessment dated after the as-of date does not count yet; an undated one counts
// (incomplete-record asks for its date).
MATCH (s:AISystem)
WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers
  AND s.role IN ['deployer', 'both'] AND s.lifecycle_stage IN $running_stages
  AND (toLower(s.annex_iii_point) IN $assessed_points
       OR (s.annex_iii_area IN $public_service_areas
           AND EXISTS {
             MATCH (o:Organization) WHERE o.public_body_or_public_service = true
           }))
  AND NOT EXISTS {
    MATCH (s)-[:ASSESSED_BY]->(a:ImpactAssessment)
    WHERE a.assessment_type = 'fundamental_rights'
      AND NOT coalesce(a.assessed_on > $as_of, false)
  }
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line,
       s.annex_iii_area AS annex_iii_area, s.annex_iii_point AS annex_iii_point
ORDER BY id
