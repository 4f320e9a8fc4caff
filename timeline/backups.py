"""Backups of one crisis as JSON: everything needed to rebuild it in another database.

`dump_crisis` gathers the crisis with its articles and sources, the actors involved (with their
aliases and affiliations), statements, events (with actors' roles, claims, categories, editors'
comments and corrections), citations, and the edit history of each of those items. Rows keep their
ids and timestamps, so a crisis restored into an empty database is the same data, and its public
URLs (/events/<id>/) still work.

`load_crisis` reads such a file back in one transaction: it validates every row first and refuses
the whole file, with a sentence saying what is wrong, rather than store part of it. Shared rows
that already exist in the target (a source, an actor, an article, another crisis, a category) are
matched by their natural key and reused; everything else gets its old id when that id is free.

The format: {"format": FORMAT, "version": 1, "crisis": slug, "exported_at": iso,
"models": {"timeline.event": [{"pk": 1, "fields": {...}}, ...], ...}}. Foreign keys hold the
referenced row's pk in the same file; users are written by user name (accounts are not backed up:
a user name that does not exist where the file is loaded becomes empty).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from timeline.models import Article, content_hash

FORMAT = "crisis-timeline-backup"
VERSION = 1

# In load order: a row only refers to rows of models above it (or to its own model).
MODEL_ORDER = [
    "crisis",
    "eventcategory",
    "source",
    "article",
    "actor",
    "actoralias",
    "place",
    "statement",
    "event",
    "eventactor",
    "eventplace",
    "claim",
    "citation",
    "editorcomment",
    "correction",
    # Merges of the crisis's actors and events, so an editor can still undo them after a
    # restore. Their undo records hold ids: they are loaded only where every id stayed the same.
    "merge",
]
# Timeline models deliberately left out of a crisis backup, and why.
EXCLUDED = {
    "directoryentry": "the actor directory is the newsroom's, shared by every crisis; "
    "export_directory and import_directory move it",
    "directoryalias": "part of the actor directory (see directoryentry)",
    "directoryrole": "part of the actor directory (see directoryentry)",
    "watchedfeed": "this installation's polling of outlets, with its validators and schedule: "
    "a restored copy elsewhere would poll the same outlets a second time; add feeds there anew",
    "feedpoll": "the poll history of a watched feed (see watchedfeed)",
    "feedentry": "what a watched feed listed (see watchedfeed); the articles themselves are kept",
    "ingestbatch": "who handed which articles over at once, for following the workers; the "
    "articles themselves are kept",
    "webhook": "this installation's API consumers and their secrets, not the crisis's data",
    "webhookdelivery": "the delivery log of a webhook (see webhook)",
}
# Rows of these models that already exist in the target are reused, matched on this field.
NATURAL_KEYS = {
    "crisis": ("slug",),
    "eventcategory": ("slug",),
    "source": ("slug",),
    "article": ("content_hash",),
    "actor": ("slug",),
    "actoralias": ("actor", "key"),
    "place": ("gazetteer_id",),
}
_FORMATTED_FIELDS = (
    models.DateField,
    models.DateTimeField,
    models.TimeField,
    models.DecimalField,
    models.UUIDField,
)


# The count `load_crisis` gives of the merges it could not restore as undoable.
MERGES_LEFT_OUT = "merges left out (their rows have other ids here, so they cannot be undone)"


class BackupError(ValueError):
    """The file cannot be loaded; the message says what is wrong and what to do."""


def _model(name: str) -> type[models.Model] | None:
    try:
        return apps.get_model("timeline", name)
    except LookupError:
        return None  # a model this version of the app does not have


def backed_up_models() -> list[type[models.Model]]:
    """The models a backup holds, in load order, each followed by its history where it has one."""
    ordered = []
    for name in MODEL_ORDER:
        model = _model(name)
        if model is not None:
            ordered.append(model)
    return ordered + [h for h in (history_model(m) for m in ordered) if h is not None]


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def _is_user(field: models.Field) -> bool:
    return field.is_relation and field.related_model is get_user_model()


def _m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    # Many-to-many links with an explicit through model (roles, claims) travel as its rows.
    return [
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField) and _through(f)._meta.auto_created
    ]


def _through(field: models.Field[Any, Any] | models.ForeignObjectRel) -> type[models.Model]:
    """The link table of a many-to-many field (Django sets it, or makes one, at class creation)."""
    assert isinstance(field, models.ManyToManyField)
    through = field.remote_field.through
    assert isinstance(through, type)
    return through


def _related_model(field: models.Field[Any, Any]) -> type[models.Model]:
    """The model a relation points to, resolved (a class, never "self") once the apps are ready."""
    model = field.related_model
    assert isinstance(model, type)
    return model


# Export


def dump_crisis(slug: str) -> dict[str, Any]:
    """Everything about the crisis `slug`, as a JSON-ready dict. Raises Crisis.DoesNotExist."""
    rows = _select(slug)
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    dumped: dict[str, list[dict[str, Any]]] = {}
    for model in backed_up_models():
        objects = rows.get(model, [])
        dumped[model._meta.label_lower] = [_dump_row(obj, usernames) for obj in objects]
    return {
        "format": FORMAT,
        "version": VERSION,
        "crisis": slug,
        "exported_at": timezone.now().isoformat(),
        "models": dumped,
    }


def _select(slug: str) -> dict[type[models.Model], list[models.Model]]:
    """The rows of each model that belong in the crisis's backup."""
    Crisis = apps.get_model("timeline", "Crisis")
    crisis = Crisis.objects.get(slug=slug)
    m = {name: _model(name) for name in MODEL_ORDER}

    def rows_of(name: str) -> models.QuerySet[Any]:
        # A model every version has, or one the caller checked is there.
        model = m[name]
        assert model is not None, name
        return model._default_manager.all()

    ids: dict[str, set[int]] = defaultdict(set)

    ids["event"] = set(crisis.events.values_list("pk", flat=True))
    ids["statement"] = set(crisis.statements.values_list("pk", flat=True))
    if m["claim"] is not None:
        # A claim's statement travels with the event it supports or denies.
        claims = rows_of("claim").filter(event__in=ids["event"])
        ids["claim"] = set(claims.values_list("pk", flat=True))
        ids["statement"] |= set(claims.values_list("statement_id", flat=True))
    citations = rows_of("citation").filter(
        models.Q(event__in=ids["event"]) | models.Q(statement__in=ids["statement"])
    )
    ids["citation"] = set(citations.values_list("pk", flat=True))
    ids["article"] = set(crisis.articles.values_list("pk", flat=True)) | set(
        citations.values_list("article_id", flat=True)
    )
    articles = rows_of("article").filter(pk__in=ids["article"])
    ids["source"] = {
        pk for pair in articles.values_list("source_id", "publisher_id") for pk in pair if pk
    }
    roles = rows_of("eventactor").filter(event__in=ids["event"])
    ids["eventactor"] = set(roles.values_list("pk", flat=True))
    ids["actor"] = set(roles.values_list("actor_id", flat=True)) | {
        pk
        for pk in rows_of("statement")
        .filter(pk__in=ids["statement"])
        .values_list("speaker_id", flat=True)
        if pk
    }
    if m["correction"] is not None:
        corrections = rows_of("correction").filter(
            models.Q(event__in=ids["event"]) | models.Q(statement__in=ids["statement"])
        )
        ids["correction"] = set(corrections.values_list("pk", flat=True))
        ids["actor"] |= {pk for pk in corrections.values_list("actor_id", flat=True) if pk}
    # Actors attached to nothing yet (an editor's work in progress) travel in every backup.
    ids["actor"] |= set(
        rows_of("actor")
        .filter(statements__isnull=True, event_roles__isnull=True, members__isnull=True)
        .values_list("pk", flat=True)
    )
    if m["eventplace"] is not None and m["place"] is not None:
        # Where the events happened, each place with the country it lies in and the actor
        # the same name stands for.
        links = rows_of("eventplace").filter(event__in=ids["event"])
        ids["eventplace"] = set(links.values_list("pk", flat=True))
        ids["place"] = set(links.values_list("place_id", flat=True))
        ids["place"] |= {
            pk
            for pk in rows_of("place").filter(pk__in=ids["place"]).values_list("country", flat=True)
            if pk
        }
        ids["actor"] |= {
            pk
            for pk in rows_of("place").filter(pk__in=ids["place"]).values_list("actor", flat=True)
            if pk
        }
    # Affiliations, all the way up (Blinken → State Department → United States).
    frontier = set(ids["actor"])
    while frontier:
        parents = set(
            rows_of("actor")
            .filter(pk__in=frontier, affiliation__isnull=False)
            .values_list("affiliation_id", flat=True)
        )
        frontier = parents - ids["actor"]
        ids["actor"] |= frontier
    if m["correction"] is not None:
        ids["correction"] |= set(
            rows_of("correction").filter(actor__in=ids["actor"]).values_list("pk", flat=True)
        )
    ids["actoralias"] = set(
        rows_of("actoralias").filter(actor__in=ids["actor"]).values_list("pk", flat=True)
    )
    if m["merge"] is not None:
        merges = rows_of("merge").filter(
            models.Q(kind="event", kept_id__in=ids["event"])
            | models.Q(kind="actor", kept_id__in=ids["actor"])
        )
        ids["merge"] = set(merges.values_list("pk", flat=True))
    if m["editorcomment"] is not None:
        ids["editorcomment"] = set(
            rows_of("editorcomment").filter(event__in=ids["event"]).values_list("pk", flat=True)
        )
    # Crises the items also belong to travel as plain rows, so those links survive a restore.
    ids["crisis"] = {crisis.pk}
    for name in ("article", "statement", "event"):
        model = m[name]
        assert model is not None, name
        through = _through(model._meta.get_field("crises"))
        ids["crisis"] |= set(
            through._default_manager.filter(**{f"{name}_id__in": ids[name]}).values_list(
                "crisis_id", flat=True
            )
        )

    rows: dict[type[models.Model], list[models.Model]] = {}
    for name, model in m.items():
        if model is None:
            continue
        if name == "eventcategory":
            queryset = model._default_manager.all()  # a short list that every event needs
        else:
            queryset = model._default_manager.filter(pk__in=ids[name])
        prefetch = [f.name for f in _m2m_fields(model)]
        rows[model] = list(queryset.prefetch_related(*prefetch).order_by("pk"))
        history = history_model(model)
        if history is not None:
            rows[history] = list(
                history._default_manager.filter(
                    **{f"{model._meta.pk.attname}__in": [o.pk for o in rows[model]]}
                ).order_by(history._meta.pk.attname)
            )
    return rows


