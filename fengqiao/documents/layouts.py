"""The shipped layout of every document, written once and emitted twice by ``builder``: as a
.docx template (docxtpl) and as an HTML template (WeasyPrint). Both files are committed under
``templates/documents/``; an administrator replaces either by putting a file of the same name
in ``FENGQIAO_DOCUMENT_TEMPLATES_DIR`` (see ``template_files``).

Texts use only what Jinja and Django templates share (``{{ a.b }}``, ``{% if %}``, loops made
with ``Each``), and the contexts hand over ready-made strings, so one layout fits both.
Wording follows the MoJ forms (DOMAIN §6.2–6.3) and the statute they cite.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """One paragraph. Styles: title, subtitle, body, indent, right, center, heading."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Each:
    """The body repeated for every item of ``seq`` (paragraph loop)."""

    var: str
    seq: str
    body: tuple["Block", ...]


@dataclass(frozen=True)
class When:
    """The body only when ``cond`` (a context name, optionally with ``not``) holds."""

    cond: str
    body: tuple["Block", ...]


@dataclass(frozen=True)
class Cell:
    body: tuple["Block", ...]
    span: int = 1
    label: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    each: tuple[str, str] | None = None  # (var, seq): one row per item


@dataclass(frozen=True)
class Table:
    widths: tuple[int, ...]  # relative column widths
    rows: tuple[Row, ...]


Block = Text | Each | When | Table


@dataclass(frozen=True)
class Layout:
    code: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


def label(text: str, span: int = 1) -> Cell:
    return Cell((Text(text),), span=span, label=True)


def value(text: str, span: int = 1) -> Cell:
    return Cell((Text(text),), span=span)


def para_cell(var: str, seq: str, span: int = 3, before: tuple[Block, ...] = ()) -> Cell:
    return Cell((*before, Each(var, seq, (Text("{{ " + var + " }}"),))), span=span)


def lines_of(seq: str, style: str = "indent") -> Each:
    return Each("line", seq, (Text("{{ line }}", style),))


FOUR = (2, 3, 2, 3)

APPLICATION = Layout(
    "application",
    "人民调解申请书",
    (
        Text("人民调解申请书", "title"),
        Each(
            "a",
            "applicants",
            (Text("申请人：{{ a.line }}"),),
        ),
        Each(
            "r",
            "respondents",
            (Text("{{ r.role }}：{{ r.line }}"),),
        ),
        Text("纠纷简要情况：", "heading"),
        lines_of("description"),
        Text("申请事项：", "heading"),
        Each("c", "claims", (Text("{{ c }}", "indent"),)),
        Text(
            "申请人已知悉人民调解的性质、原则和效力以及当事人在调解活动中享有的权利和承担的"
            "义务，自愿申请{{ committee }}调解。",
            "indent",
        ),
        Text("此致"),
        Text("{{ committee }}"),
        Text("申请人（签名、盖章或按指印）：＿＿＿＿＿＿", "right"),
        Text("{{ registered_on }}", "right"),
    ),
)

