"""``manage.py search_relevance``: how well the public search ranks the judged queries, per backend.

Evaluates against whatever the current database holds: the judged set names procedures of the
demo set, so load it first (``manage.py load_demo``, as ``make run`` does).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.models import ProcedurePage
from search.relevance import evaluate, load_judgements, procedure_key, report

# The targets of the issue: on every backend.
TARGET_SUCCESS_AT_1 = 0.85
TARGET_SUCCESS_AT_3 = 0.97


class Command(BaseCommand):
    help = (
        "Đo chất lượng xếp hạng của tìm kiếm công khai trên bộ truy vấn đã đánh giá "
        "(search/relevance/judged_queries.tsv): MRR, success@1, success@3, theo từng backend. "
        "Cần dữ liệu mẫu (manage.py load_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            action="append",
            dest="backends",
            metavar="NAME",
            help="A key of WAGTAILSEARCH_BACKENDS (repeatable); every configured backend by default.",
        )
        parser.add_argument("--failures", action="store_true", help="List the queries whose procedure was not first.")
        parser.add_argument("--queries", metavar="PATH", help="Another judged set (same TSV columns).")
        parser.add_argument(
            "--check",
            action="store_true",
            help=f"Exit non-zero when a backend is below success@1 {TARGET_SUCCESS_AT_1} or success@3 "
            f"{TARGET_SUCCESS_AT_3}.",
        )

    def handle(self, *args, backends=None, failures=False, queries=None, check=False, **options):
        configured = list(settings.WAGTAILSEARCH_BACKENDS)
        backends = backends or configured
        unknown = [name for name in backends if name not in configured]
        if unknown:
            raise CommandError(f"Unknown backend {', '.join(unknown)}; configured: {', '.join(configured)}")
        try:
            judgements = load_judgements(queries)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error

        current = {procedure_key(page) for page in ProcedurePage.objects.in_force().only("code", "slug")}
        missing = sorted({j.expected for j in judgements} - current)
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(missing)} expected procedures are not in the current set (load the demo set: "
                    f"manage.py load_demo): {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''}"
                )
            )

        below = []
        for name in backends:
            result = evaluate(name, judgements)
            self.stdout.write("\n".join(report(result, failures=failures)))
            if result.success_at_1 < TARGET_SUCCESS_AT_1 or result.success_at_3 < TARGET_SUCCESS_AT_3:
                below.append(name)
        if check and below:
            raise CommandError(
                f"Below target (success@1 ≥ {TARGET_SUCCESS_AT_1}, success@3 ≥ {TARGET_SUCCESS_AT_3}): "
                + ", ".join(below)
            )
