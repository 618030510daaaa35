import pytest
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db


def test_site_is_named_connect_not_example_com():
    site = Site.objects.get_current()
    assert site.name == "Connect"
    assert "example.com" not in site.domain


@pytest.mark.django_db(transaction=True)
def test_site_stays_named_connect_after_a_flush():
    """Transactional tests flush the database; sites then recreates "example.com"."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    Site.objects.clear_cache()
    assert Site.objects.get_current().name == "Connect"
