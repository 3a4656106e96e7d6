"""Every model, imported so that Base.metadata knows the whole schema."""

from rightsdesk.persistence.models.audit import AuditEntry
from rightsdesk.persistence.models.catalogue import (
    Episode,
    Library,
    LibraryMember,
    Title,
    TitleLocalizedName,
)
from rightsdesk.persistence.models.localization import LocalizationTask
from rightsdesk.persistence.models.music import (
    Cue,
    MusicLicence,
    MusicLicenceMedia,
    MusicLicenceTerritory,
    MusicTrack,
    TrackCredit,
)
from rightsdesk.persistence.models.parties import Party, PartyContact
from rightsdesk.persistence.models.reference import (
    AppSetting,
    Currency,
    Language,
    Media,
    Territory,
    TerritoryGroup,
    TerritoryGroupMember,
    TerritoryGroupSubgroup,
)
from rightsdesk.persistence.models.revenue import (
    ColumnMapping,
    ExchangeRate,
    ImportBatch,
    RevenueLine,
    RevenueSource,
    TitleAlias,
)
from rightsdesk.persistence.models.rights import (
    Deal,
    Grant,
    GrantLanguage,
    GrantLibrary,
    GrantMedia,
    GrantOption,
    GrantTerritory,
    GrantTitle,
    Holdback,
    HoldbackMedia,
    HoldbackTerritory,
)
from rightsdesk.persistence.models.royalties import (
    Expense,
    FeeRate,
    MgPayment,
    RoyaltyTerms,
    ShareTier,
    Statement,
    Payment,
    PaymentRun,
    StatementAdjustment,
    StatementBalance,
    StatementDelivery,
    StatementExpense,
    StatementLine,
    StatementRevenue,
    StatementTitleRevenue,
)
from rightsdesk.persistence.models.windows import ReleaseWindow, WindowTemplate, WindowTemplateStep

# How each kind of record is kept from lost updates (two desks saving the same record: the second
# is refused, never silently overwriting the first). A record users edit is Versioned (its
# service compares the version the editor loaded); the others are saved only together with the
# record that owns them, whose version is checked, or are never edited in place.
SAVED_WITH_OWNER: dict[type, type] = {
    TitleLocalizedName: Title, Episode: Title, LibraryMember: Library, TrackCredit: MusicTrack,
    Cue: Episode,  # a cue sheet is saved whole, against Episode.cue_sheet_version
    MusicLicenceTerritory: MusicLicence, MusicLicenceMedia: MusicLicence, PartyContact: Party,
    GrantTitle: Grant, GrantLibrary: Grant, GrantTerritory: Grant, GrantMedia: Grant, GrantLanguage: Grant, GrantOption: Grant,
    Holdback: Grant, HoldbackMedia: Grant, HoldbackTerritory: Grant,
    MgPayment: RoyaltyTerms, FeeRate: RoyaltyTerms, ShareTier: RoyaltyTerms,
    Expense: Deal,  # saved by the deal editor in the transaction that checks the deal's version
    WindowTemplateStep: WindowTemplate,
    TerritoryGroupMember: TerritoryGroup, TerritoryGroupSubgroup: TerritoryGroup,
    StatementLine: Statement, StatementBalance: Statement, StatementExpense: Statement, StatementRevenue: Statement,
    StatementTitleRevenue: Statement,
}
NOT_EDITED: dict[type, str] = {
    AuditEntry: "appended, never changed",
    ImportBatch: "written by an import; rolled back whole",
    RevenueLine: "written by an import; matching sets a title on unmatched lines only",
    TitleAlias: "remembered from a match; one per source and name",
    ExchangeRate: "one per pair and day; an import replaces it",
    Statement: "drafted by a run and issued under a lock; issued ones never change",
    StatementAdjustment: "appended",
    Payment: "recorded, never changed; a mistake is reversed by a negative payment",
    PaymentRun: "written whole with its payments",
    StatementDelivery: "appended, one per attempt to send",
    RevenueSource: "named once; its mappings are saved whole under a name",
    ColumnMapping: "saved whole under a name the user gives (save as)",
    Territory: "reference data", Currency: "reference data", Language: "reference data",
    AppSetting: "set by an administrator; the mail settings are saved whole from their dialog, last save wins, audited",
}

__all__ = [name for name in dir() if name[0].isupper()]
