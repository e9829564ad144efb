"""python -m graphgov runs the command line."""

from graphgov.cli import main

main()
