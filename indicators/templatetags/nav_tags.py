"""The navigation bar's badges: how much waits for the signed-in person (indicators.cached)."""
from django import template
from django.utils.html import format_html

from indicators.cached import waiting_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_badge(context, which: str, words: str):
    """A small badge, e.g. "3" with "3 due" for screen readers; nothing when nothing waits. The counts
    are read once per request, whichever links ask."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    counts = getattr(request, "nav_waiting_counts", None)
    if counts is None:
        counts = request.nav_waiting_counts = waiting_counts(user=request.user)
    n = counts.get(which, 0)
    if not n:
        return ""
    return format_html('<span class="badge rounded-pill text-bg-warning nav-count" aria-hidden="true">{}</span>'
                       '<span class="visually-hidden">, {} {}</span>', n, n, words)
