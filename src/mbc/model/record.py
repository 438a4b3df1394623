"""The patient record: contract ``contract_version: 1`` (see CONTRACT.md §1).

Every field but ``id`` is optional; a missing field is *unknown*, never false.
Models are frozen and reject unknown keys (the error names the nearest known key).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from mbc.errors import Problem, RecordError

__all__ = [
    "CONTRACT_VERSION",
    "Brain",
    "Labs",
    "Metastases",
    "PatientRecord",
    "Preferences",
    "Therapy",
    "Tumor",
    "parse_record",
]

CONTRACT_VERSION = 1

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _strict_date(value: object) -> object:
    """Accept only ISO ``YYYY-MM-DD`` strings (or real dates); never guess a format."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date YYYY-MM-DD, not a date-time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not _DATE_RE.match(value):
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"not a real calendar date: {value!r}") from exc
    raise ValueError(f"expected a date YYYY-MM-DD, got {type(value).__name__}")


StrictDate = Annotated[dt.date, BeforeValidator(_strict_date)]


def _her2_ihc(value: object) -> object:
    """Accept the contract strings; also the bare integers 0-3 some exports use."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and 0 <= value <= 3:
        return "0" if value == 0 else f"{value}+"
    if isinstance(value, str):
        v = value.strip().lower()
        if v in {"1", "2", "3"}:
            return v + "+"
        return v
    return value


def _lower_name(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


DrugName = Annotated[str, BeforeValidator(_lower_name), Field(min_length=1)]

Site = Literal[
    "bone",
    "liver",
    "lung",
    "pleura",
    "brain",
    "leptomeninges",
    "distant_lymph_nodes",
    "skin",
    "peritoneum",
    "soft_tissue",
    "other",
]
Comorbidity = Literal[
    "diabetes_type1",
    "diabetes_type2",
    "interstitial_lung_disease",
    "heart_failure",
    "long_qt",
    "cirrhosis",
    "osteonecrosis_jaw",
    # session 10 (additive): safety histories that labels name
    "severe_cutaneous_reaction",
    "venous_thromboembolism",
    "other",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Tumor(BaseModel):
    """Receptor and immune biomarkers of the tumour."""

    model_config = _FROZEN

    er_percent: float | None = Field(
        None, ge=0, le=100, strict=True, description="% nuclei staining for ER (ASCO-CAP)."
    )
    pr_percent: float | None = Field(None, ge=0, le=100, strict=True, description="% for PR.")
    her2_ihc: Annotated[
        Literal["0", "ultralow", "1+", "2+", "3+"] | None, BeforeValidator(_her2_ihc)
    ] = Field(None, description="HER2 IHC score; 'ultralow' = IHC 0 with faint staining ≤10%.")
    her2_ish: Literal["amplified", "not_amplified"] | None = None
    er_status: Literal["positive", "low", "negative"] | None = None
    pr_status: Literal["positive", "negative"] | None = None
    her2_status: Literal["positive", "negative"] | None = None
    pdl1_cps: float | None = Field(
        None, ge=0, strict=True, allow_inf_nan=False, description="PD-L1 CPS, 22C3."
    )
    pdl1_ic_percent: float | None = Field(None, ge=0, le=100, strict=True)
    receptor_source: Literal["metastasis", "primary"] | None = None
    histology: Literal["ductal", "lobular", "other"] | None = None

    @model_validator(mode="after")
    def _agree(self) -> Tumor:
        problems: list[str] = []
        if self.er_percent is not None and self.er_status is not None:
            implied = _receptor_word(self.er_percent, low_allowed=True)
            if implied != self.er_status:
                problems.append(
                    f"er_status {self.er_status!r} disagrees with er_percent {self.er_percent:g}"
                    f" (which means {implied!r})"
                )
        if self.pr_percent is not None and self.pr_status is not None:
            implied = _receptor_word(self.pr_percent, low_allowed=False)
            if implied != self.pr_status:
                problems.append(
                    f"pr_status {self.pr_status!r} disagrees with pr_percent {self.pr_percent:g}"
                )
        if self.her2_status is not None:
            if self.her2_ihc == "3+" or self.her2_ish == "amplified":
                implied_her2: str | None = "positive"
            elif self.her2_ihc in {"0", "ultralow", "1+"} or self.her2_ish == "not_amplified":
                implied_her2 = "negative"
            else:
                implied_her2 = None
            if implied_her2 is not None and implied_her2 != self.her2_status:
                problems.append(
                    f"her2_status {self.her2_status!r} disagrees with the HER2 IHC/ISH result"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


# The contract's definitions of the receptor status words (CONTRACT.md; ASCO-CAP 2020), used
# only to reject a record whose status word disagrees with its percentage. The model layer
# cannot read the KB; the engine derives statuses from knowledge/derive.yaml, and
# tests/knowledge/test_model_agrees_with_kb.py fails if the two ever differ.
RECEPTOR_POSITIVE_MIN_PERCENT = 1.0
ER_LOW_MAX_PERCENT = 10.0


def _receptor_word(percent: float, *, low_allowed: bool) -> str:
    if percent < RECEPTOR_POSITIVE_MIN_PERCENT:
        return "negative"
    if low_allowed and percent <= ER_LOW_MAX_PERCENT:
        return "low"
    return "positive"


class Brain(BaseModel):
    """Brain metastases state."""

    model_config = _FROZEN

    symptomatic: bool | None = Field(None, strict=True)
    progressing: bool | None = Field(None, strict=True)
    locally_treated: bool | None = Field(None, strict=True)


class Metastases(BaseModel):
    """Where the disease is, and whether it threatens organ function."""

    model_config = _FROZEN

    sites: tuple[Site, ...] | None = None
    visceral_crisis: bool | None = Field(None, strict=True)
    brain: Brain | None = None
    measurable: bool | None = Field(
        None,
        strict=True,
        description="Measurable disease by RECIST 1.1 (mbc addition to contract v1; many trials require it).",
    )


class Therapy(BaseModel):
    """One course of therapy, in any setting."""

    model_config = _FROZEN

    setting: Literal["neoadjuvant", "adjuvant", "metastatic"] | None = None
    drugs: tuple[DrugName, ...] = Field(..., min_length=1)
    start: StrictDate | None = None
    end: StrictDate | None = None
    stop_reason: Literal["completed", "progression", "toxicity", "ongoing", "other"] | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Therapy:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Labs(BaseModel):
    """Laboratory values."""

    model_config = _FROZEN

    creatinine_clearance_ml_min: float | None = Field(None, ge=0, le=400, strict=True)
    bilirubin_x_uln: float | None = Field(None, ge=0, le=100, strict=True)
    alt_x_uln: float | None = Field(None, ge=0, le=200, strict=True)
    calcium_mg_dl: float | None = Field(None, gt=0, le=30, strict=True)
    albumin_g_dl: float | None = Field(None, gt=0, le=10, strict=True)
    anc_per_ul: float | None = Field(None, ge=0, strict=True)
    platelets_per_ul: float | None = Field(None, ge=0, strict=True)
    hba1c_percent: float | None = Field(None, gt=0, le=25, strict=True)
    fasting_glucose_mg_dl: float | None = Field(None, gt=0, le=2000, strict=True)


class Preferences(BaseModel):
    """What the patient has said she or he does not want."""

    model_config = _FROZEN

    declines_chemotherapy: bool | None = Field(None, strict=True)
    declines_ovarian_suppression: bool | None = Field(None, strict=True)
    # session 10 (additive): "will only take tablets" - declines infusions and injections
    oral_therapy_only: bool | None = Field(None, strict=True)


class PatientRecord(BaseModel):
    """A patient record, contract version 1. Only ``id`` is required."""

    model_config = _FROZEN

    id: str = Field(..., min_length=1, description="Record identifier, echoed in the plan.")
    contract_version: Literal[1] | None = None
    as_of: StrictDate | None = Field(None, description="Date the plan is made for.")
    age: int | None = Field(None, ge=18, le=120, strict=True)
    sex: Literal["female", "male"] | None = None
    menopausal_status: Literal["premenopausal", "perimenopausal", "postmenopausal"] | None = None
    ecog: int | None = Field(None, ge=0, le=4, strict=True)
    weight_kg: float | None = Field(None, gt=0, le=500, strict=True)
    height_cm: float | None = Field(None, gt=0, le=272, strict=True)
    pregnant: bool | None = Field(None, strict=True)
    pregnancy_weeks: int | None = Field(
        None, ge=0, le=45, strict=True, description="Gestational age in completed weeks, when pregnant."
    )
    tumor: Tumor | None = None
    somatic: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    germline: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    msi: Literal["MSI-H", "MSS"] | None = None
    tmb_per_mb: float | None = Field(None, ge=0, strict=True, allow_inf_nan=False)
    metastases: Metastases | None = None
    presentation: Literal["de_novo", "recurrence"] | None = None
    metastatic_diagnosis_date: StrictDate | None = None
    prior_therapies: tuple[Therapy, ...] | None = None
    lvef_percent: float | None = Field(None, ge=0, le=100, strict=True)
    qtcf_ms: float | None = Field(None, gt=0, le=1000, strict=True)
    labs: Labs | None = None
    comorbidities: tuple[Comorbidity, ...] | None = None
    medications: tuple[DrugName, ...] | None = None
    dpyd: Literal["normal", "intermediate", "poor"] | None = None
    symptoms: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    preferences: Preferences | None = None
    provenance: Any = Field(
        None,
        description="Where each fact came from (written by `mbc extract`); not read by the engine.",
    )

    @model_validator(mode="after")
    def _dates_make_sense(self) -> PatientRecord:
        if self.pregnancy_weeks is not None and (self.pregnant is False or self.sex == "male"):
            raise ValueError(
                "pregnancy_weeks is given but the record says not pregnant (pregnant false or male)"
            )
        if (
            self.as_of
            and self.metastatic_diagnosis_date
            and self.metastatic_diagnosis_date > self.as_of
        ):
            raise ValueError(
                f"metastatic_diagnosis_date {self.metastatic_diagnosis_date} is after as_of {self.as_of}"
            )
        return self


# ---------------------------------------------------------------- parsing with all errors


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the key at ``loc`` (to suggest the nearest known key)."""
    model: type[BaseModel] | None = PatientRecord
    for part in loc[:-1]:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # pydantic inserts union/validator tags ("function-after[...]", "tuple[...]") into locs.
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        out.append(part)
    return tuple(out)


