"""Install a 人民调解委员会's signing key and certificate from a CA (docs/esign.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.services import system_actor
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.esign import keys
from fengqiao.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "安装人民调解委员会的签章密钥和数字证书（PEM）；原密钥停用但保留，已签文件仍可核验。"
        "私钥经个人信息密钥（FENGQIAO_PII_KEYS / FENGQIAO_KEY_PROVIDER）加密后存储。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("org_code", help="调解委员会的机构代码")
        parser.add_argument(
            "--key", required=True, help="私钥文件（PEM，PKCS#8 或 PKCS#1，不加密码）"
        )
        parser.add_argument("--cert", required=True, help="证书文件（PEM）")
        parser.add_argument("--chain", default="", help="CA 证书链文件（PEM：中级证书与根证书）")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(code=options["org_code"]).first()
        if org is None:
            raise CommandError(f"没有机构代码为 {options['org_code']} 的机构。")
        try:
            row = keys.key_install(
                org=org,
                key_pem=Path(options["key"]).read_bytes(),
                certificate_pem=Path(options["cert"]).read_bytes(),
                chain_pem=Path(options["chain"]).read_bytes() if options["chain"] else b"",
            )
        except (OSError, keys.KeyRefused) as exc:
            raise CommandError(str(exc)) from exc
        record(
            actor=system_actor(),
            action=AuditAction.RECORD_CREATED,
            target=row,
            org=org,
            extra={"step": "esign_key_installed", "fingerprint": row.fingerprint},
        )
        self.stdout.write(
            f"{org.name}：已安装证书 {row.subject}，SHA-256 指纹 {row.fingerprint}，"
            f"有效期至 {row.valid_until:%Y-%m-%d}。"
        )
