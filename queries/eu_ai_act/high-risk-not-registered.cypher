// Registered on the as-of date: registered_on on or before it, or, with no date
// recorded, a registration number (eu_database_id).
MATCH (s:AISystem)
WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers
  AND s.role IN ['provider', 'both'] AND s.lifecycle_stage IN $running_stages
  AND NOT coalesce(s.registered_on <= $as_of, s.eu_database_id IS NOT NULL)
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
