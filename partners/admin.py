"""Staff manage partners, their groups, clients and keys. Keys are created by an action that
shows the new key once; they are never shown again, only revoked."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey

from core.admin import ReadOnlyAdmin, ThroughServicesAdmin
from partners import services, webhooks
from partners.models import (
    ApiClient,
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    Registration,
    WebhookDelivery,
    WebhookEndpoint,
)

# The library's own key model is unused: partners' keys are PartnerApiKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class AddOnlyInline(admin.TabularInline):
    """Rows added here are made by the partners services (PartnerOrganizationAdmin.save_formset);
    rows already there are shown, not edited or deleted."""

    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class PartnerGroupInline(AddOnlyInline):
    model = PartnerGroup
    raw_id_fields = ["group"]


class ApiClientInline(AddOnlyInline):
    model = ApiClient
    fields = ["name", "can_read", "can_write"]
    show_change_link = True


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(ThroughServicesAdmin):
    """Partners are made, and given groups and clients, through partners.services."""

    list_display = ["name", "slug", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [PartnerGroupInline, ApiClientInline]
    fields = ["name", "slug", "website", "contact_email"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            partner = services.partner_create(
                **{name: form.cleaned_data[name] for name in self.fields}
            )
            obj.pk = partner.pk
            obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        partner = form.instance
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if formset.model is PartnerGroup:
                services.partner_group_add(partner=partner, group=data["group"])
            else:
                scopes = [s for s in ("read", "write") if data.get(f"can_{s}")]
                services.api_client_create(partner=partner, name=data["name"], scopes=scopes)


class PartnerApiKeyInline(admin.TabularInline):
    model = PartnerApiKey
    fields = ["prefix", "name", "created", "expiry_date", "revoked"]
    readonly_fields = ["prefix", "name", "created", "expiry_date", "revoked"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    """Clients are added on their partner's page; keys are made here by an action."""

    list_display = ["name", "organization", "can_read", "can_write"]
    list_filter = ["organization"]
    inlines = [PartnerApiKeyInline]
    actions = ["create_key"]

    @admin.action(description=_("Create a new key (shown once)"))
    def create_key(self, request, queryset):
        for client in queryset:
            _api_key, key = services.api_key_create(client=client)
            messages.warning(
                request,
                _("New key for %(client)s, shown only now: %(key)s")
                % {"client": client, "key": key},
            )


@admin.register(PartnerApiKey)
class PartnerApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "name", "client", "created", "expiry_date", "revoked"]
    list_filter = ["revoked", "client__organization"]
    readonly_fields = ["prefix", "name", "client", "created", "expiry_date", "revoked"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        messages.success(request, _("Revoked."))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ThroughServicesAdmin):
    """Staff register a partner's endpoint; the signing secret is shown to hand to the partner."""

    list_display = ["url", "organization", "is_active", "consecutive_failures"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_filter = ["is_active", "organization"]
    fields = ["organization", "url", "event_types", "is_active", "secret", "consecutive_failures"]
    readonly_fields = ["secret", "consecutive_failures"]

    def save_model(self, request, obj, form, change):
        services.webhook_endpoint_save(endpoint=obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: read-only, with "deliver again"."""

    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_latency_ms",
        "created_at",
    ]
    list_filter = ["status", "event_type"]
    actions = ["redeliver"]

    @admin.action(description=_("Deliver again"))
    def redeliver(self, request, queryset):
        count = webhooks.redeliver(deliveries=queryset)
        messages.success(request, _("%(n)s queued again.") % {"n": count})


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Who a partner asked to register, and the person's answer: read-only (the partner asks
    through the API, the person answers by the link)."""

    list_display = ["email", "client", "event", "shift", "status", "outcome", "created_at"]
    list_filter = ["status"]
    list_select_related = ["client__organization", "event", "shift__role"]
    search_fields = ["email"]
