// The GraphQL documents the officer's page sends. Kept together so that the API's contract used by the
// page can be read (and checked against schema.graphql) in one place.

const DECISION_FIELDS = `
  outcome
  reason
  reasons { code message route requirement }
  route { kind arrangement { code name } sector { code name } list { code name } }
  routes { kind arrangement { code name } sector { code name } list { code name } }
  path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources requirement }
  warnings { code message }
  checks { code message sources }
  assurance
  policy { code name importer requiredType requiredTests routes { label } }
  issueDate
  clearanceDate
  registryVersion`;

export const CLEARANCE = `query Clearance($input: ClearanceInput!) {
  clearance(input: $input) {${DECISION_FIELDS}
  }
}`;

// A declaration is one request, however many lines: the server decides them all on one registry snapshot.
export const CLEARANCES = `query Declaration($inputs: [ClearanceInput!]!) {
  clearances(inputs: $inputs) {
    outcome reason
    reasons { code message route requirement }
    route { kind arrangement { code } sector { code } list { code } }
    routes { kind arrangement { code } sector { code } list { code } }
    warnings { code message }
    checks { code message sources }
    assurance
    policy { code }
    clearanceDate
    registryVersion
  }
}`;

export const REGISTRY_VERSION = `query RegistryVersion { registryVersion }`;

// Whether the bundled scenario data (invented laboratories L01…, policies P-…) is loaded: its first laboratory.
export const FIXTURE_PROBE = `query FixtureProbe { conformityAssessmentBody(code: "L01") { code confidence } }`;

export const ARRANGEMENT_LIST = `query Arrangements($after: String) {
  arrangements(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name kind } }
  }
}`;

export const AB_CODES = `query AccreditationBodyCodes($after: String) {
  accreditationBodies(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name } }
  }
}`;

export const CAB_CODES = `query CabCodes($after: String) {
  conformityAssessmentBodies(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { code name } }
  }
}`;

// The activities come from the schema itself, so a new activity appears in the page without a change here.
export const ACTIVITIES = `query Activities { __type(name: "Activity") { enumValues { name } } }`;

// Nested lists are Relay connections: the page reads them whole, 100 at a time, through $after
// (graphql.js withAllNodes), re-asking for the record with the next page of the list.
export const ACCREDITATION_BODY = `query AccreditationBody($code: String!, $after: String) {
  accreditationBody(code: $code) {
    code name region confidence sources note
    economy { code name }
    statuses(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        arrangement { code name }
        activity standard status validFrom validTo reportedSince confidence sources note
      } }
    }
  }
}`;

// Accreditations are read whole through $after; within each, the first 20 suspensions and 100 scope items,
// and the first 100 designations, with their totals so that the page says when a list is longer.
export const CAB = `query ConformityAssessmentBody($code: String!, $today: Date!, $after: String) {
  conformityAssessmentBody(code: $code) {
    code name kinds confidence sources note
    economy { code name }
    accreditations(first: 20, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        number activity validFrom validTo withdrawnOn confidence
        accreditationBody { code name }
        suspensions(first: 20) { totalCount edges { node { validFrom validTo note } } }
        scope(first: 100) { totalCount edges { node { identifier hsPrefixes excludedHsPrefixes } } }
        activeToday: activeOn(date: $today)
      } }
    }
    designations(first: 100) {
      totalCount
      edges { node {
        arrangement { code name }
        sector { code name }
        forParty attestationTypes validFrom validTo confidence
      } }
    }
  }
}`;

export const SIGNATORIES = `query Signatories($code: String!, $activity: Activity, $asOf: Date, $after: String) {
  arrangement(code: $code) {
    code name kind validFrom validTo supersededOn region parties
    supersededBy { code }
    signatories(activity: $activity, asOf: $asOf, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node {
        accreditationBody { code name economy { code } }
        activity standard status validFrom validTo confidence
      } }
    }
  }
}`;
