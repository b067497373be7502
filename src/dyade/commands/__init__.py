"""CLI command groups, one module each (see `dyade.cli.EXTENSIONS`)."""
