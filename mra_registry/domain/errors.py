"""Errors the domain raises on input it cannot decide on. The API turns them into errors-as-data
(``{field, message, code}``); the codes are shared with it."""
from __future__ import annotations

from .codes import _Code


class InputErrorCode(_Code):
    INVALID_HS_CODE = "INVALID_HS_CODE"
    UNKNOWN_ECONOMY = "UNKNOWN_ECONOMY"
    INVALID_INPUT = "INVALID_INPUT"


class InvalidInput(ValueError):
    """The consignment cannot be decided as given: ``field`` names the input field (as the API spells it),
    ``message`` says what is wrong in words an officer understands, ``code`` is machine-readable."""

    def __init__(self, field: str, message: str, code: InputErrorCode):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
