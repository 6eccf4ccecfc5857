"""What an app holds for its subsystems, each under one named slot instead of a string key repeated
across modules: the owner defines `SHIPPER = Slot("shipper")` and fills it in its init_app; every
reader calls `shipper.SHIPPER.of(app)`, so a dependency is an import that a reader (and the layout
test) can follow. Slots live in `app.extensions`, as Flask extensions do."""
from flask import current_app


class Slot:
    """One thing an app holds (an object, or a list or dict several modules add to)."""

    def __init__(self, name):
        self.name = name

    def put(self, app, value):
        """Hold `value` for this app; returns it."""
        app.extensions[self.name] = value
        return value

    def of(self, app=None):
        """What this app (else the current one) holds; KeyError when nothing was put."""
        return (app or current_app).extensions[self.name]

    def find(self, app=None, default=None):
        """What this app (else the current one) holds, or `default` when nothing was put."""
        return (app or current_app).extensions.get(self.name, default)

    def append(self, app, *values):
        """Add values to the list this slot holds (made empty on first use)."""
        app.extensions.setdefault(self.name, []).extend(values)

    def update(self, app, values):
        """Add entries to the dict this slot holds (made empty on first use); returns the dict."""
        found = app.extensions.setdefault(self.name, {})
        found.update(values)
        return found
