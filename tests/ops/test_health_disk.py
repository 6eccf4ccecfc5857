"""/healthz says 503 when the journal cannot take an answer: a full disk, a read-only file."""
import subprocess

import pytest

from collector import create_app, journal
from tests.helpers import submit


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs for DATA_DIR, unmounted afterwards (skips where mounting is not allowed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def test_health_turns_503_when_the_disk_is_full_and_back_to_200_when_it_is_not(app_config, small_disk):
    app = create_app(dict(app_config, DATA_DIR=str(small_disk / "data"), HEALTH_MIN_FREE_MB=1))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200 and submit(client).status_code == 303
    filler = small_disk / "filler"
    # fill the disk to the last byte (unbuffered: close never writes)
    with open(filler, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError:
            pass
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["status"] == "unavailable"
    refused = submit(client, essay="Written while the disk was full.")
    assert refused.status_code == 503 and "Written while the disk was full." in refused.get_data(as_text=True)
    filler.unlink()
    assert client.get("/healthz").status_code == 200


def test_health_turns_503_when_the_journal_is_read_only(app_config, small_disk):
    app = create_app(dict(app_config, DATA_DIR=str(small_disk / "data"), HEALTH_MIN_FREE_MB=1))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    journal.close_connections(app)  # a kernel remounting on errors would not wait for them
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert client.get("/healthz").status_code == 503
    assert submit(client).status_code == 503
