"""Every URL pattern of the site, the admin's included, as templates a test can fill in.

Tests that must cover every URL (login, roles, invalid characters) walk `site_routes()`, so a URL
added later is covered without anyone remembering to list it. Route patterns ("<int:pk>/") and
regular expressions (the admin's "^(?P<app_label>auth|...)/$") both become a list of literal text
and placeholders; `Route.url()` fills the placeholders, percent-encoding what it is given.
"""
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Placeholder:
    name: str
    sample: str  # a value the pattern accepts


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself for an unnamed one
    parts: tuple  # str literals and Placeholders

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for p in self.parts if isinstance(p, Placeholder)]

    def url(self, **values: str) -> str:
        """The path with samples, except the placeholders named in `values` (percent-encoded)."""
        out = []
        for part in self.parts:
            if isinstance(part, Placeholder):
                out.append(quote(values[part.name], safe="") if part.name in values else part.sample)
            else:
                out.append(part)
        return "/" + "".join(out)


def _route_parts(route: str) -> list:
    parts, at = [], 0
    for match in _ROUTE_PARAM.finditer(route):
        parts.append(route[at:match.start()])
        sample = "1" if match["converter"] in ("int", "path", None) and match["name"] != "code" else "X"
        if match["converter"] == "uuid":
            sample = "00000000-0000-4000-8000-000000000000"
        parts.append(Placeholder(match["name"], sample))
        at = match.end()
    parts.append(route[at:])
    return parts


def _regex_parts(regex: str, offset: int) -> list:
    """Literal text and top-level groups of a simple URL regex (no escapes outside the groups)."""
    text = regex.removeprefix("^").removesuffix("$")
    parts, literal, i, n = [], "", 0, offset
    while i < len(text):
        if text[i] != "(":
            literal += text[i]
            i += 1
            continue
        depth, j = 0, i
        while True:
            depth += {"(": 1, ")": -1}.get(text[j], 0)
            if depth == 0:
                break
            j += 1
        group = text[i + 1:j]
        named = re.match(r"\?P<(\w+)>", group)
        name = named.group(1) if named else f"arg{n}"
        body = group[named.end():] if named else group
        n += 1
        alternatives = body.split("|")
        sample = alternatives[0] if all(re.fullmatch(r"\w+", a) for a in alternatives) else "1"
        parts += [literal, Placeholder(name, sample)]
        literal, i = "", j + 1
    parts.append(literal)
    return parts


def site_routes() -> list[Route]:
    routes = []

    def walk(patterns, prefix: list, namespace):
        for p in patterns:
            if isinstance(p.pattern, RoutePattern):
                here = _route_parts(str(p.pattern))
            elif isinstance(p.pattern, RegexPattern):
                here = _regex_parts(str(p.pattern), offset=sum(isinstance(x, Placeholder) for x in prefix))
            else:  # pragma: no cover - a new kind of pattern must be taught here
                raise AssertionError(f"Unknown URL pattern type {type(p.pattern)}")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + here, p.namespace or namespace)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "".join(
                    x if isinstance(x, str) else f"<{x.name}>" for x in prefix + here))
                routes.append(Route(name, tuple(x for x in prefix + here if x != "")))

    walk(get_resolver().url_patterns, [], None)
    return routes