def _problem(err: Mapping[str, Any]) -> Problem:
    loc = _clean_loc(tuple(err.get("loc", ())))
    kind = str(err.get("type", "value_error"))
    msg = str(err.get("msg", "invalid"))
    if kind == "extra_forbidden" and loc:
        owner = _model_at(loc)
        key = str(loc[-1])
        msg = f"unknown key {key!r}"
        if owner is not None:
            close = difflib.get_close_matches(key, list(owner.model_fields), n=1, cutoff=0.5)
            if close:
                msg += f"; did you mean {close[0]!r}?"
            else:
                msg += f"; known keys here: {', '.join(sorted(owner.model_fields))}"
    elif msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
    elif kind == "literal_error":
        msg = f"{msg}; got {err.get('input')!r}"
    elif kind == "missing":
        msg = "required"
    return Problem(loc=loc, msg=msg, type=kind)


def parse_record(data: object) -> PatientRecord:
    """Validate a decoded JSON/YAML object as a contract-v1 patient record.

    Args:
        data: The decoded object.

    Returns:
        The frozen record.

    Raises:
        RecordError: With every problem found, each located by its JSON path.
    """
    if not isinstance(data, Mapping):
        raise RecordError(
            "a patient record must be a JSON object",
            [
                Problem(
                    loc=(), msg=f"expected an object, got {type(data).__name__}", type="type_error"
                )
            ],
        )
    try:
        return PatientRecord.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(e) for e in exc.errors(include_url=False)]
        raise RecordError(
            f"invalid patient record ({len(problems)} problem{'s' if len(problems) != 1 else ''})",
            problems,
        ) from None
