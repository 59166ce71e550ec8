"""Job titles: a seniority and a department, written the way each language writes them."""

from __future__ import annotations

from random import Random

from dealflow.demo.draws import Weighted

SENIORITIES = Weighted(
    [("c_level", 0.06), ("vp", 0.08), ("director", 0.16), ("manager", 0.35), ("individual", 0.35)]
)
FUNCTIONS = Weighted(
    [
        ("facilities", 0.25),
        ("operations", 0.20),
        ("it", 0.18),
        ("procurement", 0.14),
        ("finance", 0.09),
        ("sustainability", 0.08),
        ("hr", 0.06),
    ]
)

DEPARTMENTS: dict[str, dict[str, str]] = {
    "en": {
        "facilities": "Facilities",
        "operations": "Operations",
        "it": "IT",
        "procurement": "Procurement",
        "finance": "Finance",
        "sustainability": "Sustainability",
        "hr": "People",
    },
    "ja": {
        "facilities": "総務部",
        "operations": "業務部",
        "it": "情報システム部",
        "procurement": "購買部",
        "finance": "経理部",
        "sustainability": "サステナビリティ推進部",
        "hr": "人事部",
    },
    "ko": {
        "facilities": "총무팀",
        "operations": "운영팀",
        "it": "IT팀",
        "procurement": "구매팀",
        "finance": "재무팀",
        "sustainability": "ESG팀",
        "hr": "인사팀",
    },
    "fa": {
        "facilities": "تأسیسات",
        "operations": "عملیات",
        "it": "فناوری اطلاعات",
        "procurement": "خرید",
        "finance": "مالی",
        "sustainability": "انرژی و پایداری",
        "hr": "منابع انسانی",
    },
}

TITLE_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "c_level": ("CEO", "COO", "Managing Director", "Founder & CEO"),
        "vp": ("VP of {dept}", "SVP, {dept}"),
        "director": ("Director of {dept}", "Head of {dept}"),
        "manager": ("{dept} Manager", "Senior {dept} Manager"),
        "individual": ("{dept} Specialist", "{dept} Coordinator", "{dept} Analyst"),
    },
    "ja": {
        "c_level": ("代表取締役社長", "代表取締役", "取締役COO"),
        "vp": ("執行役員 {dept}担当", "取締役 {dept}担当"),
        "director": ("{dept} 部長", "{dept} 本部長"),
        "manager": ("{dept} 課長", "{dept} マネージャー"),
        "individual": ("{dept} 主任", "{dept} 係長", "{dept}"),
    },
    "ko": {
        "c_level": ("대표이사", "CEO", "부사장"),
        "vp": ("{dept} 상무", "{dept} 전무"),
        "director": ("{dept} 이사", "{dept} 부장"),
        "manager": ("{dept} 팀장", "{dept} 과장"),
        "individual": ("{dept} 대리", "{dept} 주임", "{dept} 사원"),
    },
    "fa": {
        "c_level": ("مدیرعامل", "رئیس هیئت‌مدیره", "مدیر اجرایی"),
        "vp": ("معاون {dept}",),
        "director": ("مدیر {dept}",),
        "manager": ("سرپرست {dept}", "مسئول {dept}"),
        "individual": ("کارشناس {dept}", "کارشناس ارشد {dept}"),
    },
}


def job_title(rng: Random, language: str, seniority: str, function: str) -> str:
    """A title such as "Facilities Manager", "情報システム部 部長" or "کارشناس خرید"."""
    form = rng.choice(TITLE_FORMS[language][seniority])
    return form.format(dept=DEPARTMENTS[language][function])
