"""The baseline: a naive reader that SELECTs each EF and reads 256-byte chunks, remembering nothing.

It is what a first implementation from the spec would do; the bench compares against it.
"""

from __future__ import annotations

from apdu.command import CommandAPDU
from apdu.transport import Transport, exchange
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.my_number.crypto import digest_info_sha256


def _select_ef(transport: Transport, ef: int) -> None:
    exchange(transport, CommandAPDU(0x00, 0xA4, 0x02, 0x0C, ef.to_bytes(2, "big")))


def _read_all(transport: Transport, ef: int) -> bytes:
    _select_ef(transport, ef)
    data = b""
    while len(data) < p.MAX_FILE_BYTES:
        offset = len(data)
        response = exchange(transport, CommandAPDU(0x00, 0xB0, offset >> 8, offset & 0xFF,
                                                   le=256))
        data += response.data
        if not response.sw.ok or len(response.data) < 256:
            break
    return data


def naive_verify(transport: Transport, code_b: CodeB, challenge: bytes) -> None:
    exchange(transport, CommandAPDU(0x00, 0xA4, 0x04, 0x0C, p.AID_CARD_FACE))
    _read_all(transport, p.EF_CF_CERTIFICATE)
    _select_ef(transport, p.EF_CF_KEY_CODE_B)
    exchange(transport, CommandAPDU(0x00, 0x20, 0x00, 0x80))
    exchange(transport, CommandAPDU(0x00, 0x20, 0x00, 0x80, code_b.to_bytes()))
    _read_all(transport, p.EF_CF_FACE)
    exchange(transport, CommandAPDU(0x80, 0x2A, 0x00, 0x00, digest_info_sha256(challenge),
                                    le=256))


def main() -> int:
    """`python -m bench.naive READER`: the naive reader as a program of its own (code B on
    standard input), so its whole process can be timed against `mynacheck verify`."""
    import os
    import sys

    from apdu.pcsc import PcscTransport
    from verifier.documents.my_number.code_b import parse_code_b

    code = parse_code_b(sys.stdin.readline().strip())
    with PcscTransport(sys.argv[1]) as transport:
        naive_verify(transport, code, os.urandom(32))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
