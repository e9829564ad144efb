MATCH (p:Policy)
WHERE p.policy_type = 'ai_policy'
  AND (p.next_review < $as_of
       OR any(m IN $months_before_as_of
              WHERE m.months = p.review_interval_months AND p.last_reviewed < m.day))
RETURN p.id AS id, 'Policy' AS label, p.name AS name,
       p.source_file AS source_file, p.source_line AS source_line,
       p.next_review AS next_review, p.last_reviewed AS last_reviewed,
       p.review_interval_months AS review_interval_months
ORDER BY id
