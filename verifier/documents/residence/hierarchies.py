"""The names of the hierarchies a residence card's CA can count for: what an operator names
(`--trust agency-test`) and what a store accepts. Light, so the counter's policy knows them
without loading the certificate machinery."""

from __future__ import annotations

PRODUCTION = "production"  # the Agency's CAs of the table (not the test one)
AGENCY_TEST = "agency-test"  # the Agency's test CA: its sample cards
SIMULATED = "simulated"  # this project's simulated CA (testcards), the My Number name
OPERATOR = "operator"  # certificates an operator named with --trust-file
