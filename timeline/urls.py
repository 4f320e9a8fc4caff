from django.urls import path

from timeline.caching import reader_page
from timeline.exports import feeds
from timeline.views import assets, axis, embeds, home, items, places, story
from timeline.views import timeline as crisis

app_name = "timeline"

urlpatterns = [
    path("", reader_page(home.home), name="home"),
    path("categories.css", assets.category_css, name="category_css"),
    path("crises/<slug:slug>/", reader_page(crisis.crisis_timeline), name="crisis"),
    path("crises/<slug:slug>/axis.json", reader_page(axis.axis_items), name="axis_items"),
    path("crises/<slug:slug>/axis-lanes.json", reader_page(axis.axis_lanes), name="axis_lanes"),
    path(
        "embed/crises/<slug:slug>/",
        embeds.framable_by_newsrooms(reader_page(embeds.embed_timeline)),
        name="embed",
    ),
    path("oembed", embeds.oembed, name="oembed"),
    path("crises/<slug:slug>/story/", reader_page(story.crisis_story), name="story"),
    path("crises/<slug:slug>/feed.atom", feeds.EventFeed(), name="export_feed"),
    path("crises/<slug:slug>/corrections.atom", feeds.CorrectionFeed(), name="export_corrections"),
    path("crises/<slug:slug>/events.csv", feeds.export_csv, name="export_csv"),
    path("crises/<slug:slug>/events.jsonl", feeds.export_json, name="export_json"),
    path("crises/<slug:slug>/timelinejs.json", feeds.export_timelinejs, name="export_timelinejs"),
    path("crises/<slug:slug>/scheduled.ics", feeds.export_ics, name="export_ics"),
    path("events/<int:pk>/", items.event_detail, name="event"),
    path("actors/<slug:slug>/", reader_page(items.actor_detail), name="actor"),
    path("articles/<int:pk>/", items.article_detail, name="article"),
    path("places/<slug:slug>/", reader_page(places.place_detail), name="place"),
]
