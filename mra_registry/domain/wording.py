"""Words an officer reads: the codes of decisions spelt out, dates, and the states of records on a day."""
from __future__ import annotations

from datetime import date

from . import model
from .codes import Activity, AttestationType, CabKind, Confidence, SignatoryStatus
from .intervals import holds_on

# Enum.value is a Python-level descriptor; these codes are read on every decision, so through a dict instead
TEXT = {member: member.value for enum in (Activity, AttestationType, CabKind, Confidence, SignatoryStatus)
        for member in enum}

TYPE_WORDS = {
    "TESTING": "testing", "CALIBRATION": "calibration", "MEDICAL_TESTING": "medical testing",
    "INSPECTION": "inspection", "PRODUCT_CERTIFICATION": "product certification",
    "MS_CERTIFICATION": "management-system certification", "PERSONS_CERTIFICATION": "persons certification",
    "RM_CERTIFICATE": "reference material certificate", "GMP_INSPECTION": "GMP inspection",
    "RMP": "reference material production", "PTP": "proficiency testing", "BIOBANKING": "biobanking",
    "VALIDATION_VERIFICATION": "validation and verification",
    "OFFICIAL_CERTIFICATE": "official certificate",
    "GHG_VALIDATION_VERIFICATION": "greenhouse-gas validation and verification",
}


def words(code) -> str:
    if code is None:
        return "unstated activities"
    return TYPE_WORDS.get(code) or str(code)


def a_words(code) -> str:
    """``words`` with its indefinite article: "a testing", "an inspection"."""
    spelt = words(code)
    return f"{'an' if spelt[:1].lower() in 'aeiou' else 'a'} {spelt}"


def listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def day_text(value: date | None) -> str:
    return value.isoformat() if value is not None else "an unrecorded date"


def in_force(item, day: date | None) -> str | None:
    if day is None:
        return None
    return "IN_FORCE" if holds_on(item, day) else "NOT_IN_FORCE"


def accreditation_words(accreditation: model.Accreditation) -> str:
    return (f"{accreditation.accreditation_body} accreditation {accreditation.number} for "
            f"{words(accreditation.activity)}")


def accreditation_state(accreditation: model.Accreditation, day: date | None) -> str | None:
    """ACTIVE, or why not: NOT_YET_GRANTED, EXPIRED, WITHDRAWN, SUSPENDED."""
    if day is None:
        return None
    if accreditation.valid_from is not None and day < accreditation.valid_from:
        return "NOT_YET_GRANTED"
    if accreditation.withdrawn_on is not None and day >= accreditation.withdrawn_on:
        return "WITHDRAWN"
    if accreditation.valid_to is not None and day > accreditation.valid_to:
        return "EXPIRED"
    if not accreditation.active_on(day):
        return "SUSPENDED"
    return "ACTIVE"
