"""Care calendars ("let people show up for you"): models in volunteering.care_models, notices
in volunteering.care_notifications, everything else here."""
