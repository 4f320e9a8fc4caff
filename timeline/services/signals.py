"""What the editorial services announce, for whoever listens (the webhooks, timeline/webhooks.py).

Sent inside the service's transaction: a receiver that writes does so in the same commit, and
one that talks to the outside world waits for it (`transaction.on_commit`).
"""

from django.dispatch import Signal

# kind ("published", "corrected", "retracted"), model (Event, Statement or Actor), pks (list)
items_changed = Signal()
