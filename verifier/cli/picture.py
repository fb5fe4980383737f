"""Code B read from a picture of the card (`verify --code-b-from-image`): show what was read,
and use it only once a person confirmed it, or, with `--yes`, only when every field was read
surely. Nothing of the picture is written or logged; the values go to the operator's terminal
only, as they would be on the counter screen."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from verifier.counter.codes import GANNEN, CodeInput, code_from_picture, era_of
from verifier.counter.keys import NumberInput, number_from_picture
from verifier.counter.pictures import read_face_file, read_residence_face_file
from verifier.errors import CodeBInputError, ConfigError
from verifier.ocr.errors import OcrError

if TYPE_CHECKING:  # the OCR package is loaded with the first picture, not at start-up
    from verifier.ocr.fields import PrintedFace
    from verifier.ocr.residence import PrintedResidenceFace


def add_picture_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("code B or card number from a picture (the [ocr] extra)")
    group.add_argument("--code-b-from-image", type=Path, metavar="FILE",
                       help="read birth date, expiry and security code from a photo or scan of "
                            "the card face (PNG or JPEG); asks to confirm before any VERIFY")
    group.add_argument("--card-number-from-image", type=Path, metavar="FILE",
                       help="read the card number from a photo or scan of the front of a "
                            "在留カード or 特別永住者証明書; asks to confirm before any VERIFY. "
                            "A genuine chip's entries are then held against the picture")
    group.add_argument("--yes", action="store_true",
                       help="with --code-b-from-image or --card-number-from-image: no "
                            "question; the key is used only if it was read surely, else exit 2 "
                            "and nothing is sent")


def read_picture(path: Path) -> PrintedFace:
    """Raises ConfigError (exit 2) for a file that cannot be read as a card picture."""
    try:
        return read_face_file(path)
    except OcrError as error:
        # a file that cannot be opened names itself already
        where = "" if isinstance(error.__cause__, OSError) else f"{path}: "
        raise ConfigError(f"{where}{error}") from error


def describe(face: PrintedFace, threshold: float | None = None) -> str:
    """What was read, as printed, with a mark on each field to look at."""
    from verifier.ocr.fields import DEFAULT_THRESHOLD

    unsure = set(face.low_confidence(DEFAULT_THRESHOLD if threshold is None else threshold))

    def mark(name: str) -> str:
        return "  ← 要確認 / check this" if name in unsure else ""

    birth = "—"
    if face.birth is not None:
        if face.birth_gregorian:
            birth = f"{face.birth.year}年{face.birth.month}月{face.birth.day}日"
        else:
            era, year = era_of(face.birth)
            birth = (f"{era}{GANNEN if year == 1 else year}年{face.birth.month}月{face.birth.day}日"
                     f" ({face.birth.isoformat()})")
    expiry = f"{face.expiry.year}年{face.expiry.month}月{face.expiry.day}日" if face.expiry else "—"
    return "\n".join((
        "read from the picture / 画像から読み取った内容:",
        f"  生年月日 birth date     {birth}{mark('birth')}",
        f"  有効期限 expiry         {expiry}{mark('expiry')}",
        f"  セキュリティコード code  {face.security_code or '—'}{mark('security_code')}",
    ))


def confirmed_code(face: PrintedFace, *, yes: bool, stdin: TextIO, out: TextIO,
                   today: date) -> CodeInput:
    """The code of `face`, after the operator's confirmation (or `yes` and a sure reading),
    through the counter's rules like a typed one. Raises ConfigError: nothing is sent to the
    card unless this returns."""
    print(describe(face), file=out)
    if not yes:
        if not face.complete:
            raise ConfigError("the picture does not show every field; type the code instead")
        if not stdin.isatty():
            raise ConfigError("confirming the code read from the picture needs a terminal; "
                              "add --yes to use it only when every field was read surely")
        print("この内容で照合しますか / use this code? [y/N] ", end="", file=out, flush=True)
        if stdin.readline().strip().lower() not in ("y", "yes", "はい"):
            raise ConfigError("not confirmed: nothing was sent to the card")
    try:
        return code_from_picture(face, today=today, unattended=yes)
    except OcrError as error:
        raise ConfigError(f"{error}; type the code instead (--birth/--expiry-year/"
                          "--security-code or --code-b -)") from error
    except CodeBInputError as error:
        raise ConfigError(f"the fields read do not make a code B: {error}") from error


def code_from_image(args: argparse.Namespace, *, today: date) -> CodeInput:
    if any(value is not None for value in (args.code_b, args.birth, args.expiry_year,
                                           args.security_code, args.card_number)):
        raise ConfigError("give either --code-b-from-image or a typed code B")
    face = read_picture(args.code_b_from_image)
    return confirmed_code(face, yes=args.yes, stdin=sys.stdin, out=sys.stderr, today=today)


# --- the card number of a 在留カード / 特別永住者証明書 -------------------------------------------
def describe_number(face: PrintedResidenceFace) -> str:
    from verifier.ocr.residence import CARD_NUMBER_THRESHOLD

    unsure = set(face.low_confidence(CARD_NUMBER_THRESHOLD, ("card_number",)))
    mark = "  ← 要確認 / check this" if unsure else ""
    return ("read from the picture / 画像から読み取った内容:\n"
            f"  在留カード等番号 card number  {face.card_number or '—'}{mark}")


def confirmed_number(face: PrintedResidenceFace, *, yes: bool, stdin: TextIO,
                     out: TextIO) -> NumberInput:
    """The number of `face`, after the operator's confirmation (or `yes` and a sure reading).
    Raises ConfigError: nothing is sent to the card unless this returns."""
    print(describe_number(face), file=out)
    if not yes:
        if face.card_number is None:
            raise ConfigError("the picture does not show the card number; type it instead "
                              "(--card-number -)")
        if not stdin.isatty():
            raise ConfigError("confirming the number read from the picture needs a terminal; "
                              "add --yes to use it only when it was read surely")
        print("この番号で照合しますか / use this number? [y/N] ", end="", file=out, flush=True)
        if stdin.readline().strip().lower() not in ("y", "yes", "はい"):
            raise ConfigError("not confirmed: nothing was sent to the card")
    try:
        return number_from_picture(face, unattended=yes)
    except OcrError as error:
        raise ConfigError(f"{error}; type the number instead (--card-number -)") from error


def number_from_image(args: argparse.Namespace) -> NumberInput:
    if any(value is not None for value in (args.code_b, args.birth, args.expiry_year,
                                           args.security_code, args.card_number)):
        raise ConfigError("give either --card-number-from-image or a typed key")
    path: Path = args.card_number_from_image
    try:
        face = read_residence_face_file(path)
    except OcrError as error:
        where = "" if isinstance(error.__cause__, OSError) else f"{path}: "
        raise ConfigError(f"{where}{error}") from error
    return confirmed_number(face, yes=args.yes, stdin=sys.stdin, out=sys.stderr)
