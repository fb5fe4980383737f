"""Settings and fixtures for the whole suite."""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from apdu import pcsc

# Property tests draw the same examples on every run (derandomize: a red test stays red and a
# green one does not turn red because of a lucky draw on another day), and keep no example
# database in the working tree. Tests that set their own settings inherit these.
settings.register_profile("mynacheck", derandomize=True, database=None, deadline=None)
settings.load_profile("mynacheck")

# The issuers' CA certificates an administrator installed (`mynacheck trust add`) live in the
# user's data directory; the suite never reads or writes the real one (subprocesses inherit it).
os.environ["MYNACHECK_TRUST_DIR"] = tempfile.mkdtemp(prefix="mynacheck-trust-")

# --- pcscd with vsmartcard's virtual readers (tests/pcsc, and the GUI on pcscd) --------------
# The pcscd tier: every test that uses the `pcscd` fixture. It needs root: scripts/pcscd.sh runs
# pcscd in a network namespace, and the bridge to vpcd enters that namespace (setns). As root,
# when pcscd or vpcd is missing these tests fail, saying what to install. Without root they are
# skipped, all by the one `pytest.skip` below, so that `-ra` folds them into one summary line
# (tests/pcsc/test_pcscd_tier.py checks that); under CI (the variable CI set) they fail instead.
# (A skip raised in a fixture would be reported at each test's own line: one line per test.)
REPO = Path(__file__).resolve().parents[1]
PCSCD_SCRIPT = REPO / "scripts" / "pcscd.sh"
SESSION_LOCK = Path(tempfile.gettempdir()) / "mynacheck-pcsc-tests.lock"
LOCK_WAIT_S = 1800.0
PCSCD_TIER_NEEDS = "needs root for pcscd in a network namespace (scripts/pcscd.sh)"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Without root a test of the pcscd tier is skipped (under CI: fails) before any of its
    fixtures runs, so before the lock and pcscd. One `pytest.skip` call for all of them: the
    summary shows its place once, with the count."""
    if "pcscd" not in getattr(item, "fixturenames", ()) or os.geteuid() == 0:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the pcscd tier {PCSCD_TIER_NEEDS}, and under CI nothing is skipped: "
                    "run the tests as root (`sudo make test` also installs pcscd, "
                    "vsmartcard-vpcd and iproute2)", pytrace=False)
    pytest.skip(f"pcscd tier skipped: {PCSCD_TIER_NEEDS}; run `sudo make test`")


@pytest.fixture(scope="session")
def pcsc_lock() -> Iterator[None]:
    """One test session at a time on this machine's pcscd and virtual readers: two
    sessions would serve cards to the same vpcd ports and restart each other's pcscd."""
    with SESSION_LOCK.open("w") as lock:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test session held {SESSION_LOCK} for "
                                f"{LOCK_WAIT_S:.0f} s", pytrace=False)
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def pcscd(pcsc_lock: None) -> Iterator[None]:
    """pcscd running with the virtual readers; stopped at the end if this session started it."""
    done = subprocess.run(
        [str(PCSCD_SCRIPT), "start"], capture_output=True, text=True, timeout=90, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            "cannot start pcscd with the vpcd readers (scripts/install-debs.sh --test installs "
            "pcscd and vsmartcard-vpcd):\n"
            + done.stdout + done.stderr,
            pytrace=False,
        )
    started_here = ": started" in done.stdout
    yield
    if started_here:
        subprocess.run([str(PCSCD_SCRIPT), "stop"], check=False, timeout=30)


@pytest.fixture(scope="session")
def vpcd_readers(pcscd: None) -> tuple[str, str]:
    """The names of the readers behind vpcd ports 35963 and 35964, in that order."""
    names = sorted(r.name for r in pcsc.list_readers() if r.name.startswith("Virtual PCD"))
    assert len(names) >= 2, f"expected two vpcd readers, pcscd offers {names}"
    return names[0], names[1]
