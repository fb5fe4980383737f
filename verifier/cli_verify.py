"""`mynacheck verify`: one card, from a reader or simulated."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from verifier.card_source import CardSource, CardSourceError, verify_source
from verifier.cli_common import (
    UsageError,
    add_audit_options,
    add_code_options,
    add_trust_options,
    add_verbose,
    audit_from_args,
    code_from_args,
    options_from_args,
    record,
)
from verifier.cli_output import render
from verifier.verdict import Result


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "verify", help="verify one card",
        description="Verify one My Number Card: chip, certificate, signature, chip key.")
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
    add_trust_options(parser)
    add_audit_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON result object")
    out.add_argument("--include-personal-data", action="store_true",
                     help="add birth date, sex, name/address and images to the output")
    out.add_argument("--save-photo", type=Path, metavar="FILE.png",
                     help="write the chip photo (only after its signature verified)")
    add_verbose(parser)
    parser.set_defaults(run=run)


def source_from_args(args: argparse.Namespace) -> CardSource:
    source = CardSource(reader=args.reader, simulated=args.simulated, persona=args.persona,
                        quirks=args.quirks, wait_s=args.wait)
    try:
        source.validate()
    except CardSourceError as error:
        raise UsageError(str(error)) from error
    return source


def run(args: argparse.Namespace) -> int:
    source = source_from_args(args)
    code_b = code_from_args(args)
    options = options_from_args(args, simulated=source.simulated is not None)
    audit = audit_from_args(args)
    result, reader = verify_source(source, options, code_b)
    emit(result, args)
    record(audit, result, reader=reader, operator=args.operator)
    return result.verdict.exit_code


def emit(result: Result, args: argparse.Namespace) -> None:
    if args.save_photo is not None:
        photo = result.personal.photo_png if result.personal else None
        if photo is None:
            print("mynacheck: no verified photo to save", file=sys.stderr)
        else:
            args.save_photo.write_bytes(photo)
    if args.json:
        print(json.dumps(result.to_json(include_personal_data=args.include_personal_data),
                         ensure_ascii=False, indent=2))
    else:
        print(render(result, include_personal_data=args.include_personal_data))
