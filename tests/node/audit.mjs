// Runs the graphql-http audit suite (GraphQL over HTTP spec conformance) against a live server and prints
// the results as one JSON document on standard output: {"url", "counts", "results": [{id, name, status, reason?}]}.
//
//   node tests/node/audit.mjs http://127.0.0.1:8000/graphql
//
// Exit status: 0 when no audit is an `error` (a MUST failure), 1 when one is, 2 on a usage or fatal error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs GRAPHQL_URL');
  process.exit(2);
}

try {
  const audited = await auditServer({ url });
  const results = await Promise.all(
    audited.map(async (result) => {
      const entry = { id: result.id, name: result.name, status: result.status };
      if (result.status !== 'ok') {
        entry.reason = result.reason;
        // The response is a fetch Response; its status and body say why an audit failed.
        entry.responseStatus = result.response?.status;
        try {
          entry.responseBody = (await result.response?.text())?.slice(0, 500);
        } catch {
          entry.responseBody = undefined; // already read by the audit itself
        }
      }
      return entry;
    }),
  );
  const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
  for (const { status } of results) counts[status] += 1;
  console.log(JSON.stringify({ url, counts, results }, null, 2));
  process.exit(counts.error > 0 ? 1 : 0);
} catch (error) {
  console.error(`audit could not run: ${error?.stack ?? error}`);
  process.exit(2);
}
