MATCH (p:Supplier)
WHERE (p.assessed_on IS NULL OR p.assessed_on < $assessed_since)
  AND EXISTS {
    MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]->(x)-[:SUPPLIED_BY]->(p)
    WHERE s.in_scope = true
  }
  // the organisation itself (an AI-BOM's manufacturer, say) is no third party to assess
  AND NOT EXISTS {
    MATCH (o:Organization) WHERE toLower(o.name) = toLower(p.name)
  }
RETURN p.id AS id, 'Supplier' AS label, p.name AS name,
       p.source_file AS source_file, p.source_line AS source_line,
       p.assessed_on AS assessed_on
ORDER BY id
