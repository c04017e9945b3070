"""drift: the project's drift report (what traffic does that the plan does not say), read from the database."""

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.cli.common import DatabaseURLOption, JSONOption, database_url, migrated, print_json, run_in_transaction
from eventschema.observed import service
from eventschema.projects import service as projects_service

COLUMNS = ("kind", "event", "property", "count", "events", "share")


def drift(
    project: Annotated[
        int | None, typer.Option("--project", metavar="ID", help="The project; may be left out when there is one.")
    ] = None,
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Print the drift report, worst first: unplanned events and properties, type drift, missing required."""

    async def work(session: AsyncSession) -> tuple[int, list[dict[str, object]]]:
        ids = [item.id for item in await projects_service.all_projects(session)]
        chosen = project if project is not None else (ids[0] if len(ids) == 1 else None)
        if chosen is None:
            raise errors.ValidationError(f"Pass --project (one of {', '.join(map(str, ids)) or 'none yet'}).")
        if chosen not in ids:
            raise errors.ValidationError(f"No project {chosen}.")
        return chosen, await service.drift(session, chosen)

    chosen, report = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json({"project": chosen, "results": report})
        return
    if not report:
        typer.echo(f"project {chosen}: no drift")
        return
    rows = [COLUMNS] + [
        (
            str(item["kind"]),
            str(item["event"]) or "(other events)",
            str(item["property"] or ""),
            str(item["count"]),
            str(item["events"]),
            f"{float(str(item['share'])):.1%}",
        )
        for item in report
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
