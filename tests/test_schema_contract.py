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
    # the fixed core's fields keep their arguments and types; optional arguments may be added beside them
    # (asOfRegistryVersion), never a required one, so every call written against the core still works
    from graphql import GraphQLNonNull, build_schema
    query = build_schema(print_schema()).query_type
    for signature in FIXED_CORE:
        name, rest = signature.split("(", 1)
        argument, returns = rest.split("): ")
        arg_name, arg_type = argument.split(": ")
        field = query.fields[name]
        assert str(field.type) == returns and str(field.args[arg_name].type) == arg_type, signature
        assert all(not isinstance(a.type, GraphQLNonNull) or n == arg_name for n, a in field.args.items()), signature
    for field in ["exporter: CountryCode!", "importer: CountryCode!", "hsCode: String!", "lot: String",
                  "clearanceDate: Date", "attestation: AttestationInput", "type: AttestationType!",
                  "issuer: String!", "issueDate: Date!", "accreditationBody: String", "accreditationNumber: String",
                  "tests: [String!]", "underAccreditation: Boolean", "credential: String", "outcome: Outcome!",
                  "reason: ReasonCode!", "reasons: [DecisionReason!]!", "route: RecognitionRoute",
                  "path: [PathStep!]!", "warnings: [DecisionWarning!]!", "policy: ImportPolicy",
                  "issueDate: Date", "clearanceDate: Date!", "registryVersion: Int!"]:
        assert field in sdl, field
