"""gunicorn for fengqiao (systemd: deploy/systemd/fengqiao-web.service).

Sync workers: every request is short and database-bound; two per core plus one is the usual
start. Set FENGQIAO_WEB_WORKERS to override, e.g. on a server that also runs PostgreSQL.
"""

import multiprocessing
import os

bind = os.environ.get("FENGQIAO_WEB_BIND", "127.0.0.1:8000")  # nginx in front, never public
workers = int(os.environ.get("FENGQIAO_WEB_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 120  # a 10⁵-row ledger export streams within this
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"
accesslog = "-"
errorlog = "-"
# One JSON object a line, like the application's own logs (fengqiao.core.logging).
access_log_format = (
    '{"time":"%(t)s","client":"%({x-real-ip}i)s","request_id":"%({x-request-id}i)s",'
    '"method":"%(m)s","path":"%(U)s","status":%(s)s,"bytes":%(B)s,"ms":%(M)s}'
)
