"""Errors as JSON, in the words the site uses.

A service's ValidationError becomes 400 with its messages under the field they name (a message for
no field under `non_field_errors`, DRF's convention); a ConflictError (someone saved the record
after the caller read it) becomes 409 with the current values and version; PermissionDenied 403."""
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from indicators.services import ConflictError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


def validation_body(exc: DjangoValidationError) -> dict:
    """{field: [messages]} as the form would show them."""
    if hasattr(exc, "error_dict"):
        body: dict[str, list[str]] = {}
        for field, errors in exc.error_dict.items():
            # The rulebook keys a dimension's problem "parts:<dimension>"; its message names the dimension.
            key = NON_FIELD if field == "__all__" else ("parts" if field.startswith("parts:") else field)
            body.setdefault(key, []).extend(m for e in errors for m in e.messages)
        return body
    return {NON_FIELD: list(exc.messages)}


def _flat(detail, prefix: str, out: dict) -> None:
    """DRF's nested errors of a list of objects ({"parts": {"0": {"value": [...]}}}) as the flat
    {"parts[0].value": [...]} the services' messages use, so every 400 has one shape."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if not prefix:
                name = str(key)
            elif key == NON_FIELD:
                name = prefix  # a problem of the whole list or object: under its own name
            else:
                name = f"{prefix}[{key}]" if str(key).isdigit() else f"{prefix}.{key}"
            _flat(value, name, out)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:
                _flat(item, f"{prefix}[{index}]", out)
    else:
        out[prefix] = detail


def exception_handler(exc, context):
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        flat: dict = {}
        _flat(exc.detail, "", flat)
        return Response(flat, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        body = {NON_FIELD: list(exc.messages), "current": {k: str(v) for k, v in exc.current.items()},
                "current_version": exc.current_version}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
