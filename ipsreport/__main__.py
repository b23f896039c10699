"""``python -m ipsreport`` runs the command-line interface."""

from ipsreport.cli import main

raise SystemExit(main())
