"""SQLAlchemy models, one module per concept."""

from .asset import Asset, NetworkInterface
from .assignment import Assignment
from .catalogue import AssetModel, Manufacturer
from .change import Change
from .discovery import Alert, IngestBatch, Sighting, TriageItem
from .kits import Kit, KitLine, OnboardingCase, OnboardingLine
from .lifecycle import Acknowledgement, Repair
from .offboarding import OffboardingCase, OffboardingLine
from .organisation import Department, Employee, Location
from .token import ApiToken
from .usage import AssetUser, AssignmentSuggestion, EmployeeLogin, InstalledSoftware
from .user import User

__all__ = [
    "Acknowledgement",
    "Kit",
    "KitLine",
    "OffboardingCase",
    "OffboardingLine",
    "OnboardingCase",
    "OnboardingLine",
    "Repair",
    "Alert",
    "IngestBatch",
    "Sighting",
    "TriageItem",
    "ApiToken",
    "AssetUser",
    "AssignmentSuggestion",
    "EmployeeLogin",
    "InstalledSoftware",
    "Asset",
    "AssetModel",
    "Assignment",
    "Change",
    "Department",
    "Employee",
    "Location",
    "Manufacturer",
    "NetworkInterface",
    "User",
]
