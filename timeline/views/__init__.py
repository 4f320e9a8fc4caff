"""Reader pages, one module per page: every page shows published items only, whoever is signed in.

`home`, `timeline` (a crisis's reading view), `items` (an event, an actor, an article), `charts`
(the actor page's activity chart), `assets` (the category stylesheet); `common` holds what they
share.
"""
