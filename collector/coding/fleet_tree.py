"""Search mode: the codebook's tree and definitions, changed in the one `codebook` record with a
versioned write, so that two analysts moving codes at once cannot make a cycle between them."""
from collector.coding import tree
from collector.coding.fleet_codebook import CODEBOOK, book_of, tree_of
from collector.coding.hierarchy import checked_details
from collector.common.error_pages import UserError
from collector.journal import audit, get_db
from collector.workspace.versioned import change_one


def _code_in(book, code):
    found = book["data"]["codes"].get(code["id"])
    if found is None:
        raise UserError("That code was deleted a moment ago.", 404)
    return found


class FleetTree:
    """Moving and defining codes (mixed into FleetCoding, which provides records and the codebook)."""

    def move_code(self, code, parent, actor):
        """Put a code under parent (a code, or None for the top level); the name of the parent it had."""
        had = {}

        def move(source):
            book = book_of(source)
            codes = book["data"]["codes"]
            found = _code_in(book, code)
            if parent is not None:
                _code_in(book, parent)
            tree.check_parent(*tree_of(book), code["id"], parent and parent["id"])
            had["name"] = codes[found["parent"]]["name"] if found.get("parent") in codes else None
            found["parent"] = parent and parent["id"]
            return book
        change_one(self.records, CODEBOOK, move)
        audit.log_action(get_db(), actor, "code.move", 0, f"code:{code['name']}->{parent['name'] if parent else '(top)'}")
        return had["name"]

    def define_code(self, code, definition, exclusion, examples, actor):
        """Set a code's definition, exclusion rule and example answers (None: as they are); audited."""
        definition, exclusion, examples = checked_details(definition, exclusion, examples)

        def define(source):
            book = book_of(source)
            found = _code_in(book, code)
            found.update(definition=definition, exclusion=exclusion, examples=found.get("examples", []) if examples
                         is None else examples)
            return book
        change_one(self.records, CODEBOOK, define)
        audit.log_action(get_db(), actor, "code.define", 0, f"code:{code['name']}")
