from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0006_embed_origins"),
    ]

    operations = [
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="response_body",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
    ]
