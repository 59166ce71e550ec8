"""What reps write in the CRM: emails, call and meeting notes, tasks, in the contact's language.

Each entry is ``(subject, body)``. Placeholders: {first_name}, {last_name}, {company},
{product}, {amount}, {competitor}, {count}, {city}, {rep}. Call notes follow SPIN (situation,
problem, implication, need-payoff) and record the questions customers asked.
"""

from __future__ import annotations

Text = tuple[str, str]

ACTIVITY_TEXTS: dict[str, dict[str, tuple[Text, ...]]] = {
    "en": {
        "intro_email": (
            (
                "Introducing {product} for {company}",
                "Hi {first_name},\n\nThanks for your interest in Aster Systems. Many facilities "
                "teams use {product} to cut energy costs and see how their buildings are really "
                "used. Would a 20-minute call next week work to see whether it fits {company}?"
                "\n\nBest regards,\n{rep}",
            ),
            (
                "A question about your buildings",
                "Hi {first_name},\n\nThanks for downloading our guide. How do you track energy "
                "use and occupancy across your sites today? Happy to share what similar teams "
                "do.\n\n{rep}",
            ),
        ),
        "follow_up_email": (
            (
                "Following up",
                "Hi {first_name},\n\nJust checking in on my last note. Is reducing energy costs "
                "still a priority for {company} this quarter?\n\n{rep}",
            ),
            (
                "Resources from our call",
                "Hi {first_name},\n\nAs promised, here are the case study and the installation "
                "checklist we discussed. Let me know if your team has questions.\n\n{rep}",
            ),
        ),
        "proposal_email": (
            (
                "Proposal: {product} for {company}",
                "Hi {first_name},\n\nPlease find attached our proposal for {product}: {amount} "
                "including installation support. The offer is valid for 30 days.\n\n{rep}",
            ),
        ),
        "discovery_call": (
            (
                "Discovery call with {first_name} {last_name}",
                "Current setup: {count} floors, manual meter readings, rising energy bills. Main "
                "pain: no view of how rooms are used. Interested in {product}.",
            ),
        ),
        "follow_up_call": (
            ("Follow-up call", "Left a voicemail; agreed by email to reconnect next week."),
            ("Follow-up call", "Went through open questions on installation and data security."),
        ),
        "pricing_call": (
            (
                "Pricing discussion",
                "They asked for a volume discount and longer payment terms. They also have an "
                "offer from {competitor}.",
            ),
        ),
        "demo_meeting": (
            (
                "Product demo: {product}",
                "Showed the live dashboard, alerts and energy reports. They asked how the "
                "sensors are powered and how long installation takes.",
            ),
        ),
        "site_survey": (
            (
                "On-site survey in {city}",
                "Walked {count} floors with the facility manager; agreed mounting points and "
                "network access.",
            ),
        ),
        "call_note": (
            (
                "Call notes",
                "Situation: {count} floors, HVAC on fixed schedules. Problem: energy bill up 18% "
                "this year. Implication: finance is cutting budgets. Need-payoff: they want to "
                "prove savings before summer. They asked: what does installation cost per floor?",
            ),
            (
                "Call notes",
                "Asked open questions about their goals. They asked whether {product} works "
                "without Wi-Fi and how long the warranty is.",
            ),
            (
                "Meeting notes",
                "{first_name} decides; IT must approve a security review. Next step: send the "
                "security whitepaper.",
            ),
        ),
        "won_note": (
            (
                "Closed won",
                "Signed for {product} ({amount}). Kick-off and installation dates to be agreed "
                "with {first_name}.",
            ),
        ),
        "lost_note": (
            ("Closed lost", "Lost to {competitor} on price."),
            ("Closed lost", "No budget this year; revisit next fiscal year."),
            ("Closed lost", "Project on hold after a reorganisation."),
            ("Closed lost", "No response after the proposal."),
        ),
        "ticket_reply": (("Re: {subject}", "{answer}\n\nKind regards,\n{rep}"),),
    },
    "ja": {
        "intro_email": (
            (
                "{company}様への{product}のご紹介",
                "{last_name}様\n\nいつもお世話になっております。Aster Systemsの{rep}です。"
                "多くの施設管理部門で、{product}を活用してエネルギーコストの削減と建物の利用状況の"
                "可視化を進めております。来週20分ほどお時間をいただけますでしょうか。"
                "\n\nよろしくお願いいたします。\n{rep}",
            ),
            (
                "資料ダウンロードのお礼",
                "{last_name}様\n\n資料をダウンロードいただきありがとうございます。現在、各拠点の"
                "エネルギー使用量や在席状況はどのように把握されていますか。同業他社の事例も"
                "ご紹介できます。\n\n{rep}",
            ),
        ),
        "follow_up_email": (
            (
                "先日のご連絡について",
                "{last_name}様\n\n先日お送りしたご案内について、その後いかがでしょうか。今期も"
                "エネルギーコストの削減は優先課題でしょうか。\n\n{rep}",
            ),
            (
                "打ち合わせ資料の送付",
                "{last_name}様\n\n先日はありがとうございました。お約束の導入事例と設置チェック"
                "リストをお送りします。ご不明点があればお知らせください。\n\n{rep}",
            ),
        ),
        "proposal_email": (
            (
                "{product}ご提案書の送付",
                "{last_name}様\n\n{product}のご提案書をお送りいたします。設置支援を含めて"
                "{amount}となります。本見積もりの有効期限は30日間です。\n\n{rep}",
            ),
        ),
        "discovery_call": (
            (
                "{last_name}様へのヒアリング",
                "現状：{count}フロア、検針は手作業、電気代が上昇中。課題は会議室の利用状況が"
                "見えないこと。{product}に関心あり。",
            ),
        ),
        "follow_up_call": (
            ("フォローアップの電話", "留守番電話にメッセージを残し、来週改めて連絡することに。"),
            ("フォローアップの電話", "設置とデータセキュリティに関する質問を確認した。"),
        ),
        "pricing_call": (
            (
                "価格の相談",
                "ボリュームディスカウントと支払条件の延長を希望。{competitor}からも見積もりを"
                "取得済み。",
            ),
        ),
        "demo_meeting": (
            (
                "製品デモ：{product}",
                "ダッシュボード、アラート、エネルギーレポートをデモ。センサーの電源と設置期間に"
                "ついて質問があった。",
            ),
        ),
        "site_survey": (
            (
                "{city}拠点の現地調査",
                "施設管理者と{count}フロアを回り、取付位置とネットワーク環境を確認した。",
            ),
        ),
        "call_note": (
            (
                "通話メモ",
                "状況：{count}フロア、空調は固定スケジュールで運転。問題：今年の電気代が18%増加。"
                "示唆：経理から予算削減の圧力。解決の価値：夏までに削減効果を示したい。"
                "質問：1フロアあたりの設置費用はいくらか。",
            ),
            (
                "通話メモ",
                "目標について開かれた質問をした。先方からは、Wi-Fiなしで{product}が使えるか、"
                "保証期間はどのくらいかという質問があった。",
            ),
            (
                "打ち合わせメモ",
                "決裁者は{last_name}様。情報システム部のセキュリティ審査が必要。"
                "次のステップ：セキュリティ資料を送付。",
            ),
        ),
        "won_note": (
            (
                "受注",
                "{product}（{amount}）で契約締結。キックオフと設置日程を{last_name}様と調整する。",
            ),
        ),
        "lost_note": (
            ("失注", "価格面で{competitor}に決定。"),
            ("失注", "今年度は予算なし。来年度に再提案。"),
            ("失注", "組織変更によりプロジェクトが保留に。"),
            ("失注", "提案後に連絡が途絶えた。"),
        ),
        "ticket_reply": (("Re: {subject}", "{last_name}様\n\n{answer}\n\n{rep}"),),
    },
    "ko": {
        "intro_email": (
            (
                "{company}에 {product}를 소개드립니다",
                "{last_name}{first_name}님 안녕하세요,\n\nAster Systems의 {rep}입니다. 많은 "
                "시설관리팀이 {product}로 에너지 비용을 줄이고 건물 사용 현황을 파악하고 있습니다. "
                "다음 주에 20분 정도 통화 가능하실까요?\n\n감사합니다.\n{rep}",
            ),
            (
                "자료 다운로드 감사드립니다",
                "{last_name}{first_name}님 안녕하세요,\n\n자료를 다운로드해 주셔서 감사합니다. "
                "현재 사업장별 에너지 사용량과 재실 현황은 어떻게 관리하고 계신가요? 비슷한 "
                "기업의 사례도 공유드릴 수 있습니다.\n\n{rep}",
            ),
        ),
        "follow_up_email": (
            (
                "지난 메일 관련 문의드립니다",
                "{last_name}{first_name}님,\n\n지난번 보내드린 내용은 검토해 보셨는지요? 이번 "
                "분기에도 에너지 비용 절감이 우선 과제인지 궁금합니다.\n\n{rep}",
            ),
            (
                "미팅 자료 전달드립니다",
                "{last_name}{first_name}님,\n\n지난 미팅 감사했습니다. 말씀드린 도입 사례와 설치 "
                "체크리스트를 첨부합니다. 궁금한 점이 있으면 말씀해 주세요.\n\n{rep}",
            ),
        ),
        "proposal_email": (
            (
                "{product} 제안서 송부",
                "{last_name}{first_name}님,\n\n{product} 제안서를 첨부드립니다. 설치 지원을 "
                "포함하여 {amount}이며, 견적 유효기간은 30일입니다.\n\n{rep}",
            ),
        ),
        "discovery_call": (
            (
                "{last_name}{first_name}님 니즈 파악 통화",
                "현황: {count}개 층, 검침은 수작업, 전기요금 상승 중. 주요 고민은 회의실 사용 "
                "현황을 알 수 없다는 점. {product}에 관심 있음.",
            ),
        ),
        "follow_up_call": (
            ("후속 통화", "음성 메시지를 남겼고 다음 주에 다시 연락하기로 함."),
            ("후속 통화", "설치와 데이터 보안 관련 질문을 검토함."),
        ),
        "pricing_call": (
            ("가격 협의", "수량 할인과 결제 기간 연장을 요청함. {competitor}의 견적도 받은 상태."),
        ),
        "demo_meeting": (
            (
                "제품 데모: {product}",
                "대시보드, 알림, 에너지 리포트를 시연함. 센서 전원 방식과 설치 기간에 대한 "
                "질문이 있었음.",
            ),
        ),
        "site_survey": (
            (
                "{city} 현장 실사",
                "시설 담당자와 {count}개 층을 둘러보고 설치 위치와 네트워크 환경을 확인함.",
            ),
        ),
        "call_note": (
            (
                "통화 메모",
                "상황: {count}개 층, 공조는 고정 스케줄로 운영. 문제: 올해 전기요금 18% 상승. "
                "시사점: 재무팀의 예산 압박. 해결 가치: 여름 전에 절감 효과를 증명하고 싶어 함. "
                "질문: 층당 설치 비용은 얼마인가?",
            ),
            (
                "통화 메모",
                "목표에 대해 개방형 질문을 함. 고객은 Wi-Fi 없이 {product}를 쓸 수 있는지, "
                "보증 기간이 얼마인지 물어봄.",
            ),
            (
                "미팅 메모",
                "의사결정자는 {last_name}{first_name}님. IT팀 보안 검토 필요. 다음 단계: 보안 "
                "백서 전달.",
            ),
        ),
        "won_note": (
            (
                "수주",
                "{product}({amount}) 계약 체결. {last_name}{first_name}님과 킥오프 및 설치 일정 "
                "조율 예정.",
            ),
        ),
        "lost_note": (
            ("실주", "가격 때문에 {competitor}를 선택함."),
            ("실주", "올해 예산 없음. 다음 회계연도에 재접촉."),
            ("실주", "조직 개편으로 프로젝트 보류."),
            ("실주", "제안서 발송 후 연락 두절."),
        ),
        "ticket_reply": (("Re: {subject}", "{last_name}{first_name}님,\n\n{answer}\n\n{rep}"),),
    },
    "fa": {
        "intro_email": (
            (
                "معرفی {product} به {company}",
                "{first_name} {last_name} عزیز،\n\nسلام، {rep} هستم از Aster Systems. بسیاری از "
                "تیم‌های تأسیسات با {product} هزینه انرژی را کاهش می‌دهند و می‌بینند ساختمانشان "
                "واقعاً چطور استفاده می‌شود. آیا هفته آینده ۲۰ دقیقه برای یک تماس وقت دارید؟"
                "\n\nبا احترام،\n{rep}",
            ),
            (
                "ممنون از دانلود راهنما",
                "{first_name} {last_name} عزیز،\n\nاز اینکه راهنمای ما را دانلود کردید "
                "سپاسگزاریم. در حال حاضر مصرف انرژی و میزان حضور در ساختمان‌هایتان را چگونه "
                "پیگیری می‌کنید؟ خوشحال می‌شوم تجربه شرکت‌های مشابه را با شما در میان بگذارم."
                "\n\n{rep}",
            ),
        ),
        "follow_up_email": (
            (
                "پیگیری پیام قبلی",
                "{first_name} {last_name} عزیز،\n\nخواستم پیام قبلی‌ام را پیگیری کنم. آیا کاهش "
                "هزینه انرژی هنوز از اولویت‌های {company} در این فصل است؟\n\n{rep}",
            ),
            (
                "ارسال مستندات جلسه",
                "{first_name} {last_name} عزیز،\n\nاز جلسه قبل ممنونم. همان‌طور که قول داده "
                "بودم، نمونه موفق و چک‌لیست نصب پیوست است. اگر سؤالی بود در خدمتم.\n\n{rep}",
            ),
        ),
        "proposal_email": (
            (
                "پیشنهاد {product} برای {company}",
                "{first_name} {last_name} عزیز،\n\nپیشنهاد ما برای {product} پیوست است: {amount} "
                "همراه با پشتیبانی نصب. این پیشنهاد تا ۳۰ روز معتبر است.\n\n{rep}",
            ),
        ),
        "discovery_call": (
            (
                "تماس نیازسنجی با {first_name} {last_name}",
                "وضعیت فعلی: {count} طبقه، قرائت کنتورها دستی، هزینه برق رو به افزایش. مشکل "
                "اصلی: نبود دید نسبت به استفاده از اتاق‌ها. به {product} علاقه دارند.",
            ),
        ),
        "follow_up_call": (
            ("تماس پیگیری", "پیام صوتی گذاشتم و قرار شد هفته بعد دوباره صحبت کنیم."),
            ("تماس پیگیری", "سؤالات باقی‌مانده درباره نصب و امنیت داده‌ها بررسی شد."),
        ),
        "pricing_call": (
            (
                "مذاکره قیمت",
                "مشتری تخفیف حجمی و مهلت پرداخت طولانی‌تر خواست. پیشنهادی هم از {competitor} دارند.",
            ),
        ),
        "demo_meeting": (
            (
                "دموی محصول: {product}",
                "داشبورد زنده، هشدارها و گزارش‌های انرژی نمایش داده شد. پرسیدند حسگرها چگونه "
                "تغذیه می‌شوند و نصب چقدر طول می‌کشد.",
            ),
        ),
        "site_survey": (
            (
                "بازدید میدانی در {city}",
                "همراه با مدیر تأسیسات از {count} طبقه بازدید شد؛ محل نصب و دسترسی شبکه مشخص شد.",
            ),
        ),
        "call_note": (
            (
                "یادداشت تماس",
                "موقعیت: {count} طبقه، تهویه با برنامه ثابت کار می‌کند. مشکل: قبض برق امسال ۱۸ "
                "درصد بیشتر شده. پیامد: فشار بودجه از طرف واحد مالی. نیاز-سود: می‌خواهند تا قبل "
                "از تابستان صرفه‌جویی را ثابت کنند. سؤال مشتری: هزینه نصب هر طبقه چقدر است؟",
            ),
            (
                "یادداشت تماس",
                "درباره اهدافشان سؤال باز پرسیدم. مشتری پرسید آیا {product} بدون وای‌فای کار "
                "می‌کند و گارانتی چند سال است.",
            ),
            (
                "یادداشت جلسه",
                "تصمیم‌گیرنده {first_name} {last_name} است؛ واحد فناوری اطلاعات باید بررسی "
                "امنیتی را تأیید کند. قدم بعدی: ارسال مستند امنیتی.",
            ),
        ),
        "won_note": (
            (
                "قرارداد بسته شد",
                "قرارداد {product} ({amount}) امضا شد. جلسه شروع و زمان نصب با {first_name} "
                "{last_name} هماهنگ می‌شود.",
            ),
        ),
        "lost_note": (
            ("از دست رفت", "به دلیل قیمت، {competitor} را انتخاب کردند."),
            ("از دست رفت", "امسال بودجه ندارند؛ سال مالی بعد دوباره پیگیری شود."),
            ("از دست رفت", "پروژه به دلیل تغییرات سازمانی متوقف شد."),
            ("از دست رفت", "بعد از ارسال پیشنهاد پاسخی ندادند."),
        ),
        "ticket_reply": (("Re: {subject}", "{first_name} {last_name} عزیز،\n\n{answer}\n\n{rep}"),),
    },
}

