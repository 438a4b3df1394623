"""The case form, generated from the contract's JSON Schema.

Widgets and allowed values come from :class:`~mbc.model.PatientRecord`'s JSON Schema
(enums -> selects, booleans -> yes/no/unknown, numbers -> number inputs, dates -> date
pickers, enum lists -> checkboxes, string lists -> text); groups, labels and help texts
from ``form.yaml``. Form fields are named by their dotted record path (``tumor.er_percent``,
``prior_therapies.0.drugs``), so a validation problem's ``loc`` names its field directly.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from mbc.errors import Problem

__all__ = [
    "FieldSpec",
    "FormGroup",
    "FormSpec",
    "errors_by_field",
    "form_spec",
    "form_to_record",
    "record_to_form",
]

Widget = Literal["text", "number", "date", "select", "tristate", "checkboxes", "list"]

NONE_OF_THESE = "none"
"""Checkbox value meaning 'checked, none apply' (an empty list), unlike nothing ticked (unknown)."""

NO_PRIOR_THERAPY = "_no_prior_therapy"
"""Form field: ticked = no prior therapy at all (``prior_therapies: []``), not unknown."""

THERAPY_FIELDS = ("setting", "drugs", "start", "end", "stop_reason")
_SPLIT = re.compile(r"[,\n;]+")


@dataclass(frozen=True)
class FieldSpec:
    """One form field."""

    name: str
    label: str
    widget: Widget
    options: tuple[str, ...] = ()
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    help: str | None = None
    required: bool = False
    multiline: bool = False

    @property
    def html_id(self) -> str:
        """An id safe for HTML and CSS selectors."""
        return "f-" + self.name.replace(".", "-")

    @property
    def error_id(self) -> str:
        """The id of the field's error message element."""
        return "err-" + self.name.replace(".", "-")


@dataclass(frozen=True)
class FormGroup:
    """A fieldset."""

    title: str
    fields: tuple[FieldSpec, ...] = ()
    therapies: bool = False


@dataclass(frozen=True)
class FormSpec:
    """The whole form."""

    groups: tuple[FormGroup, ...]
    therapy_fields: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec] = field(default_factory=dict)

    def therapy_field(self, index: int, spec: FieldSpec) -> FieldSpec:
        """The field of therapy row ``index``."""
        return FieldSpec(
            name=f"prior_therapies.{index}.{spec.name}",
            label=spec.label,
            widget=spec.widget,
            options=spec.options,
            help=spec.help,
        )


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str):
        target: Mapping[str, Any] = schema["$defs"][ref.rsplit("/", 1)[-1]]
        return target
    return node


