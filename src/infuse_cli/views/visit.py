"""The next visit in words: the checklist, the questions and the printable sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from infuse_cli.views.doc import Doc, Para

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


def sheet_view(sheet: Sheet, therapies: Therapies, person: str | None) -> Doc:
    """The printable visit sheet."""
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


def sheet_text(doc: Doc, kind: str, title: str, width: int) -> str:
    """The sheet as an HTML page, Markdown, or plain text that reads well aloud."""
    if kind == "html":
        from infuse_cli.views.page import page

        return page(doc, title)
    if kind == "md":
        from infuse_cli.views.page import markdown

        return markdown(doc)
    from infuse_cli.views.text import PLAIN, render

    return render(doc, width, PLAIN)
