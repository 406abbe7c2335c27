// Example operations for the explorer, one per kind of user. The codes are those of the bundled
// scenario data (data/fixtures/scenarios.json); on a registry without it, change them to real ones.

export const EXAMPLES = [
  {
    id: "officer",
    title: "Customs officer: decide one consignment",
    help: "clearance(input:) gives the verdict (UNDETERMINED when the registry lacks a fact it needs), the reasons in words, the recognition path with its dates, warnings, how far it can be relied on (assurance), what to verify before acting (checks) and the registry version.",
    query: `query Clearance($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome
    reason
    reasons { code message route requirement }
    route { kind arrangement { code } sector { code } }
    path { kind record validFrom validTo statusOnIssue statusOnClearance holds }
    warnings { code message }
    assurance
    checks { code message sources }
    policy { code name }
    issueDate
    clearanceDate
    registryVersion
  }
}`,
    variables: {
      input: {
        exporter: "GB", importer: "JP", hsCode: "040690", lot: "A1", clearanceDate: "2026-04-01",
        attestation: {
          type: "TESTING", issuer: "L16", issueDate: "2026-03-01", accreditationBody: "UKAS", lot: "A1",
          tests: ["ISO 11290-1", "ISO 6579-1", "ISO 14501"],
        },
      },
    },
  },
  {
    id: "exporter",
    title: "Exporter: which laboratories would the importer accept?",
    help: "acceptedBodies lists the bodies of the exporting economy whose documents the importer would recognise on the date, and by which route.",
    query: `query Accepted($exporter: CountryCode!, $importer: CountryCode!, $hsCode: HsCode!, $date: Date) {
  acceptedBodies(exporter: $exporter, importer: $importer, hsCode: $hsCode, date: $date) {
    requiredType
    outcomeWithoutAttestation { outcome reason }
    bodies {
      cab { code name }
      decision { outcome reason assurance route { kind arrangement { code } } }
    }
  }
}`,
    variables: { exporter: "FR", importer: "JP", hsCode: "040690", date: "2025-09-15" },
  },
  {
    id: "portal",
    title: "Trade portal: decide a whole declaration in one request",
    help: "clearances(inputs:) decides every line on one registry snapshot, in input order (at most MRA_MAX_BATCH lines).",
    query: `query Declaration($inputs: [ClearanceInput!]!) {
  clearances(inputs: $inputs) {
    outcome
    reason
    reasons { message }
    warnings { code }
    assurance
    checks { code message }
    registryVersion
  }
}`,
    variables: {
      inputs: [
        { exporter: "FR", importer: "JP", hsCode: "040690", lot: "A1", clearanceDate: "2025-09-15",
          attestation: { type: "TESTING", issuer: "L02", issueDate: "2025-08-10", lot: "A1",
            tests: ["ISO 11290-1", "ISO 6579-1", "ISO 14501"] } },
        { exporter: "KG", importer: "AU", hsCode: "040690", lot: "B7", clearanceDate: "2018-11-15",
          attestation: { type: "TESTING", issuer: "L06", issueDate: "2018-10-01", lot: "B7",
            tests: ["ISO 11290-1", "ISO 6579-1"] } },
        { exporter: "FR", importer: "DE", hsCode: "040690", clearanceDate: "2026-09-01" },
      ],
    },
  },
  {
    id: "history",
    title: "Registry: an accreditation body's status history",
    help: "Every status is a dated interval; asOf filters to one date.",
    query: `query History($code: String!) {
  accreditationBody(code: $code) {
    code
    name
    statuses(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { arrangement { code } activity status validFrom validTo confidence sources } }
    }
  }
}`,
    variables: { code: "KCA" },
  },
  {
    id: "signatories",
    title: "Registry: an arrangement's signatories on a date",
    help: "signatories(activity:, asOf:) gives the status records holding on that date, a page at a time (first/after).",
    query: `query Signatories($code: String!, $activity: Activity, $asOf: Date) {
  arrangement(code: $code) {
    name
    supersededBy { code }
    supersededOn
    signatories(activity: $activity, asOf: $asOf, first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          accreditationBody { code name }
          status
          validFrom
          validTo
        }
      }
    }
  }
}`,
    variables: { code: "ILAC_MRA", activity: "TESTING", asOf: "2018-06-01" },
  },
];
