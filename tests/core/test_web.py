import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from core.exceptions import NotAllowed, NotFound, ServiceError
from core.web import NotFoundMiddleware, add_service_error, message_service_error


class _TitleForm(forms.Form):
    title = forms.CharField()


def _bound_form():
    form = _TitleForm(data={"title": "Choir night"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field():
    form = _bound_form()
    add_service_error(form, ServiceError({"title": "Give the event a shorter title."}))
    assert form.errors["title"] == ["Give the event a shorter title."]


def test_an_error_about_a_field_the_form_does_not_show_lands_at_the_top():
    form = _bound_form()
    add_service_error(form, ServiceError({"ends_at": "The event must end after it starts."}))
    assert form.errors[NON_FIELD_ERRORS] == ["The event must end after it starts."]


def test_an_error_without_a_field_lands_at_the_top():
    form = _bound_form()
    add_service_error(form, ServiceError("This event has already ended."))
    assert form.non_field_errors() == ["This event has already ended."]


def test_service_errors_become_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    message_service_error(request, ServiceError({"title": "Too long.", "capacity": "Too low."}))
    assert sorted(str(m) for m in get_messages(request)) == ["Too long.", "Too low."]


def test_not_allowed_is_a_service_error_with_a_readable_message():
    error = NotAllowed()
    assert isinstance(error, ServiceError)
    assert error.field_errors() == {NON_FIELD_ERRORS: ["You are not allowed to do this."]}


def test_a_model_validation_error_keeps_its_fields():
    error = ServiceError.from_validation_error(ValidationError({"title": ["Required."]}))
    assert error.field_errors() == {"title": ["Required."]}


def test_not_found_from_a_view_is_a_404(client, settings):
    settings.ROOT_URLCONF = "tests.core.not_found_urls"
    response = client.get("/hidden/")
    assert response.status_code == 404
    assert client.get("/shown/").status_code == 200


def test_the_middleware_leaves_other_errors_alone():
    middleware = NotFoundMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("boom")) is None
    with pytest.raises(Http404):
        middleware.process_exception(request, NotFound())


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_the_account_pages_answer_only_get_head_and_post(client, method, url):
    assert getattr(client, method)(url).status_code == 405
    assert client.get(url).status_code == 200
