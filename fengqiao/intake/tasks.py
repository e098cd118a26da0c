"""Background jobs of the intake app, run by the db_worker: the ledger import's check and run,
defined beside the services that queue them (``import_jobs``) and re-exported here."""

from fengqiao.intake.import_jobs import check_ledger_import as check_ledger_import
from fengqiao.intake.import_jobs import run_ledger_import as run_ledger_import
