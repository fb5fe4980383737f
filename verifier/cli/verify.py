"""`mynacheck verify`: one card, from a reader or simulated."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from verifier.cli.options import (
    add_audit_options,
    add_code_options,
    add_number_options,
    add_training_options,
    add_trust_options,
    code_from_args,
    key_prompt,
    number_from_args,
    policy_from_args,
)
from verifier.cli.output import announce_simulated_trust, render
from verifier.cli.picture import add_picture_options, code_from_image, number_from_image
from verifier.counter.answer import Checked
from verifier.counter.keys import KeyInput
from verifier.counter.outputs import check_output_file
from verifier.counter.sources import SourceSpec
from verifier.counter.visit import Counter
from verifier.errors import ConfigError


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify", help="verify one card",
        description="Verify one My Number Card (code B), 在留カード or 特別永住者証明書 (card "
                    "number): chip, certificate, signature, and for the My Number Card the "
                    "chip's own key. The document is recognised by what its chip answers.")
    source = parser.add_argument_group("card")
    source.add_argument("--reader", metavar="NAME_OR_INDEX",
                        help="PC/SC reader (default: the one reader holding a card)")
    source.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait up to SECONDS for a card")
    source.add_argument("--simulated", metavar="PROFILE",
                        help="verify an in-process simulated card (see `mynacheck demo`)")
    source.add_argument("--persona", type=int, default=0, metavar="N",
                        help="simulated persona (default 0)")
    source.add_argument("--quirks", default="", metavar="LIST",
                        help="simulated card quirks, e.g. no-extended,no-sfi,t0")
    add_code_options(parser)
    add_number_options(parser)
    add_picture_options(parser)
    add_trust_options(parser)
    add_training_options(parser)
    add_audit_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON result object")
    out.add_argument("--include-personal-data", action="store_true",
                     help="add birth date, sex, name/address and images to the output")
    out.add_argument("--save-photo", type=Path, metavar="FILE.png",
                     help="write the chip photo (only after its signature verified)")
    return parser


def run(args: argparse.Namespace) -> int:
    source = SourceSpec(reader=args.reader, simulated=args.simulated, persona=args.persona,
                        quirks=args.quirks, wait_s=args.wait)
    source.validate()
    policy = policy_from_args(args)
    today = date.today()
    code: KeyInput | None
    if args.code_b_from_image is not None:
        code = code_from_image(args, today=today)
    elif args.card_number_from_image is not None:
        code = number_from_image(args)
    else:
        code = number_from_args(args) or code_from_args(args, today=today)
    # A real reader and no key given: at a terminal, ask (hidden) for the key of the document
    # the chip answers as, rather than go without.
    ask = key_prompt(args, today=today) if code is None and source.simulated is None else None
    # Everything the operator can get wrong is refused before the card is touched: no try is
    # spent, and no verification is done whose photo or audit record could not be written.
    if args.save_photo is not None:
        check_output_file(args.save_photo, "--save-photo")
    counter = Counter(policy, decode_photo=args.include_personal_data
                      or args.save_photo is not None)
    counter.check_audit_log()
    source.check_reader()
    if source.simulated is not None:
        announce_simulated_trust(policy)
    checked = counter.check(source, code, ask=ask)
    emit(checked, args)
    if checked.audit_error is not None:
        raise ConfigError(checked.audit_error)
    return checked.exit_code


def emit(checked: Checked, args: argparse.Namespace) -> None:
    """The result first: a photo that cannot be saved (checked beforehand, but a disk can
    fill) must not hide the verdict already recorded."""
    result = checked.result
    if args.json:
        print(json.dumps(checked.to_json(include_personal_data=args.include_personal_data),
                         ensure_ascii=False, indent=2))
    else:
        print(render(checked, include_personal_data=args.include_personal_data))
    if args.save_photo is not None:
        photo = result.personal.photo_png if result.personal else None
        if photo is None:
            print("mynacheck: no verified photo to save", file=sys.stderr)
            return
        try:
            args.save_photo.write_bytes(photo)
        except OSError as error:
            raise ConfigError(f"cannot save the photo to {args.save_photo}: "
                              f"{error.strerror or error}") from error
