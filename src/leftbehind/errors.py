"""Errors a user can fix.  The command line prints them without a traceback."""


class UserError(Exception):
    """Bad input: the message names the file, the column, the rule and the rows."""

    exit_code = 2