def _dump_row(obj: models.Model, usernames: dict[int, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        if _is_user(field):
            user_id = getattr(obj, field.attname)
            fields[field.name] = usernames.get(user_id) if user_id else None
        elif field.is_relation:
            fields[field.name] = getattr(obj, field.attname)
        elif isinstance(field, _FORMATTED_FIELDS):
            value = field.value_from_object(obj)
            fields[field.name] = None if value is None else field.value_to_string(obj)
        else:
            fields[field.name] = field.value_from_object(obj)
    for field in _m2m_fields(type(obj)):
        fields[field.name] = sorted(related.pk for related in getattr(obj, field.name).all())
    return {"pk": obj.pk, "fields": fields}


# Import


def load_crisis(data: Any) -> dict[str, int]:
    """Load a backup made by `dump_crisis`, all or nothing; returns rows created per model."""
    models_data = _check_envelope(data)
    try:
        with transaction.atomic():
            return _Loader(models_data).run(data["crisis"])
    except IntegrityError as exc:
        raise BackupError(
            f"The file clashes with data already in the database ({exc}); load it into an "
            "empty database, or remove the clashing rows first. Nothing was imported."
        ) from None


def _check_envelope(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(
            "This is not a crisis backup (it lacks the format marker); give a file written "
            "by export_crisis."
        )
    if data.get("version") != VERSION:
        raise BackupError(
            f"This backup is version {data.get('version')!r}, but this app reads version "
            f"{VERSION}; load it with the version of the app that wrote it."
        )
    if not isinstance(data.get("crisis"), str) or not isinstance(data.get("models"), dict):
        raise BackupError("The backup lacks its crisis or its rows; the file is damaged.")
    known = {m._meta.label_lower for m in backed_up_models()}
    for label, rows in data["models"].items():
        if label not in known:
            raise BackupError(
                f"The backup holds rows of {label!r}, which this app does not know; load it "
                "with the version of the app that wrote it."
            )
        if not isinstance(rows, list) or not all(
            isinstance(r, dict)
            and isinstance(r.get("pk"), int)
            and isinstance(r.get("fields"), dict)
            for r in rows
        ):
            raise BackupError(f"The rows of {label} are damaged: each needs a pk and fields.")
    return data["models"]


class _Loader:
    def __init__(self, models_data: dict[str, list[dict[str, Any]]]) -> None:
        self.data = models_data
        self.users = {u.username: u for u in get_user_model().objects.all()}
        # For each model: the pk in the file → the row in this database.
        self.rows: dict[type[models.Model], dict[int, models.Model]] = defaultdict(dict)
        self.created: dict[type[models.Model], set[int]] = defaultdict(set)
        self.deferred: list[tuple[models.Model, models.Field, int]] = []
        # Rows that have another id here than in the file (reused, or their id was taken).
        self.renumbered = 0
        self.merges_left_out = 0

    def run(self, slug: str) -> dict[str, int]:
        Crisis = apps.get_model("timeline", "Crisis")
        if Crisis.objects.filter(slug=slug).exists():
            raise BackupError(
                f"The crisis {slug!r} already exists in this database; load the backup into an "
                "empty database, or delete that crisis first."
            )
        history_models = []
        for model in backed_up_models():
            if getattr(model, "instance_type", None) is not None:
                history_models.append(model)
                continue
            for index, row in enumerate(self.data.get(model._meta.label_lower, []), start=1):
                self._load_row(model, row, index)
        for obj, field, pk in self.deferred:  # links to rows of the same model
            target = self._target(field, pk, obj, 0)
            type(obj)._default_manager.filter(pk=obj.pk).update(**{field.attname: target.pk})
        for model in backed_up_models():
            if model not in history_models:
                self._load_links(model)
        for model in history_models:
            for row in self.data.get(model._meta.label_lower, []):
                self._load_history_row(model, row)
        self._reset_sequences()
        if not Crisis.objects.filter(slug=slug).exists():
            raise BackupError(f"The backup does not hold the crisis {slug!r}; the file is damaged.")
        counts = {m._meta.label_lower: len(pks) for m, pks in self.created.items() if pks}
        if self.merges_left_out:
            counts[MERGES_LEFT_OUT] = self.merges_left_out
        return counts

    def _load_row(self, model: type[models.Model], row: dict[str, Any], index: int) -> None:
        name = model._meta.model_name
        fields = row["fields"]
        if name == "merge" and not self._merge_can_be_undone(fields):
            self.merges_left_out += 1
            return
        obj = model()
        relations = []
        for field_name, value in fields.items():
            field = self._field(model, field_name)
            if field.many_to_many:
                continue
            if _is_user(field):
                setattr(obj, field.name, self.users.get(value) if value else None)
            elif field.is_relation:
                if value is None:
                    setattr(obj, field.attname, None)
                elif field.related_model is model:
                    self.deferred.append((obj, field, value))
                else:
                    setattr(obj, field.name, self._target(field, value, obj, index))
                relations.append(field.name)
            else:
                setattr(obj, field.attname, self._value(model, index, field, value))
        key = NATURAL_KEYS.get(name) if name else None
        if key:
            lookup = {f: getattr(obj, self._field(model, f).attname) for f in key}
            existing = model._default_manager.filter(**lookup).first()
            if existing is not None:
                self.rows[model][row["pk"]] = existing
                self.renumbered += existing.pk != row["pk"]
                return
        if isinstance(obj, Article) and obj.content_hash != content_hash(obj.text):
            raise self._invalid(model, index, {"text": ["does not match its content hash"]})
        try:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise self._invalid(model, index, exc.message_dict) from None
        if not model._default_manager.filter(pk=row["pk"]).exists():
            obj.pk = row["pk"]  # keep the id, and with it the item's public URL
        else:
            self.renumbered += 1
        # raw: keep the timestamps and computed fields as they were, as loaddata does.
        obj.save_base(raw=True, force_insert=True)
        self.rows[model][row["pk"]] = obj
        self.created[model].add(obj.pk)

    def _merge_can_be_undone(self, fields: dict[str, Any]) -> bool:
        """A merge's undo record names rows by id: it is only true here if every row of the file
        kept its id, and the merged item's id is still free (undoing recreates it)."""
        if self.renumbered:
            return False
        merged_model = _model(str(fields.get("kind")))
        merged_id = fields.get("merged_id")
        if merged_model is None or not isinstance(merged_id, int):
            return False
        return not merged_model._default_manager.filter(pk=merged_id).exists()

    def _load_links(self, model: type[models.Model]) -> None:
        for row in self.data.get(model._meta.label_lower, []):
            obj = self.rows[model].get(row["pk"])
            if obj is None:
                continue
            for field in _m2m_fields(model):
                targets = self.rows[_related_model(field)]
                related = [targets[pk] for pk in row["fields"].get(field.name, []) if pk in targets]
                if obj.pk in self.created[model]:
                    getattr(obj, field.name).set(related)
                else:
                    # A row that was already here keeps its links and gains the new ones (an
                    # article shared with another crisis joins the imported crisis too).
                    created = self.created[_related_model(field)]
                    getattr(obj, field.name).add(*[r for r in related if r.pk in created])

    def _load_history_row(self, model: type[models.Model], row: dict[str, Any]) -> None:
        original: type[models.Model] = model.instance_type  # type: ignore[attr-defined]  # simple_history sets it on history models
        pk_name = original._meta.pk.attname
        fields = dict(row["fields"])
        item = self.rows[original].get(fields[pk_name]) if pk_name in fields else None
        if item is None or item.pk not in self.created[original]:
            return  # the item already existed here, with its own history
        obj = model()
        for field_name, value in fields.items():
            field = self._field(model, field_name)
            if field_name == pk_name:
                setattr(obj, field.attname, item.pk)
            elif _is_user(field):
                setattr(obj, field.attname, self.users[value].pk if value in self.users else None)
            elif field.is_relation:
                # History rows keep links to rows that may be gone; map those that travelled.
                target = self.rows[_related_model(field)].get(value) if value is not None else None
                setattr(obj, field.attname, target.pk if target is not None else value)
            else:
                setattr(obj, field.attname, self._value(model, 0, field, value))
        if not model._default_manager.filter(pk=row["pk"]).exists():
            obj.pk = row["pk"]
        obj.save_base(raw=True, force_insert=True)
        self.created[model].add(obj.pk)

    def _value(
        self, model: type[models.Model], index: int, field: models.Field[Any, Any], value: Any
    ) -> Any:
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store NUL; no export of ours writes one.
            raise self._invalid(model, index, {field.name: ["holds a NUL character"]})
        try:
            return field.to_python(value)
        except ValidationError as exc:
            raise self._invalid(model, index, {field.name: exc.messages}) from None

    def _field(self, model: type[models.Model], name: str) -> models.Field[Any, Any]:
        try:
            field = model._meta.get_field(name)
        except Exception:  # FieldDoesNotExist
            field = None
        if not isinstance(field, models.Field):  # missing, or a reverse relation: not in a backup
            raise BackupError(
                f"The backup gives {model._meta.label_lower} a field {name!r} that this app does "
                "not have; load it with the version of the app that wrote it."
            )
        return field

    def _target(self, field: models.Field, pk: Any, obj: models.Model, index: int) -> models.Model:
        target = self.rows[_related_model(field)].get(pk)
        if target is None:
            raise self._invalid(
                type(obj),
                index,
                {
                    field.name: [
                        f"refers to {_related_model(field)._meta.verbose_name} {pk}, which "
                        "is not in the file"
                    ]
                },
            )
        return target

    def _invalid(
        self, model: type[models.Model], index: int, errors: dict[str, list[str]]
    ) -> BackupError:
        where = f"row {index} of {model._meta.label_lower}" if index else model._meta.label_lower
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items())
        return BackupError(
            f"The backup's {where} is invalid ({problems}). Fix or re-export the file; nothing "
            "was imported."
        )

    def _reset_sequences(self) -> None:
        # Rows inserted with their old ids leave PostgreSQL's id sequences behind.
        touched = [m for m, pks in self.created.items() if pks]
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def summary(counts: dict[str, int]) -> str:
    parts = [f"{n} {label.split('.')[-1]}" for label, n in counts.items() if n]
    return ", ".join(parts) if parts else "nothing"
