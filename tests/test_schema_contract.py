"""schema.graphql is the published contract: it must be exactly what the code serves."""
import subprocess
import sys
from pathlib import Path

from mra_registry.api.schema import print_schema

ROOT = Path(__file__).resolve().parents[1]
FIXED_CORE = ["clearance(input: ClearanceInput!): ClearanceDecision!",
              "clearances(inputs: [ClearanceInput!]!): [ClearanceDecision!]!"]


def test_committed_schema_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == print_schema(), "schema.graphql drifted: run `mra-registry print-schema > schema.graphql`"


def test_print_schema_command_prints_the_same():
    printed = subprocess.run([sys.executable, "-m", "mra_registry", "print-schema"], capture_output=True, text=True,
                             check=True).stdout
    assert printed == (ROOT / "schema.graphql").read_text()


def test_the_fixed_core_keeps_its_names():
    sdl = " ".join(print_schema().split())
    for signature in FIXED_CORE:
        assert " ".join(signature.split()) in sdl
    for field in ["exporter: CountryCode!", "importer: CountryCode!", "hsCode: String!", "lot: String",
                  "clearanceDate: Date", "attestation: AttestationInput", "type: AttestationType!",
                  "issuer: String!", "issueDate: Date!", "accreditationBody: String", "accreditationNumber: String",
                  "tests: [String!]", "underAccreditation: Boolean", "credential: String", "outcome: Outcome!",
                  "reason: ReasonCode!", "reasons: [DecisionReason!]!", "route: RecognitionRoute",
                  "path: [PathStep!]!", "warnings: [DecisionWarning!]!", "policy: ImportPolicy",
                  "issueDate: Date", "clearanceDate: Date!", "registryVersion: Int!"]:
        assert field in sdl, field
