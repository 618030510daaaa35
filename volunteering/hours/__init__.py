"""Hours that count: the hours ledger, its exports and verifiable hours statements."""
