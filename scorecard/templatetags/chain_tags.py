"""What the results chains' pages show of the scorecard: each result's score and status for a
chosen period (the results app loads these tags; it imports nothing of this app)."""
from django import template

from scorecard.chains import chain_status as build_chain_status

register = template.Library()


@register.simple_tag
def chain_status(*framework_codes, period=None):
    """{% chain_status framework.code period=request.GET.period as chain %}: the statuses to show."""
    return build_chain_status(framework_codes=list(framework_codes), period_label=period)


@register.inclusion_tag("scorecard/_chain_period_form.html", takes_context=True)
def chain_period_form(context, chain, framework="", **keep):
    """The period menu of a chain page (a GET form), keeping the page's other choices (`keep`); its
    note links to the scorecard of `framework` at that period."""
    return {"chain": chain, "framework": framework, "keep": [(name, value) for name, value in keep.items() if value]}


@register.inclusion_tag("scorecard/_result_status.html")
def result_status(chain, code):
    """A result's score and status in colour and in words, for the period of `chain`."""
    return {"status": chain.of(code) if chain else None, "period": chain.period if chain else ""}
