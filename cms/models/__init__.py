"""The content model, one module per concept; import from here."""

from .forms import Form
from .legal import AnnouncingDecision, LegalDocument
from .pages import (
    DossierComponent,
    HomePage,
    LegalBasis,
    ProcedureAgency,
    ProcedureIndexPage,
    ProcedurePage,
    ProcedureStep,
    RelatedProcedure,
    SubmissionChannel,
)
from .site_settings import DepartmentSettings
from .taxonomy import Agency, ImplementationLevel, Sector
from .versions import FourEyesApprovalTask, ProcedureVersion

__all__ = [
    "Agency",
    "AnnouncingDecision",
    "DepartmentSettings",
    "DossierComponent",
    "Form",
    "FourEyesApprovalTask",
    "HomePage",
    "ImplementationLevel",
    "LegalBasis",
    "LegalDocument",
    "ProcedureAgency",
    "ProcedureIndexPage",
    "ProcedurePage",
    "ProcedureStep",
    "ProcedureVersion",
    "RelatedProcedure",
    "Sector",
    "SubmissionChannel",
]
