"""Issue 42 #1: the embedding model runs here, from the files `make model` fetched, with no network."""
import shutil
import socket

import numpy as np
import pytest

from collector.meaning import embedder


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_paraphrases_that_share_no_words_are_closer_than_unrelated_answers(model_dir, offline):
    model = embedder.Embedder(model_dir)
    vectors = model.embed(["the price is too high", "it costs a fortune", "the night shift has too few nurses"])
    assert vectors.shape == (3, embedder.DIMENSIONS) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    paraphrase = float(vectors[0] @ vectors[1])
    unrelated = float(vectors[0] @ vectors[2])
    assert paraphrase > unrelated + 0.2


def test_a_text_embeds_the_same_alone_and_in_a_batch_of_longer_ones(model_dir):
    model = embedder.loaded(str(model_dir))
    alone = model.embed(["short"])[0]
    batched = model.embed(["short", "a much longer answer that pads the batch " * 20] * 20)[0]
    assert np.array_equal(alone, batched)  # batched with others, the same vector
    assert model.embed([]).shape == (0, embedder.DIMENSIONS)


def test_a_missing_or_altered_model_file_is_refused_with_what_to_do(model_dir, tmp_path):
    with pytest.raises(embedder.ModelMissing, match="make model"):
        embedder.checked(tmp_path)
    for name in embedder.FILES:
        shutil.copy(model_dir / name, tmp_path / name)
    with (tmp_path / "all-minilm-l6-v2-q-tokenizer.json").open("ab") as altered:
        altered.write(b" ")
    with pytest.raises(embedder.ModelMissing, match="SHA-256 differs"):
        embedder.checked(tmp_path)
