"""Closed vocabularies shared by the engine, the store, the API and the CLI.

Every enum is a ``str`` enum so that its value is its name: it serialises to JSON and GraphQL unchanged.
"""
from __future__ import annotations

from enum import Enum


class _Code(str, Enum):
    def __str__(self) -> str:  # so f-strings print the code, not "Outcome.RECOGNISED"
        return self.value


class Outcome(_Code):
    RECOGNISED = "RECOGNISED"
    RETEST_REQUIRED = "RETEST_REQUIRED"
    NOT_REQUIRED = "NOT_REQUIRED"
    INVALID = "INVALID"
    UNDETERMINED = "UNDETERMINED"


class ReasonCode(_Code):
    # step 1: authenticity -> INVALID
    UNKNOWN_CAB = "UNKNOWN_CAB"
    UNRECOGNISED_ACCREDITATION_BODY = "UNRECOGNISED_ACCREDITATION_BODY"
    ACCREDITATION_MISMATCH = "ACCREDITATION_MISMATCH"
    FUTURE_DATED = "FUTURE_DATED"
    CREDENTIAL_INVALID = "CREDENTIAL_INVALID"
    CREDENTIAL_REVOKED = "CREDENTIAL_REVOKED"
    # step 2: requirement -> NOT_REQUIRED
    INTRA_UNION = "INTRA_UNION"
    SPS_EQUIVALENCE = "SPS_EQUIVALENCE"
    NO_REQUIREMENT = "NO_REQUIREMENT"
    # step 3: presence and type
    NO_ATTESTATION = "NO_ATTESTATION"
    WRONG_ATTESTATION_TYPE = "WRONG_ATTESTATION_TYPE"
    # step 4: freshness and identity
    REPORT_TOO_OLD = "REPORT_TOO_OLD"
    LOT_MISMATCH = "LOT_MISMATCH"
    # step 5: the CAB's own accreditation
    CAB_ACCREDITATION_NOT_ACTIVE = "CAB_ACCREDITATION_NOT_ACTIVE"
    NOT_ISSUED_UNDER_ACCREDITATION = "NOT_ISSUED_UNDER_ACCREDITATION"
    # step 6: scope
    MISSING_REQUIRED_TEST = "MISSING_REQUIRED_TEST"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    # step 7: routes
    ROUTE_NOT_ACCEPTED_FOR_SECTOR = "ROUTE_NOT_ACCEPTED_FOR_SECTOR"
    ARRANGEMENT_ROUTE = "ARRANGEMENT_ROUTE"
    GOVERNMENT_ROUTE = "GOVERNMENT_ROUTE"
    AB_SUSPENDED_AT_ISSUE = "AB_SUSPENDED_AT_ISSUE"
    AB_NOT_SIGNATORY_FOR_SCOPE = "AB_NOT_SIGNATORY_FOR_SCOPE"
    SECTOR_NOT_COVERED = "SECTOR_NOT_COVERED"
    PHASE_NOT_IMPLEMENTED = "PHASE_NOT_IMPLEMENTED"
    SECTOR_NOT_OPERATIONAL = "SECTOR_NOT_OPERATIONAL"
    CAB_NOT_DESIGNATED = "CAB_NOT_DESIGNATED"
    AUTHORITY_NOT_RECOGNISED_AT_ISSUE = "AUTHORITY_NOT_RECOGNISED_AT_ISSUE"
    SECTOR_TERMINATED_VOIDS_EXISTING = "SECTOR_TERMINATED_VOIDS_EXISTING"
    OFFICIAL_CERTIFICATE_ROUTE = "OFFICIAL_CERTIFICATE_ROUTE"
    LIST_ROUTE = "LIST_ROUTE"
    ANY_ROUTE = "ANY_ROUTE"
    NOT_COMPETENT_AUTHORITY = "NOT_COMPETENT_AUTHORITY"
    NOT_ON_ACCEPTANCE_LIST = "NOT_ON_ACCEPTANCE_LIST"
    # unknown results -> UNDETERMINED (the registry lacks a fact and no completeness declaration covers it)
    NO_POLICY_RECORDED = "NO_POLICY_RECORDED"
    CAB_NOT_RECORDED = "CAB_NOT_RECORDED"
    ACCREDITATION_NOT_RECORDED = "ACCREDITATION_NOT_RECORDED"
    STATUS_NOT_RECORDED = "STATUS_NOT_RECORDED"
    DESIGNATION_NOT_RECORDED = "DESIGNATION_NOT_RECORDED"
    LISTING_NOT_RECORDED = "LISTING_NOT_RECORDED"


# RULES.md "Checks": the reasons that say a step's result is unknown.
UNKNOWN_REASONS = frozenset({
    ReasonCode.NO_POLICY_RECORDED,
    ReasonCode.CAB_NOT_RECORDED,
    ReasonCode.ACCREDITATION_NOT_RECORDED,
    ReasonCode.STATUS_NOT_RECORDED,
    ReasonCode.DESIGNATION_NOT_RECORDED,
    ReasonCode.LISTING_NOT_RECORDED,
})


