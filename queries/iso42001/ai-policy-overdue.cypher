MATCH (p:Policy)
WHERE p.policy_type = 'ai_policy' AND p.next_review < $as_of
RETURN p.id AS id, 'Policy' AS label, p.name AS name,
       p.source_file AS source_file, p.source_line AS source_line,
       p.next_review AS next_review
ORDER BY id
