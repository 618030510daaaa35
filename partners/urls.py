"""The partner API under /api/v1/ and the embeds."""

app_name = "partners"

urlpatterns = []
