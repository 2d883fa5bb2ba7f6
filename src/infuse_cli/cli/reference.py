"""`infuse glossary` and `infuse resources`: plain words, and where to turn."""

from typing import Annotated

import typer

from infuse_cli.cli.common import JsonOpt, PlainOpt, therapies, therapy_names


def glossary(
    term: Annotated[
        str | None, typer.Argument(metavar="TERM", help="A word or abbreviation, e.g. pml.")
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Plain words for medical terms.

    \b
    Examples:
      infuse glossary pml
      infuse glossary "jcv index"
      infuse glossary
    """
    from infuse_cli.cache import load_content
    from infuse_cli.core import prep

    content: prep.Glossary = load_content("glossary")
    found = prep.find_term(content, term) if term is not None else None
    if json:
        from infuse_cli.views.output import show_json
        from infuse_cli.views.prep import term_json

        terms = [found] if found else content.terms
        show_json({"schema": 1, "terms": [term_json(t, therapies()) for t in terms]})
        return
    from infuse_cli.views.output import show
    from infuse_cli.views.prep import glossary_doc

    show(glossary_doc(content, found, therapies()), plain)


def resources(
    topic: Annotated[
        str | None,
        typer.Option("--topic", "-t", metavar="TOPIC", help="money, centers, emergency or community."),
    ] = None,
    drug: Annotated[
        str | None,
        typer.Option(
            "--drug",
            "-d",
            metavar="DRUG",
            autocompletion=therapy_names,
            help="Show the maker's support program for this therapy.",
        ),
    ] = None,
    json: JsonOpt = False,
    plain: PlainOpt = False,
) -> None:
    """Where to turn: costs, centers, urgent help.

    Help with paying for treatment (each maker's support program too), choosing
    an infusion center, when to call for help, and others with MS.

    \b
    Examples:
      infuse resources --topic emergency
      infuse resources --topic money --drug ocrevus
      infuse resources --json
    """
    from infuse_cli.cache import load_content
    from infuse_cli.core import prep
    from infuse_cli.services.visit import therapy_or_none
    from infuse_cli.views.output import show, show_json
    from infuse_cli.views.prep import resources_doc, resources_json

    content: prep.Resources = load_content("resources")
    topics = [t.id for t in content.topics]
    if topic is not None:
        topics = [prep.find_group(content.topics, topic, "topic")]
    chosen = therapy_or_none(drug) if drug is not None else None
    therapy = chosen.therapy if chosen else None
    drug_id = therapy.id if therapy else None
    if json:
        show_json(resources_json(content, topics, drug_id, therapies()))
        return
    show(resources_doc(content, topics, drug_id, therapies()), plain)


def register(app: typer.Typer) -> None:
    app.command("glossary")(glossary)
    app.command("resources")(resources)
