"""Import mappings: which file column goes to which field, property or association.

A mapping comes from a YAML file (one file, or several files of one folder) or is inferred
from the file's headers, using Dealflow's field names and the HubSpot/Salesforce presets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from dealflow.core.errors import DealflowError
from dealflow.crm.objects import PROPERTY_VALUE_TYPES, ObjectSpec, object_spec

PRESETS_DIR = Path(__file__).parent / "presets"
DEAL_PLACEMENT_FIELDS = ("pipeline", "stage")


class MappingError(DealflowError):
    """A mapping file (or inferred mapping) that cannot be used; the message says where."""

    status_code = 422


@dataclass(frozen=True)
class ColumnRule:
    """What one file column feeds: a standard field, a custom property or an association."""

    column: str
    target: str  # "field" | "property" | "association"
    name: str
    by: str = "auto"
    create_missing: bool = False
    value_map: dict[str, str] | None = None
    missing_values: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    scale: Decimal | None = None
    property_type: str = "text"
    property_options: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.target == "field":
            text = self.name
        elif self.target == "property":
            text = f"custom property {self.name} ({self.property_type})"
        else:
            created = ", created if missing" if self.create_missing else ""
            text = f"{self.name} (found by {self.by}{created})"
        extras = []
        if self.value_map:
            extras.append("values " + ", ".join(f"{k}→{v}" for k, v in self.value_map.items()))
        if self.missing_values:
            extras.append("blank if " + "/".join(self.missing_values))
        if self.scale is not None:
            extras.append(f"× {self.scale}")
        if self.formats:
            extras.append("format " + " or ".join(self.formats))
        return text + (f" [{'; '.join(extras)}]" if extras else "")


@dataclass(frozen=True)
class PipelinePlan:
    name: str
    stages: tuple[tuple[str, float, str], ...]


@dataclass(frozen=True)
class FilePlan:
    """How to import one file into one object type."""

    object_type: str
    key: str
    rules: tuple[ColumnRule, ...]
    file: str | None = None
    ignored: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)
    deduplicate: bool = False
    sheet: str | None = None
    pipeline: PipelinePlan | None = None
    stage_history: dict[str, str] = field(default_factory=dict)
    phone_region: str | None = None

    @property
    def spec(self) -> ObjectSpec:
        return object_spec(self.object_type)

    def mapped_columns(self) -> set[str]:
        return {rule.column for rule in self.rules} | set(self.stage_history.values())

    def column_of(self, name: str) -> str:
        """The file column a field (or association) comes from, for messages."""
        return next((rule.column for rule in self.rules if rule.name == name), name)


@dataclass(frozen=True)
class ImportPlan:
    files: tuple[FilePlan, ...]
    description: str = ""


def load_mapping(path: Path) -> ImportPlan:
    """Read a mapping file; every mistake is reported with its place in the file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise MappingError(f"mapping file {path} does not exist") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise MappingError(f"{path}{where}: not valid YAML ({problem})") from error
    if not isinstance(document, dict):
        raise MappingError(f"{path}: expected a mapping with 'object' and 'columns' (or 'files')")
    entries = document.get("files")
    if entries is None:
        return ImportPlan((_file_plan(document, f"{path}"),), str(document.get("description", "")))
    if not isinstance(entries, list) or not entries:
        raise MappingError(f"{path}: 'files' must be a non-empty list")
    plans = tuple(
        _file_plan(entry, f"{path}: files[{index}]") for index, entry in enumerate(entries)
    )
    for index, plan in enumerate(plans):
        if plan.file is None:
            raise MappingError(f"{path}: files[{index}] needs 'file' (a file name in the folder)")
    return ImportPlan(plans, str(document.get("description", "")))


_FILE_KEYS = {
    "file", "object", "key", "columns", "defaults", "deduplicate", "sheet",
    "pipeline", "stage_history", "phone_region", "description",
}  # fmt: skip


