// Everything that depends on the supplier within 10 hops, by label.
MATCH (:Supplier {id: $supplier})<-[:SUPPLIED_BY]-(x)<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]-(n:AISystem)
  RETURN DISTINCT 'AISystem' AS label, n.id AS id, n.name AS name, 'depends on the supplier' AS impact
UNION
MATCH (:Supplier {id: $supplier})<-[:SUPPLIED_BY]-(x)<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]-(n:Model)
  RETURN DISTINCT 'Model' AS label, n.id AS id, n.name AS name, 'depends on the supplier' AS impact
UNION
MATCH (:Supplier {id: $supplier})<-[:SUPPLIED_BY]-(x)<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]-(n:Dataset)
  RETURN DISTINCT 'Dataset' AS label, n.id AS id, n.name AS name, 'depends on the supplier' AS impact
UNION
MATCH (:Supplier {id: $supplier})<-[:SUPPLIED_BY]-(x)<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]-(:AISystem)-[:AFFECTS]->(n:Stakeholder)
  RETURN DISTINCT 'Stakeholder' AS label, n.id AS id, n.name AS name, 'affected by a dependent system' AS impact
UNION
MATCH (:Supplier {id: $supplier})<-[:SUPPLIED_BY]-(x)<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*0..10]-(:AISystem)<-[:APPLIES_TO]-(n:Control)
  RETURN DISTINCT 'Control' AS label, n.id AS id, n.name AS name, 'covers a dependent system' AS impact
