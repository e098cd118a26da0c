"""The demo's privacy notice: the one 静河镇 publishes for its online mediation service
(loaded by the portal's demo step)."""

from fengqiao.accounts.models import User
from fengqiao.privacy.models import PrivacyNotice
from fengqiao.privacy.services import notice_publish

JINGHE_NOTICE: dict[str, str] = {
    "title": "静河镇网上矛盾纠纷调解服务个人信息保护告知书",
    "text": (
        "为依法办理您通过本平台提出的调解申请，静河镇人民政府（个人信息处理者）将按照"
        "《中华人民共和国个人信息保护法》《中华人民共和国人民调解法》的规定处理您的个人信息。"
        "请您在提交任何个人信息之前仔细阅读本告知书；勾选同意即表示您已知悉并同意本告知书的内容。"
        "本告知书更新后，我们会请您重新阅读并同意。"
    ),
    "controller_name": "湘阴县静河镇人民政府（由静河镇综治中心〔矛调中心〕具体承办）",
    "controller_contact": (
        "湘阴县静河镇人民政府院内静河镇综治中心（矛调中心）个人信息保护联系人，"
        "电话 0730-2210000（工作日 8:30—17:30）"
    ),
    "purposes": (
        "1. 受理、登记、分流和调解您申请的矛盾纠纷，并在必要时转为司法确认或诉讼；\n"
        "2. 通过短信向您发送验证码、受理回执和查询码，"
        "核实查询进度、补充证据和评价的人是申请人本人；\n"
        "3. 回访调解结果、统计工作数据（统计时仅使用不能识别到个人的汇总数字）。\n"
        "我们仅在实现上述目的的最小范围内处理您的个人信息，不用于其他目的。"
    ),
    "categories": (
        "您的姓名、手机号码、所在村（社区），纠纷经过和请求；您填写的对方当事人姓名和电话；"
        "您自愿填写的身份证号码和上传的证据材料；对调解结果的评价。"
    ),
    "sensitive": (
        "身份证号码和证据材料（可能含有健康、财产、未成年人等信息）属于或可能属于敏感个人信息，"
        "仅在您单独同意后处理。它们用于核实当事人身份和查明纠纷事实，"
        "不提供也可以申请调解，但可能需要到场补充。敏感个人信息一旦泄露可能损害您的人格尊严或财产安全，"
        "我们对其加密存储、在页面上遮蔽显示，并只允许承办人员查看，每次查看都留有记录。"
    ),
    "retention": (
        "案件登记、调解记录、调解协议和卷宗按照国家档案管理规定的期限保存，期满后删除或匿名化；"
        "短信验证码只保存其不可逆的校验值，10 分钟后失效；"
        "操作日志依《网络安全法》保存不少于六个月。"
    ),
    "recipients": (
        "为办理您的纠纷，您的信息会提供给：承办调解的村（居）人民调解委员会、"
        "静河镇人民调解委员会及有关职能部门；案件依法转交时，提供给接收的湘阴县有关单位；"
        "申请司法确认或诉调对接时，提供给湘阴县人民法院。"
        "您在法律援助自查中选择发送的信息，提供给您选择的法律援助中心。"
        "除法律、行政法规另有规定外，我们不向其他任何单位或个人提供您的个人信息。"
    ),
    "rights": (
        "您可以查阅、复制、更正、补充您的个人信息，请求删除，或撤回同意：在本平台"
        "“我的个人信息与同意”页面凭手机验证码查看和撤回同意，其他请求请联系上述联系人，"
        "我们将在十五个工作日内答复。撤回同意不影响撤回前基于您的同意已进行的处理；"
        "法律、行政法规规定应当保存的案件记录不因撤回同意而删除，保存期间除存储和必要的保护外不再处理。"
    ),
}


def ensure_demo_notice(actor: User | None) -> PrivacyNotice | None:
    """Publish the 静河镇 notice unless one exists; returns it when it was published now."""
    if PrivacyNotice.objects.exists():
        return None
    return notice_publish(actor=actor, effective_from=None, **JINGHE_NOTICE)
