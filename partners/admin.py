"""Staff manage partners, their groups, clients and keys. Keys are created by an action that
shows the new key once; they are never shown again, only revoked."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey

from partners import services, webhooks
from partners.models import (
    ApiClient,
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    WebhookDelivery,
    WebhookEndpoint,
)

# The library's own key model is unused: partners' keys are PartnerApiKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


class PartnerGroupInline(admin.TabularInline):
    model = PartnerGroup
    raw_id_fields = ["group"]
    extra = 0


class ApiClientInline(admin.TabularInline):
    model = ApiClient
    fields = ["name", "can_read", "can_write"]
    extra = 0
    show_change_link = True


@admin.register(PartnerOrganization)
class PartnerOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [PartnerGroupInline, ApiClientInline]


class PartnerApiKeyInline(admin.TabularInline):
    model = PartnerApiKey
    fields = ["prefix", "name", "created", "expiry_date", "revoked"]
    readonly_fields = ["prefix", "name", "created", "expiry_date", "revoked"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
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
class PartnerApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "client", "created", "expiry_date", "revoked"]
    list_filter = ["revoked", "client__organization"]
    readonly_fields = ["prefix", "name", "client", "created", "expiry_date", "revoked"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for api_key in queryset:
            services.api_key_revoke(api_key=api_key)
        messages.success(request, _("Revoked."))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Staff register a partner's endpoint; the signing secret is shown to hand to the partner."""

    list_display = ["url", "organization", "is_active", "consecutive_failures"]
    list_filter = ["is_active", "organization"]
    fields = ["organization", "url", "event_types", "is_active", "secret", "consecutive_failures"]
    readonly_fields = ["secret", "consecutive_failures"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Deliver again"))
    def redeliver(self, request, queryset):
        count = webhooks.redeliver(deliveries=queryset)
        messages.success(request, _("%(n)s queued again.") % {"n": count})
