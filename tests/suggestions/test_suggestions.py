"""Issue 27 #2: suggestions that learn from the coders, in both engines: a planted theme is found after
40 labels, decisions retrain the model, and "apply above 0.9" is a bulk coding undone exactly."""
from models import receipt_for
from tests.helpers import drain, log_in, wait_until


def f1(hits, planted, threshold=0.5):
    """F1 of "score >= threshold" against the planted theme, over the scored answers."""
    said = {hit["id"] for hit in hits if hit["score"] >= threshold}
    true = said & set(planted)
    precision, recall = len(true) / max(1, len(said)), len(true) / max(1, len(set(planted) & {h["id"] for h in hits}))
    return 2 * precision * recall / max(1e-9, precision + recall)


def test_no_model_before_twenty_examples_of_each_then_it_finds_the_planted_theme(corpus):
    corpus.label(corpus.planted[:10], corpus.other[:10])
    waiting = corpus.client.get("/analyst/api/codes/VPN/suggestions").json
    assert waiting["model"] is None and waiting["hits"] == []
    corpus.label(corpus.planted[10:20], corpus.other[10:20])
    found = corpus.model()
    assert found["model"]["examples"] == 40 and found["model"]["f1"] >= 0.8  # cross-validated
    # on answers it never saw
    assert len(found["hits"]) == 160 and f1(found["hits"], corpus.planted[20:]) >= 0.8
    scores = [hit["score"] for hit in found["hits"]]
    assert all(0 <= s <= 1 for s in scores)
    margins = [abs(s - 0.5) for s in scores]
    assert margins == sorted(margins)  # the most uncertain, the most useful to decide, first


def test_decisions_are_recorded_and_retrain_the_model(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    first = corpus.model()
    target = corpus.planted[20]
    assert corpus.client.post(f"/analyst/api/codes/VPN/suggestions/{target}", json={"accept": True}).json == {
        "accepted": True}
    assert corpus.client.post(f"/analyst/api/codes/VPN/suggestions/{target}", json={"accept": "yes"}).status_code == 400
    coded = corpus.client.get(f"/analyst/api/responses/{target}/codes").json["codings"]
    assert [(c["name"], c["by"]) for c in coded] == [("VPN", "ada")]
    second = corpus.model(first["model"]["version"])
    assert second["model"]["examples"] == 41 and target not in {hit["id"] for hit in second["hits"]}
    actions = [e["action"] for e in corpus.client.get("/analyst/api/audit").json["entries"]]
    assert "suggestion.accept" in actions and "suggestion.reject" in actions


def test_applying_above_a_threshold_is_a_batch_by_the_model_and_its_undo_is_exact(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    found = corpus.model()
    sure = {hit["id"] for hit in found["hits"] if hit["score"] >= 0.9}
    done = corpus.client.post("/analyst/api/codes/VPN/suggestions/apply", json={"threshold": 0.9}).json
    assert done["applied"] == len(sure) > 0 and done["version"] == found["model"]["version"]
    some = next(iter(sure))
    by = corpus.client.get(f"/analyst/api/responses/{some}/codes").json["codings"][0]["by"]
    assert by == f"model:VPN@{found['model']['version']}"
    assert corpus.client.post(f"/analyst/api/batches/{done['batch']}/undo").json == {"removed": len(sure)}
    codes = corpus.client.get("/analyst/api/codes").json["codes"]
    assert codes[0]["answers"] == 20  # the hand-coded ones, as before
    assert corpus.client.post("/analyst/api/codes/VPN/suggestions/apply", json={"threshold": 0.2}).status_code == 400


def test_the_review_page_shows_the_model_and_decides_the_most_useful_answer(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    found = corpus.model()
    code_id = corpus.client.get("/analyst/codes").get_data(as_text=True).split("/analyst/codes/")[1].split("/")[0]
    page = corpus.client.get(f"/analyst/codes/{code_id}/suggestions").get_data(as_text=True)
    assert f"F1 {found['model']['f1']:.2f}" in page and 'data-key="a"' in page and 'data-key="r"' in page
    first = found["hits"][0]["id"]
    assert f"/suggestions/{first}" in page
    assert corpus.client.post(f"/analyst/codes/{code_id}/suggestions/{first}", data={"accept": "no"}).status_code == 303
    assert first not in {h["id"] for h in corpus.client.get("/analyst/api/codes/VPN/suggestions").json["hits"]}


def test_a_closed_rounds_report_reads_the_model_as_one_more_coder(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    found = corpus.model()
    bea = corpus.app.test_client()
    log_in(bea, "bea")
    started = corpus.client.post("/analyst/api/rounds", json={
        "name": "With the model", "codes": ["VPN"], "params": {"code": "-VPN"}, "sample": 30, "seed": 2,
        "coders": ["ada", "bea"], "creator_decides": True}).json
    for client in (corpus.client, bea):  # both code the truth
        for unit in started["units"]:
            client.post(f"/analyst/api/rounds/{started['id']}/units/{unit}",
                        json={"codes": ["VPN"] if unit in corpus.planted else []})
    corpus.client.post(f"/analyst/api/rounds/{started['id']}/close")
    report = corpus.client.get(f"/analyst/api/rounds/{started['id']}/report").json
    machine = report["models"]["VPN"]
    assert machine["version"] == found["model"]["version"] and machine["alpha"] >= 0.8
    assert 0 < machine["units"] <= 30 and report["codes"]["VPN"]["alpha"] == 1.0


def test_an_erased_answer_leaves_the_suggestions(corpus):
    corpus.label(corpus.planted[:20], corpus.other[:20])
    gone = corpus.model()["hits"][0]["id"]
    corpus.client.post("/analyst/erase", data={"receipt": receipt_for(gone), "confirm": "yes"})

    def rescored():
        found = corpus.client.get("/analyst/api/codes/VPN/suggestions", query_string={"size": 1000}).json
        return not found["training"] and gone not in {hit["id"] for hit in found["hits"]}
    assert wait_until(rescored, timeout=90)


def test_coding_other_codes_gives_a_model_its_negatives_and_the_wait_says_how_many_it_has(corpus):
    corpus.label(corpus.planted[:20], [])
    said = {}

    def waits():
        said.update(corpus.client.get("/analyst/api/codes/VPN/suggestions").json)
        return (said["training"] or {}).get("state", "").startswith("waiting for examples")
    assert wait_until(waits, timeout=90), said
    assert "20 answers with the code and 0 without" in said["training"]["state"]
    assert "answers an analyst gave another code but not this one" in said["training"]["state"]
    assert corpus.client.post("/analyst/api/codes", json={"name": "Lunch"}).status_code == 201
    for answer in corpus.other[:20]:  # no decision on VPN at all: another code's answers are its negatives
        corpus.client.post(f"/analyst/api/responses/{answer}/codes", json={"add": ["Lunch"]})
    if corpus.app.config["SEARCH_URL"]:
        drain(corpus.app)
    assert corpus.model()["model"]["examples"] == 40
