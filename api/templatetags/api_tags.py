"""What the site's pages show of the API app, without importing it: the framework page's IATI
download link ({% load api_tags %}{% iati_download framework %})."""
from django import template
from django.urls import reverse
from django.utils.html import format_html

from api.permissions import FIGURES

register = template.Library()


@register.simple_tag(takes_context=True)
def iati_download(context, framework):
    """A download link to the framework's IATI 2.03 results document, for those who may read it all."""
    request = context.get("request")
    if request is None or not request.user.has_perms(FIGURES):
        return ""
    return format_html(
        '<a class="btn btn-sm btn-outline-secondary" href="{}" download '
        'title="IATI 2.03 iati-activities XML: approved figures only">Download IATI XML</a>',
        reverse("api:framework-iati", args=[framework.code]))
