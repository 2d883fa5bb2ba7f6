"""Visit preparation: checklists, questions, a glossary and resources, all as data.

Every item in ``data/checklists.toml``, ``questions.toml`` and
``resources.toml`` may say when it applies (``when``: a first infusion, a
sedating premedication, time in the chair, a multi-day course, a restricted
program, a lifetime dose limit, a target such as CD20, a therapy id); one
selector checks the facts of the visit against those rules.  No therapy is
named here.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

# No `from __future__ import annotations` here: these records are decoded from the cache
# on every run, and msgspec would have to compile each string annotation first.
import msgspec

from infuse_cli.core.catalogue import bundled_data_dir, decode, read_toml
from infuse_cli.core.errors import DataError, InfuseError, UsageError, shown
from infuse_cli.core.schedule import cite, visits_for
from infuse_cli.core.schema import Therapy

if TYPE_CHECKING:
    from infuse_cli.core.labtests import Tests

Kind = Literal["checklists", "questions", "glossary", "resources", "tests"]


class Ref(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Evidence for a sentence: a source already listed in a therapy's file."""

    therapy: str
    source: str
    ref: str = ""


class When(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Every condition given must hold; an empty rule always applies."""

    first_infusion: bool | None = None
    chair_hours_at_least: float | None = None
    multi_day_course: bool | None = None
    premed: list[str] = []  # any premedication of these kinds: steroid, antihistamine, antiviral …
    premed_sedating: bool | None = None
    steroid: bool | None = None  # a steroid is given: the therapy itself or a premedication
    scheduled: bool | None = None  # a next infusion is planned (not on demand, not finished)
    program: bool | None = None  # a restricted program such as TOUCH or a REMS
    lifetime_cap: bool | None = None
    tests_before_dose: bool | None = None
    vaccine_lead_time: bool | None = None  # vaccines to finish a set time before the first dose
    route: str | None = None
    target: str | None = None  # words in the therapy's target, e.g. "CD20"
    late_reactions: bool | None = None  # the label says how long after an infusion reactions can start
    drugs: list[str] = []

    def empty(self) -> bool:
        return self == _ALWAYS


_ALWAYS = When()


class Section(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    name: str


class _Entry(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """A checklist item or a question: its words, why, when it applies, its evidence."""

    id: str
    text: str
    why: str = ""
    when: When = When()
    cites: list[Ref] = []


class Item(_Entry, forbid_unknown_fields=True, frozen=True, kw_only=True):
    section: str


class Checklist(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    sections: list[Section]
    items: list[Item]


class Topic(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    name: str
    intro: str = ""


class Question(_Entry, forbid_unknown_fields=True, frozen=True, kw_only=True):
    topic: str


class Questions(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    topics: list[Topic]
    questions: list[Question]


class Term(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    term: str
    plain: str
    full: str = ""
    aliases: list[str] = []
    see: list[str] = []
    cites: list[Ref] = []
    url: str = ""
    url_title: str = ""


class Glossary(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    terms: list[Term]


class Resource(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    id: str
    topic: str
    title: str
    text: str
    url: str = ""
    url_title: str = ""
    when: When = When()
    cites: list[Ref] = []


class Resources(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    topics: list[Topic]
    resources: list[Resource]


Content = Checklist | Questions | Glossary | Resources

TYPES: dict[str, type[Content]] = {
    "checklists": Checklist,
    "questions": Questions,
    "glossary": Glossary,
    "resources": Resources,
}


def content_type(kind: str) -> "type[Content] | type[Tests]":
    """The record a content file decodes to (the test catalogue's is loaded only when asked for)."""
    if kind == "tests":
        from infuse_cli.core.labtests import Tests

        return Tests
    return TYPES[kind]


def load(kind: Kind, data_dir: Path | None = None) -> "Content | Tests":
    """One content file, decoded and checked: ids unique, sections and topics known."""
    path = (data_dir or bundled_data_dir()) / f"{kind}.toml"
    if kind == "tests":
        from infuse_cli.core.labtests import Tests
        from infuse_cli.core.labtests import check as check_tests

        tests = decode(read_toml(path), Tests, path)
        check_tests(tests, path)
        return tests
    content: Content = decode(read_toml(path), TYPES[kind], path)
    _check(content, path)
    return content


def _check(content: Checklist | Questions | Glossary | Resources, path: Path) -> None:
    def fail(what: str) -> None:
        raise DataError(f"{path.name}: {what}.")

    if isinstance(content, Glossary):
        seen: dict[str, str] = {}
        for t in content.terms:
            for name in (t.term, *t.aliases):
                key = _fold(name)
                if key in seen and seen[key] != t.term:
                    fail(f"'{name}' names both '{seen[key]}' and '{t.term}'")
                seen[key] = t.term
        for t in content.terms:
            for other in t.see:
                if _fold(other) not in seen:
                    fail(f"'{t.term}' points to '{other}', which is not a term")
        return
    entries, groups, field = (
        (content.items, content.sections, "section")
        if isinstance(content, Checklist)
        else (
            (content.questions, content.topics, "topic")
            if isinstance(content, Questions)
            else (content.resources, content.topics, "topic")
        )
    )
    known = {g.id for g in groups}
    ids: set[str] = set()
    for e in entries:
        if e.id in ids:
            fail(f"the id '{e.id}' is used twice")
        ids.add(e.id)
        if getattr(e, field) not in known:
            fail(f"'{e.id}' has {field} '{getattr(e, field)}'; expected one of {', '.join(sorted(known))}")


def refs(content: Content) -> Iterable[tuple[str, Ref]]:
    """Every citation in a content file, with the entry it belongs to."""
    for attr in ("items", "questions", "terms", "resources"):
        for entry in getattr(content, attr, ()):
            name = getattr(entry, "id", "") or getattr(entry, "term", "")
            for r in entry.cites:
                yield name, r


def check_refs(content: Content, therapies: dict[str, Therapy]) -> None:
    """Every citation names a therapy in the catalogue and one of its sources."""
    for name, r in refs(content):
        t = therapies.get(r.therapy)
        if t is None:
            raise DataError(f"'{name}' cites the therapy '{r.therapy}', which is not in the catalogue.")
        if r.source not in {s.id for s in t.sources}:
            raise DataError(f"'{name}' cites '{r.source}', which is not a source of {t.brand}.")


def cited(r: Ref, therapies: dict[str, Therapy]) -> str:
    """'Tysabri label §5.1'; the ids themselves when the therapy is missing."""
    t = therapies.get(r.therapy)
    return cite(t, r.source, r.ref) if t is not None else f"{r.therapy} {r.source} {r.ref}".strip()


# --- the facts of one visit, and the selector -------------------------------------------


class VisitFacts(msgspec.Struct, frozen=True, kw_only=True):
    """What is true of one visit, from the catalogue and the person's history."""

    drug: str
    first_infusion: bool
    chair_hours: float
    multi_day_course: bool
    premed: tuple[str, ...]
    premed_sedating: bool
    steroid: bool
    scheduled: bool
    program: bool
    lifetime_cap: bool
    tests_before_dose: bool
    vaccine_lead_time: bool
    route: str
    target: str
    late_reactions: str = ""  # the therapy's own words on reactions after the visit
    late_reactions_ref: Ref | None = None


LATE_REACTIONS = "{late_reactions}"  # in an entry's text: the therapy's own late-reaction words


def visit_facts(
    therapy: Therapy,
    first_infusion: bool,
    phase_id: str = "",
    number: int | None = None,
    *,
    scheduled: bool = True,
) -> VisitFacts:
    """The facts of a visit: the first infusion, or a later one in ``phase_id`` (else the
    regimen's last phase), infusion ``number`` when known. ``scheduled`` is False when the
    person's history shows no further infusion is planned (a course finished, a cap reached)."""
    phases = therapy.regimen.phases
    phase = next((p for p in phases if p.id == phase_id), None)
    if phase is None and phases:
        phase = phases[0] if first_infusion else phases[-1]
    if first_infusion:
        number = 1
    visits = visits_for(therapy, phase.id if phase else "", number)
    hours = max((v.high for v in visits), default=0) / 60
    return VisitFacts(
        drug=therapy.id,
        first_infusion=first_infusion,
        chair_hours=hours,
        multi_day_course=any(p.course_days > 1 for p in phases),
        premed=tuple(sorted({p.kind for p in therapy.premedication})),
        premed_sedating=any(p.sedating for p in therapy.premedication),
        steroid="corticosteroid" in therapy.drug_class.lower()
        or any(p.kind == "steroid" for p in therapy.premedication),
        scheduled=scheduled and therapy.regimen.shape not in ("on_demand", "none"),
        program=bool(therapy.programs),
        lifetime_cap=therapy.regimen.cap is not None,
        tests_before_dose=any(
            m.before_each_dose and m.kind in ("lab", "imaging") for m in therapy.monitoring
        ),
        vaccine_lead_time=any(v.before_start is not None for v in therapy.vaccines),
        route=therapy.route,
        target=therapy.target,
        late_reactions=therapy.late_reactions.text if therapy.late_reactions else "",
        late_reactions_ref=(
            Ref(therapy=therapy.id, source=therapy.late_reactions.source, ref=therapy.late_reactions.ref)
            if therapy.late_reactions
            else None
        ),
    )


def applies(rule: When, facts: VisitFacts | None) -> bool:
    """Whether a rule holds for a visit; with no visit (no therapy named) only rules
    without conditions hold."""
    if facts is None:
        return rule.empty()
    checks = (
        (rule.first_infusion, facts.first_infusion),
        (rule.multi_day_course, facts.multi_day_course),
        (rule.premed_sedating, facts.premed_sedating),
        (rule.steroid, facts.steroid),
        (rule.scheduled, facts.scheduled),
        (rule.program, facts.program),
        (rule.lifetime_cap, facts.lifetime_cap),
        (rule.tests_before_dose, facts.tests_before_dose),
        (rule.vaccine_lead_time, facts.vaccine_lead_time),
        (rule.late_reactions, bool(facts.late_reactions)),
    )
    if any(want is not None and want != have for want, have in checks):
        return False
    if rule.chair_hours_at_least is not None and facts.chair_hours < rule.chair_hours_at_least:
        return False
    if rule.premed and not set(rule.premed) & set(facts.premed):
        return False
    if rule.route is not None and rule.route != facts.route:
        return False
    if rule.target is not None and rule.target.casefold() not in facts.target.casefold():
        return False
    return not rule.drugs or facts.drug in rule.drugs


class _Ruled(Protocol):
    @property
    def when(self) -> When: ...


R = TypeVar("R", bound=_Ruled)


def select(entries: Sequence[R], facts: VisitFacts | None) -> list[R]:
    """The entries whose rules hold, tailored ones (with conditions) after general ones
    of the same group keep the file's order. An entry whose text is ``{late_reactions}``
    takes the therapy's own words and source for it."""
    out = []
    for e in entries:
        if not applies(e.when, facts):
            continue
        text = getattr(e, "text", "")
        if facts is not None and text == LATE_REACTIONS:
            if not facts.late_reactions:
                continue
            refs = [facts.late_reactions_ref] if facts.late_reactions_ref else []
            e = msgspec.structs.replace(e, text=facts.late_reactions, cites=refs)  # type: ignore[type-var]
        elif "{drug}" in text or "{first}" in text:
            first = " --first" if facts is not None and facts.first_infusion else ""
            filled = text.replace("{drug}", facts.drug if facts else "NAME").replace("{first}", first)
            e = msgspec.structs.replace(e, text=filled)  # type: ignore[type-var]
        out.append(e)
    return out


def in_sections(items: Iterable[Item], sections: Sequence[str]) -> list[Item]:
    return [i for i in items if i.section in sections]


# --- finding by a word the user typed ---------------------------------------------------


def _fold(text: str) -> str:
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def find_term(glossary: Glossary, word: str) -> Term:
    """The term ``word`` means: its name, what it stands for or an alias, any case; else
    a close spelling of one of those or of a long word in them, when only one term fits."""
    import difflib

    key = _fold(word)
    index = _term_index(glossary)
    if key in index:
        return index[key]
    if len(key) < 4:  # too short to guess from: 'ms' is not 'rms'
        raise _no_term(word, sorted({t.term for k, t in index.items() if key and k.startswith(key)}))
    names = difflib.get_close_matches(key, list(index), n=5, cutoff=0.8)
    if len({index[k].term for k in names}) == 1:
        return index[names[0]]
    found = _close_terms(glossary, index, key)
    if len(found) == 1:
        return index[_fold(found[0])]
    raise _no_term(word, found)


def _term_index(glossary: Glossary) -> dict[str, Term]:
    """Each term by its folded name, what it stands for and its aliases."""
    index: dict[str, Term] = {}
    for t in glossary.terms:
        for name in (t.term, t.full, *t.aliases):
            if name:
                index.setdefault(_fold(name), t)
    return index


def _close_terms(glossary: Glossary, index: dict[str, Term], key: str) -> list[str]:
    """Terms spelled close to ``key``, or to a long word in what they stand for or an
    alias; else the terms that start with it."""
    import difflib

    fuzzy: dict[str, set[str]] = {k: {t.term} for k, t in index.items()}
    for t in glossary.terms:
        for name in (t.full, *t.aliases):
            for part in name.split():
                if len(part) >= 6:
                    fuzzy.setdefault(_fold(part), set()).add(t.term)
    close = difflib.get_close_matches(key, list(fuzzy), n=5, cutoff=0.8)
    found = list(dict.fromkeys(term for k in close for term in sorted(fuzzy[k])))
    if not found:
        found = list(dict.fromkeys(t.term for k, t in index.items() if key and k.startswith(key)))
    return found


def _no_term(word: str, suggestions: list[str]) -> InfuseError:
    msg = f"The glossary has no entry for '{shown(word)}'."
    if suggestions:
        return InfuseError(msg + f" Did you mean {', '.join(suggestions[:4])}?")
    return InfuseError(msg + " Run 'infuse glossary' to see every term.")


def find_group(groups: Sequence[Topic] | Sequence[Section], word: str, what: str) -> str:
    """A topic or section id from a word: the id, its name, or the start of either."""
    key = _fold(word)
    for g in groups:
        if key and key in (_fold(g.id), _fold(g.name)):
            return g.id
    starts = [g.id for g in groups if key and (_fold(g.id).startswith(key) or _fold(g.name).startswith(key))]
    if len(starts) == 1:
        return starts[0]
    raise UsageError(f"'{shown(word)}' is not a {what}; choose one of {', '.join(g.id for g in groups)}.")
