"""`mynacheck trust`: the issuers' CA certificates on this PC.

`trust add FILE` installs the Immigration Services Agency's CA certificates from the file an
administrator downloaded from the Agency's web site (its ZIP, or a certificate in DER or PEM),
refusing the whole file when any certificate in it is not one of the fingerprints this program
ships. `trust list` shows the table and what is installed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from verifier.counter.installed import default_directory, install, status


def register(subparsers: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "trust", help="install the Agency's CA certificates (在留カード)",
        description="The Immigration Services Agency's CA certificates, which residence cards "
                    "(在留カード, 特別永住者証明書) are verified against. They cannot ship with "
                    "this program: download them from the Agency's web site and install them "
                    "here. Only files whose SHA-256 is in the table this program ships are "
                    "installed.")
    parser.add_argument("--trust-dir", type=Path, metavar="DIR",
                        help=f"where the certificates are kept (default: {default_directory()}"
                             "; the counter reads the same place)")
    actions = parser.add_subparsers(dest="trust_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="install the CA certificates of a file",
                             description="Install the Agency's CA certificates from FILE: the "
                                         "ZIP as downloaded, or a certificate (DER or PEM). "
                                         "A file holding any other certificate is refused "
                                         "whole; nothing is installed then.")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE")
    actions.add_parser("list", help="the Agency's CAs this program knows, and which are "
                                    "installed")
    return parser


def run(args: argparse.Namespace) -> int:
    directory: Path = args.trust_dir or default_directory()
    if args.trust_action == "add":
        for source in args.files:
            for item in install(source, directory):
                state = "already installed" if item.already else "installed"
                print(f"{state}: {item.row.name} (generation {int(item.row.generation)}, "
                      f"valid until {item.row.valid_until.isoformat()}, SHA-256 "
                      f"{item.row.sha256}) from {item.member} -> {item.path}")
        return 0
    print(f"trust directory: {directory}")
    for row in status(directory):
        mark = "installed" if row.installed else "CHANGED  " if row.changed else "missing  "
        test = " [test CA: trusted only with --trust agency-test]" if row.row.test else ""
        print(f"{mark}  gen {int(row.row.generation)}  until {row.row.valid_until.isoformat()}  "
              f"{row.row.sha256}  {row.row.name}{test}")
        if row.changed:
            print(f"           {directory / row.row.file_name} is no longer that certificate: it "
                  "is left out; install the Agency's file again")
    return 0
