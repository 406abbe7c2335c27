"""A decision as plain JSON, in the same shape (camelCase) as the API's ClearanceDecision, so the CLI prints
the same thing whether it decided locally or asked a server."""
from __future__ import annotations

from typing import Any

from ..domain.decision import Decision


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _route(route) -> dict[str, Any]:
    return {"kind": route.kind.value,
            "arrangement": {"code": route.arrangement} if route.arrangement else None,
            "sector": {"code": route.sector} if route.sector else None,
            "list": {"code": route.acceptance_list} if route.acceptance_list else None}


def decision_to_json(decision: Decision) -> dict[str, Any]:
    route = _route(decision.route) if decision.route is not None else None
    return {
        "outcome": decision.outcome.value,
        "reason": decision.reason.value,
        "reasons": [{"code": r.code.value, "message": r.message, "route": r.route, "requirement": r.requirement}
                    for r in decision.reasons],
        "route": route,
        "routes": [_route(r) for r in decision.routes],
        "path": [
            {"kind": link.kind.value, "subject": link.subject, "record": link.record,
             "validFrom": _day(link.valid_from), "validTo": _day(link.valid_to),
             "statusOnIssue": link.status_on_issue, "statusOnClearance": link.status_on_clearance,
             "holds": link.holds, "confidence": link.confidence.upper() if link.confidence else None,
             "sources": list(link.sources),
             "requirement": link.requirement}
            for link in decision.path
        ],
        "warnings": [{"code": w.code.value, "message": w.message} for w in decision.warnings],
        "policy": {"code": decision.policy} if decision.policy else None,
        "issueDate": _day(decision.issue_date),
        "clearanceDate": _day(decision.clearance_date),
        "registryVersion": decision.registry_version,
        "assurance": decision.assurance.value,
        "checks": [{"code": c.code.value, "message": c.message, "sources": list(c.sources)} for c in decision.checks],
    }


# The GraphQL selection that returns exactly this shape from a server.
DECISION_SELECTION = """
outcome reason reasons { code message route requirement }
route { kind arrangement { code } sector { code } list { code } }
routes { kind arrangement { code } sector { code } list { code } }
path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources requirement }
warnings { code message }
policy { code }
issueDate clearanceDate registryVersion
assurance checks { code message sources }
"""
