"""`mynacheck gui`: registered with the CLI, PySide6 imported only when it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from verifier.cli import main as cli

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[2]


def test_importing_the_subcommand_does_not_import_qt() -> None:
    code = ("import sys, verifier.cli.main; verifier.cli.main.build_parser(); "
            "assert 'PySide6' not in sys.modules, 'PySide6 imported'")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def test_options_parse() -> None:
    args = cli.build_parser().parse_args(
        ["gui", "--simulated", "genuine", "--persona", "2", "--lang", "en",
         "--idle-timeout", "30", "--trust", "jpki-test"])
    assert args.simulated == "genuine" and args.persona == 2 and args.lang == "en"
    assert args.idle_timeout == 30 and args.trust == ["jpki-test"]
    assert callable(args.run)


def test_unknown_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gui", "--simulated", "no-such-profile"]) == 2
    assert "no-such-profile" in capsys.readouterr().err


def test_gui_help_lists_training_mode(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["gui", "--help"])
    assert exit_info.value.code == 0
    assert "--simulated" in capsys.readouterr().out


def test_gui_script_entry_point_help(capsys: pytest.CaptureFixture[str]) -> None:
    from gui.command import main

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "mynacheck-gui" in capsys.readouterr().out
