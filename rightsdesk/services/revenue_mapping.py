"""Choosing how a revenue report's columns are read, outside the import wizard: a first mapping
proposed from the file's headers, what it still lacks, and sources and saved mappings by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.domain import revenue
from rightsdesk.domain.enums import RevenueType
from rightsdesk.domain.errors import NotFound, UserError
from rightsdesk.domain.revenue import Options
from rightsdesk.persistence.models import ColumnMapping, RevenueSource
from rightsdesk.services.revenue_files import Table

# Headers platforms commonly use for each field, after normalising (lower case, '_', '-' and
# '.' as spaces). The first field to claim a header keeps it, so the order below matters:
# "title id" must go to title_id before "title" is tried for the name.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "period": ("period", "month", "periode", "reporting period", "sales period"),
    "period_start": ("period start", "start", "start date", "from", "date from"),
    "period_end": ("period end", "end", "end date", "to", "date to"),
    "territory": ("country", "territory", "market", "region", "country code"),
    "media": ("media", "channel type", "right type"),
    "revenue_type": ("revenue type", "type", "source", "transaction type"),
    "title_id": ("title id", "series id", "content id", "internal id", "id"),
    "eidr": ("eidr", "eidr id"),
    "title_name": ("title", "series", "show", "drama", "name", "title name", "series name"),
    "library": ("library", "package", "library code"),
    "episode": ("episode", "ep", "episode number"),
    "units": ("units", "views", "unlocks", "plays", "quantity"),
    "gross_amount": ("gross", "gross amount", "revenue", "amount", "gross revenue", "net revenue"),
    "platform_fees": ("fees", "platform fee", "platform fees", "commission"),
    "taxes": ("tax", "taxes", "vat"),
    "currency": ("currency", "ccy", "cur", "currency code"),
}


def _normalised(header: str) -> str:
    return " ".join(header.lower().replace("_", " ").replace("-", " ").replace(".", " ").split())


def propose_mapping(headers: list[str]) -> dict[str, str]:
    """A first mapping (field -> header) from the headers' names; each header used once."""
    by_word = {}
    for header in headers:
        by_word.setdefault(_normalised(header), header)
    proposed: dict[str, str] = {}
    for field_name, words in HEADER_WORDS.items():
        for word in words:
            header = by_word.get(word)
            if header and header not in proposed.values():
                proposed[field_name] = header
                break
    return proposed


def still_needed(mapping: dict[str, str], options: Options) -> list[str]:
    """What an import with this mapping would be refused for before reading any row."""
    needed = [f"{f}: the column of the {f.replace('_', ' ')}" for f in revenue.REQUIRED if not mapping.get(f)]
    if not any(mapping.get(f) for f in revenue.IDENTIFIERS):
        needed.append(f"one of {', '.join(revenue.IDENTIFIERS)}: a column that identifies the title")
    if not (mapping.get("period") or mapping.get("period_start")):
        needed.append("period (or period_start): the column of the period")
    if not (mapping.get("currency") or options.currency):
        needed.append("currency: its column, or --currency for the whole file")
    return needed


def parse_map_options(given: list[str]) -> dict[str, str]:
    """FIELD=HEADER pairs as typed on the command line (the header may hold spaces and '=')."""
    mapping: dict[str, str] = {}
    problems = []
    for pair in given:
        field_name, equals, header = pair.partition("=")
        field_name = field_name.strip().lower()
        if not equals or not header.strip():
            problems.append(f"'{pair}' is not FIELD=HEADER")
        elif field_name not in revenue.FIELDS:
            problems.append(f"'{field_name}' is not a field of a revenue line (fields: {', '.join(revenue.FIELDS)})")
        else:
            mapping[field_name] = header.strip()
    if problems:
        raise UserError("; ".join(problems))
    return mapping


def parse_type_options(given: list[str]) -> dict[str, RevenueType]:
    """WORD=TYPE pairs as typed on the command line: what a word of a report's revenue type column means."""
    words: dict[str, RevenueType] = {}
    problems = []
    for pair in given:
        word, equals, kind = pair.rpartition("=")
        try:
            if not equals or not word.strip():
                raise ValueError
            words[word.strip().lower()] = RevenueType(kind.strip().lower().replace(" ", "_"))
        except ValueError:
            problems.append(f"'{pair}' is not WORD=TYPE (types: {', '.join(k.value for k in RevenueType)})")
    if problems:
        raise UserError("; ".join(problems))
    return words


def type_words(table: Table, mapping: dict[str, str]) -> dict[str, RevenueType | None]:
    """The words of a report's revenue type column (in the rows read), each with the type
    REVENUE_WORDS proposes (RightsDesk's own names read as themselves), or None: for the user to map."""
    column = mapping.get("revenue_type")
    if not column or column not in table.headers:
        return {}
    at = table.headers.index(column)
    words = dict.fromkeys(str(row[at]).strip().lower() for row in table.rows
                          if at < len(row) and row[at] is not None and str(row[at]).strip())
    proposed = revenue.propose_revenue_types(words)
    own = {kind.value: kind for kind in RevenueType}
    return {word: own.get(word) or proposed.get(word) for word in words}


def source_named(session: Session, name: str) -> int | None:
    return session.scalar(select(RevenueSource.id).where(RevenueSource.name == name.strip()))


def source_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(RevenueSource.id, RevenueSource.name)).all())


def mapping_names(session: Session, source_id: int) -> list[str]:
    return list(session.scalars(select(ColumnMapping.name).where(ColumnMapping.source_id == source_id)
                                .order_by(ColumnMapping.name)))


def mapping_named(session: Session, source_id: int, name: str) -> int:
    """The saved mapping of a source by its name; refused with the names it has when none is."""
    found = session.scalar(select(ColumnMapping.id).where(ColumnMapping.source_id == source_id,
                                                          ColumnMapping.name == name.strip()))
    if found is None:
        saved = mapping_names(session, source_id)
        has = f"its mappings: {', '.join(saved)}" if saved else "it has none saved yet"
        raise NotFound(f"the source has no mapping '{name}' ({has})")
    return found
