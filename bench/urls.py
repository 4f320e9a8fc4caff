"""The product's URLs plus /bench/raw-events/, the floor the API list is compared with."""

from django.urls import path

from bench.rawsql import raw_events
from crisis.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/raw-events/", raw_events), *product_urlpatterns]
