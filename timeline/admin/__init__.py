"""The editors' tool: review what the machine extracted, fix it, publish it.

By what an editor works on: items.py (actors, statements, events), citations.py (citations and
the records around items), articles.py (crises, outlets, articles and the import page),
feeds.py (watched feeds and what their polls found), webhooks.py (superusers'), directory.py
(the actor directory), actions.py (the bulk actions), review.py (the review queue), forms.py.
"""

from django.contrib import admin

from timeline.admin import (  # noqa: F401  (each registers its models)
    articles,
    citations,
    directory,
    feeds,
    items,
    webhooks,
)

admin.site.site_header = "Crisis Timeline — editors"
admin.site.site_title = "Crisis Timeline"
admin.site.index_title = "Review, fix and publish"
