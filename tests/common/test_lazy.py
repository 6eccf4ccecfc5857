"""A web worker builds the app without the heavy libraries (bench/embedding.py: 78 MB instead of 216): they
load on first use, and then work as if imported at the top."""
import os
import subprocess
import sys

import pytest

from collector.common import lazy

HEAVY = ("sklearn", "pandas", "pyreadstat", "krippendorff", "boto3", "jwt", "onnxruntime")


@pytest.mark.slow
def test_building_the_app_imports_none_of_the_heavy_libraries(tmp_path):
    code = "import sys\nimport application\nprint(' '.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    env = {**os.environ, "DATA_DIR": str(tmp_path)}  # building the app makes a journal: never in the checkout
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env=env).stdout.split()
    assert loaded == []


def test_a_deferred_module_is_the_module_once_used():
    statistics = lazy.module("statistics")
    assert statistics.median([3, 1, 2]) == 2
    assert lazy.call("statistics", "mean", [1, 2, 3]) == 2
