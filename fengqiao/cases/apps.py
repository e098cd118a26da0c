from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fengqiao.cases"
    label = "cases"
    verbose_name = "纠纷案件"

    def ready(self) -> None:
        from fengqiao.core.crypto import register_encrypted_field

        register_encrypted_field("cases.Party", "id_number_encrypted", "party.id_number")
        register_encrypted_field("cases.Party", "phone_encrypted", "party.phone")
        register_encrypted_field("cases.Party", "particulars_encrypted", "party.particulars")
        register_encrypted_field("cases.Party", "address_encrypted", "party.address")
