"""The stand-in analyses text as Lucene 8.7 does (the Lucene of Elasticsearch 7.10 / OpenSearch 1.x).

Runs Debian's liblucene8-java through tests/lucene/Analyze.java; .ci/run installs both and sets
REQUIRE_LUCENE, so CI fails rather than skips when they are missing.
"""
import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.standin.engine import analyze

HERE = Path(__file__).resolve().parent / "lucene"
JARS = [next(iter(glob.glob(f"/usr/share/java/{name}-8*.jar")), None)
        for name in ("lucene-core", "lucene-analyzers-common")]
MISSING = shutil.which("javac") is None or None in JARS
pytestmark = pytest.mark.skipif(
    MISSING and not os.environ.get("REQUIRE_LUCENE"),
    reason="needs a JDK and liblucene8-java (apt-get install default-jdk-headless liblucene8-java)")


@pytest.fixture(scope="module")
def lucene():
    """{line of the vocabulary: (english tokens, plain tokens)} as Lucene makes them."""
    assert not MISSING, "REQUIRE_LUCENE is set but a JDK or liblucene8-java is missing"
    lines = (HERE / "vocabulary.txt").read_text(encoding="utf-8").splitlines()
    out = subprocess.run(["java", "-cp", ":".join(JARS), str(HERE / "Analyze.java")], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, encoding="utf-8", check=True, timeout=120).stdout
    return {line: tuple(row.split("\t")) for line, row in zip(lines, out.splitlines())}


def test_the_vocabulary_went_through_lucene(lucene):
    assert len(lucene) == len((HERE / "vocabulary.txt").read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("line", (HERE / "vocabulary.txt").read_text(encoding="utf-8").splitlines())
def test_the_stand_in_makes_the_same_english_and_plain_tokens_as_lucene(lucene, line):
    english, plain = lucene[line]
    assert [t for t in analyze(line) if t is not None] == english.split()
    assert analyze(line, plain=True) == plain.split()
