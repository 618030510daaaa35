import pytest
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db


def test_site_is_named_connect_not_example_com():
    site = Site.objects.get_current()
    assert site.name == "Connect"
    assert "example.com" not in site.domain
