"""What pages of the lower apps show of the scorecard (they never import this app)."""
from django import template

from scorecard.effects import proposal_effect as build_effect

register = template.Library()


@register.inclusion_tag("scorecard/_proposal_effect.html")
def proposal_effect(proposal):
    """The proposal page's "effect" table: each affected row before and after approval."""
    return {"effect": build_effect(proposal=proposal), "proposal": proposal}
