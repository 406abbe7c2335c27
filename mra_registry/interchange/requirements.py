"""Policy model v2 in a registry document (RULES.md, "Policies with several requirements…" and step 7): a policy's
requirements (the flat form or ``requirements``), origins, border checks and legal source; regulatory
authorities' competences; importers' acceptance lists and their entries. Each problem carries its JSON path."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..domain import model
from ..domain.codes import Activity, ArrangementKind, AttestationType, CabKind, CompetenceKind, RouteKind
from .problems import Problem, ProblemCode as C

if TYPE_CHECKING:
    from .entities import EntityBuilder
    from .parsed import KnownCodes

# the fields of one requirement, in the flat form (the policy's own) and in ``requirements`` (each item's)
FLAT_FIELDS = ("requiredType", "requiredTests", "routes", "maxAgeDays", "maxAgeMonths", "lotMatch")
NAMED_ROUTES = (RouteKind.ARRANGEMENT, RouteKind.GOVERNMENT)


class RequirementsBuilder:
    """Builds the v2 parts of one document, reporting through the document builder it belongs to."""

    def __init__(self, builder: "EntityBuilder"):
        self.builder = builder

    def problem(self, path: str, message: str, code: str = C.INCONSISTENT) -> None:
        self.builder.problem(path, message, code)

    # -- import policies ------------------------------------------------------------------------------------
    def policy(self, item: dict, path: str) -> model.ImportPolicy:
        start, end = self.builder.interval(item, path)
        if "requirements" in item:  # the schema refuses the flat fields beside it
            requirements = [self.requirement(raw, f"{path}.requirements[{i}]", "type")
                            for i, raw in enumerate(item["requirements"])]
        else:
            requirements = [self.requirement(item, path, "requiredType")]
        first, *more = requirements
        return model.ImportPolicy(
            code=item["code"],
            importer=item["importer"],
            hs_prefixes=tuple(item["hsPrefixes"]),
            required_type=first.required_type,
            excluded_hs_prefixes=tuple(item.get("excludedHsPrefixes", ())),
            required_tests=first.required_tests,
            routes=first.routes,
            max_age_days=first.max_age_days,
            lot_match=first.lot_match,
            valid_from=start,
            valid_to=end,
            name=item.get("name"),
            provenance=self.builder.provenance(item),
            max_age_months=first.max_age_months,
            additional_requirements=tuple(more),
            origins=tuple(item.get("origins", ())),
            border_checks=self.border_checks(item.get("borderChecks")),
            legal_source=self.legal_source(item.get("legalSource")),
        )

    def requirement(self, raw: dict, path: str, type_field: str) -> model.Requirement:
        required_type = AttestationType(raw[type_field])
        routes = tuple(self.route(r, f"{path}.routes[{i}]") for i, r in enumerate(raw.get("routes", [])))
        if raw.get("maxAgeDays") is not None and raw.get("maxAgeMonths") is not None:
            self.problem(f"{path}.maxAgeMonths", "give the age limit in days (maxAgeDays) or in calendar months "
                                                 "(maxAgeMonths), not both")
        for index, route in enumerate(routes):
            here = f"{path}.routes[{index}]"
            if route.kind is RouteKind.ANY and len(routes) > 1:
                self.problem(here, "the ANY route is always a requirement's only route (it accepts any issuer)")
            if required_type is AttestationType.OFFICIAL_CERTIFICATE and route.kind is not RouteKind.OFFICIAL_CERTIFICATE:
                self.problem(here, f"an OFFICIAL_CERTIFICATE requirement takes the OFFICIAL_CERTIFICATE route only, "
                                   f"not {route.kind.value}")
        return model.Requirement(
            required_type=required_type,
            required_tests=tuple(raw.get("requiredTests", ())),
            routes=routes,
            max_age_days=raw.get("maxAgeDays"),
            max_age_months=raw.get("maxAgeMonths"),
            lot_match=raw.get("lotMatch", False),
        )

    def route(self, raw: dict, path: str) -> model.Route:
        kind = RouteKind(raw["kind"])
        arrangements = tuple(raw.get("arrangements", ()))
        acceptance_list = raw.get("list")
        if kind is RouteKind.ARRANGEMENT and not arrangements:
            self.problem(f"{path}.arrangements", "an arrangement route must name an arrangement")
        if kind not in NAMED_ROUTES and arrangements:
            self.problem(f"{path}.arrangements", f"a {kind.value} route names no arrangement")
        if kind is RouteKind.LIST and not acceptance_list:
            self.problem(f"{path}.list", "a LIST route names the importer's acceptance list")
        if kind is not RouteKind.LIST and acceptance_list is not None:
            self.problem(f"{path}.list", f"only a LIST route names a list, not a {kind.value} route")
        return model.Route(kind, arrangements, acceptance_list if kind is RouteKind.LIST else None)

    @staticmethod
    def border_checks(raw: dict | None) -> model.BorderChecks | None:
        if raw is None:
            return None
        return model.BorderChecks(raw["percent"], raw.get("note"))

    @staticmethod
    def legal_source(raw: dict | None) -> model.LegalSource | None:
        if raw is None:
            return None
        return model.LegalSource(raw["instrument"], raw.get("reference"), raw.get("url"))

    # -- competences ----------------------------------------------------------------------------------------
    def competences(self, item: dict, path: str) -> tuple[model.Competence, ...]:
        raw_items = item.get("competences", [])
        if raw_items and CabKind.REGULATORY_AUTHORITY.value not in item["kinds"]:
            self.problem(f"{path}.competences", "only a REGULATORY_AUTHORITY holds competences (add the kind, or "
                                                "record the body's accreditations instead)")
        competences = []
        for index, raw in enumerate(raw_items):
            start, end = self.builder.interval(raw, f"{path}.competences[{index}]")
            competences.append(model.Competence(
                cab=item["code"], kind=CompetenceKind(raw["kind"]), hs_prefixes=tuple(raw["hsPrefixes"]),
                valid_from=start, valid_to=end, excluded_hs_prefixes=tuple(raw.get("excludedHsPrefixes", ())),
                provenance=self.builder.provenance(raw),
            ))
        return tuple(competences)

    # -- acceptance lists -----------------------------------------------------------------------------------
    def acceptance_list(self, item: dict, path: str) -> model.AcceptanceList:
        entries = []
        groups: dict[Any, list[tuple[int, Any]]] = {}
        for index, raw in enumerate(item.get("entries", [])):
            here = f"{path}.entries[{index}]"
            start, end = self.builder.interval(raw, here)
            entry = model.ListEntry(
                acceptance_list=item["code"], cab=raw["cab"],
                activity=Activity(raw["activity"]) if raw.get("activity") else None,
                valid_from=start, valid_to=end,
                scope=tuple(model.ScopeItem(s["identifier"], tuple(s.get("hsPrefixes", ())),
                                            tuple(s.get("excludedHsPrefixes", ()))) for s in raw.get("scope", [])),
                provenance=self.builder.provenance(raw),
            )
            entries.append(entry)
            groups.setdefault(entry_key(entry), []).append((index, entry))
        ended = self.builder.history(entries, groups, lambda i: f"{path}.entries[{i}]", "CAB and activity")
        return model.AcceptanceList(item["code"], item["name"], item["owner"], tuple(ended),
                                    self.builder.provenance(item))


def entry_key(entry: model.ListEntry) -> tuple[str, str | None]:
    """What a list's history is kept by: one CAB for one activity."""
    return (entry.cab, entry.activity.value if entry.activity else None)


