"""The vendor's marketing: its website, newsletters, webinars, trade shows and social channels."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from dealflow.demo.draws import Weighted
from dealflow.demo.locales import LOCALES
from dealflow.demo.sales_team import VENDOR_DOMAIN
from dealflow.demo.timeline import HOUR, Window

BLOG_POSTS = (
    "energy-savings-checklist",
    "indoor-air-quality-guide",
    "hybrid-office-occupancy",
    "bacnet-integration-basics",
    "sensor-installation-tips",
    "esg-reporting-for-buildings",
    "hvac-scheduling-mistakes",
    "predictive-maintenance-101",
    "meeting-room-utilisation",
    "winter-energy-peaks",
)
CASE_STUDIES = ("logistics-warehouse", "hospital-energy", "university-campus", "retail-chain")
PAGES: tuple[tuple[str, float], ...] = (
    ("/", 12),
    ("/products/sense-kit", 6),
    ("/products/hub", 3),
    ("/products/cloud", 6),
    ("/products/analytics", 3),
    ("/products/air", 4),
    ("/customers", 3),
    *((f"/customers/{case}", 1.5) for case in CASE_STUDIES),
    *((f"/blog/{post}", 2.5) for post in BLOG_POSTS),
    ("/docs/installation", 2),
    ("/docs/api", 1),
    ("/about", 3),
    ("/careers", 2),
    ("/contact", 2),
)
REFERRERS = Weighted(
    [("direct", 4), ("google", 5), ("linkedin", 2), ("newsletter", 2), ("partner", 1)]
)
SOCIAL_NETWORKS: dict[str, Weighted[str]] = {
    "en": Weighted([("linkedin", 5), ("x", 3), ("youtube", 2)]),
    "ja": Weighted([("x", 4), ("linkedin", 2), ("youtube", 2), ("facebook", 1)]),
    "ko": Weighted([("instagram", 4), ("youtube", 3), ("linkedin", 2), ("naver_blog", 2)]),
    "fa": Weighted([("instagram", 5), ("linkedin", 3), ("telegram", 2)]),
}
SOCIAL_ACTIONS = Weighted([("like", 6), ("comment", 1.5), ("share", 1.5), ("follow", 1)])
CONTENT_FORMS = ("whitepaper_download", "roi_calculator", "checklist_download")

WEBINAR_TITLES = {
    "en": (
        "Cut building energy costs by 20%",
        "Smart offices after hybrid work",
        "Indoor air quality 101",
        "From BMS data to savings: a practical guide",
    ),
    "ja": (
        "ビルのエネルギーコストを20%削減する方法",
        "ハイブリッドワーク時代のスマートオフィス",
        "室内空気質の基礎",
        "BMSデータ活用の実践ガイド",
    ),
    "ko": (
        "건물 에너지 비용 20% 절감 전략",
        "하이브리드 근무 시대의 스마트 오피스",
        "실내 공기질 관리 기초",
        "BMS 데이터 활용 실전 가이드",
    ),
    "fa": (
        "کاهش ۲۰ درصدی هزینه انرژی ساختمان",
        "دفتر هوشمند در دوران کار ترکیبی",
        "مبانی کیفیت هوای داخل ساختمان",
        "راهنمای عملی تحلیل داده‌های BMS",
    ),
}
TRADE_SHOWS = {
    "en": ("Smart Buildings Expo London", "FacilitiesTech Summit Chicago"),
    "ja": ("スマートビルディングEXPO 東京", "施設管理フェア 大阪"),
    "ko": ("스마트빌딩 코리아 서울", "부산 시설관리 박람회"),
    "fa": ("نمایشگاه ساختمان هوشمند تهران", "همایش مدیریت انرژی اصفهان"),
}
NEWSLETTER_EVERY_DAYS = 21.0
WEBINAR_EVERY_DAYS = 28.0
TRADE_SHOW_EVERY_DAYS = 91.0


@dataclass(frozen=True)
class Occasion:
    """Something the vendor sends or hosts at a moment: a newsletter, webinar or show."""

    day: float
    name: str


class Site:
    """The vendor's website in one language (``/ja/pricing``, ``/ko/blog/...``)."""

    def __init__(self, prefix: str) -> None:
        base = f"https://www.{VENDOR_DOMAIN}{prefix}"
        self.pages = Weighted((f"{base}{path}", weight) for path, weight in PAGES)
        self.pricing = f"{base}/pricing"
        self.demo = f"{base}/demo"
        self.blog = [f"{base}/blog/{post}" for post in BLOG_POSTS]


class Schedule:
    """Occasions in time order."""

    def __init__(self, occasions: list[Occasion]) -> None:
        self.occasions = occasions
        self._days = [occasion.day for occasion in occasions]

    def after(self, day: float) -> list[Occasion]:
        """The occasions at or after ``day``."""
        return self.occasions[bisect_left(self._days, day) :]


class Calendar:
    """Per language: the website, and every newsletter, webinar and trade show of the window."""

    def __init__(self, window: Window) -> None:
        self.sites: dict[str, Site] = {}
        self.newsletters: dict[str, Schedule] = {}
        self.webinars: dict[str, Schedule] = {}
        self.trade_shows: dict[str, Schedule] = {}
        for locale in LOCALES:
            language = locale.language
            self.sites[language] = Site(locale.site_prefix)
            # Sent and hosted in the morning of the team's home city.
            morning = (9.0 - locale.countries[0].cities[0].utc_offset) * HOUR
            self.newsletters[language] = Schedule(
                [
                    Occasion(day, f"newsletter-{language}-{window.date_of(day).isoformat()}")
                    for day in _every(3.0 + morning, NEWSLETTER_EVERY_DAYS, window)
                ]
            )
            self.webinars[language] = _cycling(
                WEBINAR_TITLES[language], _every(10.0 + morning + HOUR, WEBINAR_EVERY_DAYS, window)
            )
            self.trade_shows[language] = _cycling(
                TRADE_SHOWS[language], _every(40.0 + morning, TRADE_SHOW_EVERY_DAYS, window)
            )


def _cycling(names: tuple[str, ...], days: list[float]) -> Schedule:
    return Schedule([Occasion(day, names[index % len(names)]) for index, day in enumerate(days)])


def _every(first: float, period: float, window: Window) -> list[float]:
    days = []
    day = first
    while day < window.last:
        days.append(day)
        day += period
    return days
