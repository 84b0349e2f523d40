"""Many realistic procedures for real-size benchmarks: the demo set's shapes under new codes and
names, published through the import's initial load (``cms.interchange.initial_load``), so the
result is what the editor and the publish path make: pages, revisions, versions, logs, search.
"""

import copy
import json

from django.db import transaction

from ..interchange.importer import Options, plan_import, run_import
from ..interchange.records import official_set_document
from ..models import ProcedurePage
from .loader import DemoLoader, read_fixture

# Generated codes use the first digit 8, which the national database does not hand out here.
CODE_PREFIX = "8."
PLACES = [
    "phường Bến Thành",
    "xã Tân Phú",
    "phường Hòa Bình",
    "xã Đông Hưng",
    "phường Quang Trung",
    "xã Phước Long",
    "thị trấn Đức Hòa",
    "xã Nghĩa Đàn",
    "phường Lê Lợi",
    "xã Hải Châu",
    "xã Ân Thi",
    "phường Điện Biên",
]


class GenerationRefused(Exception):
    def __init__(self, problems):
        super().__init__("; ".join(f"{where}: {message}" for where, message in problems[:10]))
        self.problems = problems


def shapes():
    """The current set as an interchange document; the demo's when the installation has none
    (loaded and exported in a transaction that is rolled back, files included)."""
    if ProcedurePage.objects.live().exists():
        return official_set_document(with_files=False)
    with transaction.atomic():
        DemoLoader(read_fixture()).load()
        document = official_set_document(with_files=True)
        transaction.set_rollback(True)
    return document


def next_number():
    codes = ProcedurePage.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True)
    return max((int(code[len(CODE_PREFIX) :]) for code in codes), default=0) + 1


def scaled(document, count, first=1):
    """``count`` procedures cycling through the in-force procedures of ``document``, each with
    its own code (8.000001, 8.000002...) and name (the model's, at a place)."""
    models = [
        item
        for item in document["procedures"]
        if item.get("code") and item.get("change_type") != "abolished" and not item.get("replaced_by")
    ]
    procedures = []
    for number in range(first, first + count):
        item = copy.deepcopy(models[number % len(models)])
        round_, place = divmod(number // len(models), len(PLACES))
        item["code"] = f"{CODE_PREFIX}{number:06d}"
        item["name"] = f"{item['name'].rstrip('.')} tại {PLACES[place]}" + (f" (lần {round_ + 1})" if round_ else "")
        item["related"] = []
        procedures.append(item)
    return {**document, "procedures": procedures}


def generate(count, user, progress=None):
    """Publish ``count`` new procedures in one transaction; return the import batch."""
    document = scaled(shapes(), count, first=next_number())
    content = json.dumps(document, ensure_ascii=False).encode()
    plan = plan_import(content, Options(publish=True, user=user, source_name="generate_procedures"))
    if plan.problems:
        raise GenerationRefused(plan.problems)
    batch = run_import(plan, progress=progress)
    if batch is None:
        raise GenerationRefused(plan.problems)
    return batch
