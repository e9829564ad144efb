MATCH (s:AISystem)
WHERE s.in_scope = true AND s.risk_tier IN $high_risk_tiers AND s.annex_iii_area IS NULL
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
