from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from citiesalliance import object_access
from indicators import cached, validation
from indicators.scores import STATUS_LABELS

register = template.Library()

_STATUS_CLASSES = {
    # scorecard statuses and qualitative ratings
    "on_track": "text-bg-success", "needs_attention": "text-bg-warning", "off_track": "text-bg-danger",
    "no_data": "text-bg-secondary", "not_due": "text-bg-light border",
    # workflow states
    "draft": "text-bg-light border", "submitted": "text-bg-info", "returned": "text-bg-danger",
    "approved": "text-bg-success", "preliminary": "text-bg-warning", "planned": "text-bg-light border",
    "collected": "text-bg-info", "validated": "text-bg-success",
}
_LABELS = {status.value: label for status, label in STATUS_LABELS.items()}  # lazy: the reader's language


@register.simple_tag
def status_badge(value, label=None):
    """A coloured badge for a status, a rating or a workflow state (text says it; colour only helps)."""
    key = str(getattr(value, "value", value) or "")
    text = label or _LABELS.get(key) or key.replace("_", " ").capitalize()
    return format_html('<span class="badge {}">{}</span>', _STATUS_CLASSES.get(key, "text-bg-light border"), text)


@register.simple_tag
def figure_of(indicator, value, rating=""):
    """A figure as the reader writes it: "4.1 points out of 5", "45%", "On track" (never "4.1000")."""
    return validation.format_figure(measure=indicator.measure, value=value, rating=rating or "", unit=indicator.unit)


@register.simple_tag(takes_context=True)
def result_indicators(context, result):
    """The result page's indicators (indicators/_result_indicators.html): the results app shows them
    without importing this app. Readers who enter no data see approved targets only. Kept in the
    cache until the figures change (indicators.cached)."""
    perms = context.get("perms")
    reads_only = perms is None or not perms["indicators"]["change_measurement"]
    request = context.get("request")
    if request is not None and getattr(request, "user", None) is not None:
        reads_only = not object_access.sees_working_figures(request)
    return mark_safe(cached.result_indicators_html(result=result, perms=perms, user=context.get("user"),  # noqa: S308
                                                   approved_only=reads_only, request=request))


@register.filter
def person(user, empty="—"):
    """A user's full name, else their username; `empty` when there is none (never set, or deleted:
    the foreign keys are SET_NULL). Written as a filter because `a.b|default:a.c` fails outright
    when `a` is None: Django resolves filter arguments strictly."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
