"""Saving a deal as its editor holds it: the deal with its grants, its royalty terms and the
expenses booked on it, as one unit of work (all saved, or none)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.domain.rights import DealDraft
from rightsdesk.services import deals, royalty_terms
from rightsdesk.services.deals import SavedDeal
from rightsdesk.services.royalty_terms import ExpenseDraft, TermsDraft


def save_deal_as_edited(session: Session, draft: DealDraft, terms: TermsDraft | None,
                        new_expenses: list[ExpenseDraft], *, user: str) -> SavedDeal:
    """Save the deal (deals.save_deal), then its terms (None: none given) and the expenses
    added in the editor. Raises what those raise (ValidationError, Conflict when someone saved
    the deal or its terms first, deals.RightsConflict for a signed deal that clashes); nothing
    is saved then."""
    saved = deals.save_deal(session, draft, user=user)
    if terms is not None:
        royalty_terms.save_terms(session, saved.deal_id, terms, user=user)
    for expense in new_expenses:
        royalty_terms.save_expense(session, saved.deal_id, expense, user=user)
    return saved
