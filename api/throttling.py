"""Request rates per person (token or session) and per address for requests without credentials.

The rates are read from settings on every request (API_THROTTLE_USER, API_THROTTLE_ANON, from the
environment), not frozen when the module loads as DRF's own classes do. Counts live in Django's
cache: with several processes, use a shared cache for one count per person."""
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_USER


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_ANON
