"""The next visit in words: the checklist, the questions and the printable sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infuse_cli.views.doc import Bullets, Doc, Para

if TYPE_CHECKING:
    from infuse_cli.core.schema import Therapy
    from infuse_cli.services.visit import ChecklistFor, QuestionsFor, Sheet, Visit

    Therapies = dict[str, Therapy]


def visit_intro(v: Visit) -> list[Para]:
    """The lines under a checklist's title: which visit it is for, and any warning."""
    from infuse_cli.core.dates import distance, human

    notes = [Para(n, tone="warn", label="Warning") for n in (v.plan.notes if v.plan else [])]
    if v.inputs.choice.how != "typed":
        notes.insert(0, Para(f"Therapy: {v.inputs.choice.said()}", tone="muted"))
    if v.plan is not None and v.plan.assumed:
        notes.append(Para(v.plan.assumed, tone="note", label="Assumed"))
    notes += [Para(a, tone="note", label="Assumed") for a in (v.plan.placed if v.plan else [])]
    if v.next is not None:
        what = "your first infusion" if v.first else v.next.phase
        if v.next.overdue_days:
            return [
                Para(
                    f"For {what}, due {human(v.next.date)}: overdue by {v.next.overdue_days} days."
                    " Contact your care team to book it.",
                    tone="warn",
                    label="Overdue",
                ),
                *notes,
            ]
        day = v.next.book or v.next.date
        return [Para(f"For {human(day)} ({distance(day, v.inputs.today)}): {what}.", tone="muted"), *notes]
    if v.none:
        return [Para(v.none, tone="note", label="Note"), *notes]
    if v.first:
        return [Para("For your first infusion.", tone="muted")]
    return [
        Para(
            f"For a visit after your first. If the next one is your first infusion of {v.therapy.brand},"
            f" add --first: infuse checklist --drug {v.therapy.id} --first",
            tone="note",
            label="Note",
        )
    ]


def checklist_view(found: ChecklistFor, therapies: Therapies, fmt: str) -> Doc | dict[str, Any]:
    """The checklist as a document, or (``fmt`` json) as data."""
    from infuse_cli.views.prep import checklist_doc, checklist_json

    v = found.visit
    if fmt == "json":
        return checklist_json(
            found.content,
            found.items,
            found.done,
            therapies,
            drug=v.therapy.id if v else None,
            first=v.first if v else None,
            visit=v.day.isoformat() if v and v.day else None,
        )
    name = "Name your therapy for a list made for it: infuse checklist --drug DRUG"
    intro = visit_intro(v) if v else [Para(name, tone="note", label="Note")]
    title = f"Checklist: {v.therapy.brand}" if v else "Checklist"
    return checklist_doc(found.content, found.items, found.done, therapies, title=title, intro=intro)


def questions_view(
    found: QuestionsFor, therapies: Therapies, fmt: str, with_mine: bool = True
) -> Doc | dict[str, Any]:
    """The questions as a document, or (``fmt`` json) as data."""
    from infuse_cli.views.prep import questions_doc, questions_json

    v = found.visit
    if fmt == "json":
        return questions_json(found.chosen, found.mine, therapies, drug=v.therapy.id if v else None)
    intro = [Para('Add your own: infuse questions add "…"', tone="muted")]
    title = f"Questions to ask: {v.therapy.brand}" if v else "Questions to ask"
    mine = found.mine if with_mine else []
    return questions_doc(found.content, found.chosen, mine, therapies, title=title, intro=intro)


# The summary fits one printed page: at most so many of each list, and a line for the rest.
_RESULTS, _CHARTS, _LINES, _RELAPSES = 6, 2, 5, 3


def _more(shown: int, total: int, where: str) -> list[Para]:
    return [Para(f"And {total - shown} more: {where}.", tone="muted")] if total > shown else []