def _file_plan(entry: Any, where: str) -> FilePlan:
    if not isinstance(entry, dict):
        raise MappingError(f"{where}: expected a mapping")
    unknown = set(entry) - _FILE_KEYS - {"files"}
    if unknown:
        raise MappingError(
            f"{where}: unknown setting(s) {', '.join(sorted(map(str, unknown)))}; "
            f"allowed: {', '.join(sorted(_FILE_KEYS))}"
        )
    try:
        spec = object_spec(str(entry.get("object", "")))
    except ValueError as error:
        raise MappingError(f"{where}: {error}") from error
    columns = entry.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{where}: 'columns' must map file columns to fields")
    rules: list[ColumnRule] = []
    ignored: list[str] = []
    for column, target in columns.items():
        column_name = "" if column is None else str(column)
        if target is None:
            ignored.append(column_name)
            continue
        targets = target if isinstance(target, list) else [target]
        for item in targets:
            rules.append(_column_rule(spec, column_name, item, f"{where}: columns[{column!r}]"))
    plan = FilePlan(
        object_type=spec.name,
        key=_key(spec, entry.get("key"), rules, where),
        rules=tuple(rules),
        file=str(entry["file"]) if entry.get("file") else None,
        ignored=tuple(ignored),
        defaults=_defaults(spec, entry.get("defaults") or {}, where),
        deduplicate=bool(entry.get("deduplicate", False)),
        sheet=entry.get("sheet"),
        pipeline=_pipeline(entry.get("pipeline"), where) if entry.get("pipeline") else None,
        stage_history={str(k): str(v) for k, v in (entry.get("stage_history") or {}).items()},
        phone_region=entry.get("phone_region"),
    )
    if plan.stage_history and spec.name != "deals":
        raise MappingError(f"{where}: stage_history is only for deals")
    return plan


def _column_rule(spec: ObjectSpec, column: str, target: Any, where: str) -> ColumnRule:
    if isinstance(target, str):
        return _named_rule(spec, column, target, where)
    if not isinstance(target, dict):
        raise MappingError(f"{where}: expected a field name or a mapping")
    if "field" in target:
        rule = _named_rule(spec, column, str(target["field"]), where)
        if rule.target == "association":
            raise MappingError(
                f"{where}: {target['field']!r} is an association; use 'association:'"
            )
    elif "property" in target:
        value_type = str(target.get("type", "text"))
        if value_type not in PROPERTY_VALUE_TYPES:
            raise MappingError(
                f"{where}: property type {value_type!r} is not one of "
                + ", ".join(PROPERTY_VALUE_TYPES)
            )
        name = str(target["property"])
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,99}", name):
            raise MappingError(f"{where}: property name {name!r}: use lower_snake_case")
        if name in spec.field_index:
            raise MappingError(f"{where}: {name!r} is a standard field; use 'field: {name}'")
        rule = ColumnRule(
            column, "property", name,
            property_type=value_type,
            property_options=tuple(str(o) for o in target.get("options") or ()),
        )  # fmt: skip
    elif "association" in target:
        association = spec.association(str(target["association"]))
        if association is None:
            names = ", ".join(a.name for a in spec.associations) or "none"
            raise MappingError(
                f"{where}: {spec.name} have no association {target['association']!r} ({names})"
            )
        by = str(target.get("by", "auto"))
        target_spec = object_spec(association.target)
        if by != "auto" and by not in target_spec.keys:
            raise MappingError(
                f"{where}: {target_spec.name} are found by "
                f"{', '.join(target_spec.keys)}, not {by!r}"
            )
        rule = ColumnRule(
            column, "association", association.name, by=by,
            create_missing=bool(target.get("create_missing", False)),
        )  # fmt: skip
    else:
        raise MappingError(f"{where}: say 'field:', 'property:' or 'association:'")
    return _with_options(rule, target, where)


def _named_rule(spec: ObjectSpec, column: str, name: str, where: str) -> ColumnRule:
    if name in spec.field_index:
        return ColumnRule(column, "field", name)
    if spec.association(name):
        return ColumnRule(column, "association", name)
    choices = [*spec.field_index, *(a.name for a in spec.associations)]
    raise MappingError(
        f"{where}: {spec.name} have no field {name!r}. Fields: {', '.join(choices)}; "
        "for anything else use {property: name, type: text|number|date|enum|bool}"
    )


def _with_options(rule: ColumnRule, target: dict[str, Any], where: str) -> ColumnRule:
    values = target.get("values")
    if values is not None and not isinstance(values, dict):
        raise MappingError(f"{where}: 'values' must map file values to Dealflow values")
    missing = target.get("missing") or ()
    formats = target.get("format") or ()
    scale = target.get("scale")
    try:
        scale_value = Decimal(str(scale)) if scale is not None else None
    except ArithmeticError as error:
        raise MappingError(f"{where}: 'scale' must be a number") from error
    return ColumnRule(
        rule.column, rule.target, rule.name,
        by=rule.by,
        create_missing=rule.create_missing,
        value_map={str(k): str(v) for k, v in values.items()} if values else None,
        missing_values=tuple(str(m) for m in ([missing] if isinstance(missing, str) else missing)),
        formats=tuple([formats] if isinstance(formats, str) else formats),
        scale=scale_value,
        property_type=rule.property_type,
        property_options=rule.property_options,
    )  # fmt: skip


