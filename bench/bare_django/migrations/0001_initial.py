"""The item table with its twenty rows."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import migrations, models


def seed(apps: Any, schema_editor: Any) -> None:
    item = apps.get_model("bare_django", "Item")
    item.objects.bulk_create(item(name=f"Item {n}", position=n) for n in range(1, 21))


class Migration(migrations.Migration):
    initial = True
    dependencies: ClassVar[list[tuple[str, str]]] = []
    operations: ClassVar[list[migrations.operations.base.Operation]] = [
        migrations.CreateModel(
            name="Item",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("position", models.PositiveIntegerField(unique=True)),
            ],
            options={"ordering": ("position",)},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
