"""Invented facts never overwrite real ones (RULES.md: an invented fact may not "stand in for, or replace, a
confirmed one"). A load whose `fixture` record would replace or retire a `confirmed` or `unconfirmed` one is
refused as a whole; tests that build such a registry on purpose say so (`allow_fixture_overwrite`).

Records are compared in their canonical document form, per the key a load replaces them by: an entity's own
fields, one key of a history (a status key, a membership, a designation key, a sector, an accreditation, an
activity start, a competence kind), a policy, a look-alike body, a declaration, an acceptance list's own fields
and one key of its entries (a CAB and activity)."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..domain import model
from ..domain.codes import Confidence
from ..interchange import credentials as credential_documents
from ..interchange import writer
from ..interchange.merging import merge_documents
from ..interchange.problems import Problem, ProblemCode
from ..interchange.parsed import ParsedDocument
from ..interchange.requirements import entry_key

FIXTURE = Confidence.FIXTURE.value


def as_document(registry: model.Registry | ParsedDocument, name: str = "registry") -> ParsedDocument:
    if isinstance(registry, ParsedDocument):
        return registry
    return ParsedDocument(name, registry.unions, registry.arrangements, registry.accreditation_bodies, registry.cabs,
                          registry.policies, registry.lookalike_bodies, registry.declarations,
                          registry.acceptance_lists)


def fixture_overwrites(current: model.Registry, documents: Sequence[ParsedDocument]) -> list[Problem]:
    """Every place where a document's fixture record would replace a real one: in the registry, or in an
    earlier document of the same set (loaded in order)."""
    problems: list[Problem] = []
    state = as_document(current)
    for document in documents:
        problems.extend(_Guard(state, document).problems)
        state = merge_documents([state, document])
    return problems


def _confidences(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["confidence"]} if isinstance(value.get("confidence"), str) else set()
        for item in value.values():
            found |= _confidences(item)
        return found
    if isinstance(value, list):
        return set().union(*(_confidences(item) for item in value)) if value else set()
    return set()


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def _described(record: dict[str, Any]) -> str:
    real = sorted(_confidences(record) - {FIXTURE}) or ["unconfirmed"]
    sources = record.get("sources") or []
    where = f"source {sources[0]}" if sources else "no source given"
    return f"{'/'.join(real)}, {where}"


class _Guard:
    def __init__(self, state: ParsedDocument, document: ParsedDocument):
        self.document = document
        self.problems: list[Problem] = []
        for attribute, path, canonical, histories in (
            ("unions", "unions", writer.union, (("memberships", lambda x: x.economy, "membership"),)),
            ("arrangements", "arrangements", writer.arrangement,
             (("sectors", lambda s: s.code, "sector"), ("activity_starts", lambda s: s.activity.value, "activity start"))),
            ("accreditation_bodies", "accreditationBodies", writer.accreditation_body,
             (("statuses", lambda s: (s.arrangement, s.activity.value if s.activity else None, s.standard), "status"),)),
            ("cabs", "conformityAssessmentBodies", writer.cab,
             (("accreditations", lambda a: (a.accreditation_body, a.number), "accreditation"),
              ("designations", lambda d: (d.arrangement, d.sector, d.for_party), "designation"),
              ("competences", lambda x: x.kind.value, "competence"),
              ("verification_keys", lambda k: k.key_id, "verification key"),
              ("status_lists", lambda x: (x.url, x.purpose), "status list"))),
            ("policies", "importPolicies", writer.policy, ()),
            ("lookalike_bodies", "lookalikeBodies", writer.lookalike_body, ()),
            ("declarations", "completenessDeclarations", writer.declaration, ()),
            ("acceptance_lists", "acceptanceLists", writer.acceptance_list, (("entries", entry_key, "list entry"),)),
        ):
            held = {e.code: e for e in getattr(state, attribute)}
            for index, entity in enumerate(getattr(document, attribute)):
                old = held.get(entity.code)
                if old is not None:
                    self.entity(f"$.{path}[{index}]", entity, old, canonical, histories)

    def refuse(self, path: str, what: str, old: dict[str, Any]) -> None:
        self.problems.append(Problem(
            path, f"this fixture record would replace {what} that the registry holds as a real fact "
                  f"({_described(old)}); invented data never overwrites real data (tests may allow it explicitly)",
            self.document.name, ProblemCode.FIXTURE_OVERWRITE))

    def entity(self, path: str, new: Any, old: Any, canonical: Callable[[Any], dict], histories: Iterable) -> None:
        names = [_CAMEL[attribute] for attribute, _, _ in histories]
        after, before = _without(canonical(new), *names), _without(canonical(old), *names)
        label = f"{type(new).__name__} {new.code}"
        if after != before and new.provenance.confidence is Confidence.FIXTURE \
                and old.provenance.confidence is not Confidence.FIXTURE:
            self.refuse(path, f"the fields of {label}", before)
        for attribute, key, what in histories:
            self.history(f"{path}.{_CAMEL[attribute]}", label, what, key, getattr(new, attribute) or (),
                         getattr(old, attribute) or (), _ITEM[attribute])

    def history(self, path: str, label: str, what: str, key: Callable, new_items: Sequence, old_items: Sequence,
                canonical: Callable[[Any], dict]) -> None:
        new_groups: dict[Any, list[tuple[int, dict]]] = {}
        for index, item in enumerate(new_items):
            new_groups.setdefault(key(item), []).append((index, canonical(item)))
        old_groups: dict[Any, list[dict]] = {}
        for item in old_items:
            old_groups.setdefault(key(item), []).append(canonical(item))
        for group_key, indexed in new_groups.items():
            after = [c for _, c in indexed]
            before = old_groups.get(group_key, [])
            # a fixture record carried over unchanged replaces nothing; a new or changed one may
            fixture = next((i for i, c in indexed if FIXTURE in _confidences(c) and c not in before), None)
            if fixture is None:
                continue
            lost = [c for c in before if c not in after and _confidences(c) - {FIXTURE}]
            if lost:
                shown = " / ".join("-" if k is None else str(k) for k in
                                   (group_key if isinstance(group_key, tuple) else (group_key,)))
                self.refuse(f"{path}[{fixture}]", f"the {what} {shown} of {label}", lost[0])


_CAMEL = {"memberships": "memberships", "sectors": "sectors", "activity_starts": "activityStarts",
          "statuses": "statuses", "accreditations": "accreditations", "designations": "designations",
          "competences": "competences", "entries": "entries", "verification_keys": "verificationKeys",
          "status_lists": "statusLists"}
_ITEM: dict[str, Callable[[Any], dict]] = {
    "memberships": lambda x: writer.union(model.Union("", "", memberships=(x,)))["memberships"][0],
    "sectors": writer.sector,
    "activity_starts": writer.activity_start,
    "statuses": lambda s: writer.accreditation_body(model.AccreditationBody("", "", None, statuses=(s,)))["statuses"][0],
    "accreditations": writer.accreditation,
    "designations": lambda d: writer.cab(model.ConformityAssessmentBody("", "", "", (), designations=(d,)))["designations"][0],
    "competences": writer.competence,
    "entries": writer.list_entry,
    "verification_keys": credential_documents.key_json,
    "status_lists": credential_documents.status_list_json,
}
