"""What the events app holds about a person: exported on request, anonymized on deletion."""
