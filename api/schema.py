"""The OpenAPI schema's error answers: every operation documents what it may answer besides its
success, so that a client (and schemathesis) finds no response outside the schema."""

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
# {field: [messages]} or {"non_field_errors": [messages]}
FIELD_ERRORS = {"type": "object", "additionalProperties": {
    "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}}
CONFLICT = {"type": "object", "properties": {
    "non_field_errors": {"type": "array", "items": {"type": "string"}},
    "current": {"type": "object", "additionalProperties": {"type": "string"}},
    "current_version": {"type": "integer"}}, "required": ["non_field_errors", "current_version"]}

_ANSWERS = {
    "400": ("The request's parameters or body are invalid: the messages name the field.", "FieldErrors"),
    "401": ("No credentials were given, or the token is not valid.", "Error"),
    "403": ("Signed in, but the role does not allow this.", "Error"),
    "404": ("No such object, or no such page.", "Error"),
    "405": ("The method is not allowed here.", "Error"),
    "406": ("The requested format cannot be produced.", "Error"),
    "415": ("The body's media type is not accepted.", "Error"),
    "429": ("Too many requests: wait and try again (Retry-After says how long).", "Error"),
}
_WRITE_ANSWERS = {"409": ("Someone saved this record after you read it: nothing was saved.", "Conflict")}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update({"Error": ERROR, "FieldErrors": FIELD_ERRORS, "Conflict": CONFLICT})
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            answers = dict(_ANSWERS)
            if method in ("post", "put", "patch", "delete"):
                answers.update(_WRITE_ANSWERS)
            responses = operation.setdefault("responses", {})
            for code, (description, name) in answers.items():
                responses.setdefault(code, {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                })
    return result