def _non_null(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    node = _resolve(schema, node)
    for alt in node.get("anyOf", ()):
        if alt.get("type") != "null":
            return _resolve(schema, alt)
    return node


def _property(schema: Mapping[str, Any], path: str) -> Mapping[str, Any]:
    node: Mapping[str, Any] = schema
    for part in path.split("."):
        node = _non_null(schema, node["properties"][part])
    return node


def _field(
    schema: Mapping[str, Any],
    path: str,
    node: Mapping[str, Any],
    labels: Mapping[str, str],
    helps: Mapping[str, str],
    label_key: str | None = None,
) -> FieldSpec:
    key = label_key or path
    label = labels.get(key, path.rsplit(".", 1)[-1].replace("_", " ").capitalize())
    help_text = helps.get(key)
    kind = node.get("type")
    if "enum" in node:
        return FieldSpec(path, label, "select", tuple(str(v) for v in node["enum"]), help=help_text)
    if kind == "boolean":
        return FieldSpec(path, label, "tristate", help=help_text)
    if kind in ("integer", "number"):
        lo = node.get("minimum", node.get("exclusiveMinimum"))
        hi = node.get("maximum", node.get("exclusiveMaximum"))
        return FieldSpec(
            path, label, "number", integer=kind == "integer", minimum=lo, maximum=hi, help=help_text
        )
    if kind == "string" and node.get("format") == "date":
        return FieldSpec(path, label, "date", help=help_text)
    if kind == "array":
        items = _resolve(schema, node.get("items", {}))
        if "enum" in items:
            return FieldSpec(path, label, "checkboxes", tuple(str(v) for v in items["enum"]), help=help_text)
        return FieldSpec(path, label, "list", help=help_text, multiline=path == "somatic")
    if path == "id":  # generated when left empty: the clinician never has to invent one
        help_text = help_text or "Left empty, one is generated."
    return FieldSpec(path, label, "text", help=help_text)


@functools.cache
def form_spec() -> FormSpec:
    """The case form (built once from the contract schema and ``form.yaml``)."""
    from mbc.model import PatientRecord

    schema = PatientRecord.model_json_schema()
    conf = yaml.safe_load((importlib.resources.files("mbc.web") / "form.yaml").read_text(encoding="utf-8"))
    labels, helps = conf.get("labels", {}), conf.get("help", {})
    groups: list[FormGroup] = []
    by_name: dict[str, FieldSpec] = {}
    for g in conf["groups"]:
        if g.get("therapies"):
            groups.append(FormGroup(g["title"], therapies=True))
            continue
        specs = tuple(_field(schema, p, _property(schema, p), labels, helps) for p in g["fields"])
        by_name.update({s.name: s for s in specs})
        groups.append(FormGroup(g["title"], specs))
    therapy = schema["$defs"]["Therapy"]
    tfields = tuple(
        _field(schema, name, _non_null(schema, therapy["properties"][name]), labels, helps, f"therapy.{name}")
        for name in THERAPY_FIELDS
    )
    return FormSpec(groups=tuple(groups), therapy_fields=tfields, by_name=by_name)


def _convert(spec: FieldSpec, raw: Any) -> Any:
    """Form text -> record value. A value that cannot be converted is passed through as
    text, so the record validator names it (one message style for every error)."""
    if spec.widget == "checkboxes":
        values = [v for v in (raw if isinstance(raw, list) else [raw]) if v]
        if NONE_OF_THESE in values:  # "none of these" = known to be empty
            return [v for v in values if v != NONE_OF_THESE]
        return values or None
    text = (raw[-1] if isinstance(raw, list) else raw or "").strip()
    if not text:
        return None
    if spec.widget == "number":
        try:
            num = float(text)
        except ValueError:
            return text
        return int(num) if spec.integer and num.is_integer() else num
    if spec.widget == "tristate":
        return {"yes": True, "no": False}.get(text, text)
    if spec.widget == "list":
        if text.lower() == "none":
            return []
        return [p.strip() for p in _SPLIT.split(text) if p.strip()]
    return text


def form_to_record(form: Mapping[str, Any]) -> dict[str, Any]:
    """Build a contract record from submitted form fields (empty fields are omitted).

    Args:
        form: Field name -> value (or list of values for checkboxes).

    Returns:
        The record dict, ready for :func:`mbc.model.parse_record`.
    """
    spec = form_spec()
    out: dict[str, Any] = {}
    for name, fs in spec.by_name.items():
        value = _convert(fs, form.get(name))
        if value is not None:
            node = out
            *parents, leaf = name.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = value
    rows: list[dict[str, Any]] = []
    indices = sorted({int(k.split(".")[1]) for k in form if re.fullmatch(r"prior_therapies\.\d+\.\w+", k)})
    for i in indices:
        row: dict[str, Any] = {}
        for tf in spec.therapy_fields:
            value = _convert(tf, form.get(f"prior_therapies.{i}.{tf.name}"))
            if value is not None:
                row[tf.name] = value
        if row:
            rows.append(row)
    if rows:
        out["prior_therapies"] = rows
    elif form.get(NO_PRIOR_THERAPY):
        out["prior_therapies"] = []
    return out


def record_to_form(record: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten a record into form values (the inverse of :func:`form_to_record`)."""
    spec = form_spec()
    out: dict[str, Any] = {}
    for name, fs in spec.by_name.items():
        node: Any = record
        for part in name.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            continue
        if fs.widget == "checkboxes":
            out[name] = list(node) or [NONE_OF_THESE]
        elif fs.widget == "tristate":
            out[name] = "yes" if node else "no"
        elif fs.widget == "list":
            out[name] = ("\n" if fs.multiline else ", ").join(node) if node else "none"
        elif isinstance(node, float) and node.is_integer():
            out[name] = str(int(node))
        else:
            out[name] = str(node)
    if record.get("prior_therapies") == []:
        out[NO_PRIOR_THERAPY] = "yes"
    for i, t in enumerate(record.get("prior_therapies") or []):
        for tf in spec.therapy_fields:
            v = t.get(tf.name)
            if v is not None:
                out[f"prior_therapies.{i}.{tf.name}"] = ", ".join(v) if isinstance(v, list) else str(v)
    return out


def errors_by_field(problems: Sequence[Problem], known: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Assign each problem to the deepest form field its location names.

    Returns:
        ``(field name -> messages, messages that belong to no single field)``.
    """
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for p in problems:
        parts = [str(x) for x in p.loc]
        target = None
        for n in range(len(parts), 0, -1):
            candidate = ".".join(parts[:n])
            if candidate in known:
                target = candidate
                break
        if target is None:
            general.append(str(p))
        else:
            by_field.setdefault(target, []).append(p.msg)
    return by_field, general
