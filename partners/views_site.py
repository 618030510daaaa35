"""A partner's organizers run its API keys and webhook endpoints on the website; everyone
else gets a 404. Every change goes through partners.services with the person as actor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ServiceError
from core.web import add_service_error, message_service_error
from partners import selectors_site as selectors
from partners import services_site as services
from partners.forms_site import ApiKeyForm, EmbedOriginsForm, WebhookEndpointForm
from partners.webhooks import CATALOGUE


def _manage_page(
    request,
    partner,
    *,
    key_form=None,
    webhook_form=None,
    embed_form=None,
    new_key=None,
    status=200,
):
    embed_url = request.build_absolute_uri(reverse("partners:embed-partner", args=[partner.slug]))
    return render(
        request,
        "partners/manage.html",
        {
            "partner": partner,
            "keys": list(selectors.partner_api_keys(partner=partner)),
            "endpoints": list(selectors.partner_webhook_endpoints(partner=partner)),
            "key_form": key_form or ApiKeyForm(),
            "webhook_form": webhook_form or WebhookEndpointForm(),
            "embed_form": embed_form
            or EmbedOriginsForm(initial={"embed_origins": partner.embed_origins}),
            "new_key": new_key,
            "embed_url": embed_url,
            "catalogue": CATALOGUE,
        },
        status=status,
    )


@require_GET
@login_required
def partners_mine(request):
    """The partners whose groups the user organizes: one goes straight to its page."""
    partners = list(selectors.managed_partners(user=request.user))
    if len(partners) == 1:
        return redirect("partners:manage", slug=partners[0].slug)
    return render(request, "partners/mine.html", {"partners": partners})


@require_GET
@login_required
@never_cache
def partner_manage(request, slug):
    """The partner's page for its organizers: keys, webhook endpoints, the embed snippet."""
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    return _manage_page(request, partner)


@require_POST
@login_required
@never_cache
def api_key_create(request, slug):
    """A new key, shown on the answer page once and never again."""
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            api_key, key = services.partner_key_issue(
                partner=partner,
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            return _manage_page(request, partner, new_key={"key": key, "api_key": api_key})
    return _manage_page(request, partner, key_form=form, status=400)


@require_POST
@login_required
def api_key_revoke(request, slug, key_id):
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    api_key = selectors.access_partner_api_key(partner=partner, pk=key_id)
    services.partner_key_revoke(api_key=api_key, actor=request.user)
    messages.success(request, _("The key %(prefix)s is revoked.") % {"prefix": api_key.prefix})
    return redirect("partners:manage", slug=partner.slug)


@require_POST
@login_required
def webhook_create(request, slug):
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(
                partner=partner,
                actor=request.user,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The endpoint is added. Copy its signing secret."))
            return redirect("partners:webhook", slug=partner.slug, pk=endpoint.pk)
    return _manage_page(request, partner, webhook_form=form, status=400)


@require_GET
@login_required
@never_cache
def webhook_detail(request, slug, pk):
    """One endpoint: its secret, switches, and the delivery log."""
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    endpoint = selectors.access_partner_webhook(partner=partner, pk=pk)
    return render(
        request,
        "partners/webhook.html",
        {
            "partner": partner,
            "endpoint": endpoint,
            "deliveries": list(selectors.webhook_delivery_log(endpoint=endpoint)),
        },
    )


WEBHOOK_ACTIONS = {
    "rotate": (
        lambda e, actor: services.webhook_endpoint_secret_rotate(endpoint=e, actor=actor),
        gettext_lazy("A new secret is in use; the old one still signs deliveries for 24 hours."),
    ),
    "disable": (
        lambda e, actor: services.webhook_endpoint_set_active(
            endpoint=e, actor=actor, active=False
        ),
        gettext_lazy("The endpoint is switched off."),
    ),
    "enable": (
        lambda e, actor: services.webhook_endpoint_set_active(endpoint=e, actor=actor, active=True),
        gettext_lazy("The endpoint is switched on."),
    ),
    "test": (
        lambda e, actor: services.webhook_test_send(endpoint=e, actor=actor),
        gettext_lazy("A test event is on its way (within a minute)."),
    ),
}


@require_POST
@login_required
def webhook_action(request, slug, pk, action):
    """Rotate the secret, switch the endpoint off or on, or send it a test event."""
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    endpoint = selectors.access_partner_webhook(partner=partner, pk=pk)
    run, done = WEBHOOK_ACTIONS[action]
    try:
        run(endpoint, request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, done)
    return redirect("partners:webhook", slug=partner.slug, pk=endpoint.pk)


@require_POST
@login_required
def delivery_redeliver(request, slug, pk, delivery_pk):
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    endpoint = selectors.access_partner_webhook(partner=partner, pk=pk)
    delivery = selectors.access_webhook_delivery(endpoint=endpoint, pk=delivery_pk)
    try:
        services.webhook_delivery_redeliver(delivery=delivery, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("partners:webhook", slug=partner.slug, pk=endpoint.pk)


@require_POST
@login_required
def embed_origins_set(request, slug):
    """Which sites may frame the partner's embeds."""
    partner = selectors.access_managed_partner(user=request.user, slug=slug)
    form = EmbedOriginsForm(request.POST)
    if form.is_valid():
        try:
            services.partner_embed_origins_set(
                partner=partner,
                actor=request.user,
                embed_origins=form.cleaned_data["embed_origins"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The sites that may show your events are saved."))
            return redirect("partners:manage", slug=partner.slug)
    return _manage_page(request, partner, embed_form=form, status=400)
