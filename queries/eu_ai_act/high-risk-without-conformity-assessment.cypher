// Live use (lifecycle_stage in $running_stages): the assessment and the marking are due
// before a system is placed on the market or put into service, not while it is designed.
MATCH (s:AISystem)
WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers
  AND s.role IN ['provider', 'both'] AND s.lifecycle_stage IN $running_stages
  AND (NOT coalesce(s.conformity_assessed_on <= $as_of, false)
       OR NOT coalesce(s.ce_marked, false))
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line,
       s.conformity_assessed_on AS conformity_assessed_on, s.ce_marked AS ce_marked
ORDER BY id