class WarningCode(_Code):
    SUCCESSION_APPLIED = "SUCCESSION_APPLIED"
    AB_STATUS_CHANGED_SINCE_ISSUE = "AB_STATUS_CHANGED_SINCE_ISSUE"
    CAB_ACCREDITATION_CHANGED_SINCE_ISSUE = "CAB_ACCREDITATION_CHANGED_SINCE_ISSUE"
    OFFICIAL_CERTIFICATE_REQUIRED = "OFFICIAL_CERTIFICATE_REQUIRED"
    NO_POLICY_RECORDED = "NO_POLICY_RECORDED"  # no longer given: an unknown rule is UNDETERMINED (reason)
    CREDENTIAL_CLAIM_DIFFERS = "CREDENTIAL_CLAIM_DIFFERS"
    CREDENTIAL_NOT_VERIFIED = "CREDENTIAL_NOT_VERIFIED"  # a credential in its plain JSON form: claims read only
    CREDENTIAL_STATUS_UNKNOWN = "CREDENTIAL_STATUS_UNKNOWN"  # its status list is not held: revocation unknown
    STATUS_START_UNKNOWN = "STATUS_START_UNKNOWN"
    BORDER_CHECKS = "BORDER_CHECKS"
    ATTESTATION_NOT_REQUIRED = "ATTESTATION_NOT_REQUIRED"


class AttestationType(_Code):
    TESTING = "TESTING"
    CALIBRATION = "CALIBRATION"
    MEDICAL_TESTING = "MEDICAL_TESTING"
    INSPECTION = "INSPECTION"
    PRODUCT_CERTIFICATION = "PRODUCT_CERTIFICATION"
    MS_CERTIFICATION = "MS_CERTIFICATION"
    PERSONS_CERTIFICATION = "PERSONS_CERTIFICATION"
    RM_CERTIFICATE = "RM_CERTIFICATE"
    GMP_INSPECTION = "GMP_INSPECTION"
    OFFICIAL_CERTIFICATE = "OFFICIAL_CERTIFICATE"  # sanitary, phytosanitary or health certificate of a competent authority


class Activity(_Code):
    """An accreditation activity (the scope axis of the arrangements): one standard each."""

    TESTING = "TESTING"  # ISO/IEC 17025
    CALIBRATION = "CALIBRATION"  # ISO/IEC 17025
    MEDICAL_TESTING = "MEDICAL_TESTING"  # ISO 15189
    INSPECTION = "INSPECTION"  # ISO/IEC 17020
    PTP = "PTP"  # ISO/IEC 17043
    RMP = "RMP"  # ISO 17034
    BIOBANKING = "BIOBANKING"  # ISO 20387
    PRODUCT_CERTIFICATION = "PRODUCT_CERTIFICATION"  # ISO/IEC 17065
    MS_CERTIFICATION = "MS_CERTIFICATION"  # ISO/IEC 17021-1
    PERSONS_CERTIFICATION = "PERSONS_CERTIFICATION"  # ISO/IEC 17024
    VALIDATION_VERIFICATION = "VALIDATION_VERIFICATION"  # ISO/IEC 17029
    GHG_VALIDATION_VERIFICATION = "GHG_VALIDATION_VERIFICATION"  # ISO 14065


# RULES.md: each attestation type belongs to one activity; GMP_INSPECTION to none (regulators only).
ACTIVITY_OF_TYPE: dict[AttestationType, Activity | None] = {
    AttestationType.TESTING: Activity.TESTING,
    AttestationType.CALIBRATION: Activity.CALIBRATION,
    AttestationType.MEDICAL_TESTING: Activity.MEDICAL_TESTING,
    AttestationType.INSPECTION: Activity.INSPECTION,
    AttestationType.PRODUCT_CERTIFICATION: Activity.PRODUCT_CERTIFICATION,
    AttestationType.MS_CERTIFICATION: Activity.MS_CERTIFICATION,
    AttestationType.PERSONS_CERTIFICATION: Activity.PERSONS_CERTIFICATION,
    AttestationType.RM_CERTIFICATE: Activity.RMP,
    AttestationType.GMP_INSPECTION: None,
    AttestationType.OFFICIAL_CERTIFICATE: None,
}


class SignatoryStatus(_Code):
    SIGNATORY = "SIGNATORY"
    SUSPENDED = "SUSPENDED"
    WITHDRAWN = "WITHDRAWN"
    ASSOCIATE = "ASSOCIATE"  # a member, not a signatory: results not recognised
    APPLICANT = "APPLICANT"  # also where sources say "provisional"
    EXPIRED = "EXPIRED"


