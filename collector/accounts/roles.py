"""Who may call a route: every view declares it, once, with @needs(role) or @public.

Four roles, each a superset of the one before: a viewer reads dashboards, charts and search
results (never an email address, never a change); a coder also codes answers one at a time,
works through their own round queues and writes memos; an analyst also codes in bulk, keeps
saved searches, edits the codebook, creates rounds and exports with emails; an admin also
erases, imports codebooks, deletes and merges codes, closes or adjudicates any round and gives
people their roles. A view that serves several methods may need more for some of them:
`@needs("viewer", POST="analyst")`.
"""
ROLES = ("viewer", "coder", "analyst", "admin")
PUBLIC = "public"
# Flask's own file routes: static files are nobody's secret.
FRAMEWORK_ENDPOINTS = {"static", "bootstrap.static"}


def needs(role, **by_method):
    """Declare the least role that may call a view (per HTTP method where they differ)."""
    for wanted in (role, *by_method.values()):
        if wanted not in ROLES:
            raise ValueError(f"{wanted!r} is not one of the roles {', '.join(ROLES)}.")

    def declare(view):
        view.who_may = {"*": role, **{method.upper(): wanted for method, wanted in by_method.items()}}
        return view
    return declare


def public(view):
    """Declare a view anyone may call (respondents' pages, the health check, the login page)."""
    view.who_may = {"*": PUBLIC}
    return view


def required(view, method):
    """The role a call of view with this method needs, PUBLIC, or None when the view declares nothing."""
    declared = getattr(view, "who_may", None)
    if declared is None:
        return None
    if method == "HEAD":
        method = "GET"
    return declared.get(method, declared["*"])


def allows(role, wanted):
    """True when someone holding role may do what needs wanted."""
    return wanted == PUBLIC or (role in ROLES and ROLES.index(role) >= ROLES.index(wanted))


def refusal(wanted, role):
    """What a refused person reads: the role needed and the one they hold."""
    return f"This needs the {wanted} role; you are signed in as {_article(role)} {role}."


def _article(word):
    return "an" if word[0] in "aeiou" else "a"


def undeclared(app):
    """Endpoints of app whose view declares nobody (a startup check and a test walk these)."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FRAMEWORK_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        if any(required(view, method) is None for method in rule.methods - {"OPTIONS"}):
            missing.append(rule.endpoint)
    return sorted(set(missing))
