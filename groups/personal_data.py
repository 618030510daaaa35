"""What the groups app holds about a person: exported on request, anonymized on deletion."""