def summary_view(sheet: Sheet, therapies: Therapies, person: str | None) -> Doc:
    """The first page, for the care team: the next infusion, tests since the last infusion
    (with charts) and the ones missed, symptoms and relapses, and the person's questions."""
    from infuse_cli.core.dates import human
    from infuse_cli.views.doc import Fields, Heading
    from infuse_cli.views.schedule import DISCLAIMER

    v, t, today = sheet.visit, sheet.visit.therapy, sheet.visit.inputs.today
    whose = f" for {person}" if person else ""
    since = f"since the last infusion ({human(sheet.last)})" if sheet.last else "in the last six months"
    doc: Doc = [
        Heading(f"Visit summary{whose}: {t.brand} ({t.generic})"),
        Para(f"For the care team, on one page. Made by infuse on {human(today)}.", tone="muted"),
    ]
    if v.next is not None:
        rows = [("Next infusion", human(v.next.date))]
        if v.next.book and v.next.book != v.next.date:
            rows.append(("Book on", human(v.next.book)))
        if v.next.overdue_days:
            rows.append(("Overdue", f"by {v.next.overdue_days} days"))
        doc.append(Fields(rows))
    elif v.none:
        doc.append(Para(v.none, tone="note", label="Next infusion"))
    doc += [Para(n, tone="warn", label="Warning") for n in (v.plan.notes if v.plan else [])]
    between = sheet.between
    if between is not None:
        doc += _results_part(between, therapies, since, t.id)
        doc += _missed_part(between, today)
        doc += _symptoms_part(sheet, since)
    mine = sheet.questions.mine
    doc.append(Heading("The person's questions", 2))
    if mine:
        doc.append(Bullets([q.text for q in mine[:_LINES]]))
        doc += _more(_LINES, len(mine), "on the pages after")
    else:
        doc.append(Para("None recorded (infuse questions add keeps them).", tone="muted"))
    doc.append(Para(DISCLAIMER, tone="muted"))
    return doc


def _short(day: Any) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _results_part(between: Any, therapies: Therapies, since: str, therapy: str) -> Doc:
    """Results with a value or status in a table (with the band of the person's therapy's
    label each falls in); tests recorded only as done in one line; charts of the trends."""
    from infuse_cli.core.labtests import bands_for
    from infuse_cli.services.labs import tests
    from infuse_cli.views.doc import Chart, Heading, Table
    from infuse_cli.views.labs import band_words, value_text

    known = tests()
    doc: Doc = [Heading(f"Test results {since}", 2)]
    if not between.results:
        return [*doc, Para("None recorded (infuse labs add keeps them).", tone="muted")]
    valued = [r for r in between.results if r.value is not None or r.status]
    rows = []
    for r in valued[-_RESULTS:]:
        test = known.get(r.test)
        bands = bands_for(test, r.value, r.unit, (therapy,)) if test else []
        name = test.name if test else r.test
        rows.append(
            [_short(r.date), name, value_text(r), "; ".join(band_words(b, therapies) for b in bands) or "—"]
        )
    if rows:
        doc.append(Table(["Date", "Test", "Result", "Label band"], rows))
        doc += _more(_RESULTS, len(valued), "infuse labs list")
    done: dict[str, list[str]] = {}
    for r in between.results:
        if r.value is None and not r.status:
            test = known.get(r.test)
            done.setdefault(test.name if test else r.test, []).append(_short(r.date))
    if done:
        doc.append(Para("; ".join(f"{name}: {', '.join(days)}" for name, days in done.items()), label="Done"))
    for test_id, results in list(between.trends.items())[:_CHARTS]:
        test = known.get(test_id)
        if len(results) >= 2 and test is not None:
            points = [(r.date.strftime("%b %Y"), float(r.value)) for r in results]
            doc.append(Chart(test.name, points, results[-1].unit))
    return doc


def _missed_part(between: Any, today: Any) -> Doc:
    from infuse_cli.core.dates import add_days
    from infuse_cli.views.doc import Heading

    year_ago = add_days(today, -365)
    lines = []
    for p in between.programs:
        missed = [w.label.strftime("%b %Y") for w in p.windows if w.state == "missed" and w.label >= year_ago]
        if len(missed) > 3:
            lines.append(f"{p.what}: {len(missed)} windows, {missed[0]} to {missed[-1]}")
        elif missed:
            lines.append(f"{p.what}: {', '.join(missed)}")
    if not between.programs:
        return []
    doc: Doc = [Heading("Tests missed in the last 12 months", 2)]
    if not lines:
        return [*doc, Para("None: every window of the label's schedule has a test recorded.", tone="muted")]
    doc.append(Bullets(lines[:_LINES]))
    return doc + _more(_LINES, len(lines), "infuse labs")