def route_paths(data: dict, index: int, policy: model.ImportPolicy) -> list[tuple[str, model.Route]]:
    """Each route of a policy with the JSON path it came from (the flat form or ``requirements``)."""
    path = f"$.importPolicies[{index}]"
    raw = data.get("importPolicies", [])[index] if index < len(data.get("importPolicies", [])) else {}
    found = []
    for r, requirement in enumerate(policy.requirements):
        where = f"{path}.requirements[{r}]" if "requirements" in raw else path
        found.extend((f"{where}.routes[{j}]", route) for j, route in enumerate(requirement.routes))
    return found


def requirement_references(name: str, data: dict, policies: Sequence[model.ImportPolicy],
                           lists: Sequence[model.AcceptanceList], known: "KnownCodes", party: Callable[[str, str], None],
                           arrangement_of: Callable[[str, str, tuple[ArrangementKind, ...]], bool]) -> list[Problem]:
    """What policies, lists and their entries name must exist: arrangements of the right kind, acceptance lists,
    origins, list owners and the CABs on a list."""
    problems: list[Problem] = []

    def problem(path: str, message: str, code: str = C.UNKNOWN_REFERENCE) -> None:
        problems.append(Problem(path, message, name, code))

    accreditation_kinds = (ArrangementKind.ACCREDITATION_GLOBAL, ArrangementKind.ACCREDITATION_REGIONAL)
    for i, policy in enumerate(policies):
        path = f"$.importPolicies[{i}]"
        party(policy.importer, f"{path}.importer")
        for j, origin in enumerate(policy.origins):
            party(origin, f"{path}.origins[{j}]")
        for where, route in route_paths(data, i, policy):
            if route.kind in NAMED_ROUTES:
                kinds = accreditation_kinds if route.kind is RouteKind.ARRANGEMENT else (ArrangementKind.GOVERNMENT,)
                for k, code in enumerate(route.arrangements):
                    arrangement_of(code, f"{where}.arrangements[{k}]", kinds)
            if route.kind is RouteKind.LIST and route.acceptance_list \
                    and route.acceptance_list not in known.acceptance_lists:
                problem(f"{where}.list", f"unknown acceptance list {route.acceptance_list!r}")
    for i, acceptance_list in enumerate(lists):
        path = f"$.acceptanceLists[{i}]"
        party(acceptance_list.owner, f"{path}.owner")
        for j, entry in enumerate(acceptance_list.entries):
            if entry.cab not in known.cabs:
                problem(f"{path}.entries[{j}].cab", f"unknown conformity assessment body {entry.cab!r}")
    return problems
