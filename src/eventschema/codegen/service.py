"""Loading a project's tracking plan and generating code from it."""

from collections import defaultdict
from dataclasses import asdict

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.caching.responses import Body, ResponseCache
from eventschema.codegen import GeneratedCode, generate, repository
from eventschema.codegen.plan import Declaration, TrackingPlan, build_plan, make_group
from eventschema.rendering import dumps


async def load_plan(session: AsyncSession, project_id: int) -> TrackingPlan:
    declarations: defaultdict[str, list[Declaration]] = defaultdict(list)
    for group_name, name, property_type, required, optional, rules in await repository.group_properties(
        session, project_id
    ):
        found = declarations[group_name]  # created even for a group without properties
        if name is not None:
            found.append(Declaration(name, property_type, required, optional, rules or None))
    linked: defaultdict[str, list[str]] = defaultdict(list)
    for event_name, group_name in await repository.links(session, project_id):
        linked[event_name].append(group_name)
    groups = [make_group(name, found) for name, found in declarations.items()]
    descriptions = {
        name: description or None for name, description in await repository.event_names(session, project_id)
    }
    return build_plan(descriptions, groups, linked, descriptions)


async def generated_code(session: AsyncSession, project_id: int, language: str) -> GeneratedCode:
    return generate(await load_plan(session, project_id), language)


async def generated_body(session: AsyncSession, responses: ResponseCache, project_id: int, language: str) -> Body:
    """The API's answer for `language`, built once per plan revision."""

    async def build() -> Body:
        return dumps(asdict(await generated_code(session, project_id, language))), "application/json"

    return await responses.body(session, project_id, ("code", language), build)


async def kept_code(session: AsyncSession, responses: ResponseCache, project_id: int, language: str) -> GeneratedCode:
    """`generated_code`, read from the answer kept for the plan's revision (built and kept if there is none), so the
    console shows and downloads exactly what the API answers, at the same cost."""
    body, _media_type = await generated_body(session, responses, project_id, language)
    return GeneratedCode(**orjson.loads(body))
