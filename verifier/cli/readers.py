"""`mynacheck readers`: the smart-card readers PC/SC offers, and the card in each."""

from __future__ import annotations

import argparse
import json
from typing import Any

from verifier.counter.policy import is_virtual_reader
from verifier.counter.readers import list_readers


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "readers",
        help="list the smart-card readers and whether each holds a card",
        description="Lists the readers PC/SC offers, numbered as --reader expects, with the "
                    "ATR of the card in each. Exit 0 (also when there is no reader), 2 when "
                    "the PC/SC service is not running.",
    )
    parser.add_argument("--json", action="store_true",
                        help='one JSON object: {"readers": [{"index", "name", "card_present", '
                             '"atr", "virtual"}]}')
    parser.add_argument("--virtual-reader", action="append", default=[], metavar="NAME",
                        help="also mark readers whose name contains NAME as virtual; "
                             "repeatable")
    return parser


def run(args: argparse.Namespace) -> int:
    readers = list_readers()
    listed = tuple(args.virtual_reader)
    if args.json:
        print(json.dumps({"readers": [
            {"index": index, "name": reader.name, "card_present": reader.card_present,
             "atr": reader.atr.hex().upper() if reader.atr is not None else None,
             "virtual": is_virtual_reader(reader.name, listed)}
            for index, reader in enumerate(readers)
        ]}, ensure_ascii=False))
        return 0
    if not readers:
        print("no smart-card reader found / カードリーダーが見つかりません")
        return 0
    for index, reader in enumerate(readers):
        card = f"card  ATR {reader.atr.hex(' ').upper()}" if reader.atr is not None else (
            "card (no ATR)" if reader.card_present else "empty")
        # A virtual reader takes cards from anyone who can reach it: training only.
        mark = ("  (virtual: training only / 仮想リーダー：訓練専用)"
                if is_virtual_reader(reader.name, listed) else "")
        print(f"{index}  {reader.name}  [{card}]{mark}")
    return 0
