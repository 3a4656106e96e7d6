"""`rightsdesk groups ...` and `rightsdesk media ...`: territory groups and media from the command
line, as the Reference data screen edits them (issue 19). rightsdesk.cli registers them."""

from __future__ import annotations

import argparse
import json

from rightsdesk.domain.errors import UserError
from rightsdesk.domain.territories import TerritoryScope
from rightsdesk.domain.territory_groups import GroupDraft, definition_of, holders
from rightsdesk.persistence import migrate
from rightsdesk.persistence.database import Database
from rightsdesk.domain.words import plural


def add_parsers(commands: argparse._SubParsersAction, database: argparse.ArgumentParser) -> None:
    groups = commands.add_parser("groups", help="territory groups: countries and groups inside groups")
    actions = groups.add_subparsers(dest="groups_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[database], help="every group: code, name, countries, groups inside")
    listing.add_argument("--json", action="store_true", help="as JSON, with every group's countries")
    saving = actions.add_parser(
        "save", parents=[database], help="create or change a group; says which rights cover other countries first",
        description="The group is what --territories names ('EUROPE excluding GB, +IE'), whole groups kept as groups "
                    "inside it; or exactly --countries and --groups. Changing a group that grants, holdbacks or music "
                    "licences use lists what each would gain and lose; --dry-run stops there.")
    saving.add_argument("code", metavar="CODE")
    saving.add_argument("--name", default=None, help="the group's name (required for a new group)")
    saving.add_argument("--rename-to", default=None, metavar="CODE", help="a new code for the group")
    saving.add_argument("--territories", default=None, metavar="SCOPE", help="'EUROPE excluding GB, +IE'")
    saving.add_argument("--countries", default=None, metavar="CODES", help="its own countries: 'FR DE IT'")
    saving.add_argument("--groups", default=None, metavar="CODES", help="the groups inside it: 'EU NORDICS'")
    saving.add_argument("--dry-run", action="store_true", help="say what would change; save nothing")
    deleting = actions.add_parser("delete", parents=[database], help="delete a group nothing uses")
    deleting.add_argument("code", metavar="CODE")

    media = commands.add_parser("media", help="media (right types) and their EMA licence types")
    media_actions = media.add_subparsers(dest="media_command", metavar="ACTION", required=True)
    media_list = media_actions.add_parser("list", parents=[database], help="every medium, retired ones included")
    media_list.add_argument("--json", action="store_true")
    for action, text in (("add", "add a medium"), ("edit", "change a medium's name, EMA licence type or unused code")):
        parser = media_actions.add_parser(action, parents=[database], help=text)
        parser.add_argument("code", metavar="CODE")
        if action == "add":
            parser.add_argument("name", metavar="NAME")
        else:
            parser.add_argument("--name", default=None)
            parser.add_argument("--rename-to", default=None, metavar="CODE", help="a new code, while nothing uses it")
        parser.add_argument("--description", default=None)
        parser.add_argument("--ema", default=None, metavar="TYPE",
                            help="EMA Avails licence type: EST, VOD, SVOD or POEST ('' for the standard mapping)")
    for action, text in (("retire", "take a medium out of the pickers"), ("restore", "offer a retired medium again")):
        media_actions.add_parser(action, parents=[database], help=text).add_argument("code", metavar="CODE")


def _groups_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import reference, territory_groups

    migrate.check(database)
    with database.read() as session:
        rows = territory_groups.group_rows(session)
        covered = reference.territory_groups(session)
    if args.json:
        print(json.dumps([{"code": r.code, "name": r.name, "standard": r.standard, "groups": list(r.subgroups),
                           "countries": sorted(covered[r.code]), "used_by": r.used_by} for r in rows], indent=2))
        return 0
    for r in rows:
        inside = f"  holds {', '.join(r.subgroups)}" if r.subgroups else ""
        print(f"{r.code:<20} {r.name:<36} {r.countries:>4} countr{'y' if r.countries == 1 else 'ies'}"
              f" {plural(r.used_by, 'right'):>10}{inside}")
    return 0


def _groups_save(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import reference, territory_groups
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    code = args.code.strip().upper()
    with database.read() as session:
        found = {r.code: r.id for r in territory_groups.group_rows(session)}
        draft = territory_groups.load_group(session, found[code]) if code in found else GroupDraft(code, "")
        definitions = reference.group_definitions(session)
        covered = reference.territory_groups(session)
        known = reference.country_codes(session)
    if draft.id is None and args.name is None:
        raise UserError(f"there is no group {code}; give --name to create it")
    if args.name is not None:
        draft.name = args.name
    if args.rename_to:
        draft.code = args.rename_to
    if args.territories is not None:
        scope = TerritoryScope.parse(args.territories, covered)
        unknown = [i.code for i in scope.items if not i.is_group and i.code not in known]
        if unknown:
            raise UserError(f"{', '.join(unknown)}: not a country or a group")
        above = holders(definitions, code)  # a group may not hold what holds it
        candidates = {c: v for c, v in covered.items() if c not in above | {code, "WORLD"}}
        named = {i.code for i in scope.included if i.is_group}  # groups named whole are held as groups
        definition = definition_of(scope.countries(covered), candidates, whole=draft.subgroups | named)
        draft.countries, draft.subgroups = set(definition.countries), set(definition.subgroups)
    if args.countries is not None:
        draft.countries = set(args.countries.replace(",", " ").split())
    if args.groups is not None:
        draft.subgroups = set(args.groups.replace(",", " ").split())
    with database.read() as session:
        affected = territory_groups.coverage_preview(session, draft)
    for right in affected:
        print(f"  {right.describe()}")
    if args.dry_run:
        print(f"Saving would change what {plural(len(affected), 'right')} cover; nothing was saved (--dry-run).")
        return 0
    with database.transaction() as session:
        territory_groups.save_group(session, draft, user=current_user())
    with database.read() as session:
        count = len(reference.territory_groups(session)[draft.code.strip().upper()])
    print(f"Saved {draft.code.strip().upper()}: {count} countr{'y' if count == 1 else 'ies'}"
          + (f"; {plural(len(affected), 'right')} now cover other countries" if affected else ""))
    return 0


def _groups_delete(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import territory_groups
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    code = args.code.strip().upper()
    with database.transaction() as session:
        found = {r.code: r.id for r in territory_groups.group_rows(session)}
        if code not in found:
            raise UserError(f"there is no group {code}")
        territory_groups.delete_group(session, found[code], user=current_user())
    print(f"Deleted {code}")
    return 0


def _media_list(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import media

    migrate.check(database)
    with database.read() as session:
        rows = media.media_rows(session)
    if args.json:
        print(json.dumps([{"code": r.code, "name": r.name, "ema_license_type": r.exported_as,
                           "ema_license_type_set": r.ema_license_type, "active": r.active, "used": r.used}
                          for r in rows], indent=2))
        return 0
    for r in rows:
        print(f"{r.code:<16} {r.name:<32} EMA {r.exported_as:<6}{' (standard)' if not r.ema_license_type else '':<12}"
              f"{'' if r.active else 'retired'}")
    return 0


def _media_save(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import media
    from rightsdesk.services.audit import current_user
    from rightsdesk.services.media import MediaDraft

    migrate.check(database)
    with database.transaction() as session:
        if args.media_command == "add":
            draft = MediaDraft(args.code, args.name)
        else:
            draft = media.load_media(session, _media_code(session, args.code))
            if args.name is not None:
                draft.name = args.name
            if args.rename_to:
                draft.code = args.rename_to
        if args.description is not None:
            draft.description = args.description
        if args.ema is not None:
            draft.ema_license_type = args.ema
        code = media.save_media(session, draft, user=current_user())
    print(f"Saved the medium {code}")
    return 0


def _media_retire(database: Database, args: argparse.Namespace) -> int:
    from rightsdesk.services import media
    from rightsdesk.services.audit import current_user

    migrate.check(database)
    with database.transaction() as session:
        code = _media_code(session, args.code)
        media.retire(session, code, user=current_user(), active=args.media_command == "restore")
    print(f"{'Retired' if args.media_command == 'retire' else 'Restored'} the medium {code}")
    return 0


def _media_code(session: object, typed: str) -> str:
    """The stored code of the medium `typed` names, whatever its case."""
    from rightsdesk.services import reference

    code = reference.known_media(session).stored(typed)  # type: ignore[arg-type]
    if code is None:
        raise UserError(f"there is no medium {typed.strip()}")
    return code


COMMANDS = {
    ("groups", "list"): _groups_list,
    ("groups", "save"): _groups_save,
    ("groups", "delete"): _groups_delete,
    ("media", "list"): _media_list,
    ("media", "add"): _media_save,
    ("media", "edit"): _media_save,
    ("media", "retire"): _media_retire,
    ("media", "restore"): _media_retire,
}
READS_ONLY = {("groups", "list"), ("media", "list")}
