from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from citiesalliance.views import language_set
from results.views import home

# A lost database connection outside a view (e.g. while loading the session) is the 503 page too.
handler500 = "citiesalliance.middleware.server_error"
handler403 = "citiesalliance.views.permission_denied"
handler404 = "citiesalliance.views.page_not_found"

admin.site.site_header = _("Cities Alliance results management")
admin.site.site_title = _("Cities Alliance RBM")
# The lists need the width at 1280 px: the menu is the admin's home page and its breadcrumbs.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("citiesalliance.auth_urls")),
    path("language/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("results.urls")),
    path("indicators/", include("indicators.urls")),
    path("scorecard/", include("scorecard.urls")),
    path("imports/", include("spreadsheets.urls")),
    path("reminders/", include("reminders.urls")),
    path("api/", include("api.urls")),
]
if settings.DEBUG:
    # Development only: uploaded evidence; LoginRequiredMiddleware still guards it.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