def _key(spec: ObjectSpec, key: Any, rules: list[ColumnRule], where: str) -> str:
    mapped = {rule.name for rule in rules if rule.target == "field"}
    if key is None:
        key = next((k for k in spec.keys if k in mapped), None)
        if key is None:  # no key field is mapped at all
            raise MappingError(
                f"{where}: no key column. Map one of {', '.join(spec.keys)} so re-importing "
                "updates records instead of duplicating them"
            )
    key = str(key)
    if key not in spec.keys:
        raise MappingError(
            f"{where}: {spec.name} can be keyed by {', '.join(spec.keys)}, not {key!r}"
        )
    if key not in mapped:
        raise MappingError(f"{where}: the key {key!r} is not mapped from any column")
    return key


def _defaults(spec: ObjectSpec, defaults: Any, where: str) -> dict[str, Any]:
    if not isinstance(defaults, dict):
        raise MappingError(f"{where}: 'defaults' must map fields to values")
    for name in defaults:
        if name not in spec.field_index:
            raise MappingError(f"{where}: defaults: {spec.name} have no field {name!r}")
    return dict(defaults)


def _pipeline(value: Any, where: str) -> PipelinePlan:
    if not isinstance(value, dict) or "name" not in value or "stages" not in value:
        raise MappingError(
            f"{where}: pipeline needs 'name' and 'stages' ([name, probability, kind])"
        )
    stages = []
    for index, stage in enumerate(value["stages"]):
        if not (isinstance(stage, list) and len(stage) == 3):
            raise MappingError(
                f"{where}: pipeline stages[{index}]: expected [name, probability, kind]"
            )
        stages.append((str(stage[0]), float(stage[1]), str(stage[2])))
    return PipelinePlan(str(value["name"]), tuple(stages))


# ---------------------------------------------------------------------------- inference


def fold(header: str) -> str:
    """Header comparison key: case, spaces, dashes and underscores do not matter."""
    return re.sub(r"[\s_\-/.]+", "", header.strip().lower())


@cache
def preset(name: str) -> dict[str, dict[str, str]]:
    """The column names of a CRM's exports (``hubspot``, ``salesforce``) per object type."""
    path = PRESETS_DIR / f"{name}.yml"
    if not path.exists():
        names = ", ".join(sorted(p.stem for p in PRESETS_DIR.glob("*.yml")))
        raise MappingError(f"unknown preset {name!r}; available: {names}")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def infer_plan(
    object_type: str,
    headers: list[str],
    *,
    preset_name: str | None = None,
    custom_properties: dict[str, str] | None = None,
    unknown_columns: str = "error",
) -> FilePlan:
    """A mapping guessed from headers. Unknown columns raise (``error``), are skipped
    (``ignore``) or become text custom properties (``create``)."""
    spec = object_spec(object_type)
    known: dict[str, str] = {}
    presets = [preset_name] if preset_name else sorted(p.stem for p in PRESETS_DIR.glob("*.yml"))
    for name in presets:
        for column, target in preset(name).get(spec.name, {}).items():
            known.setdefault(fold(column), target)
    for name in (*spec.field_index, *(a.name for a in spec.associations)):
        known[fold(name)] = name
    custom = custom_properties or {}
    rules: list[ColumnRule] = []
    ignored: list[str] = []
    unknown: list[str] = []
    repeated: list[str] = []
    taken: dict[str, str] = {}
    for header in headers:
        folded = fold(header)
        target_name = known.get(folded)
        if not header.strip():
            ignored.append(header)
        elif folded in {fold(name) for name in custom}:
            prop = next(n for n in custom if fold(n) == folded)
            rules.append(ColumnRule(header, "property", prop, property_type=custom[prop]))
        elif target_name and target_name not in taken:
            taken[target_name] = header
            rules.append(_named_rule(spec, header, target_name, "inferred mapping"))
        elif unknown_columns == "ignore":
            ignored.append(header)
        elif unknown_columns == "create":
            rules.append(ColumnRule(header, "property", _property_name(header)))
        elif target_name:
            repeated.append(
                f"{header!r} would fill {target_name} again (from {taken[target_name]!r})"
            )
        else:
            unknown.append(repr(header))
    if unknown or repeated:
        problems = (
            [f"column(s) {', '.join(unknown)} match no field of {spec.name}"] if unknown else []
        )
        problems += [f"column {text}" for text in repeated]
        raise MappingError(
            "; ".join(problems) + ". Map the columns in a mapping file (--mapping), "
            "or pass --unknown-columns ignore|create"
        )
    return FilePlan(object_type=spec.name, key=_key(spec, None, rules, "file"), rules=tuple(rules),
                    ignored=tuple(ignored))  # fmt: skip


def _property_name(header: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
    return (name if name and name[0].isalpha() else f"column_{name}")[:100]
