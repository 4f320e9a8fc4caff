from django.db import migrations, models

from timeline.extraction.article_text.copies import text_signature


def sign_stored_articles(apps, schema_editor):
    """Give the articles stored before signatures theirs, so new copies find them too."""
    Article = apps.get_model("timeline", "Article")
    for article in Article.objects.only("id", "text").iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(text_signature=text_signature(article.text))


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0011_directory_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="text_signature",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="A sketch of the text's word runs, to find other outlets' copies of it.",
            ),
        ),
        migrations.RunPython(sign_stored_articles, migrations.RunPython.noop, elidable=True),
    ]
