"""/api/v1/: the REST API, its OpenAPI 3 schema, and the documentation pages (Swagger UI, Redoc)
served from this site's static files.

The site's LoginRequiredMiddleware redirects anonymous requests to the login page; the API's views
are exempt from it because they authenticate themselves (a token or the session) and answer 401
in JSON instead. The documentation pages are ordinary pages: they send a visitor to the login page."""
from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import docs, views

app_name = "api"


def _site_page(view):
    """A documentation page is a page of the site: a login, then a role (citiesalliance.access).
    DRF marks its views login_required = False (they authenticate themselves); these do not."""
    page = login_required(view)
    page.login_required = True
    return page

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False  # one address per answer; ?format=json is enough
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("results", views.ResultViewSet, basename="result")
router.register("alignments", views.AlignmentViewSet, basename="alignment")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("dimensions", views.DimensionViewSet, basename="dimension")
router.register("baselines", views.BaselineViewSet, basename="baseline")
router.register("targets", views.TargetViewSet, basename="target")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("editions", views.EditionViewSet, basename="edition")

api_patterns = router.urls + [
    path("scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
for pattern in api_patterns:
    login_not_required(pattern.callback)

urlpatterns = [
    path("v1/", include(api_patterns)),
    # Anything else under /api/v1/ (a malformed code, a stray byte) is a JSON 404, not the site's page.
    re_path(r"^v1/(?!docs/|redoc/).*$", login_not_required(views.not_found), name="not_found"),
    path("v1/docs/", _site_page(docs.SwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("v1/redoc/", _site_page(docs.RedocView.as_view(url_name="api:schema")), name="redoc"),
]
