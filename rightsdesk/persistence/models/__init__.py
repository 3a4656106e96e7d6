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
    StatementAdjustment,
    StatementBalance,
    StatementExpense,
    StatementLine,
    StatementRevenue,
)
from rightsdesk.persistence.models.windows import ReleaseWindow, WindowTemplate, WindowTemplateStep

__all__ = [name for name in dir() if name[0].isupper()]
