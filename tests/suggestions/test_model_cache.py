"""One instance's web workers train a code's model once: the first trains (holding the code's lock), the
others wait and read its result from DATA_DIR/models; new examples, or an edited text, train again."""
import threading
import time

from collector.suggestions import model_cache

GATHERED = (["a1", "a2"], ["late trains", "on time"], [1, 0], ["c1"], ["the train was late"])


def test_workers_training_one_code_at_once_train_it_once_and_read_the_same_result(tmp_path):
    calls, results = [], []

    def train():
        calls.append(1)
        time.sleep(0.2)  # long enough for the other workers to arrive while it trains
        return {"version": "v1", "scores": [["c1", 0.9]]}

    workers = [threading.Thread(target=lambda: results.append(model_cache.trained(tmp_path, 7, GATHERED, train)))
               for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(calls) == 1 and results == [{"version": "v1", "scores": [["c1", 0.9]]}] * 3
    # a restart
    assert model_cache.trained(tmp_path, 7, GATHERED, lambda: {"version": "never"})["version"] == "v1"


def test_new_examples_or_an_edited_text_train_again_and_the_old_result_goes(tmp_path):
    model_cache.trained(tmp_path, 7, GATHERED, lambda: {"version": "v1"})
    edited = (*GATHERED[:4], ["the train was very late"])
    assert model_cache.trained(tmp_path, 7, edited, lambda: {"version": "v2"}) == {"version": "v2"}
    assert [p.name.startswith("7-") for p in tmp_path.glob("*.json")] == [True]
