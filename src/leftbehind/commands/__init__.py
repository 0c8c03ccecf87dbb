"""One module per ``python -m leftbehind`` subcommand (see ``leftbehind.__main__``)."""
