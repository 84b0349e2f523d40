"""The content model, one module per concept; import from here."""

from .forms import Form, FormDownload
from .imports import ImportBatch
from .legal import AnnouncingDecision, LegalDocument
from .procedure import ProcedurePage
from .procedure_parts import (
    DossierComponent,
    LegalBasis,
    ProcedureAgency,
    ProcedureStep,
    RelatedProcedure,
    SubmissionChannel,
)
from .site_pages import HomePage, ProcedureIndexPage
from .site_settings import DepartmentSettings
from .taxonomy import Agency, ImplementationLevel, Sector
from .versions import ProcedureVersion
from .workflow import FourEyesApprovalTask

__all__ = [
    "Agency",
    "AnnouncingDecision",
    "DepartmentSettings",
    "DossierComponent",
    "Form",
    "FormDownload",
    "FourEyesApprovalTask",
    "HomePage",
    "ImplementationLevel",
    "ImportBatch",
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
