QUERY = """
query($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome reason reasons { code message route }
    route { kind arrangement { code name } sector { code } }
    path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds }
    warnings { code message }
    policy { code importer maxAgeDays }
    issueDate clearanceDate registryVersion
  }
}
"""


def test_s03(api):
    result = api(QUERY, {"input": {"exporter": "FR", "importer": "JP", "hsCode": "040690", "lot": "A1",
                                   "clearanceDate": "2025-09-15",
                                   "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10",
                                                   "accreditationBody": "COFRAC", "lot": "A1",
                                                   "tests": ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]}}})
    assert not result.errors, result.errors
    decision = result.data["clearance"]
    print(decision)
    assert decision["outcome"] == "RECOGNISED"
    assert decision["route"]["arrangement"]["code"] == "ILAC_MRA"
    assert decision["policy"]["code"] == "P-JP-0406"
