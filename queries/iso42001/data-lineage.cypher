// Everything downstream of the dataset within 10 hops, by label.
MATCH (:Dataset {id: $dataset})<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*1..10]-(n:Dataset)
  RETURN DISTINCT 'Dataset' AS label, n.id AS id, n.name AS name
UNION
MATCH (:Dataset {id: $dataset})<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*1..10]-(n:Model)
  RETURN DISTINCT 'Model' AS label, n.id AS id, n.name AS name
UNION
MATCH (:Dataset {id: $dataset})<-[:USES_DATASET|USES_MODEL|TRAINED_ON|BASED_ON|DERIVED_FROM|DEPENDS_ON*1..10]-(n:AISystem)
  RETURN DISTINCT 'AISystem' AS label, n.id AS id, n.name AS name