REGISTRATION = Layout(
    "registration",
    "人民调解受理登记表",
    (
        Text("人民调解受理登记表", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Table(
            FOUR,
            (
                Row(
                    (
                        label("登记日期"),
                        value("{{ registered_on }}"),
                        label("受理日期"),
                        value("{{ accepted_on }}"),
                    )
                ),
                Row(
                    (
                        label("纠纷类型"),
                        value("{{ category }}"),
                        label("案件来源"),
                        value("{{ source }}"),
                    )
                ),
                Row(
                    (
                        label("{{ p.role }}"),
                        value("{{ p.name }}"),
                        label("联系方式"),
                        value("{{ p.phone }}"),
                    ),
                    each=("p", "parties"),
                ),
                Row((label("纠纷简要情况"), para_cell("line", "description"))),
                Row(
                    (
                        label("受理意见"),
                        value(
                            "经当事人同意，由{{ committee }}对{{ party_names }}之间的纠纷进行"
                            "调解。",
                            3,
                        ),
                    )
                ),
                Row((label("当事人签名"), value("", 3))),
                Row(
                    (
                        label("登记人"),
                        value("{{ registrar }}"),
                        label("人民调解委员会（印章）"),
                        value(""),
                    )
                ),
            ),
        ),
        Text("案件编号：{{ case_number }}", "right"),
    ),
)

RIGHTS_NOTICE = Layout(
    "rights_notice",
    "人民调解当事人权利义务告知书",
    (
        Text("人民调解当事人权利义务告知书", "title"),
        Text("{{ party_names }}："),
        Text(
            "人民调解委员会是依法设立的调解民间纠纷的群众性组织。人民调解委员会调解民间纠纷，"
            "在当事人自愿、平等的基础上进行，不违背法律、法规和国家政策，尊重当事人的权利，"
            "不阻止当事人依法通过仲裁、行政、司法等途径维护自己的权利，不收取任何费用。"
            "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。",
            "indent",
        ),
        Text(
            "根据《中华人民共和国人民调解法》第二十三条，当事人在人民调解活动中享有下列权利：",
            "indent",
        ),
        Text("（一）选择或者接受人民调解员；", "indent"),
        Text("（二）接受调解、拒绝调解或者要求终止调解；", "indent"),
        Text("（三）要求调解公开进行或者不公开进行；", "indent"),
        Text("（四）自主表达意愿、自愿达成调解协议。", "indent"),
        Text("根据该法第二十四条，当事人在人民调解活动中履行下列义务：", "indent"),
        Text("（一）如实陈述纠纷事实；", "indent"),
        Text("（二）遵守调解现场秩序，尊重人民调解员；", "indent"),
        Text("（三）尊重对方当事人行使权利。", "indent"),
        Text("{{ committee }}（印章）", "right"),
        Table(
            (2, 2, 2, 3),
            (
                Row(
                    (
                        label("当事人"),
                        label("身份"),
                        label("告知日期"),
                        label("当事人签收（签名或按指印）"),
                    )
                ),
                Row(
                    (
                        value("{{ n.name }}"),
                        value("{{ n.role }}"),
                        value("{{ n.notified_on }}"),
                        value("{{ n.acknowledged }}"),
                    ),
                    each=("n", "notices"),
                ),
            ),
        ),
    ),
)

INVESTIGATION = Layout(
    "investigation",
    "人民调解调查记录",
    (
        Text("人民调解调查记录", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Text("事由：{{ case_title }}　　当事人：{{ party_names }}"),
        Each(
            "i",
            "investigations",
            (
                Table(
                    FOUR,
                    (
                        Row(
                            (
                                label("调查时间"),
                                value("{{ i.on }}"),
                                label("调查地点"),
                                value("{{ i.place }}"),
                            )
                        ),
                        Row(
                            (
                                label("调查人"),
                                value("{{ i.investigators }}"),
                                label("记录人"),
                                value("{{ i.recorder }}"),
                            )
                        ),
                        Row((label("被调查人或事项"), value("{{ i.subject }}", 3))),
                        Row((label("调查情况"), para_cell("line", "i.record"))),
                    ),
                ),
                Text("被调查人（签名）：＿＿＿＿＿＿　　调查人（签名）：＿＿＿＿＿＿", "right"),
            ),
        ),
        Text("{{ committee }}（印章）", "right"),
    ),
)

SESSION_RECORD = Layout(
    "session_record",
    "人民调解记录",
    (
        Text("人民调解记录", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Text("事由：{{ case_title }}　　当事人：{{ party_names }}"),
        Each(
            "s",
            "sessions",
            (
                Table(
                    FOUR,
                    (
                        Row(
                            (
                                label("时间"),
                                value("{{ s.at }}"),
                                label("地点"),
                                value("{{ s.place }}"),
                            )
                        ),
                        Row(
                            (
                                label("调解方式"),
                                value("{{ s.mode }}"),
                                label("人民调解员"),
                                value("{{ s.mediators }}"),
                            )
                        ),
                        Row((label("当事人"), value("{{ s.attendees }}", 3))),
                        Row((label("参加人"), value("{{ s.invitees }}", 3))),
                        Row((label("调解情况"), para_cell("line", "s.record"))),
                    ),
                ),
                Text("以上记录已向当事人宣读或经当事人阅看，确认无误。", "indent"),
                Text(
                    "当事人（签名）：＿＿＿＿＿＿　人民调解员（签名）：＿＿＿＿＿＿　"
                    "记录人：{{ s.recorder }}",
                    "right",
                ),
            ),
        ),
        When("basis", (Text("调解依据：{{ basis }}", "indent"),)),
        Text("{{ committee }}（印章）", "right"),
    ),
)

AGREEMENT = Layout(
    "agreement",
    "人民调解协议书",
    (
        Text("人民调解协议书", "title"),
        Text("编号：{{ dossier_number }}", "subtitle"),
        Text("当事人基本情况：", "heading"),
        Each(
            "p",
            "parties",
            (Text("{{ p.role }}：{{ p.line }}", "indent"),),
        ),
        lines_of("particulars"),
        Text("纠纷主要事实、争议事项：", "heading"),
        lines_of("facts"),
        lines_of("issues"),
        Text("各方当事人的责任：", "heading"),
        lines_of("responsibilities"),
        When("basis", (Text("调解依据：{{ basis }}", "indent"),)),
        Text("经调解，各方当事人自愿达成如下协议：", "heading"),
        Each(
            "t",
            "terms",
            (
                Text("{{ t.no }}. {{ t.content }}", "indent"),
                Text(
                    "履行义务人：{{ t.obligor }}；履行方式：{{ t.manner }}；"
                    "履行地点：{{ t.place }}；履行期限：{{ t.due_on }}前。",
                    "indent",
                ),
            ),
        ),
        Text(
            "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起"
            "生效。本协议一式{{ copies }}份，当事人各执一份，人民调解委员会留存一份。",
            "indent",
        ),
        Table(
            (2, 2, 4, 3),
            (
                Row((label("身份"), label("当事人"), label("签名、盖章或按指印"), label("日期"))),
                Row(
                    (
                        value("{{ s.role }}"),
                        value("{{ s.name }}"),
                        value(""),
                        value("{{ s.signed_on }}"),
                    ),
                    each=("s", "signatures"),
                ),
            ),
        ),
        Text("人民调解员（签名）：{{ mediator }}　　记录人（签名）：{{ recorder }}", "right"),
        Text("{{ committee }}（印章）", "right"),
        Text("{{ dated }}", "right"),
    ),
)

ORAL_AGREEMENT = Layout(
    "oral_agreement",
    "人民调解口头协议登记表",
    (
        Text("人民调解口头协议登记表", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Table(
            FOUR,
            (
                Row(
                    (
                        label("{{ p.role }}"),
                        value("{{ p.name }}"),
                        label("联系方式"),
                        value("{{ p.phone }}"),
                    ),
                    each=("p", "parties"),
                ),
                Row(
                    (
                        label("协议达成日期"),
                        value("{{ reached_on }}"),
                        label("生效日期"),
                        value("{{ effective_on }}"),
                    )
                ),
                Row((label("纠纷简要情况"), para_cell("line", "description"))),
                Row((label("口头协议内容"), para_cell("line", "oral_record"))),
                Row(
                    (
                        label("履行事项"),
                        Cell(
                            (
                                Each(
                                    "t",
                                    "terms",
                                    (
                                        Text(
                                            "{{ t.no }}. {{ t.content }}"
                                            "（{{ t.obligor }}，{{ t.manner }}，"
                                            "{{ t.due_on }}前）"
                                        ),
                                    ),
                                ),
                            ),
                            span=3,
                        ),
                    )
                ),
                Row(
                    (
                        label("登记人"),
                        value("{{ recorder }}"),
                        label("人民调解员"),
                        value("{{ mediator }}"),
                    )
                ),
            ),
        ),
        Text(
            "口头调解协议自各方当事人达成协议之日起生效（《中华人民共和国人民调解法》第三十条）。",
            "indent",
        ),
        Text("{{ committee }}（印章）", "right"),
    ),
)

FOLLOW_UP = Layout(
    "follow_up",
    "人民调解回访记录",
    (
        Text("人民调解回访记录", "title"),
        Each(
            "v",
            "visits",
            (
                Table(
                    FOUR,
                    (
                        Row((label("被回访当事人"), value("{{ party_names }}", 3))),
                        Row(
                            (
                                label("调解协议编号"),
                                value("{{ dossier_number }}"),
                                label("回访事由"),
                                value("{{ case_title }}"),
                            )
                        ),
                        Row(
                            (
                                label("回访时间"),
                                value("{{ v.on }}"),
                                label("回访方式"),
                                value("{{ v.method }}"),
                            )
                        ),
                        Row(
                            (
                                label("回访情况"),
                                Cell(
                                    (
                                        Each("line", "v.outcome", (Text("{{ line }}"),)),
                                        Text("协议事项：{{ v.term }}　履行情况：{{ v.performed }}"),
                                        Text("当事人对调解结果的评价：{{ v.satisfaction }}"),
                                    ),
                                    span=3,
                                ),
                            )
                        ),
                        Row(
                            (
                                label("回访人（签名）"),
                                value("{{ v.visitor }}"),
                                label("人民调解委员会（印章）"),
                                value("{{ committee }}"),
                            )
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CONFIRMATION = Layout(
    "confirmation",
    "司法确认申请书",
    (
        Text("司法确认申请书", "title"),
        Each(
            "p",
            "parties",
            (Text("申请人：{{ p.line }}"),),
        ),
        Text("请求事项：", "heading"),
        Text(
            "请求{% if court %}{{ court }}{% else %}人民法院{% endif %}"
            "确认申请人于{{ effective_on }}经{{ committee }}主持调解达成的人民调解协议"
            "（{{ dossier_number }}）有效。",
            "indent",
        ),
        Text("事实和理由：", "heading"),
        Text(
            "申请人因{{ case_title }}发生纠纷，经{{ committee }}主持调解，于{{ effective_on }}达成"
            "调解协议，协议内容如下：",
            "indent",
        ),
        Each("t", "terms", (Text("{{ t.no }}. {{ t.content }}", "indent"),)),
        Text(
            "申请人出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；如果因为该协议"
            "内容而给他人造成损害的，愿意承担相应的民事责任和其他法律责任。",
            "indent",
        ),
        Text(
            "依照《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条"
            "的规定，申请人共同申请司法确认。申请应自调解协议生效之日起三十日内提出（至"
            "{{ deadline }}）。",
            "indent",
        ),
        Text("附：人民调解协议书；人民调解委员会主持调解的证明；申请人身份证明。", "indent"),
        Text("此致"),
        Text("{% if court %}{{ court }}{% else %}人民法院{% endif %}"),
        Text("申请人（签名、盖章或按指印）：", "right"),
        Each("p", "parties", (Text("{{ p.name }}：＿＿＿＿＿＿", "right"),)),
        Text("{{ applied_on }}", "right"),
    ),
)

UNDISPUTED_FACTS = Layout(
    "undisputed_facts",
    "无争议事实记载表",
    (
        Text("无争议事实记载表", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Table(
            FOUR,
            (
                Row((label("当事人"), value("{{ party_names }}", 3))),
                Row((label("纠纷事由"), value("{{ case_title }}", 3))),
                Row((label("无争议事实"), para_cell("line", "facts"))),
                Row(
                    (
                        label("{{ c.role }}"),
                        value("{{ c.name }}"),
                        label("确认情况"),
                        value("{{ c.confirmed }}　签名："),
                    ),
                    each=("c", "confirmations"),
                ),
                Row(
                    (label("人民调解员"), value(""), label("记载日期"), value("{{ recorded_on }}"))
                ),
            ),
        ),
        Text(
            "以上事实经人民调解员主持记载，各方当事人签名确认无争议。当事人在后续诉讼、仲裁等程序中"
            "对上述事实无需另行举证，但涉及国家利益、社会公共利益和他人合法权益的除外。",
            "indent",
        ),
        Text("{{ committee }}（印章）", "right"),
    ),
)

TERMINATION = Layout(
    "termination",
    "终止调解告知书",
    (
        Text("终止调解告知书", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Text("{{ party_names }}："),
        Text(
            "你们之间的{{ case_title }}，{{ committee }}于{{ accepted_on }}受理并主持调解。因"
            "{{ reason }}，根据{{ basis }}的规定，{{ we }}于{{ terminated_on }}终止调解。",
            "indent",
        ),
        lines_of("note"),
        When("reported", (Text("{{ reported }}", "indent"),)),
        Text("当事人可以依法通过仲裁、行政、司法等途径维护自己的权利。", "indent"),
        When("routes", (Text("已告知的途径：", "indent"), lines_of("routes"))),
        Text("特此告知。", "indent"),
        Text("{{ committee }}（印章）", "right"),
        Text("{{ terminated_on }}", "right"),
        Text("当事人签收：＿＿＿＿＿＿　　签收日期：＿＿＿＿＿＿", "right"),
    ),
)

IDENTITY = Layout(
    "identity",
    "当事人身份证明材料",
    (
        Text("当事人身份证明材料", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Text("事由：{{ case_title }}"),
        Each(
            "p",
            "parties",
            (
                Table(
                    FOUR,
                    (
                        Row(
                            (
                                label("{{ p.role }}"),
                                value("{{ p.name }}"),
                                label("类别"),
                                value("{{ p.kind }}"),
                            )
                        ),
                        Row(
                            (
                                label("证件号码"),
                                value("{{ p.id_number }}"),
                                label("联系方式"),
                                value("{{ p.phone }}"),
                            )
                        ),
                        Row((label("住址或住所"), value("{{ p.address }}", 3))),
                        Row((label("身份证明复印件粘贴处"), value("", 3))),
                    ),
                ),
            ),
        ),
        Text("以上身份证明材料已与原件核对一致。", "indent"),
        Text("核对人（签名）：＿＿＿＿＿＿　　{{ committee }}", "right"),
    ),
)

PRESIDED = Layout(
    "presided",
    "主持调解证明",
    (
        Text("主持调解证明", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Text(
            "兹证明：{{ party_names }}之间的{{ case_title }}，由{{ committee }}于{{ accepted_on }}"
            "受理，经人民调解员{{ mediators }}主持调解，双方当事人于{{ effective_on }}自愿达成"
            "{{ agreement_form }}调解协议（{{ dossier_number }}）。",
            "indent",
        ),
        Text(
            "本委员会主持调解过程中，已告知当事人人民调解的性质、原则和效力以及当事人享有的权利和"
            "承担的义务（《中华人民共和国人民调解法》第二十三条、第二十四条），调解协议系当事人"
            "自愿达成。",
            "indent",
        ),
        Text("特此证明。", "indent"),
        Text("{{ committee }}（印章）", "right"),
        Text("{{ today }}", "right"),
    ),
)

CLOSING_REPORT = Layout(
    "closing_report",
    "人民调解结案报告表",
    (
        Text("人民调解结案报告表", "title"),
        Text("{{ dossier_number }}", "subtitle"),
        Table(
            FOUR,
            (
                Row(
                    (
                        label("纠纷类型"),
                        value("{{ category }}"),
                        label("案件来源"),
                        value("{{ source }}"),
                    )
                ),
                Row((label("当事人"), value("{{ party_names }}", 3))),
                Row(
                    (
                        label("受理日期"),
                        value("{{ accepted_on }}"),
                        label("结案日期"),
                        value("{{ concluded_on }}"),
                    )
                ),
                Row(
                    (
                        label("人民调解员"),
                        value("{{ mediators }}"),
                        label("调解次数"),
                        value("{{ sessions_count }}"),
                    )
                ),
                Row((label("纠纷简要情况"), para_cell("line", "description"))),
                Row(
                    (
                        label("调解结果"),
                        value("{{ outcome }}"),
                        label("协议形式"),
                        value("{{ agreement_form }}"),
                    )
                ),
                Row((label("履行情况"), para_cell("line", "performance"))),
                Row(
                    (
                        label("承办人"),
                        value("{{ mediators }}"),
                        label("人民调解委员会（印章）"),
                        value(""),
                    )
                ),
            ),
        ),
        Text("{{ today }}", "right"),
    ),
)

LAYOUTS: dict[str, Layout] = {
    layout.code: layout
    for layout in (
        APPLICATION,
        REGISTRATION,
        RIGHTS_NOTICE,
        INVESTIGATION,
        SESSION_RECORD,
        AGREEMENT,
        ORAL_AGREEMENT,
        FOLLOW_UP,
        CONFIRMATION,
        UNDISPUTED_FACTS,
        TERMINATION,
        IDENTITY,
        PRESIDED,
        CLOSING_REPORT,
    )
}