class ArrangementKind(_Code):
    ACCREDITATION_GLOBAL = "ACCREDITATION_GLOBAL"
    ACCREDITATION_REGIONAL = "ACCREDITATION_REGIONAL"
    GOVERNMENT = "GOVERNMENT"
    SPS_EQUIVALENCE = "SPS_EQUIVALENCE"

    @property
    def is_accreditation(self) -> bool:
        return self in (ArrangementKind.ACCREDITATION_GLOBAL, ArrangementKind.ACCREDITATION_REGIONAL)


class CabKind(_Code):
    LABORATORY = "LABORATORY"
    CALIBRATION_LABORATORY = "CALIBRATION_LABORATORY"
    MEDICAL_LABORATORY = "MEDICAL_LABORATORY"
    INSPECTION_BODY = "INSPECTION_BODY"
    CERTIFICATION_BODY = "CERTIFICATION_BODY"
    REFERENCE_MATERIAL_PRODUCER = "REFERENCE_MATERIAL_PRODUCER"
    PROFICIENCY_TESTING_PROVIDER = "PROFICIENCY_TESTING_PROVIDER"
    REGULATORY_AUTHORITY = "REGULATORY_AUTHORITY"


class RouteKind(_Code):
    ARRANGEMENT = "ARRANGEMENT"  # an accreditation arrangement the accreditation body signed
    GOVERNMENT = "GOVERNMENT"  # a government MRA sector under which the CAB is designated
    OFFICIAL_CERTIFICATE = "OFFICIAL_CERTIFICATE"  # the exporter's competent authority
    LIST = "LIST"  # the importer's own list of accepted bodies
    ANY = "ANY"  # the rule sets no condition on who issues the document


# RULES.md: the primary reason of a RECOGNISED decision is the kind of route that passed.
PASSED_REASON: dict[RouteKind, "ReasonCode"] = {
    RouteKind.ARRANGEMENT: ReasonCode.ARRANGEMENT_ROUTE,
    RouteKind.GOVERNMENT: ReasonCode.GOVERNMENT_ROUTE,
    RouteKind.OFFICIAL_CERTIFICATE: ReasonCode.OFFICIAL_CERTIFICATE_ROUTE,
    RouteKind.LIST: ReasonCode.LIST_ROUTE,
    RouteKind.ANY: ReasonCode.ANY_ROUTE,
}


class CompetenceKind(_Code):
    """What a regulatory authority is competent to attest, by HS code (RULES.md, official-certificate route)."""

    OFFICIAL_CERTIFICATE = "OFFICIAL_CERTIFICATE"


class Confidence(_Code):
    """How sure the registry is of a fact: read in a cited source, general knowledge, or invented for tests."""

    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    FIXTURE = "fixture"


class Assurance(_Code):
    """How far a decision can be relied on: the weakest confidence among the facts it rested on."""

    CONFIRMED = "CONFIRMED"
    UNCONFIRMED = "UNCONFIRMED"
    FIXTURE = "FIXTURE"


ASSURANCE_OF: dict[Confidence, Assurance] = {
    Confidence.CONFIRMED: Assurance.CONFIRMED,
    Confidence.UNCONFIRMED: Assurance.UNCONFIRMED,
    Confidence.FIXTURE: Assurance.FIXTURE,
}
ASSURANCE_RANK: dict[Assurance, int] = {Assurance.CONFIRMED: 2, Assurance.UNCONFIRMED: 1, Assurance.FIXTURE: 0}


class CompletenessKind(_Code):
    """What a completeness declaration says the registry holds every record of (RULES.md, "What the registry
    knows"): inside its range, the absence of such a record is a fact."""

    IMPORT_POLICIES = "IMPORT_POLICIES"  # an importer (economy or union), HS prefixes
    SIGNATORIES = "SIGNATORIES"  # an arrangement, its activities (all when none listed)
    ACCREDITATION_BODIES = "ACCREDITATION_BODIES"  # every accreditation body
    ACCREDITATIONS = "ACCREDITATIONS"  # every accreditation one accreditation body granted
    CABS = "CABS"  # every issuer
    DESIGNATIONS = "DESIGNATIONS"  # a government arrangement's sector (all when none named), a party (both when none)
    LIST_ENTRIES = "LIST_ENTRIES"  # an importer's acceptance list


class PathLinkKind(_Code):
    """What one link of a recognition path rests on."""

    POLICY = "POLICY"
    UNION_MEMBERSHIP = "UNION_MEMBERSHIP"
    SPS_AGREEMENT = "SPS_AGREEMENT"
    CAB = "CAB"
    ACCREDITATION = "ACCREDITATION"
    SIGNATORY_STATUS = "SIGNATORY_STATUS"
    SUCCESSION = "SUCCESSION"
    SECTOR_OPERATION = "SECTOR_OPERATION"
    DESIGNATION = "DESIGNATION"
    COMPLETENESS = "COMPLETENESS"
    COMPETENCE = "COMPETENCE"
    LIST_ENTRY = "LIST_ENTRY"
