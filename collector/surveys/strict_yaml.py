"""A YAML loader for survey files that refuses what silently changes a definition.

PyYAML's safe loader keeps the last of two equal keys (a second `surveys:` drops the first
block), expands aliases (a few lines can grow into gigabytes), and reads YAML 1.1 scalars:
`[Yes, No]` becomes True/False, `1:30` becomes 90, `010` becomes 8, and a date like
`2026-13-45` raises a bare ValueError. This loader refuses duplicate keys and aliases, reads
only true/false as booleans and only decimal integers, leaves dates as text for the
checker to read (and to report when they are wrong), and refuses nesting deeper than NESTING_MAX.
"""
import re

import yaml

NESTING_MAX = 50  # a survey or codebook file needs fewer than ten
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader without duplicate keys, aliases or YAML 1.1's implicit conversions."""

    def compose_node(self, parent, index):
        """Refuse an alias (*name) where PyYAML would reuse, and possibly multiply, a node, and nesting deeper
        than NESTING_MAX (PyYAML composes by recursion: 3,000 levels ran out of stack)."""
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a survey file",
                                              self.peek_event().start_mark)
        self.nesting = getattr(self, "nesting", 0) + 1
        try:
            if self.nesting > NESTING_MAX:
                raise yaml.composer.ComposerError(None, None, f"lists and mappings nest more than {NESTING_MAX} "
                                                  "levels deep here", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1

    def construct_mapping(self, node, deep=False):
        """A mapping whose keys are all different."""
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice",
                                                        key_node.start_mark)
            seen.add(key) if isinstance(key, (str, int, float, bool)) else None
        return super().construct_mapping(node, deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL, INT, TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
StrictLoader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
StrictLoader.add_implicit_resolver(INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
StrictLoader.add_constructor(INT, lambda loader, node: int(loader.construct_scalar(node), 10))


def load(stream):
    """The data of a survey file's text."""
    return yaml.load(stream, Loader=StrictLoader)  # noqa: S506 (StrictLoader is a SafeLoader)
