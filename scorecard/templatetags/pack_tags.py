"""Template helpers of the Committee's pack (PDF templates)."""
from django import template
from django.utils.safestring import mark_safe

from scorecard.svg import points_svg

register = template.Library()


@register.filter
def spark_svg(points: str) -> str:
    """A scorecard row's sparkline points as an inline SVG (points_svg escapes them)."""
    return mark_safe(points_svg(points or ""))
