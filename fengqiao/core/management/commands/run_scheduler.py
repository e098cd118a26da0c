"""Enqueue the periodic tasks when due, forever (or once); the db_worker runs them."""

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from fengqiao.core import clock
from fengqiao.core.scheduler import enqueue_due, periodic_tasks


class Command(BaseCommand):
    help = (
        "周期任务调度器：到期即把任务放入队列（由 db_worker 执行）。可同时运行多个，不会重复入队。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="检查一次后退出")
        parser.add_argument("--sleep", type=float, default=5.0, help="两次检查之间的秒数")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            names = ", ".join(
                f"{p.path}（每 {p.every.total_seconds():.0f} 秒）" for p in periodic_tasks()
            )
            self.stdout.write(f"调度器已启动：{names or '未配置周期任务'}")
        while True:
            for path in enqueue_due():
                self.stdout.write(
                    f"{timezone.localtime(clock.now()):%Y-%m-%d %H:%M:%S} 入队 {path}"
                )
            if options["once"] or stopping:
                return
            deadline = time.monotonic() + options["sleep"]
            try:
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(0.5, options["sleep"]))
            except KeyboardInterrupt:
                return
            if stopping:
                return
