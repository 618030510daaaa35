from django.db import migrations, models


class Migration(migrations.Migration):
    """Tombstones for volunteer projects and shifts too: the object's kind beside its id."""

    dependencies = [
        ("partners", "0003_typed_text_rules"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="tombstone", name="tombstone_one_per_reason"),
        migrations.RenameField(model_name="tombstone", old_name="event_id", new_name="object_id"),
        migrations.AlterField(
            model_name="tombstone",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="object"),
        ),
        migrations.AddField(
            model_name="tombstone",
            name="kind",
            field=models.CharField(
                choices=[
                    ("event", "event"),
                    ("project", "volunteer project"),
                    ("shift", "shift"),
                ],
                default="event",
                max_length=10,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="tombstone",
            constraint=models.UniqueConstraint(
                fields=("kind", "object_id", "reason"), name="tombstone_one_per_reason"
            ),
        ),
    ]
