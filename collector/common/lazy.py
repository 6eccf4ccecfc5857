"""Heavy libraries loaded on first use: a web worker that never groups themes, trains a model or writes
an SPSS file never pays for scikit-learn or pandas (about 150 MB of a worker's memory; bench/embedding.py)."""
import importlib


class Deferred:
    """Stands for a module until one of its names is used, then imports it (once: Python keeps it in
    sys.modules) and hands over the real module's attribute."""

    def __init__(self, name):
        self.__name = name

    def __getattr__(self, attribute):
        return getattr(importlib.import_module(self.__name), attribute)

    def __repr__(self):
        return f"<deferred module {self.__name!r}>"


def module(name):
    """The module called name, imported on first use of one of its attributes."""
    return Deferred(name)


def call(name, function, *args):
    """module(name).function(*args): how a child process is handed work without the parent importing it."""
    return getattr(importlib.import_module(name), function)(*args)
