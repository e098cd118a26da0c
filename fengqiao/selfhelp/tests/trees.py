"""A small tree the tests share: one question, then an agreement, a referral or the application."""

NEIGHBOUR_TREE = {
    "start": "q1",
    "nodes": {
        "q1": {
            "type": "question",
            "text": "纠纷是什么情况？",
            "options": [
                {"label": "邻居漏水到我家", "next": "q2", "summary": "邻居家漏水到我家"},
                {"label": "对方威胁要动手", "next": "police"},
            ],
        },
        "q2": {
            "type": "question",
            "text": "和对方谈过吗？",
            "options": [
                {"label": "还没谈过", "next": "agree", "summary": "还没有和对方协商"},
                {"label": "谈过，对方不理", "next": "apply", "summary": "协商过但对方不理睬"},
            ],
        },
        "agree": {
            "type": "outcome",
            "kind": "agreement",
            "title": "可以先和对方协商",
            "text": "按民法典第二百八十八条，相邻各方应当团结互助、公平合理。",
            "entries": ["law-288"],
            "template": "协商协议\n甲方：____ 乙方：____\n一、乙方于__日内修复漏水……",
        },
        "police": {
            "type": "outcome",
            "kind": "referral",
            "referral": "police",
            "title": "有人身危险请立即报警",
            "contact": "拨打 110",
        },
        "apply": {
            "type": "outcome",
            "kind": "apply",
            "title": "建议申请人民调解",
            "request": "请对方修复漏水并赔偿损失",
        },
    },
}
