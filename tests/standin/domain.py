"""Routes of the stand-in domain: index admin, aliases, bulk, search, documents, reindex."""
import json
import threading
import time

from tests.standin.analysis import aggregate, expand_more_like_this
from tests.standin.engine import (
    ApiError,
    Index,
    highlight,
    millis,
    positions_in,
    positive_text_queries,
    score_of,
    texts_of,
)


class Domain:
    """The state of one fake AWS domain, guarded by one lock."""

    def __init__(self, service="es"):
        self.service, self.lock = service, threading.RLock()
        self.indices, self.aliases, self.tasks = {}, {}, {}
        self.copy_seconds = lambda: 0.0  # how long a reindex copy takes (the server's switches)
        self.refresh_seconds = lambda: 0.0  # the refresh interval: how long before search sees a write

    def resolve(self, target):
        """The concrete index behind an alias or index name."""
        name = self.aliases.get(target, target)
        if name not in self.indices:
            raise ApiError(404, "index_not_found_exception", f"no such index [{target}]")
        return self.indices[name]

    def route(self, method, parts, params, body):
        """Dispatch one request; returns (status, body dict or None)."""
        with self.lock:
            return self._route(method, parts, params, body)

    def _route(self, method, parts, params, body):
        _check_params(method, parts, params)
        if not parts:
            if self.service == "aoss":
                raise ApiError(404, "not_found", "GET / is not supported on serverless")
            return 200, {"version": {"distribution": "opensearch", "number": "2.19.0"}, "tagline": "stand-in"}
        head, *rest = parts
        if head == "_alias" and rest:
            return self.get_alias(rest[0], method)
        if head == "_aliases" and method == "POST":
            return self.update_aliases(body)
        if head == "_reindex" and method == "POST":
            return self.reindex(body, params)
        if head == "_tasks" and method == "GET":
            return self.task(rest[0]) if rest else self.running_tasks(params)
        if not rest:
            return self.index_admin(method, head, body)
        return self.document_api(method, head, rest, params, body)

    def index_admin(self, method, name, body):
        if method == "HEAD":
            return (200 if name in self.indices or name in self.aliases else 404), None
        if method != "PUT":
            raise ApiError(405, "method_not_allowed", f"{method} /{name}")
        if name in self.indices or name in self.aliases:
            raise ApiError(400, "resource_already_exists_exception", f"index [{name}] already exists")
        if unknown := sorted(set(body or {}) - {"settings", "mappings", "aliases"}):
            raise ApiError(400, "parse_exception", f"unknown key [{unknown[0]}] for create index")
        self.indices[name] = Index(name, body)
        for alias in (body or {}).get("aliases", {}):
            self.aliases[alias] = name
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def get_alias(self, alias, method):
        if alias not in self.aliases:
            if method == "HEAD":
                return 404, None
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, {self.aliases[alias]: {"aliases": {alias: {}}}}

    def update_aliases(self, body):
        for action in body["actions"]:
            (kind, spec), = action.items()
            if kind == "remove" and self.aliases.get(spec["alias"]) == spec["index"]:
                del self.aliases[spec["alias"]]
            elif kind == "add":
                self.resolve(spec["index"])
                self.aliases[spec["alias"]] = spec["index"]
        return 200, {"acknowledged": True}

    def reindex(self, body, params):
        """Copy at once (the caller waited), or start a task that completes after copy_seconds."""
        self.resolve(body["source"]["index"]), self.resolve(body["dest"]["index"])
        if params.get("wait_for_completion") != "false":
            return 200, self._copy(body)
        task_id = f"standin:{len(self.tasks) + 1}"
        self.tasks[task_id] = {"body": body, "due": time.time() + self.copy_seconds(), "response": None}
        return 200, {"task": task_id}

    def _copy(self, body):
        source, dest = self.resolve(body["source"]["index"]), self.resolve(body["dest"]["index"])
        create_only = body["dest"].get("op_type") == "create"
        results = [dest.put(i, s, create_only)[0] for i, s in list(source.docs.items())]
        return {"took": 1, "timed_out": False, "total": len(results), "failures": [],
                "created": results.count("created"), "updated": results.count("updated"),
                "noops": results.count("noop"), "version_conflicts": 0}

    def task(self, task_id):
        """GET /_tasks/<id>: running with a partial status until due, then completed with the response."""
        if task_id not in self.tasks:
            raise ApiError(404, "resource_not_found_exception",
                           f"task [{task_id}] isn't running and hasn't stored its results")
        task = self.tasks[task_id]
        total = len(self.resolve(task["body"]["source"]["index"]).docs)
        if time.time() < task["due"]:
            return 200, {"completed": False, "task": {"id": task_id, "action": "indices:data/write/reindex",
                                                      "status": {"total": total, "created": total // 2}}}
        task["response"] = task["response"] or self._copy(task["body"])
        status = {k: task["response"][k] for k in ("total", "created", "updated", "noops", "version_conflicts")}
        return 200, {"completed": True, "task": {"id": task_id, "status": status}, "response": task["response"]}

    def running_tasks(self, params):
        """GET /_tasks?actions=*reindex&detailed=true: the copies not yet done."""
        running = {task_id: {"action": "indices:data/write/reindex", "description":
                             f"reindex from [{t['body']['source']['index']}] to [{t['body']['dest']['index']}][_doc]"}
                   for task_id, t in self.tasks.items() if time.time() < t["due"]}
        return 200, {"nodes": {"standin": {"tasks": running}}}

    def document_api(self, method, target, rest, params, body):
        op = rest[0]
        if op == "_alias" and method == "GET":
            index = self.resolve(target)
            names = {a: {} for a, i in self.aliases.items() if i == index.name}
            return 200, {index.name: {"aliases": names}}
        if op == "_bulk" and method in ("POST", "PUT"):
            return self.bulk(target, params, body)
        if op == "_mapping" and method == "GET":
            index = self.resolve(target)
            return 200, {index.name: {"mappings": index.mappings}}
        if op == "_mapping" and method in ("PUT", "POST"):
            self.resolve(target).put_mapping(body or {})
            return 200, {"acknowledged": True}
        if op == "_search" and method in ("GET", "POST"):
            return self.search(self.resolve(target), body or {})
        if op == "_refresh" and self.service != "aoss":
            self.resolve(target).refreshed_at = time.time()
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if op == "_doc" and len(rest) == 2 and method in ("PUT", "POST"):
            index = self.resolve(target)
            result, version = index.put(rest[1], body)
            return (201 if result == "created" else 200), {
                "_index": index.name, "_id": rest[1], "_version": version, "result": result}
        if op == "_doc" and len(rest) == 2:
            return self.doc(method, self.resolve(target), rest[1])
        raise ApiError(400, "illegal_argument_exception", f"no handler for {method} /{target}/{'/'.join(rest)}")

    def doc(self, method, index, doc_id):
        meta = {"_index": index.name, "_id": doc_id}
        if doc_id not in index.docs:
            return 404, {**meta, "found": False} if method == "GET" else {**meta, "result": "not_found"}
        if method == "DELETE":
            del index.docs[doc_id]
            return 200, {**meta, "result": "deleted"}
        return 200, {**meta, "_version": index.versions[doc_id], "found": True, "_source": index.docs[doc_id]}

    def bulk(self, target, params, lines):
        if params.get("require_alias") == "true" and target not in self.aliases:
            error = ApiError(404, "index_not_found_exception",
                             f"no such index [{target}] and [require_alias] request flag is [true] "
                             f"and [{target}] is not an alias")
            items = [{kind: {"_index": target, "_id": spec.get("_id"), "status": 404, "error": error.body()["error"]}}
                     for kind, spec in (next(iter(a.items())) for a, _ in lines)]
            return 200, {"took": 1, "errors": True, "items": items}
        index = self.resolve(target)
        items = [self.bulk_item(index, action, source, n) for n, (action, source) in enumerate(lines)]
        errors = any("error" in next(iter(item.values())) for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def bulk_item(self, index, action, source, n):
        (kind, spec), = action.items()
        meta = {"_index": index.name, "_id": spec.get("_id")}
        try:
            if self.item_fault(n):
                raise ApiError(429, "es_rejected_execution_exception", "rejected execution (queue capacity 200)")
            if kind == "delete":
                found = index.docs.pop(spec["_id"], None) is not None
                return {kind: {**meta, "result": "deleted" if found else "not_found", "status": 200 if found else 404}}
            if kind == "update":
                return {kind: {**meta, **index.update(spec["_id"], source)}}
            result, version = index.put(spec["_id"], source)
        except ApiError as exc:
            return {kind: {**meta, "status": exc.status, "error": exc.body()["error"]}}
        return {kind: {**meta, "_version": version, "result": result, "status": 201 if result == "created" else 200}}

    def item_fault(self, n):
        """Overridden by the server's switches: True to reject item n with 429."""
        return False

    def search(self, index, body):
        _check_search_body(body)
        query = expand_more_like_this(index, body.get("query") or {"match_all": {}})
        options = body.get("highlight", {})
        pre, post = options.get("pre_tags", ["<em>"])[0], options.get("post_tags", ["</em>"])[0]
        found, texts = [], positive_text_queries(query)
        for doc_id, source in index.docs.items():
            if not index.searchable(doc_id, self.refresh_seconds()):
                continue
            score = score_of(query, source, doc_id)
            if score is not None:
                found.append((score, millis(source["submitted_at"]), doc_id, texts))
        by_score = not body.get("sort") or any(s == "_score" for s in body["sort"])  # no sort: by score
        oldest = {"submitted_at": "asc"} in body.get("sort", [])
        found.sort(key=lambda f: (f[0], f[1], f[2]) if by_score else (f[1], f[2]), reverse=not oldest)
        start, size = body.get("from", 0), body.get("size", 10)
        hits = [self.hit(index, f, pre, post, options, by_score) for f in found[start:start + size]]
        out = {"took": 1, "timed_out": False, "hits": {"total": _total(len(found), body.get("track_total_hits")),
                                                      "max_score": None, "hits": hits}}
        if "aggs" in body:
            docs = [(doc_id, index.docs[doc_id]) for _, _, doc_id, _ in found]
            out["aggregations"] = {name: aggregate(index, docs, spec) for name, spec in body["aggs"].items()}
        return 200, out

    @staticmethod
    def hit(index, found, pre, post, options, by_score):
        score, when, doc_id, texts = found
        source = index.docs[doc_id]
        out = {"_index": index.name, "_id": doc_id, "_score": score, "_source": source,
               "sort": [score, when] if by_score else [when]}
        fragments = {}
        for name, text in texts_of(source, options.get("fields", {})).items() if texts else ():
            assert options.get("encoder") == "html", "the app must ask for html-encoded highlights"
            if positions := set().union(*(positions_in(sqs, text, name.endswith(".plain")) for sqs in texts)):
                fragments[name] = [highlight(text, positions, pre, post, _fragment_size(options, name))]
        if fragments:
            out["highlight"] = fragments
        return out


SEARCH_KEYS = {"query", "sort", "from", "size", "highlight", "aggs", "aggregations", "track_total_hits", "_source",
               "search_after", "timeout"}
MAX_RESULT_WINDOW = 10_000  # index.max_result_window's default


def _check_search_body(body):
    if unknown := sorted(set(body) - SEARCH_KEYS):
        raise ApiError(400, "parsing_exception", f"Unknown key for a START_OBJECT in [{unknown[0]}].")
    window = body.get("from", 0) + body.get("size", 10)
    if window > MAX_RESULT_WINDOW:
        raise ApiError(400, "illegal_argument_exception", "Result window is too large, from + size must be less "
                       f"than or equal to: [{MAX_RESULT_WINDOW}] but was [{window}].")


def _total(count, track):
    """hits.total as the server reports it: exact only when asked to, else counted up to 10,000."""
    limit = None if track is True else (track if isinstance(track, int) and track is not False else 10_000)
    if limit is not None and count > limit:
        return {"value": limit, "relation": "gte"}
    return {"value": count, "relation": "eq"}


# The URL parameters each API takes (the real server answers 400 to any other).
KNOWN_PARAMS = {
    "_bulk": {"require_alias", "refresh", "timeout", "routing", "pipeline", "wait_for_active_shards"},
    "_search": {"track_total_hits", "size", "from", "timeout", "ignore_unavailable", "allow_no_indices",
                "typed_keys", "rest_total_hits_as_int", "preference", "routing", "request_cache"},
    "_reindex": {"wait_for_completion", "refresh", "requests_per_second", "slices", "timeout", "scroll",
                 "max_docs", "wait_for_active_shards"},
    "_tasks": {"actions", "detailed", "nodes", "parent_task_id", "wait_for_completion", "timeout", "group_by"},
}


def _check_params(method, parts, params):
    api = next((p for p in reversed(parts) if p in KNOWN_PARAMS), None)
    unknown = sorted(set(params) - KNOWN_PARAMS[api]) if api else []
    if unknown:
        raise ApiError(400, "illegal_argument_exception",
                       f"request [{method} /{'/'.join(parts)}] contains unrecognized parameter: [{unknown[0]}]")


def _fragment_size(options, field):
    return options.get("fields", {}).get(field, {}).get("fragment_size", options.get("fragment_size", 100))


def parse_bulk(raw):
    """NDJSON bulk body -> [(action, source or None)]."""
    lines = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    pairs, i = [], 0
    while i < len(lines):
        action = lines[i]
        takes_source = next(iter(action)) in ("index", "create", "update")
        pairs.append((action, lines[i + 1] if takes_source else None))
        i += 2 if takes_source else 1
    return pairs
