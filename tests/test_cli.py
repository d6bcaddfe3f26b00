"""Every command has Danish help and is described in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dagsorden.cli import cli, main

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_command_has_danish_help_and_is_in_readme(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"], prog_name="dagsorden")
    assert result.exit_code == 0
    assert "Brug: dagsorden" in result.output and "Tilvalg:" in result.output
    assert f"dagsorden {command}" in README.read_text(encoding="utf-8")


def test_unknown_command_is_a_danish_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tjekk"]) == 2
    err = capsys.readouterr().err
    assert "Kommandoen 'tjekk' findes ikke." in err


def test_unknown_meeting_names_the_known_ones(
    example_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["byg", "2023-03-02-uh", "--projekt", str(example_root), "--ud", str(tmp_path)])
    assert code == 1
    err = capsys.readouterr().err
    assert err == (
        "fejl: ukendt møde '2023-03-02-uh' (kendte: 2022-12-06-oek, 2022-12-13-kb, "
        "2023-03-02-hu); mente du '2023-03-02-hu'?\n"
    )
    assert not any(tmp_path.iterdir())
