"""The signed-in person's menu, kept between requests (issue 17).

The menu (its links by role, the badges of what waits, the person's name and roles) was a third of
the CPU of a cached page: a dozen {% url %} reversals and permission lookups, the same on every
request. It is kept per person under every cache stamp (their permissions' grants, the figures the
badges count, the chains) and the day (what falls due), so a change of role or a new submission
shows on the next request. Only in a reading request, where the stamps are read anyway."""
from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from citiesalliance.page_cache import all_stamps, get_or_build, in_reading_request

register = template.Library()

MENU = "_main_menu.html"


@register.simple_tag(takes_context=True)
def main_menu(context):
    def build() -> str:
        return context.template.engine.get_template(MENU).render(context)

    request = context.get("request")
    if request is None or not in_reading_request():
        return mark_safe(build())
    user = request.user
    parts = (user.pk, user.is_staff, user.is_superuser, user.get_full_name(), user.username, timezone.localdate())
    return mark_safe(get_or_build("menu", parts, build, stamp=all_stamps()))


@register.filter
def seen_by(frameworks, request):
    """The frameworks of a menu that the reader may see: a programme role sees its own programme and
    the organisation's chains, never another programme (results/programme_rules.py)."""
    from results import programme_rules, programmes

    if request is None or programmes.everywhere(request.user, programme_rules.SEE):
        return frameworks
    return [f for f in frameworks if programmes.may(request.user, programme_rules.SEE, programmes.place_of(f))]
