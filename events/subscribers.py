"""How the events app reacts to what other apps announce (see core.events)."""
