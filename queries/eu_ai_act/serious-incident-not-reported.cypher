// The period runs from became_aware_on, or from occurred_on when that is blank. Reported
// late: reported after the period. Not reported (or reported only after the as-of date):
// the period is over on the as-of date, or no date says when it started.
MATCH (i:Incident)
WHERE i.serious = true
WITH i, coalesce(i.became_aware_on, i.occurred_on) AS aware
WHERE (i.reported_to_authority_on <= $as_of
       AND i.reported_to_authority_on > aware + $reporting_period)
   OR (NOT coalesce(i.reported_to_authority_on <= $as_of, false)
       AND coalesce(aware + $reporting_period < $as_of, true))
RETURN i.id AS id, 'Incident' AS label, i.name AS name,
       i.source_file AS source_file, i.source_line AS source_line,
       aware AS aware_on, i.reported_to_authority_on AS reported_to_authority_on
ORDER BY id
