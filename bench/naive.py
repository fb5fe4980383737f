"""The baseline: a naive reader that SELECTs each EF and reads 256-byte chunks, remembering nothing.

It is what a first implementation from the spec would do; the bench compares against it. Its
SELECT EF and chunked READ BINARY serve the naive residence reader (naive_residence.py) too.
"""

from __future__ import annotations

from collections.abc import Callable

from apdu.command import CommandAPDU
from apdu.transport import Transport, exchange
from verifier.documents.my_number import constants as p
from verifier.documents.my_number.code_b import CodeB
from verifier.documents.my_number.crypto import digest_info_sha256


def select_ef(transport: Transport, ef: int) -> None:
    exchange(transport, CommandAPDU(0x00, 0xA4, 0x02, 0x0C, ef.to_bytes(2, "big")))


def read_chunks(transport: Transport, command_at: Callable[[int], CommandAPDU], chunk: int, *,
                unwrap: Callable[[bytes], bytes] = bytes, limit: int = p.MAX_FILE_BYTES) -> bytes:
    """The current EF from offset 0, one command per `chunk` bytes, until a short piece or a
    status that is not 9000: all a first implementation knows of where a file ends.
    `unwrap` turns an answer into its plain bytes (a secure-messaging cryptogram)."""
    data = b""
    while len(data) < limit:
        response = exchange(transport, command_at(len(data)))
        piece = unwrap(response.data)
        data += piece
        if not response.sw.ok or len(piece) < chunk:
            break
    return data


def read_file(transport: Transport, ef: int, *, limit: int = p.MAX_FILE_BYTES) -> bytes:
    """SELECT EF `ef`, then plain READ BINARY in 256-byte chunks by offset."""
    select_ef(transport, ef)
    return read_chunks(transport, lambda offset: CommandAPDU(0x00, 0xB0, offset >> 8,
                                                             offset & 0xFF, le=256), 256,
                       limit=limit)


def naive_verify(transport: Transport, code_b: CodeB, challenge: bytes) -> None:
    exchange(transport, CommandAPDU(0x00, 0xA4, 0x04, 0x0C, p.AID_CARD_FACE))
    read_file(transport, p.EF_CF_CERTIFICATE)
    select_ef(transport, p.EF_CF_KEY_CODE_B)
    exchange(transport, CommandAPDU(0x00, 0x20, 0x00, 0x80))
    exchange(transport, CommandAPDU(0x00, 0x20, 0x00, 0x80, code_b.to_bytes()))
    read_file(transport, p.EF_CF_FACE)
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
