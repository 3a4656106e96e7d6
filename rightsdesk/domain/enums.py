"""The closed vocabularies of the business, stored by their value."""

from __future__ import annotations

from enum import StrEnum


class PartyKind(StrEnum):
    PRODUCER = "producer"
    PLATFORM = "platform"
    CHANNEL = "channel"
    BROADCASTER = "broadcaster"
    MUSIC_PUBLISHER = "music_publisher"
    RECORD_LABEL = "record_label"
    LOCALIZATION_VENDOR = "localization_vendor"
    OTHER = "other"


class DealDirection(StrEnum):
    IN = "in"  # rights acquired from a licensor
    OUT = "out"  # rights licensed to a licensee


class DealStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class LanguageVersion(StrEnum):
    """Which versions of a language a grant covers."""

    ANY = "any"
    SUBTITLED = "sub"
    DUBBED = "dub"


class TermAnchor(StrEnum):
    """What a computed term ("5 years from delivery") counts from."""

    SIGNATURE = "signature"
    DELIVERY = "delivery"
    FIRST_RELEASE = "first_release"


class WindowStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    RELEASED = "released"
    CANCELLED = "cancelled"


class UsageCode(StrEnum):
    """Cue usage as collecting societies code it."""

    BI = "BI"  # background instrumental
    BV = "BV"  # background vocal
    VI = "VI"  # visual instrumental
    VV = "VV"  # visual vocal
    MT = "MT"  # main title
    ET = "ET"  # end title
    SRC = "SRC"  # source music


class CreditRole(StrEnum):
    COMPOSER = "composer"
    LYRICIST = "lyricist"
    ARRANGER = "arranger"
    PUBLISHER = "publisher"
    LABEL = "label"


class LicenceStatus(StrEnum):
    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    QUOTED = "quoted"
    CLEARED = "cleared"
    DENIED = "denied"
    EXPIRED = "expired"


class LocalizationKind(StrEnum):
    SUBTITLES = "subtitles"
    DUB = "dub"
    METADATA_ARTWORK = "metadata_artwork"


class LocalizationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    IN_QC = "in_qc"
    DELIVERED = "delivered"
    REJECTED = "rejected"


class RevenueType(StrEnum):
    UNLOCKS = "unlocks"  # episodic unlocks bought with coins
    SUBSCRIPTION = "subscription"
    ADS = "ads"
    TIPS = "tips"
    LICENCE_FEE = "licence_fee"
    OTHER = "other"


class BatchStatus(StrEnum):
    IMPORTED = "imported"
    ROLLED_BACK = "rolled_back"


class ExpenseCategory(StrEnum):
    MARKETING = "marketing"
    LOCALIZATION = "localization"
    MUSIC = "music"
    DELIVERY = "delivery"
    OTHER = "other"


class StatementFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMI_ANNUAL = "semi_annual"
    ANNUAL = "annual"


class LibrarySplitRule(StrEnum):
    """How revenue reported against a whole library is split to its titles."""

    RUNTIME = "runtime"
    EPISODE_COUNT = "episode_count"
    EQUAL = "equal"
    VIEWS = "views"


class FxDateRule(StrEnum):
    """Which day's rate converts a revenue line to the deal currency."""

    PERIOD_END = "period_end"  # the last day of the statement period
    LINE_PERIOD_END = "line_period_end"  # the last day of the period the line reports


class StatementStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"


class PaymentMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CHEQUE = "cheque"
    CARD = "card"
    OTHER = "other"


class DeliveryResult(StrEnum):
    SENT = "sent"
    FAILED = "failed"


class StatementLineKind(StrEnum):
    GROSS_RECEIPTS = "gross_receipts"
    DISTRIBUTION_FEE = "distribution_fee"
    EXPENSES_RECOUPED = "expenses_recouped"
    NET_RECEIPTS = "net_receipts"
    PARTICIPANT_SHARE = "participant_share"
    MG_RECOUPED = "mg_recouped"
    PAYABLE = "payable"
    WITHHOLDING = "withholding"
    PAID = "paid"
    ADJUSTMENT = "adjustment"
    # Added with refunds, reserves and MG schedules (issue 14); see domain/royalties.py.
    EXPENSES_BORNE = "expenses_borne"  # beyond the cap: the sales house's, shown, not deducted
    MG_PAID = "mg_paid"  # an MG payment counted from this period: adds to what is outstanding
    DEFICIT_RECOVERED = "deficit_recovered"
    DEFICIT_CARRIED = "deficit_carried"
    RESERVE_HELD = "reserve_held"
    RESERVE_RELEASED = "reserve_released"
    RESERVE_APPLIED = "reserve_applied"  # a reserve used up by refunds instead of being released
    # A minimum payout (issue 20): what earlier statements carried, what this one carries, and
    # what it pays when either is there (paid + brought forward - carried forward).
    BROUGHT_FORWARD = "brought_forward"
    CARRIED_FORWARD = "carried_forward"
    TO_PAY = "to_pay"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
