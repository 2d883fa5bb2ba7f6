"""`infuse drugs`, `infuse info`, `infuse compare`."""

from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, catalogue, today
from infuse_cli.core.errors import UsageError, shown

FORMS = ("CIS", "RRMS", "SPMS", "PPMS")


def drugs(
    form: Annotated[
        str | None,
        typer.Option(
            "--for", metavar="FORM", help="Only those approved for this MS form: CIS, RRMS, SPMS or PPMS."
        ),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", metavar="TARGET", help="Only those with this target, e.g. CD20.")
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """List every therapy and how it is given.

    Target, how often, time at the clinic and status, one line each.

    \b
    Examples:
      infuse drugs
      infuse drugs --for PPMS
      infuse drugs --target CD20 --json
    """
    from infuse_cli.views import catalogue as view
    from infuse_cli.views.output import show, show_json

    cat = catalogue()
    chosen = list(cat)
    title = "Infused MS therapies"
    if form is not None:
        wanted = form.strip().upper()
        if wanted not in FORMS:
            raise UsageError(
                f"'{shown(form)}' is not an MS form infuse knows; choose from {', '.join(FORMS)}."
            )
        chosen = [t for t in chosen if wanted in t.approved_for]
        title += f" approved for {wanted}"
    if target is not None:
        key = target.strip().casefold().replace("-", "")
        chosen = [t for t in chosen if key in t.target.casefold().replace("-", "")]
        title += f" targeting {target.strip()}"
    if json:
        show_json(view.drugs_json(chosen, cat))
    else:
        show(view.drugs_doc(chosen, cat, title), plain)


def info(
    drug: Annotated[str, typer.Argument(help="Brand, generic name or alias, e.g. ocrevus.", metavar="DRUG")],
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """One therapy's whole card, with sources.

    What it is, the schedule, the visit, tests before and after, side effects,
    who should not take it, and where each fact comes from.

    \b
    Examples:
      infuse info ocrevus
      infuse info natalizumab-sztn --plain
      infuse info briumvi --json
    """
    from infuse_cli.views import catalogue as view
    from infuse_cli.views.output import show, show_json

    cat = catalogue()
    therapy = cat.find(drug)
    if json:
        show_json(view.info_json(therapy, cat))
    else:
        show(view.info_doc(therapy, cat), plain)


def compare(
    drugs: Annotated[
        list[str], typer.Argument(help="Two or more therapies.", show_default=False, metavar="DRUG...")
    ],
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="GROUPS",
            help="Row groups, comma-separated: overview, schedule, visit, year, monitoring, risks.",
        ),
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Therapies side by side, one column each.

    Label facts, and what a year of each involves: infusion days, hours at the
    clinic and monitoring tests.

    \b
    Examples:
      infuse compare tysabri briumvi
      infuse compare ocrevus briumvi lemtrada --only schedule,year
      infuse compare tysabri tyruko --json
    """
    from infuse_cli.core.compare import compare as build
    from infuse_cli.core.compare import parse_groups
    from infuse_cli.views import catalogue as view
    from infuse_cli.views.output import show, show_json

    if len(drugs) < 2:
        raise UsageError("Name at least two therapies to compare, e.g. 'infuse compare tysabri briumvi'.")
    groups = parse_groups(only)
    cat = catalogue()
    therapies = []
    for name in drugs:
        t = cat.find(name)
        if t not in therapies:
            therapies.append(t)
    if len(therapies) < 2:
        raise UsageError("Those names are all the same therapy; name at least two different ones.")
    result = build(therapies, groups, today())
    if json:
        show_json(view.compare_json(result))
    else:
        show(view.compare_doc(result), plain)


def register(app: typer.Typer) -> None:
    app.command()(drugs)
    app.command()(info)
    app.command()(compare)