TASKS: dict[str, dict[str, str]] = {
    "en": {
        "schedule_demo": "Schedule a demo with {first_name} {last_name}",
        "send_proposal": "Send the proposal to {company}",
        "follow_up": "Follow up with {first_name} {last_name}",
        "onboarding": "Hand {company} over to onboarding",
    },
    "ja": {
        "schedule_demo": "{last_name}様とデモ日程を調整",
        "send_proposal": "{company}へ提案書を送付",
        "follow_up": "{last_name}様にフォローの連絡",
        "onboarding": "{company}をオンボーディングへ引き継ぎ",
    },
    "ko": {
        "schedule_demo": "{last_name}{first_name}님 데모 일정 잡기",
        "send_proposal": "{company}에 제안서 보내기",
        "follow_up": "{last_name}{first_name}님 후속 연락",
        "onboarding": "{company} 온보딩 인계",
    },
    "fa": {
        "schedule_demo": "هماهنگی دمو با {first_name} {last_name}",
        "send_proposal": "ارسال پیشنهاد به {company}",
        "follow_up": "پیگیری با {first_name} {last_name}",
        "onboarding": "تحویل {company} به تیم راه‌اندازی",
    },
}

EXPANSION_LABEL = {"en": "expansion", "ja": "追加導入", "ko": "추가 도입", "fa": "توسعه"}


def format_amount(amount: float) -> str:
    """An amount as reps write it in any language: "USD 48,000"."""
    return f"USD {amount:,.0f}"
