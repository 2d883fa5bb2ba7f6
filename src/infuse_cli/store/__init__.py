"""The journal: one SQLite file per profile. This package is the only code that speaks SQL.

* Created on the first write, 0600 in a 0700 folder; read-only commands never create it.
* Autocommit mode (``isolation_level=None``) with an explicit ``BEGIN IMMEDIATE … COMMIT``
  around each command's writes, so a write is all or nothing.
* Migrations are an append-only list keyed by ``PRAGMA user_version``; each runs with its
  version bump in one transaction. A journal from a newer infuse is refused, untouched.
* Foreign keys on; a busy timeout, so two commands at once both succeed.

Modules: ``connection`` (opening, migrations, the writers' lock), ``queries`` (the
journal's records), ``between`` (test results, symptoms and relapses), ``transfer``
(export and import), ``backup`` (backup and restore).
The records themselves are typed structs in ``infuse_cli.core.records``.
"""

from typing import TYPE_CHECKING

from infuse_cli.core.records import (
    Export,
    ExportInfusion,
    ExportQuestion,
    ExportReaction,
    ExportRelapse,
    ExportResult,
    ExportSymptom,
    InfusionEntry,
    Reaction,
    UserQuestion,
)
from infuse_cli.store.backup import (
    backup_to,
    check_journal_file,
    restore_from,
    unique_name,
)
from infuse_cli.store.between import (
    add_relapse,
    add_result,
    add_symptom,
    get_relapse,
    get_result,
    get_symptom,
    relapses,
    remove_relapse,
    remove_result,
    remove_symptom,
    result_on,
    results,
    symptoms,
    update_result,
)
from infuse_cli.store.connection import (
    MIGRATIONS,
    NOTE_MAX,
    QUESTION_MAX,
    SAVED,
    SHORT_MAX,
    VERSION,
    JournalError,
    held,
    journal_path,
    new_uid,
    reading,
    writing,
)
from infuse_cli.store.queries import (
    add_infusion,
    add_question,
    add_reaction,
    before,
    count_infusions,
    edge,
    first_mark,
    get_infusion,
    get_reaction,
    history_since_first,
    infusions,
    journal_drugs,
    latest,
    latest_drug,
    mark_asked,
    reactions,
    remove_infusion,
    remove_reaction,
    reset_ticks,
    tick,
    ticks,
    undo_remove,
    undo_remove_reaction,
    update_infusion,
    update_reaction,
    user_questions,
)
from infuse_cli.store.transfer import FORMAT, SCHEMA, export, import_all

if TYPE_CHECKING:
    from sqlite3 import Connection  # for the layers above, which never import sqlite3

__all__ = [
    "Connection",
    "FORMAT",
    "MIGRATIONS",
    "NOTE_MAX",
    "QUESTION_MAX",
    "SAVED",
    "SCHEMA",
    "SHORT_MAX",
    "VERSION",
    "Export",
    "ExportInfusion",
    "ExportQuestion",
    "ExportReaction",
    "ExportRelapse",
    "ExportResult",
    "ExportSymptom",
    "InfusionEntry",
    "JournalError",
    "Reaction",
    "UserQuestion",
    "add_infusion",
    "add_relapse",
    "add_result",
    "add_symptom",
    "get_relapse",
    "get_result",
    "get_symptom",
    "relapses",
    "remove_relapse",
    "remove_result",
    "remove_symptom",
    "result_on",
    "results",
    "symptoms",
    "update_result",
    "add_question",
    "add_reaction",
    "backup_to",
    "before",
    "check_journal_file",
    "count_infusions",
    "edge",
    "export",
    "first_mark",
    "get_infusion",
    "get_reaction",
    "held",
    "history_since_first",
    "import_all",
    "infusions",
    "journal_drugs",
    "journal_path",
    "latest",
    "latest_drug",
    "mark_asked",
    "new_uid",
    "reactions",
    "reading",
    "remove_infusion",
    "remove_reaction",
    "reset_ticks",
    "restore_from",
    "tick",
    "ticks",
    "undo_remove",
    "undo_remove_reaction",
    "unique_name",
    "update_infusion",
    "update_reaction",
    "user_questions",
    "writing",
]
