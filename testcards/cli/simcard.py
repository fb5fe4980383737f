"""`mynacheck simcard`: put a simulated card on one of pcscd's virtual readers (vpcd).

Any PC/SC program, `mynacheck verify --reader` included, then reads it like a real card.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType
from typing import Any

from verifier.errors import ConfigError

DEFAULT_PORT = 35963
NOTICE_AFTER_S = 3.0


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "simcard",
        help="serve a simulated card to pcscd's virtual reader until interrupted",
        description="Serves a simulated card through vsmartcard's vpcd driver in pcscd "
                    "(port 35963 is reader 'Virtual PCD 00 00', 35964 'Virtual PCD 00 01'). "
                    "Runs until Ctrl-C or SIGTERM. Every insertion is a fresh card with fresh "
                    "counters unless --keep-state. Test keys only: verify it with "
                    "--trust simulated.",
    )
    parser.add_argument("--profile", required=True, metavar="PROFILE",
                        help="the simulated card profile, e.g. genuine, blank-chip, "
                             "residence-genuine-1 (see `mynacheck demo`)")
    parser.add_argument("--persona", type=int, default=0, metavar="N",
                        help="whose card it is (default %(default)s)")
    parser.add_argument("--quirks", default="", metavar="LIST",
                        help="comma-separated card quirks, e.g. no-extended,slow=5")
    parser.add_argument("--host", default="127.0.0.1",
                        help="where pcscd runs (default %(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="vpcd port (default %(default)s)")
    parser.add_argument("--keep-state", action="store_true",
                        help="the same card (same counters) comes back after each removal")
    return parser


def reader_name(port: int) -> str:
    """The reader pcscd shows for a vpcd port, with the driver's default configuration."""
    slot = port - DEFAULT_PORT
    if 0 <= slot <= 1:
        return f"Virtual PCD 00 {slot:02d}"
    return f"the vpcd reader on port {port}"


def run(args: argparse.Namespace) -> int:
    import testcards
    from testcards.plugin import SOURCE
    from testcards.vpcd import VirtualCard, VpcdBridge, pcscd_netns

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1..65535, got {args.port}")
    try:
        SOURCE.check(args.profile, persona=args.persona, quirks=args.quirks)
    except ValueError as error:
        raise ConfigError(str(error)) from error
    quirks = testcards.parse_quirks(args.quirks)

    def new_card() -> VirtualCard:
        return SOURCE.card(args.profile, persona=args.persona, quirks=args.quirks)

    kept = new_card() if args.keep_state else None
    bridge = VpcdBridge((lambda: kept) if kept is not None else new_card,
                        host=args.host, port=args.port, netns=pcscd_netns())
    stopping = threading.Event()
    failures: list[BaseException] = []

    def serve() -> None:
        try:
            bridge.run()
        except Exception as error:  # reported below, after the signal handlers are restored
            failures.append(error)
        finally:
            stopping.set()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    thread = threading.Thread(target=serve, name="vpcd-bridge", daemon=True)
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        thread.start()
        extra = f", quirks {quirks}" if str(quirks) else ""
        print(f"serving simulated card {args.profile!r} (persona {args.persona}{extra}) on vpcd "
              f"{args.host}:{args.port} — reader {reader_name(args.port)!r}",
              file=sys.stderr, flush=True)
        if not stopping.wait(NOTICE_AFTER_S) and not bridge.connected:
            print(f"mynacheck: still waiting for pcscd's vpcd driver on {args.host}:{args.port}"
                  " (is pcscd running? scripts/pcscd.sh start)", file=sys.stderr, flush=True)
        stopping.wait()
    finally:
        bridge.stop()
        if thread.is_alive():
            thread.join(timeout=5)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failures:
        print(f"mynacheck: error: the simulated card failed: {failures[0]!r}", file=sys.stderr)
        return 1
    print(f"simulated card removed after {bridge.insertions} insertion(s)", file=sys.stderr)
    return 0
