// The GraphQL documents the officer's page sends. Kept together so that the API's contract used by the
// page can be read (and checked against schema.graphql) in one place.

const DECISION_FIELDS = `
  outcome
  reason
  reasons { code message route }
  route { kind arrangement { code name } sector { code name } }
  path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources }
  warnings { code message }
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
    reasons { code message route }
    route { kind arrangement { code } sector { code } }
    warnings { code message }
    policy { code }
    clearanceDate
    registryVersion
  }
}`;

export const REGISTRY_VERSION = `query RegistryVersion { registryVersion }`;

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

export const ACCREDITATION_BODY = `query AccreditationBody($code: String!) {
  accreditationBody(code: $code) {
    code name region confidence sources note
    economy { code name }
    statuses {
      arrangement { code name }
      activity standard status validFrom validTo reportedSince confidence sources note
    }
  }
}`;

export const CAB = `query ConformityAssessmentBody($code: String!, $today: Date!) {
  conformityAssessmentBody(code: $code) {
    code name kinds confidence sources note
    economy { code name }
    accreditations {
      number activity validFrom validTo withdrawnOn confidence
      accreditationBody { code name }
      suspensions { validFrom validTo note }
      scope { identifier hsPrefixes excludedHsPrefixes }
      activeToday: activeOn(date: $today)
    }
    designations {
      arrangement { code name }
      sector { code name }
      forParty attestationTypes validFrom validTo confidence
    }
  }
}`;

export const SIGNATORIES = `query Signatories($code: String!, $activity: Activity, $asOf: Date) {
  arrangement(code: $code) {
    code name kind validFrom validTo supersededOn region parties
    supersededBy { code }
    signatories(activity: $activity, asOf: $asOf) {
      accreditationBody { code name economy { code } }
      activity standard status validFrom validTo confidence
    }
  }
}`;
