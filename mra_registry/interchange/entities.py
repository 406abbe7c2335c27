"""Meaning: turn one structurally valid registry document into domain entities, collecting every semantic problem
(real dates, intervals in order, known economies, unique codes, histories without overlap, fields that go
together) with its JSON path. Open records of a history are ended by the next one. References between entities
are checked afterwards, by ``references``."""
from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Callable, Iterable

from ..domain import model
from ..domain.codes import (
    Activity,
    ArrangementKind,
    AttestationType,
    CabKind,
    Confidence,
    SignatoryStatus,
)
from ..domain.intervals import ONE_DAY, any_conflict, any_overlap
from ..domain.economies import is_country
from . import credentials
from .declarations import DeclarationBuilder
from .parsed import ParsedDocument
from .problems import Problem, ProblemCode as C
from .requirements import RequirementsBuilder


class EntityBuilder:
    """Turns one structurally valid document into entities, collecting every semantic problem."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, code: str = C.INVALID) -> None:
        self.problems.append(Problem(path, message, self.name, code))

    # -- scalar helpers -------------------------------------------------------------------------------
    def day(self, value: str | None, path: str) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(path, f"{value!r} is not a real calendar date (YYYY-MM-DD)", C.INVALID_DATE)
            return None

    def interval(self, item: dict, path: str) -> tuple[date | None, date | None]:
        start = self.day(item.get("from"), f"{path}.from")
        end = self.day(item.get("to"), f"{path}.to")
        if start and end and end < start:
            self.problem(f"{path}.to", f"'to' ({end}) is before 'from' ({start})", C.INVALID_DATE_RANGE)
        return start, end

    def country(self, code: str | None, path: str) -> None:
        if code is not None and not is_country(code):
            self.problem(path, f"unknown economy code {code!r} (ISO 3166-1 alpha-2 expected)", C.UNKNOWN_ECONOMY)

    def provenance(self, item: dict) -> model.Provenance:
        return model.Provenance(
            confidence=Confidence(item.get("confidence", Confidence.UNCONFIRMED.value)),
            sources=tuple(item.get("sources", ())),
            note=item.get("note"),
        )

    def unique(self, items: Iterable[dict], key: Callable[[dict], Any], path: str, what: str) -> None:
        seen: dict[Any, int] = {}
        for index, item in enumerate(items):
            value = key(item)
            if value in seen:
                self.problem(f"{path}[{index}]", f"duplicate {what} {value!r} (first at {path}[{seen[value]}])",
                             C.DUPLICATE_CODE)
            else:
                seen[value] = index

    def history(self, items: list, groups: dict[Any, list[tuple[int, Any]]], path: Callable[[int], str],
                what: str) -> tuple:
        """Checks each key's history (``groups``: key -> [(index in ``items``, item)]) and returns ``items`` with
        every open record ended the day before the next event of its key (RULES.md, Dates): every reader of the
        registry, not only the engine, then sees the end the rules give it."""
        self.no_overlap(groups, path, what)
        ended: dict[int, Any] = {}
        for indexed in groups.values():
            ordered = sorted(indexed, key=lambda pair: pair[1].valid_from or date.min)
            for (index, earlier), (_, later) in zip(ordered, ordered[1:]):
                if earlier.valid_to is None and later.valid_from is not None:
                    ended[index] = dataclasses.replace(earlier, valid_to=later.valid_from - ONE_DAY)
        return tuple(ended.get(index, item) for index, item in enumerate(items))

    def no_overlap(self, groups: dict[Any, list[tuple[int, Any]]], path: Callable[[int], str], what: str) -> None:
        for key, indexed in groups.items():
            found = any_conflict([item for _, item in indexed])
            if found:
                first, second = indexed[found[0]][0], indexed[found[1]][0]
                self.problem(path(second), f"overlaps {path(first)} for the same {what} {_key_text(key)}",
                             C.OVERLAPPING_INTERVAL)

    # -- entities -------------------------------------------------------------------------------------
    def document(self, data: dict) -> ParsedDocument:
        for kind, key in (
            ("unions", "code"),
            ("arrangements", "code"),
            ("accreditationBodies", "code"),
            ("conformityAssessmentBodies", "code"),
            ("importPolicies", "code"),
            ("lookalikeBodies", "code"),
            ("completenessDeclarations", "code"),
            ("acceptanceLists", "code"),
        ):
            self.unique(data.get(kind, []), lambda item, k=key: item[k], f"$.{kind}", "code")
        return ParsedDocument(
            name=self.name,
            unions=tuple(self.union(u, f"$.unions[{i}]") for i, u in enumerate(data.get("unions", []))),
            arrangements=tuple(
                self.arrangement(a, f"$.arrangements[{i}]") for i, a in enumerate(data.get("arrangements", []))
            ),
            accreditation_bodies=tuple(
                self.accreditation_body(b, f"$.accreditationBodies[{i}]")
                for i, b in enumerate(data.get("accreditationBodies", []))
            ),
            cabs=tuple(
                self.cab(c, f"$.conformityAssessmentBodies[{i}]")
                for i, c in enumerate(data.get("conformityAssessmentBodies", []))
            ),
            policies=tuple(
                self.policy(p, f"$.importPolicies[{i}]") for i, p in enumerate(data.get("importPolicies", []))
            ),
            lookalike_bodies=tuple(
                self.lookalike(b, f"$.lookalikeBodies[{i}]") for i, b in enumerate(data.get("lookalikeBodies", []))
            ),
            declarations=tuple(
                DeclarationBuilder(self).declaration(d, f"$.completenessDeclarations[{i}]")
                for i, d in enumerate(data.get("completenessDeclarations", []))
            ),
            acceptance_lists=tuple(
                RequirementsBuilder(self).acceptance_list(x, f"$.acceptanceLists[{i}]")
                for i, x in enumerate(data.get("acceptanceLists", []))
            ),
        )

    def lookalike(self, item: dict, path: str) -> model.LookalikeBody:
        self.country(item.get("economy"), f"{path}.economy")
        return model.LookalikeBody(item["code"], item["name"], item.get("economy"), self.provenance(item))

    def union(self, item: dict, path: str) -> model.Union:
        if is_country(item["code"]):
            self.problem(f"{path}.code", f"{item['code']!r} is a country code; a union needs its own code", C.INCONSISTENT)
        memberships = []
        groups: dict[Any, list[tuple[int, Any]]] = {}
        for index, raw in enumerate(item.get("memberships", [])):
            here = f"{path}.memberships[{index}]"
            self.country(raw["economy"], f"{here}.economy")
            start, end = self.interval(raw, here)
            membership = model.UnionMembership(item["code"], raw["economy"], start, end, self.provenance(raw))
            memberships.append(membership)
            groups.setdefault(raw["economy"], []).append((index, membership))
        memberships = self.history(memberships, groups, lambda i: f"{path}.memberships[{i}]", "economy")
        return model.Union(item["code"], item["name"], memberships, self.provenance(item))

    def arrangement(self, item: dict, path: str) -> model.Arrangement:
        kind = ArrangementKind(item["kind"])
        start, end = self.interval(item, path)
        superseded_on = self.day(item.get("supersededOn"), f"{path}.supersededOn")
        if bool(item.get("supersededBy")) != bool(item.get("supersededOn")):
            self.problem(path, "'supersededBy' and 'supersededOn' go together: give both or neither", C.INCONSISTENT)
        if item.get("supersededBy") == item["code"]:
            self.problem(f"{path}.supersededBy", "an arrangement cannot supersede itself", C.INCONSISTENT)
        parties = tuple(item.get("parties", ()))
        if kind.is_accreditation:
            for key in ("parties", "sectors", "hsPrefixes"):
                if item.get(key):
                    self.problem(f"{path}.{key}", f"an accreditation arrangement has no {key}", C.INCONSISTENT)
        elif len(parties) < 2:
            self.problem(f"{path}.parties", "a government or SPS arrangement needs at least two parties", C.INCONSISTENT)
        if kind is not ArrangementKind.GOVERNMENT and item.get("sectors"):
            self.problem(f"{path}.sectors", "only a government arrangement has sectors", C.INCONSISTENT)
        if kind is not ArrangementKind.SPS_EQUIVALENCE and item.get("hsPrefixes"):
            self.problem(f"{path}.hsPrefixes", "only an SPS equivalence arrangement covers HS codes itself", C.INCONSISTENT)
        if kind is ArrangementKind.SPS_EQUIVALENCE and not item.get("hsPrefixes"):
            self.problem(f"{path}.hsPrefixes", "an SPS equivalence arrangement must list the HS codes it covers", C.INCONSISTENT)
        self.unique(item.get("sectors", []), lambda s: s["code"], f"{path}.sectors", "sector code")
        sectors = tuple(
            self.sector(item["code"], s, f"{path}.sectors[{i}]") for i, s in enumerate(item.get("sectors", []))
        )
        return model.Arrangement(
            activity_starts=self.activity_starts(item, kind, path),
            signatory_list_url=item.get("signatoryListUrl"),
            code=item["code"],
            name=item["name"],
            kind=kind,
            valid_from=start,
            valid_to=end,
            superseded_by=item.get("supersededBy"),
            superseded_on=superseded_on,
            region=item.get("region"),
            activities=tuple(Activity(a) for a in item.get("activities", ())),
            parties=parties,
            sectors=sectors,
            hs_prefixes=tuple(item.get("hsPrefixes", ())),
            excluded_hs_prefixes=tuple(item.get("excludedHsPrefixes", ())),
            provenance=self.provenance(item),
        )

    def activity_starts(self, item: dict, kind: ArrangementKind, path: str) -> tuple[model.ActivityStart, ...]:
        raw_starts = item.get("activityStarts", [])
        if raw_starts and not kind.is_accreditation:
            self.problem(f"{path}.activityStarts", "only an accreditation arrangement has activity starts", C.INCONSISTENT)
        self.unique(raw_starts, lambda s: s["activity"], f"{path}.activityStarts", "activity")
        covered = set(item.get("activities", ()))
        starts = []
        for index, raw in enumerate(raw_starts):
            here = f"{path}.activityStarts[{index}]"
            if covered and raw["activity"] not in covered:
                self.problem(f"{here}.activity", f"{raw['activity']} is not among the arrangement's activities",
                             C.INCONSISTENT)
            start = self.day(raw["from"], f"{here}.from")
            if start is not None:
                starts.append(model.ActivityStart(Activity(raw["activity"]), start, self.provenance(raw)))
        return tuple(starts)

    def sector(self, arrangement: str, item: dict, path: str) -> model.Sector:
        types = tuple(AttestationType(t) for t in item.get("attestationTypes", ()))
        operations = []
        groups: dict[Any, list[tuple[int, Any]]] = {}
        for index, raw in enumerate(item.get("operations", [])):
            here = f"{path}.operations[{index}]"
            start, end = self.interval(raw, here)
            parties = frozenset(raw["parties"])
            if len(parties) != 2:
                self.problem(f"{here}.parties", "an operation is between two different parties", C.INCONSISTENT)
            kind = AttestationType(raw["attestationType"])
            if kind not in types:
                self.problem(f"{here}.attestationType", f"{kind} is not among the sector's attestation types", C.INCONSISTENT)
            operation = model.SectorOperation(parties, kind, start, end, self.provenance(raw))
            operations.append(operation)
            groups.setdefault((tuple(sorted(parties)), kind.value), []).append((index, operation))
        operations = self.history(operations, groups, lambda i: f"{path}.operations[{i}]",
                                  "parties and attestation type")
        termination = None
        if item.get("termination"):
            raw = item["termination"]
            effective = self.day(raw["effective"], f"{path}.termination.effective")
            if effective:
                termination = model.SectorTermination(effective, raw["voidsExisting"], self.provenance(raw))
        return model.Sector(
            arrangement=arrangement,
            code=item["code"],
            name=item["name"],
            hs_prefixes=tuple(item.get("hsPrefixes", ())),
            excluded_hs_prefixes=tuple(item.get("excludedHsPrefixes", ())),
            attestation_types=types,
            operations=tuple(operations),
            termination=termination,
            provenance=self.provenance(item),
        )

    def accreditation_body(self, item: dict, path: str) -> model.AccreditationBody:
        self.country(item.get("economy"), f"{path}.economy")
        statuses = []
        groups: dict[Any, list[tuple[int, Any]]] = {}
        for index, raw in enumerate(item.get("statuses", [])):
            here = f"{path}.statuses[{index}]"
            start, end = self.interval(raw, here)
            activity = Activity(raw["activity"]) if raw.get("activity") else None
            record = model.SignatoryStatusRecord(
                accreditation_body=item["code"],
                arrangement=raw["arrangement"],
                activity=activity,
                standard=raw.get("standard"),
                status=SignatoryStatus(raw["status"]),
                valid_from=start,
                valid_to=end,
                reported_since=raw.get("reportedSince"),
                provenance=self.provenance(raw),
            )
            statuses.append(record)
            groups.setdefault(record.key[1:], []).append((index, record))
        statuses = self.history(statuses, groups, lambda i: f"{path}.statuses[{i}]",
                                "arrangement, activity and standard")
        return model.AccreditationBody(
            item["code"], item["name"], item.get("economy"), item.get("region"), statuses,
            directory_url=item.get("directoryUrl"), provenance=self.provenance(item),
        )

    def cab(self, item: dict, path: str) -> model.ConformityAssessmentBody:
        self.country(item["economy"], f"{path}.economy")
        self.unique(
            item.get("accreditations", []),
            lambda a: (a["accreditationBody"], a["number"]),
            f"{path}.accreditations",
            "accreditation body and number",
        )
        accreditations = tuple(
            self.accreditation(item["code"], a, f"{path}.accreditations[{i}]")
            for i, a in enumerate(item.get("accreditations", []))
        )
        designations = []
        groups: dict[Any, list[tuple[int, Any]]] = {}
        for index, raw in enumerate(item.get("designations", [])):
            here = f"{path}.designations[{index}]"
            start, end = self.interval(raw, here)
            designation = model.Designation(
                cab=item["code"],
                arrangement=raw["arrangement"],
                sector=raw["sector"],
                for_party=raw["forParty"],
                valid_from=start,
                valid_to=end,
                attestation_types=tuple(AttestationType(t) for t in raw.get("attestationTypes", ())),
                provenance=self.provenance(raw),
            )
            designations.append(designation)
            groups.setdefault((raw["arrangement"], raw["sector"], raw["forParty"]), []).append((index, designation))
        designations = self.history(designations, groups, lambda i: f"{path}.designations[{i}]",
                                    "arrangement, sector and party")
        return model.ConformityAssessmentBody(
            code=item["code"],
            name=item["name"],
            economy=item["economy"],
            kinds=tuple(CabKind(k) for k in item["kinds"]),
            accreditations=accreditations,
            designations=tuple(designations),
            provenance=self.provenance(item),
            competences=RequirementsBuilder(self).competences(item, path),
            identifier=item.get("identifier"),
            verification_keys=credentials.read_keys(self, item, path),
            status_lists=credentials.read_status_lists(self, item, path),
        )

    def accreditation(self, cab: str, item: dict, path: str) -> model.Accreditation:
        start, end = self.interval(item, path)
        withdrawn_on = self.day(item.get("withdrawnOn"), f"{path}.withdrawnOn")
        if withdrawn_on and start and withdrawn_on < start:
            self.problem(f"{path}.withdrawnOn", f"'withdrawnOn' ({withdrawn_on}) is before 'from' ({start})",
                         C.INVALID_DATE_RANGE)
        suspensions = []
        for index, raw in enumerate(item.get("suspensions", [])):
            s_start, s_end = self.interval(raw, f"{path}.suspensions[{index}]")
            suspensions.append(model.Suspension(s_start, s_end, raw.get("note")))
        found = any_overlap(suspensions)
        if found:
            self.problem(f"{path}.suspensions[{found[1]}]", f"overlaps {path}.suspensions[{found[0]}]",
                         C.OVERLAPPING_INTERVAL)
        scope = tuple(
            model.ScopeItem(
                s["identifier"], tuple(s.get("hsPrefixes", ())), tuple(s.get("excludedHsPrefixes", ()))
            )
            for s in item.get("scope", [])
        )
        return model.Accreditation(
            cab=cab,
            number=item["number"],
            accreditation_body=item["accreditationBody"],
            activity=Activity(item["activity"]),
            valid_from=start,
            valid_to=end,
            suspensions=tuple(suspensions),
            withdrawn_on=withdrawn_on,
            scope=scope,
            provenance=self.provenance(item),
        )

    def policy(self, item: dict, path: str) -> model.ImportPolicy:
        return RequirementsBuilder(self).policy(item, path)


def _key_text(key: Any) -> str:
    if isinstance(key, tuple):
        return " / ".join("-" if part is None else str(part) for part in key)
    return str(key)
