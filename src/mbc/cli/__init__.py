"""The ``mbc`` command line. Subcommands live in their own modules and load lazily,
so ``mbc plan`` never imports the web stack.

Exit status: 0 success; 2 invalid input (every problem named on stderr); 1 internal error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

__all__ = ["main"]

# command name -> (module, attribute, one-line help)
_COMMANDS: dict[str, tuple[str, str, str]] = {
    "plan": ("mbc.cli.plan", "plan", "Make a treatment plan for one patient record."),
    "kb": ("mbc.cli.kb", "kb", "Inspect and check the knowledge base."),
    "extract": ("mbc.cli.extract", "extract", "Read a FHIR bundle or a note into a record."),
    "ask": ("mbc.cli.ask", "ask", "Answer a free-text question (clinician or patient)."),
    "trials": ("mbc.cli.trials", "trials", "Match a patient against clinical trials."),
    "serve": ("mbc.cli.serve", "serve", "Run the web page, REST API and CDS Hooks service."),
    "dose": ("mbc.cli.dose", "dose", "Compute the doses of one regimen."),
    "algorithm": ("mbc.cli.algorithm", "algorithm", "Render the whole treatment algorithm."),
    "batch": ("mbc.cli.batch", "batch", "Plan a cohort of records."),
    "audit": ("mbc.cli.audit", "audit", "Verify the audit log (and audit a cohort)."),
    "synth": ("mbc.cli.synth", "synth", "Write a synthetic cohort of valid records."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n, (mod, _, _) in _COMMANDS.items() if _available(mod))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _COMMANDS.get(cmd_name)
        if spec is None or not _available(spec[0]):
            return None
        module = importlib.import_module(spec[0])
        command: click.Command = getattr(module, spec[1])
        return command


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mbc")
def _cli() -> None:
    """mbc - cited clinical decision support for metastatic breast cancer."""


def main(argv: list[str] | None = None) -> Any:
    """Console entry point."""
    return _cli.main(args=argv, prog_name="mbc", standalone_mode=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
