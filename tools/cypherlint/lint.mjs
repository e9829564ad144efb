// Lints Cypher texts with Neo4j's own parser and semantic analysis.
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...]},
//          "queries": [{"id": "...", "text": "...", "parameters": {...}}]}
// stdout: [{"id": "...", "diagnostics": [{"severity": 1|2, "message": "...", "line": n}]}]
// Severity 1 is an error, 2 a warning (such as a label the schema does not know).
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { schema, queries } = JSON.parse(input);

const results = queries.map(({ id, text, parameters }) => {
  const { diagnostics } = lintCypherQuery(text, { ...schema, parameters: parameters ?? {} }, {
    consoleCommandsEnabled: false,
  });
  return {
    id,
    diagnostics: diagnostics.map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
    })),
  };
});
process.stdout.write(JSON.stringify(results));
