"""The REST API's spectree object: validates bodies against the pydantic schemas and generates
the OpenAPI document; bound to each app in create_app."""

from flask import abort
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from web.api.errors import error_response, validation_error_response


def _api_before(request, response, validation_error, instance, model_adapter):
    """Turn spectree's validation errors into our JSON error shape (see web.api.errors); a
    route that declares a JSON body refuses a request without one (the document says the body
    is required), even when every field of it is optional."""
    if validation_error is not None:
        validation_error_response(validation_error)
    context = getattr(request, "context", None)
    if getattr(context, "json", None) is not None and not request.get_data(cache=True):
        abort(error_response(422, "send a JSON body", {"body": "required"}))


api_spec = SpecTree(
    "flask",
    title="Crowdline API",
    version="1",
    # spectree skips every route under its own path, so it serves its copy at /apidoc/ and
    # web.api publishes the same document at /api/openapi.json.
    path="apidoc",
    filename="openapi.json",
    page_templates={},
    mode="strict",
    before=_api_before,
    validation_error_status=422,
    security_schemes=[
        SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(
            name="session",
            data=SecuritySchemeData(type="apiKey", field_in="cookie", name="session"),
        ),
    ],
    security=[{"bearer": []}, {"session": []}],
)
