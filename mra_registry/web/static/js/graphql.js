// The one way these pages reach the registry: POST /graphql with a JSON body, like any other client.
// The endpoint is resolved against the page's own URL, so the pages also work behind a path prefix.

const ENDPOINT = new URL("graphql", document.baseURI).href;

// graphql-response+json first: a refused request then comes back as a 4xx, not as a 200 with errors.
const ACCEPT = "application/graphql-response+json, application/json;q=0.9";

/** A request that did not give data: unreachable server, HTTP fault, or GraphQL errors. */
export class ApiError extends Error {
  constructor(message, { errors = [], status = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.errors = errors; // the GraphQL errors as sent, for callers that map them to inputs
    this.status = status;
  }
}

/** Runs a query; resolves to its `data`, or rejects with an ApiError saying what went wrong. */
export async function graphql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: ACCEPT },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("The registry server could not be reached. Check the connection and try again.");
  }
  let payload;
  try {
    payload = await response.json();
  } catch {
    throw new ApiError(`The registry server answered ${response.status} ${response.statusText} without a readable body.`,
      { status: response.status });
  }
  const errors = Array.isArray(payload.errors) ? payload.errors : [];
  // Any error fails the whole request: a decision shown with a part missing would mislead.
  if (errors.length || !payload.data) {
    const message = errors.map((error) => error.message).join(" ") || `The registry server answered ${response.status}.`;
    throw new ApiError(message, { errors, status: response.status });
  }
  return payload.data;
}

/** Fetches every node of a paginated connection (at most `limit`), 100 at a time. */
export async function allNodes(query, field, variables = {}, limit = 2000) {
  const nodes = [];
  let after = null;
  while (nodes.length < limit) {
    const data = await graphql(query, { ...variables, after });
    const connection = data[field];
    nodes.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return nodes;
}

/** Runs a query for one record whose nested connection is to be read whole: `select(data)` finds the
 * connection (null when there is no record), `$after` pages it, 100 at a time (at most `limit` nodes).
 * Resolves to the first answer's data, and the nodes of every page of that connection. */
export async function withAllNodes(query, variables, select, limit = 2000) {
  const data = await graphql(query, { ...variables, after: null });
  let connection = select(data);
  const nodes = connection ? connection.edges.map((edge) => edge.node) : [];
  while (connection && connection.pageInfo.hasNextPage && nodes.length < limit) {
    connection = select(await graphql(query, { ...variables, after: connection.pageInfo.endCursor }));
    if (connection) nodes.push(...connection.edges.map((edge) => edge.node));
  }
  return { data, nodes };
}

/** The nodes of a connection selected as `edges { node { … } }`. */
export const nodesOf = (connection) => connection.edges.map((edge) => edge.node);
