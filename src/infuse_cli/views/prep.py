"""Views of visit preparation: checklists, questions, labs, glossary, resources, the
visit sheet — as documents (text, Markdown, HTML) and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from infuse_cli.core.dates import describe_span, distance, human
from infuse_cli.views.doc import Bullets, Doc, Fields, Heading, Para
from infuse_cli.views.output import SCHEMA
from infuse_cli.views.schedule import DISCLAIMER, event_day, infusion_fields, program_lines

if TYPE_CHECKING:
    import datetime as dt

    from infuse_cli.core.prep import Checklist, Glossary, Item, Question, Questions, Ref, Resources, Term
    from infuse_cli.core.records import Reaction, UserQuestion
    from infuse_cli.core.schedule import Infusion
    from infuse_cli.core.schema import Monitor, Therapy
    from infuse_cli.core.timeline import Event

Therapies = dict[str, "Therapy"]


def _sources(cites: list[Ref], therapies: Therapies) -> str:
    from infuse_cli.core.prep import cited

    return "; ".join(dict.fromkeys(cited(r, therapies) for r in cites))


def _with_why(text: str, why: str, cites: list[Ref], therapies: Therapies) -> str:
    line = text
    if why:
        line += f" — {why}"
    if cites:
        line += f" (Source: {_sources(cites, therapies)})"
    return line


# ---------------------------------------------------------------- checklist


def checklist_doc(
    checklist: Checklist,
    items: list[Item],
    done: set[str],
    therapies: Therapies,
    *,
    title: str,
    intro: list[Para],
    level: int = 1,
) -> Doc:
    doc: Doc = [Heading(title, level)] if title else []
    doc += intro
    for section in checklist.sections:
        chosen = [i for i in items if i.section == section.id]
        if not chosen:
            continue
        doc.append(Heading(section.name, level + 1))
        doc.append(
            Bullets(
                [_with_why(i.text, i.why, i.cites, therapies) for i in chosen],
                marks=["[x]" if i.id in done else "[ ]" for i in chosen],
            )
        )
    if not items:
        doc.append(Para("No items match these choices.", tone="note", label="Note"))
    return doc


def checklist_json(
    checklist: Checklist, items: list[Item], done: set[str], therapies: Therapies, **about: Any
) -> dict[str, Any]:
    names = {s.id: s.name for s in checklist.sections}
    return {
        "schema": SCHEMA,
        **about,
        "items": [
            {
                "id": i.id,
                "section": i.section,
                "section_name": names[i.section],
                "text": i.text,
                "why": i.why,
                "sources": [_sources([r], therapies) for r in i.cites],
                "done": i.id in done,
            }
            for i in items
        ],
    }


# ---------------------------------------------------------------- questions


def questions_doc(
    content: Questions,
    chosen: list[Question],
    mine: list[UserQuestion],
    therapies: Therapies,
    *,
    title: str,
    intro: list[Para],
    level: int = 1,
    show_answered: bool = True,
) -> Doc:
    doc: Doc = [Heading(title, level)] if title else []
    doc += intro
    open_ = [q for q in mine if q.asked is None]
    if open_:
        doc.append(Heading("Your own questions", level + 1))
        doc.append(Bullets([q.text for q in open_], marks=[f"#{q.id}" for q in open_]))
    for topic in content.topics:
        picked = [q for q in chosen if q.topic == topic.id]
        picked.sort(key=lambda q: q.when.empty())  # tailored questions first
        if not picked:
            continue
        doc.append(Heading(topic.name, level + 1))
        doc.append(Bullets([_with_why(q.text, q.why, q.cites, therapies) for q in picked]))
    answered = [q for q in mine if q.asked is not None]
    if answered and show_answered:
        doc.append(Heading("Asked and answered", level + 1))
        doc.append(
            Bullets(
                [
                    f"{q.text} — asked {human(q.asked)}" + (f": {q.answer}" if q.answer else "")
                    for q in answered
                    if q.asked is not None
                ],
                marks=[f"#{q.id}" for q in answered],
            )
        )
    return doc


def questions_json(
    chosen: list[Question], mine: list[UserQuestion], therapies: Therapies, **about: Any
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        **about,
        "questions": [
            {
                "id": q.id,
                "topic": q.topic,
                "text": q.text,
                "why": q.why,
                "sources": [_sources([r], therapies) for r in q.cites],
                "tailored": not q.when.empty(),
            }
            for q in chosen
        ],
        "mine": [
            {
                "id": q.id,
                "text": q.text,
                "drug": q.drug or None,
                "added": q.added.isoformat(),
                "asked": q.asked.isoformat() if q.asked else None,
                "answer": q.answer,
            }
            for q in mine
        ],
    }


# ---------------------------------------------------------------- labs


def _every(span: Any) -> str:
    return f"every {span.unit.rstrip('s')}" if span.n == 1 else f"every {describe_span(span)}"


def monitor_when(m: Monitor) -> str:
    parts = []
    if m.at:
        parts.append(", ".join(describe_span(s) for s in m.at) + " after the first dose")
    if m.every is not None:
        start = f" from {describe_span(m.first)} after the first dose" if m.first else ""
        parts.append(f"{_every(m.every)}{start}")
    if m.until is not None:
        parts.append(f"until {describe_span(m.until)} after the last dose")
    if m.before_each_dose:
        parts.append("before each dose")
    return "; ".join(parts)


def labs_blocks(
    t: Therapy,
    due: list[Event],
    dated: bool,
    today: dt.date,
    level: int = 2,
    programs: Sequence[Any] = (),
    followed: bool = False,
) -> Doc:
    """The label's tests; ``followed``: the monitoring ledger above gives the next date of
    the repeating tests, so ``due`` holds only the others."""
    from infuse_cli.core.schedule import cite

    doc: Doc = []
    if t.tests_before:
        doc.append(Heading("Before starting", level))
        doc.append(
            Bullets(
                [_join(c.what, c.detail) + f" (Source: {cite(t, c.source, c.ref)})" for c in t.tests_before]
            )
        )
    if t.monitoring:
        doc.append(Heading("While on treatment and after", level))
        doc.append(
            Bullets(
                [
                    (f"{m.what}: {monitor_when(m)}." if monitor_when(m) else f"{m.what}.")
                    + (f" {m.detail}" if m.detail else "")
                    + f" (Source: {cite(t, m.source, m.ref)})"
                    for m in t.monitoring
                ]
            )
        )
    if dated and (due or not followed):
        doc.append(Heading("Next due" if not followed else "Next due, of the other tests", level))
        if due:
            doc.append(
                Bullets(
                    [f"{event_day(e)} ({distance(e.book or e.date, today)}): {e.what}" for e in due],
                    marks=["+" for _ in due],
                )
            )
        else:
            doc.append(Para("Nothing is due in the next 12 months by the label's schedule.", tone="note"))
    if dated and programs:
        doc.append(Heading("Where each repeating test ends", level))
        doc.append(Bullets(program_lines(programs)))
    if not (t.tests_before or t.monitoring):
        doc.append(Para("The catalogue lists no tests for this therapy.", tone="note", label="Note"))
    return doc


def _join(what: str, detail: str) -> str:
    return f"{what}: {detail}" if detail else what


def labs_json(
    t: Therapy, due: list[Event], dated: bool, today: dt.date, programs: Sequence[Any] = ()
) -> dict[str, Any]:
    from infuse_cli.core.schedule import cite
    from infuse_cli.views.schedule import SCHEMA as WHY_SCHEMA
    from infuse_cli.views.why import why_json

    return {
        "schema": WHY_SCHEMA,
        "drug": t.id,
        "today": today.isoformat(),
        "before_starting": [
            {"what": c.what, "detail": c.detail, "source": cite(t, c.source, c.ref)} for c in t.tests_before
        ],
        "monitoring": [
            {
                "what": m.what,
                "kind": m.kind,
                "when": monitor_when(m),
                "detail": m.detail,
                "source": cite(t, m.source, m.ref),
            }
            for m in t.monitoring
        ],
        "due": [
            {
                "date": e.date.isoformat(),
                "book": (e.book or e.date).isoformat(),
                "what": e.what,
                "why": why_json(e.why),
            }
            for e in due
        ]
        if dated
        else None,
        "programs": [
            {"what": p.what, "every": p.every, "left": p.left, "ends": p.ends.isoformat() if p.ends else None}
            for p in programs
        ],
    }


# ---------------------------------------------------------------- glossary


def term_blocks(term: Term, therapies: Therapies, level: int = 1) -> Doc:
    doc: Doc = [Heading(term.term + (f" — {term.full}" if term.full else ""), level), Para(term.plain)]
    rows = []
    if term.see:
        rows.append(("See also", ", ".join(term.see)))
    sources = [f"{term.url_title} {term.url}".strip()] if term.url else []
    if term.cites:
        sources.append(_sources(term.cites, therapies))
    if sources:
        rows.append(("Source", "; ".join(sources)))
    if rows:
        doc.append(Fields(rows))
    return doc


def glossary_doc(glossary: Glossary, found: Term | None, therapies: Therapies) -> Doc:
    if found is not None:
        return term_blocks(found, therapies)
    doc: Doc = [Heading("Glossary")]
    doc.append(Para("Plain words for terms you may meet. For one term: infuse glossary TERM.", tone="muted"))
    for t in sorted(glossary.terms, key=lambda t: t.term.casefold()):
        doc.append(Bullets([f"{t.term}{f' ({t.full})' if t.full else ''}: {t.plain}"]))
    return doc


def term_json(t: Term, therapies: Therapies) -> dict[str, Any]:
    return {
        "term": t.term,
        "full": t.full or None,
        "plain": t.plain,
        "aliases": t.aliases,
        "see": t.see,
        "sources": [_sources([r], therapies) for r in t.cites] + ([t.url] if t.url else []),
    }


# ---------------------------------------------------------------- resources


def _resources(
    content: Resources, topics: list[str], drug: str | None, therapies: Therapies
) -> list[tuple[Any, list[Any]]]:
    """Each topic asked for, with the resources that fit the therapy (all, without one)."""
    from infuse_cli.core.prep import applies, visit_facts

    facts = visit_facts(therapies[drug], False) if drug else None
    out = []
    for topic in content.topics:
        if topic.id not in topics:
            continue
        chosen = [
            r
            for r in content.resources
            if r.topic == topic.id and (r.when.empty() or facts is None or applies(r.when, facts))
        ]
        if chosen:
            out.append((topic, chosen))
    return out


def resources_doc(content: Resources, topics: list[str], drug: str | None, therapies: Therapies) -> Doc:
    doc: Doc = [Heading("Resources" + (f" for {therapies[drug].brand}" if drug else ""))]
    for topic, chosen in _resources(content, topics, drug, therapies):
        doc.append(Heading(topic.name, 2))
        if topic.intro:
            doc.append(Para(topic.intro, tone="muted"))
        lines = []
        for r in chosen:
            line = f"{r.title}: {r.text}"
            if r.url:
                line += f" {r.url}"
            if r.cites:
                line += f" (Source: {_sources(r.cites, therapies)})"
            lines.append(line)
        doc.append(Bullets(lines))
    doc.append(Para(DISCLAIMER, tone="muted"))
    return doc


def resources_json(
    content: Resources, topics: list[str], drug: str | None, therapies: Therapies
) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "drug": drug,
        "topics": [
            {
                "id": topic.id,
                "name": topic.name,
                "resources": [
                    {
                        "title": r.title,
                        "text": r.text,
                        "url": r.url or None,
                        "sources": [_sources([c], therapies) for c in r.cites],
                    }
                    for r in chosen
                ],
            }
            for topic, chosen in _resources(content, topics, drug, therapies)
        ],
    }


# ---------------------------------------------------------------- the visit sheet


def next_blocks(
    t: Therapy, nxt: Infusion | None, today: dt.date, travel: int, level: int = 2, none: str = ""
) -> Doc:
    """The next infusion; ``none`` says why there is none (a finished course, a cap)."""
    from infuse_cli.core.schedule import cite

    doc: Doc = [Heading("Next infusion", level)]
    if nxt is None and none:
        doc.append(Para(none, tone="note", label="Note"))
    elif nxt is None:
        doc.append(
            Para(
                "Not known yet: record your last infusion (infuse log add) or give --last DATE"
                " or --start DATE.",
                tone="note",
                label="Note",
            )
        )
    else:
        target = f"{human(nxt.date)} ({distance(nxt.date, today)})"
        doc.append(Fields([("Target", target), *infusion_fields(nxt, today, travel)]))
    if t.premedication:
        doc.append(Heading("Premedication", level + 1))
        doc.append(
            Bullets(
                [
                    f"{p.what} — {p.when}"
                    + ("" if p.required else " (if your care team suggests it)")
                    + f" (Source: {cite(t, p.source, p.ref)})"
                    for p in t.premedication
                ]
            )
        )
    return doc


def reactions_blocks(reactions: list[Reaction], since: dt.date | None, level: int = 2) -> Doc:
    title = "Reactions since the last visit" if since else "Reactions recorded"
    doc: Doc = [Heading(title, level)]
    if not reactions:
        doc.append(Para("None recorded (infuse reaction add keeps them).", tone="muted"))
        return doc
    lines = []
    for r in reactions:
        when = f", {r.hours_after:g} h after" if r.hours_after is not None else ""
        note = f" — {r.note}" if r.note else ""
        lines.append(f"{human(r.date)}: {r.symptom} (severity {r.severity} of 10{when}){note}")
    doc.append(Bullets(lines))
    return doc


def sheet_doc(
    t: Therapy,
    today: dt.date,
    *,
    next_: Doc,
    notes: list[str],
    checklist: Doc,
    questions: Doc,
    tests: Doc,
    reactions: Doc,
    person: str | None = None,
) -> Doc:
    """The visit sheet: its parts in the order a visit needs them."""
    whose = f" for {person}" if person else ""
    doc: Doc = [Heading(f"Visit sheet{whose}: {t.brand} ({t.generic})")]
    doc.append(Para(f"Made by infuse on {human(today)}.", tone="muted"))
    doc += next_
    doc += [Para(n, tone="warn", label="Warning") for n in notes]
    doc += checklist
    doc += questions
    doc.append(Para("More questions by topic: infuse questions", tone="muted"))
    doc += [Heading("Tests", 2), *tests]
    doc += reactions
    doc.append(Para(DISCLAIMER, tone="muted"))
    return doc
