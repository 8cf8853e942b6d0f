"""The API's documentation pages: Swagger UI and Redoc from this site's static files
(drf-spectacular-sidecar), never a CDN, under the site's Content-Security-Policy.

Swagger UI runs in drf-spectacular's "split" form: its start-up script is a file of its own
(`?script`), so no inline script is needed. Redoc builds its search index in a Web Worker made from
a blob: URL; that page alone adds `worker-src blob:` to its policy."""
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Cities Alliance results API · Swagger UI"


@method_decorator(csp_update({"worker-src": ["'self'", "blob:"]}), name="dispatch")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
    title = "Cities Alliance results API · Redoc"
