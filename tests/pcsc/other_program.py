"""Another program on the counter PC, as a separate process talking to pcscd through pyscard:
what a JPKI client or a card utility does to the reader mynacheck is using. Not project code:
a test double of *another* program, so it uses pyscard directly and shares nothing with apdu.

    python other_program.py loop READER [--per-connect N] [--gap-ms MS] [--stay]
        connect SHARED, SELECT the text AP and READ BINARY by short EF id, N times, disconnect
        (leaving the card powered), wait, again; with --stay it never disconnects (and
        reconnects its handle when someone else reset or powered down the card).
    python other_program.py hold READER [--share shared|exclusive] [--transaction]
        connect once and keep the connection (inside a transaction with --transaction).
    python other_program.py connect-once READER
        one SHARED SCardConnect; report its result and how long it took.
    python other_program.py transmit-once READER
        connect SHARED, then one SELECT of the text AP; report how long the transmit took.

Each mode prints JSON lines: {"event": "ready"} once it has tried its first connect, then, when
its stdin closes (the test's signal to stop), a summary {"event": "done", ...}. Result codes
are reported by name (SCARD_E_SHARING_VIOLATION), so a test reads what pcscd answered.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from typing import Any

import smartcard.scard as sc

SELECT_TEXT_AP = bytes.fromhex("00A4040C0AD3921000310001010408")
READ_SHORT_EF = bytes.fromhex("00B0840000")
PROTOCOLS = sc.SCARD_PROTOCOL_T0 | sc.SCARD_PROTOCOL_T1
CODE_NAMES = ("SCARD_E_SHARING_VIOLATION", "SCARD_E_NO_SMARTCARD", "SCARD_W_REMOVED_CARD",
              "SCARD_W_RESET_CARD", "SCARD_E_READER_UNAVAILABLE", "SCARD_E_TIMEOUT",
              "SCARD_W_UNPOWERED_CARD", "SCARD_E_NOT_TRANSACTED")


def name_of(hresult: int) -> str:
    if hresult == 0:
        return "SCARD_S_SUCCESS"
    for name in CODE_NAMES:
        if hresult & 0xFFFFFFFF == getattr(sc, name) & 0xFFFFFFFF:
            return name
    return f"0x{hresult & 0xFFFFFFFF:08X}"


def say(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def stdin_closed() -> threading.Event:
    closed = threading.Event()

    def wait() -> None:
        sys.stdin.read()
        closed.set()

    threading.Thread(target=wait, daemon=True).start()
    return closed


def context() -> Any:
    hresult, handle = sc.SCardEstablishContext(sc.SCARD_SCOPE_USER)
    if hresult != 0:
        raise SystemExit(f"no PC/SC context: {name_of(hresult)}")
    return handle


def loop(reader: str, per_connect: int, gap_s: float, stay: bool) -> None:
    handle = context()
    stop = stdin_closed()
    counts: dict[str, int] = {}
    answers: dict[str, int] = {}
    slowest_ms = {"connect": 0.0, "transmit": 0.0}

    def timed(what: str, started: float) -> None:
        elapsed = (time.monotonic() - started) * 1000
        slowest_ms[what] = round(max(slowest_ms[what], elapsed), 1)

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    ready = False
    card: Any = None
    protocol = 0
    while not stop.is_set():
        if card is None:
            started = time.monotonic()
            hresult, card, protocol = sc.SCardConnect(handle, reader, sc.SCARD_SHARE_SHARED,
                                                      PROTOCOLS)
            timed("connect", started)
            count(f"connect {name_of(hresult)}")
            if not ready:
                say(event="ready", first_connect=name_of(hresult))
                ready = True
            if hresult != 0:
                card = None
                time.sleep(gap_s)
                continue
        for _ in range(per_connect):
            for apdu in (SELECT_TEXT_AP, READ_SHORT_EF):
                started = time.monotonic()
                hresult, response = sc.SCardTransmit(card, protocol, list(apdu))
                timed("transmit", started)
                count(f"transmit {name_of(hresult)}")
                if name_of(hresult) == "SCARD_W_RESET_CARD":
                    # Someone powered the card down or reset it: carry on, as real clients do.
                    # Only a reset powers up a card another connection powered down.
                    hresult, protocol = sc.SCardReconnect(card, sc.SCARD_SHARE_SHARED,
                                                          PROTOCOLS, sc.SCARD_RESET_CARD)
                    count(f"reconnect {name_of(hresult)}")
                if hresult == 0 and len(response) >= 2:
                    sw = f"{response[-2]:02X}{response[-1]:02X}"
                    answers[sw] = answers.get(sw, 0) + 1
        if not stay:
            sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
            card = None
            time.sleep(gap_s)
    if card is not None:
        sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
    sc.SCardReleaseContext(handle)
    say(event="done", counts=counts, answers=answers, slowest_ms=slowest_ms)


def hold(reader: str, share: str, transaction: bool) -> None:
    handle = context()
    stop = stdin_closed()
    mode = sc.SCARD_SHARE_EXCLUSIVE if share == "exclusive" else sc.SCARD_SHARE_SHARED
    hresult, card, _ = sc.SCardConnect(handle, reader, mode, PROTOCOLS)
    began = sc.SCardBeginTransaction(card) if transaction and hresult == 0 else None
    say(event="ready", first_connect=name_of(hresult),
        transaction=None if began is None else name_of(began))
    stop.wait()
    if hresult == 0:
        if began == 0:
            sc.SCardEndTransaction(card, sc.SCARD_LEAVE_CARD)
        sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
    sc.SCardReleaseContext(handle)
    say(event="done")


def connect_once(reader: str) -> None:
    handle = context()
    started = time.monotonic()
    hresult, card, _ = sc.SCardConnect(handle, reader, sc.SCARD_SHARE_SHARED, PROTOCOLS)
    elapsed_ms = (time.monotonic() - started) * 1000
    say(event="ready", first_connect=name_of(hresult), elapsed_ms=round(elapsed_ms, 1))
    if hresult == 0:
        sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
    sc.SCardReleaseContext(handle)
    say(event="done")


def transmit_once(reader: str) -> None:
    handle = context()
    hresult, card, protocol = sc.SCardConnect(handle, reader, sc.SCARD_SHARE_SHARED, PROTOCOLS)
    say(event="ready", first_connect=name_of(hresult))
    if hresult == 0:
        started = time.monotonic()
        sent, response = sc.SCardTransmit(card, protocol, list(SELECT_TEXT_AP))
        elapsed_ms = (time.monotonic() - started) * 1000
        sw = f"{response[-2]:02X}{response[-1]:02X}" if sent == 0 and len(response) >= 2 else ""
        say(event="transmitted", result=name_of(sent), sw=sw, elapsed_ms=round(elapsed_ms, 1))
        sc.SCardDisconnect(card, sc.SCARD_LEAVE_CARD)
    sc.SCardReleaseContext(handle)
    say(event="done")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("loop", "hold", "connect-once", "transmit-once"))
    parser.add_argument("reader")
    parser.add_argument("--per-connect", type=int, default=3)
    parser.add_argument("--gap-ms", type=float, default=20.0)
    parser.add_argument("--stay", action="store_true")
    parser.add_argument("--share", choices=("shared", "exclusive"), default="exclusive")
    parser.add_argument("--transaction", action="store_true")
    args = parser.parse_args()
    if args.mode == "loop":
        loop(args.reader, args.per_connect, args.gap_ms / 1000, args.stay)
    elif args.mode == "hold":
        hold(args.reader, args.share, args.transaction)
    elif args.mode == "connect-once":
        connect_once(args.reader)
    else:
        transmit_once(args.reader)


if __name__ == "__main__":
    main()
