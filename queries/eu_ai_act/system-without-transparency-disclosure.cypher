// Art. 50 binds providers (50(1), 50(2)) and deployers (50(3), 50(4)); the check asks it
// whatever the recorded role, since the organisation that puts the system before people
// must be able to show they are told. The disclosure: an implemented control of type
// transparency that applies to the system itself.
MATCH (s:AISystem)
WHERE s.in_scope = true
  AND (s.interacts_with_people = true OR s.generates_synthetic_content = true
       OR s.emotion_recognition = true OR s.biometric_categorisation = true
       OR s.deep_fake = true)
  AND NOT EXISTS {
    MATCH (c:Control)-[:APPLIES_TO]->(s)
    WHERE c.control_type = 'transparency' AND c.status = 'implemented'
  }
RETURN s.id AS id, 'AISystem' AS label, s.name AS name,
       s.source_file AS source_file, s.source_line AS source_line
ORDER BY id