def _symptoms_part(sheet: Sheet, since: str) -> Doc:
    from infuse_cli.core.dates import human
    from infuse_cli.views.doc import Heading

    between = sheet.between
    assert between is not None
    lines = []
    by_name: dict[str, list[Any]] = {}
    for x in between.symptoms:
        by_name.setdefault(x.name.casefold(), []).append(x)
    for entries in by_name.values():
        worst = max(entries, key=lambda x: (x.severity, x.date))
        lines.append(
            f"{entries[0].name}: {len(entries)} {'entry' if len(entries) == 1 else 'entries'},"
            f" worst {worst.severity}/10 on {human(worst.date)}"
        )
    if sheet.reactions:
        worst = max(sheet.reactions, key=lambda r: r.severity)
        count = len(sheet.reactions)
        lines.append(f"Reactions after the infusion: {count}, worst {worst.severity}/10 ({worst.symptom})")
    relapses = [f"Relapse on {human(y.date)}" + (f": {y.note}" if y.note else "") for y in between.relapses]
    doc: Doc = [Heading(f"Symptoms and relapses {since}", 2)]
    if not (lines or relapses):
        return [*doc, Para("None recorded.", tone="muted")]
    # Relapses first, each of them up to a few; symptoms in the lines left.
    kept = relapses[-_RELAPSES:]
    shown = kept + lines[: max(1, _LINES - len(kept))]
    doc.append(Bullets(shown, marks=["!" for _ in kept] + ["" for _ in shown[len(kept) :]]))
    return doc + _more(len(shown), len(relapses) + len(lines), "infuse journal")


def sheet_view(sheet: Sheet, therapies: Therapies, person: str | None, summary_only: bool = False) -> Doc:
    """The printable visit sheet: the care team's one-page summary, then (on pages of their
    own) the next infusion in full, the checklist, questions, tests and reactions."""
    from infuse_cli.views.doc import Break

    summary = summary_view(sheet, therapies, person)
    if summary_only:
        return summary
    return [*summary, Break(), *_details(sheet, therapies, person)]


def _details(sheet: Sheet, therapies: Therapies, person: str | None) -> Doc:
    from infuse_cli.views.prep import (
        checklist_doc,
        labs_blocks,
        next_blocks,
        questions_doc,
        reactions_blocks,
        sheet_doc,
    )

    v, t, today = sheet.visit, sheet.visit.therapy, sheet.visit.inputs.today
    c, q = sheet.checklist, sheet.questions
    return sheet_doc(
        t,
        today,
        person=person,
        next_=next_blocks(t, v.next, today, sheet.travel_minutes, none=v.none),
        notes=v.plan.notes if v.plan else [],
        checklist=checklist_doc(c.content, c.items, c.done, therapies, title="Checklist", intro=[], level=2),
        questions=questions_doc(
            q.content,
            q.chosen,
            q.mine,
            therapies,
            title="Questions to ask",
            intro=[],
            level=2,
            show_answered=False,
        ),
        tests=labs_blocks(t, sheet.tests, v.inputs.basis != "preview", today, 3),
        reactions=reactions_blocks(sheet.reactions, sheet.last),
    )


def sheet_text(doc: Doc, kind: str, title: str, width: int, summary: bool = False) -> str:
    """The sheet as an HTML page, Markdown, or plain text that reads well aloud."""
    if kind == "html":
        from infuse_cli.views.page import page

        return page(doc, title, summary=summary)
    if kind == "md":
        from infuse_cli.views.page import markdown

        return markdown(doc)
    from infuse_cli.views.text import PLAIN, render

    return render(doc, width, PLAIN)
