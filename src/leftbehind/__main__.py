"""``python -m leftbehind``: the book's command line.

Each subcommand lives in its own module under :mod:`leftbehind.commands` and
provides ``add_arguments(parser)`` and ``run(args) -> int``.  Modules are
imported only when their subcommand runs, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from leftbehind.core.errors import UserError

#: subcommand -> (module, one-line help)
COMMANDS = {
    "audit": ("leftbehind.commands.audit", "audit Yong et al. 2023 from its own printed numbers"),
    "simulate": ("leftbehind.commands.simulate", "write a synthetic raw questionnaire export"),
    "analyse": ("leftbehind.commands.analyse", "validate, clean, score and analyse a raw export"),
    "whatif": (
        "leftbehind.commands.whatif",
        "rerun the key results with other parameters (seed, sample size, an assumption, removal threshold)",
    ),
    "numbers": (
        "leftbehind.commands.numbers",
        "list the numbers a built book shows, or compare them with another build's numbers.json",
    ),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``only`` set, import just that subcommand."""
    parser = argparse.ArgumentParser(prog="python -m leftbehind", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or only == name:
            importlib.import_module(module_name).add_arguments(sp)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = next((a for a in argv if a in COMMANDS), None)
    args = build_parser(only=chosen).parse_args(argv)
    module = importlib.import_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not the user's file: say so plainly; the traceback only on request
        if os.environ.get("LEFTBEHIND_DEBUG"):
            raise
        print(f"error: unexpected {type(err).__name__}: {err}\n"
              f"This is a fault in leftbehind, not in your file. Please report it with the "
              f"command you ran (set LEFTBEHIND_DEBUG=1 to see the traceback).", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
