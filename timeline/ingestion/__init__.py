"""Getting articles into the app: fetching pages (fetch.py) and the pipeline that stores them."""
