"""What every app a test run builds shares, as the one app of a server process has it once: compiled
templates and compiled URL builders.

A run builds an app per test (and more). Each compiled every template it rendered anew (lexing, parsing,
code generation: about a tenth of the fast suite's time), and werkzeug compiled a URL-building function
for each of its 88 routes (`Rule._compile_builder`, a fifth). Both depend only on what is the same in
every app (a template's source and the environment's settings; a route's rule and defaults), so the run
compiles each once.
"""
from flask import Flask
from jinja2 import BytecodeCache
from werkzeug.routing import Rule


class RunBytecodeCache(BytecodeCache):
    """Compiled templates by key (name and source checksum, jinja's own), for the life of the process."""

    def __init__(self):
        self.code = {}

    def load_bytecode(self, bucket):
        """Give the bucket the code compiled for it earlier, if any."""
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        """Keep the code the bucket was just compiled to."""
        self.code[bucket.key] = bucket.bytecode_to_string()


def share_compiled_templates():
    """Make every Flask app of this process use one run-long bytecode cache."""
    cache = RunBytecodeCache()
    make_environment = Flask.create_jinja_environment

    def create_jinja_environment(app):
        environment = make_environment(app)
        environment.bytecode_cache = cache
        return environment

    Flask.create_jinja_environment = create_jinja_environment


def share_url_builders():
    """Compile each distinct route's URL builder once (the function takes its rule as an argument)."""
    compile_builder = Rule._compile_builder
    builders = {}

    def cached_builder(rule, append_unknown=True):
        key = (rule.rule, repr(sorted((rule.defaults or {}).items())), append_unknown, tuple(rule._trace))
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = cached_builder
