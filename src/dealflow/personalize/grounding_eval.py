"""A labelled evaluation set for the grounding check, generated in all four languages:
offline drafts from made-up contexts, some with one planted unsupported sentence (a wrong
number, another company, a place, a person, a date, a quote, an invented event, a claim
about the recipient's situation), some with a true statement in new words (which must not
be flagged). ``evaluate`` reports sentence-level precision and recall, per kind too."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from random import Random

from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest
from dealflow.personalize.generators.offline import OfflineComposer
from dealflow.personalize.grounding import check_grounding, sentences
from dealflow.personalize.phrasebook import boilerplate
from dealflow.personalize.tone import ToneRules

POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "first": ("Emily", "James", "Olivia", "Daniel", "Grace", "Henry"),
        "last": ("Turner", "Walsh", "Bennett", "Hughes", "Carter", "Foster"),
        "company": (
            "Summit Retail",
            "Oakridge Realty",
            "Northwind Foods",
            "Harbor Clinics",
            "Bluepeak Hotels",
            "Redwood Logistics",
        ),
        "city": ("London", "Leeds", "Toronto", "Chicago", "Boston", "Manchester"),
        "title": ("Head of Operations", "Facilities Manager", "CFO", "Energy Manager"),
        "webinar": ("Cutting energy bills", "BMS data in practice", "Smart buildings 101"),
        "question": (
            "How long does installation take?",
            "Is there a discount for annual payment?",
            "Do you integrate with our BMS?",
        ),
        "fake": (
            "we will sign next month",
            "our board approved the budget",
            "we dropped our current vendor",
        ),
    },
    "ja": {
        "first": ("隆", "結衣", "健太", "美咲", "翔", "陽子"),
        "last": ("藤井", "石川", "山本", "中村", "小林", "加藤"),
        "company": (
            "株式会社湘南食品",
            "北斗メディカル株式会社",
            "株式会社みなと物流",
            "東邦ホテルズ株式会社",
            "株式会社青葉不動産",
            "大和精機株式会社",
        ),
        "city": ("横浜", "大阪", "名古屋", "福岡", "札幌", "仙台"),
        "title": ("施設管理部長", "総務部長", "経営企画室長", "設備課長"),
        "webinar": ("エネルギーコスト削減の実践", "BMSデータ活用入門", "スマートビル最前線"),
        "question": (
            "設置にはどのくらい時間がかかりますか",
            "年払いの割引はありますか",
            "既存のBMSと連携できますか",
        ),
        "fake": ("来月契約する予定です", "予算は承認済みです", "今の業者は解約しました"),
    },
    "ko": {
        "first": ("다은", "민준", "서연", "지훈", "수빈", "현우"),
        "last": ("양", "김", "박", "이", "최", "정"),
        "company": (
            "(주)대성리조트",
            "한울산업 주식회사",
            "(주)미래물류",
            "서울메디컬 주식회사",
            "(주)하늘호텔",
            "동해정밀 주식회사",
        ),
        "city": ("부산", "서울", "인천", "대구", "광주", "대전"),
        "title": ("시설관리팀장", "총무팀장", "경영기획실장", "설비과장"),
        "webinar": ("에너지 비용 절감 실무", "BMS 데이터 활용", "스마트 빌딩 입문"),
        "question": (
            "설치 기간은 얼마나 걸리나요",
            "연간 결제 할인이 있나요",
            "기존 BMS와 연동되나요",
        ),
        "fake": (
            "다음 달에 계약할 예정입니다",
            "예산이 이미 승인되었습니다",
            "기존 업체와 계약을 해지했습니다",
        ),
    },
    "fa": {
        "first": ("کامران", "نگار", "رضا", "مریم", "سارا", "علی"),
        "last": ("امینی", "موسوی", "رحیمی", "کریمی", "حسینی", "احمدی"),
        "company": (
            "مسکن زاگرس",
            "گروه صنایع غذایی کیان",
            "شرکت پخش نوین",
            "هتل‌های پارس",
            "درمانگاه‌های مهر",
            "فولاد البرز",
        ),
        "city": ("شیراز", "تهران", "اصفهان", "مشهد", "تبریز", "کرج"),
        "title": ("مدیر تأسیسات", "مدیر مالی", "مدیر عملیات", "مدیر انرژی"),
        "webinar": ("کاهش هزینه انرژی", "راهنمای عملی داده‌های BMS", "ساختمان هوشمند"),
        "question": (
            "نصب چقدر طول می‌کشد",
            "برای پرداخت سالانه تخفیف دارید",
            "با BMS ما یکپارچه می‌شود",
        ),
        "fake": (
            "ماه آینده قرارداد می‌بندیم",
            "بودجه تصویب شده است",
            "قرارداد با تأمین‌کننده فعلی را لغو کردیم",
        ),
    },
}
INDUSTRIES = ("Retail", "Hospitality", "Healthcare", "Logistics", "Real Estate", "Manufacturing")
SENDERS = {"en": "David Edwards", "ja": "山崎 奈々", "ko": "박서연", "fa": "نگار موسوی"}
VENDOR = "Aster Systems"

PLANTED: dict[str, dict[str, str]] = {
    "number": {
        "en": "Your team of {n} people will see the difference quickly.",
        "ja": "御社の従業員{n}名の皆さまにもお役に立てると存じます。",
        "ko": "{n}명의 직원분들께도 도움이 될 것입니다.",
        "fa": "این راه‌حل برای {n} کارمند شما نیز مفید خواهد بود.",
    },
    "year": {
        "en": "{company} has grown steadily since {year}.",
        "ja": "{year}年のご創業以来のご発展に、心より敬意を表します。",
        "ko": "{year}년 창립 이래 꾸준히 성장해 오셨습니다.",
        "fa": "از سال {year} تاکنون رشد چشمگیری داشته‌اید.",
    },
    "other_company": {
        "en": "Your peers at {other} already rely on our sensors.",
        "ja": "{other}様にも弊社の製品をお使いいただいております。",
        "ko": "{other}에서도 이미 저희 제품을 사용하고 있습니다.",
        "fa": "{other} نیز از محصولات ما بهره می‌برد.",
    },
    "place": {
        "en": "I understand you are opening a new office in {city}.",
        "ja": "{city}に新しい拠点を開設されると伺いました。",
        "ko": "{city}에 새 지점을 여신다고 들었습니다.",
        "fa": "شنیدم که دفتر جدیدی در {city} افتتاح می‌کنید.",
    },
    "person": {
        "en": "Mr {person} suggested that I write to you.",
        "ja": "{person}様からご紹介いただき、ご連絡いたしました。",
        "ko": "{person} 님께서 소개해 주셔서 연락드립니다.",
        "fa": "آقای {person} شما را به من معرفی کردند.",
    },
    "date": {
        "en": "As we agreed on March {d}, the pilot can start soon.",
        "ja": "{m}月{d}日のお打ち合わせでお話しした件でございます。",
        "ko": "{m}월 {d}일 회의에서 말씀드린 건입니다.",
        "fa": "همان‌طور که در جلسه {d} اسفند هماهنگ کردیم، آزمایش به‌زودی آغاز می‌شود.",
    },
    "quote": {
        "en": "You told us “{fake}”.",
        "ja": "「{fake}」とおっしゃっていましたね。",
        "ko": "“{fake}”라고 말씀하셨습니다.",
        "fa": "گفته بودید «{fake}».",
    },
    "event": {
        "en": "Congratulations on your recent expansion.",
        "ja": "このたびの事業拡大、誠におめでとうございます。",
        "ko": "최근 사업 확장을 축하드립니다.",
        "fa": "گسترش اخیر کسب‌وکارتان را تبریک می‌گویم.",
    },
    "situation": {
        "en": "Your current system is clearly holding your team back.",
        "ja": "現在のシステムでは十分な効果が得られていないようです。",
        "ko": "현재 시스템이 노후화되어 불편을 겪고 계실 것 같습니다.",
        "fa": "سیستم فعلی شما به نظر قدیمی است.",
    },
    "amount": {
        "en": "Your budget of {n} dollars fits our standard plan.",
        "ja": "ご予算の{n}万円の範囲で十分に対応可能でございます。",
        "ko": "예산 {n}만 원 안에서 충분히 가능합니다.",
        "fa": "بودجه {n} میلیون تومانی شما برای این طرح کافی است.",
    },
}
TRUE_STATEMENTS: dict[str, dict[str, str]] = {
    "place_and_company": {
        "en": "{company} in {city} is exactly the kind of team we like to work with.",
        "ja": "{city}の{company}様とご一緒できれば大変光栄でございます。",
        "ko": "{city}의 {company}와 함께할 수 있기를 바랍니다.",
        "fa": "مایلیم با {company} در {city} همکاری کنیم.",
    },
    "size": {
        "en": "A team of {employees} people needs tools that are simple to run.",
        "ja": "{employees}名規模の企業様にも最適なご提案をご用意しております。",
        "ko": "{employees}명 규모의 기업에도 적합한 방안을 준비했습니다.",
        "fa": "برای شرکتی با {employees} کارمند راه‌حل مناسبی داریم.",
    },
    "congratulations": {
        "en": "Congratulations on moving “{deal}” forward.",
        "ja": "「{deal}」のご進展、誠におめでとうございます。",
        "ko": "“{deal}” 건의 진행을 축하드립니다.",
        "fa": "پیشرفت «{deal}» را تبریک می‌گویم.",
    },
    "role": {
        "en": "Your current role as {title} puts you close to these questions.",
        "ja": "現在の{title}というお立場から、ぜひご意見を伺えれば幸いです。",
        "ko": "현재 {title}으로서 의견을 들려주시면 감사하겠습니다.",
        "fa": "به عنوان {title} فعلی شما، نظرتان برای ما ارزشمند است.",
    },
}


@dataclass(frozen=True)
class Case:
    """One draft of the set, with the sentence planted in it (None when clean)."""

    language: str
    subject: str
    body: str
    facts: tuple[Fact, ...]
    planted: str | None
    kind: str | None


def make_cases(count: int = 400, seed: int = 8) -> list[Case]:
    """``count`` drafts spread over the four languages; about half carry a planted claim,
    a third of the rest a true statement in new words."""
    rng = Random(seed)
    cases = []
    for i in range(count):
        language = ("en", "ja", "ko", "fa")[i % 4]
        facts, values = _context(rng, language)
        context = Context(None, list(facts))
        draft = OfflineComposer().generate(DraftRequest(context, ToneRules()))
        paragraphs = draft.body.split("\n\n")
        planted: str | None = None
        kind: str | None = None
        roll = rng.random()
        if roll < 0.5:
            kind = rng.choice(sorted(PLANTED))
            planted = PLANTED[kind][language].format(**_wrong(rng, language, values))
            extra = planted
        elif roll < 0.67:
            statement = rng.choice(sorted(TRUE_STATEMENTS))
            extra = TRUE_STATEMENTS[statement][language].format(**values)
        else:
            extra = ""
        if extra:
            glue = "" if language == "ja" else " "
            paragraphs[2] = paragraphs[2] + glue + extra
        cases.append(Case(language, draft.subject, "\n\n".join(paragraphs), facts, planted, kind))
    return cases


def _context(rng: Random, language: str) -> tuple[tuple[Fact, ...], dict[str, str]]:
    pool = POOLS[language]
    values = {
        "first": rng.choice(pool["first"]),
        "last": rng.choice(pool["last"]),
        "company": rng.choice(pool["company"]),
        "city": rng.choice(pool["city"]),
        "title": rng.choice(pool["title"]),
        "industry": rng.choice(INDUSTRIES),
        "employees": str(rng.choice((45, 120, 240, 800, 1500))),
        "deal": "",
    }
    values["deal"] = f"{values['company']} pilot"
    raw = [
        ("contact.first_name", values["first"], "contacts"),
        ("contact.last_name", values["last"], "contacts"),
        ("contact.job_title", values["title"], "contacts"),
        ("contact.language", language, "contacts"),
        ("company.name", values["company"], "companies"),
        ("company.city", values["city"], "companies"),
        ("company.industry", values["industry"], "companies"),
        ("company.employees", values["employees"], "companies"),
        ("deal.name", values["deal"], "deals"),
        ("deal.amount", str(rng.choice((8000, 12000, 30000))), "deals"),
        ("sender.name", SENDERS[language], "users"),
        ("sender.company", VENDOR, "workspaces"),
    ]
    hook = rng.random()
    if hook < 0.4:
        raw.append(("question.ticket", rng.choice(pool["question"]), "tickets"))
    elif hook < 0.7:
        raw.append(
            ("behaviour.webinar_attendance", rng.choice(pool["webinar"]), "engagement_events")
        )
    facts = tuple(
        Fact(key, value, obj, i + 1, key.split(".")[1]) for i, (key, value, obj) in enumerate(raw)
    )
    return facts, values


def _wrong(rng: Random, language: str, values: dict[str, str]) -> dict[str, str]:
    pool = POOLS[language]
    person_pool = [
        f"{last}{'' if language in ('ja', 'ko') else ' '}{first}"
        for first, last in zip(pool["first"], pool["last"], strict=True)
    ]
    if language == "en":
        person_pool = list(pool["last"])
    if language == "fa":
        person_pool = list(pool["last"])
    return {
        "n": str(rng.choice((35, 60, 350, 900, 2500))),
        "year": str(rng.randint(1975, 2015)),
        "company": values["company"],
        "other": rng.choice([c for c in pool["company"] if c != values["company"]]),
        "city": rng.choice([c for c in pool["city"] if c != values["city"]]),
        "person": rng.choice([p for p in person_pool if values["last"] not in p]),
        "m": str(rng.randint(1, 12)),
        "d": str(rng.randint(2, 28)),
        "fake": rng.choice(pool["fake"]),
    }


def vocabulary() -> frozenset[str]:
    """The names of the made-up workspace (as ``entity_vocabulary`` reads a real one)."""
    names = {VENDOR, *INDUSTRIES, *SENDERS.values()}
    for pool in POOLS.values():
        names.update(pool["company"])
        names.update(pool["city"])
    return frozenset(names)


@dataclass(frozen=True)
class Score:
    """Sentence-level results: flagged planted (tp), flagged clean (fp), missed (fn)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(cases: list[Case]) -> dict[str, object]:
    """Precision and recall of the grounding check on ``cases`` (all, by language, by kind),
    and the sentences it got wrong."""
    entities = vocabulary()
    counts: Counter[tuple[str, str]] = Counter()
    mistakes: list[dict[str, str]] = []
    for case in cases:
        report = check_grounding(
            case.subject,
            case.body,
            case.facts,
            case.language,
            allowed=boilerplate(case.language),
            entities=entities,
        )
        flagged = {claim.sentence for claim in report.unsupported}
        planted = case.planted
        for sentence in sentences(f"{case.subject}\n{case.body}"):
            is_planted = planted is not None and sentence.endswith(planted)
            outcome = (
                ("tp" if sentence in flagged else "fn")
                if is_planted
                else ("fp" if sentence in flagged else "tn")
            )
            for group in ("all", f"language:{case.language}", f"kind:{case.kind or 'clean'}"):
                counts[(group, outcome)] += 1
            if outcome in ("fp", "fn"):
                mistakes.append(
                    {"outcome": outcome, "language": case.language, "sentence": sentence}
                )
    groups = sorted({group for group, _ in counts})
    result: dict[str, object] = {"cases": len(cases), "planted": sum(1 for c in cases if c.planted)}
    for group in groups:
        score = Score(counts[(group, "tp")], counts[(group, "fp")], counts[(group, "fn")])
        result[group] = {
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "tp": score.tp,
            "fp": score.fp,
            "fn": score.fn,
        }
    result["mistakes"] = mistakes[:20]
    return result
