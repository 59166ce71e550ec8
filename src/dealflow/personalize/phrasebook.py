# ruff: noqa: E501  (each sentence stays on one line, so it reads whole)
"""The offline composer's sentences in each draft language (formal register: keigo in
Japanese, 합쇼체/해요체 존댓말 in Korean, formal Persian). Placeholders name facts
(``{contact.name}`` is the whole name in the language's order; ``{value}`` and ``{source}``
are the value and source of the fact the sentence is about); a sentence is used only
when every fact it names is known, so it states nothing else."""

from __future__ import annotations

Phrases = dict[str, str]

PHRASES: dict[str, Phrases] = {
    "en": {
        "greeting.formal": "Dear {contact.first_name} {contact.last_name},",
        "greeting.casual": "Hi {contact.first_name},",
        "opening.known": "I hope you are well.",
        "opening.new": "I hope this note finds you well.",
        "intro": "My name is {sender.name}, and I look after your account at {sender.company}.",
        "intro.company": "I am writing to you from {sender.company}.",
        "hook.question.ticket": "Thank you for your question, “{value}”. "
        "I would be glad to go through the answer with you in person.",
        "hook.question.form": "Thank you for the question you sent us through our website: "
        "“{value}”.",
        "hook.behaviour.webinar_attendance": "Thank you for joining our webinar “{value}”.",
        "hook.behaviour.event_attendance": "Thank you for visiting us at {value}.",
        "hook.behaviour.form_submit": "Thank you for filling in our {value} form.",
        "hook.behaviour.email_click": "Thank you for reading our newsletter “{value}”.",
        "hook.conversation": "Thank you again for our recent conversation about “{value}”.",
        "hook.deal": "As “{deal.name}” is now at the {deal.stage} stage, "
        "I wanted to check in with you.",
        "hook.role": "I am reaching out to you as {contact.job_title} at {company.name}.",
        "value.industry": "I would be glad to show you how {sender.company} could support "
        "the work of {company.name} in {company.industry}.",
        "value.company": "I would be glad to show you how {sender.company} could support "
        "the work of {company.name}.",
        "value.plain": "I would be glad to show you how {sender.company} could support your work.",
        "research": "I read on your website that “{value}” ({source}).",
        "cta": "Would you have time for a short call next week? "
        "Please let me know a time that suits you.",
        "closing": "Kind regards,",
        "subject.company": "A note for {company.name} from {sender.company}",
        "subject.plain": "A note from {sender.company}",
    },
    "ja": {
        "greeting.formal": "{company.name}\n{contact.last_name} {contact.first_name} 様",
        "greeting.person": "{contact.last_name} {contact.first_name} 様",
        "opening.known": "いつも大変お世話になっております。",
        "opening.new": "突然のご連絡にて失礼いたします。",
        "intro": "{sender.company}の{sender.name}でございます。",
        "intro.company": "{sender.company}でございます。",
        "hook.question.ticket": "先日は「{value}」とのお問い合わせをいただき、"
        "誠にありがとうございました。改めて詳しくご説明させていただければ幸いです。",
        "hook.question.form": "弊社ウェブサイトより「{value}」とのご質問をお寄せいただき、"
        "誠にありがとうございました。",
        "hook.behaviour.webinar_attendance": "先日はウェビナー「{value}」にご参加いただき、"
        "誠にありがとうございました。",
        "hook.behaviour.event_attendance": "先日は{value}にお越しいただき、誠にありがとうございました。",
        "hook.behaviour.form_submit": "先日は弊社ウェブサイトのフォーム（{value}）より"
        "ご連絡をいただき、誠にありがとうございました。",
        "hook.behaviour.email_click": "弊社のニュースレター「{value}」をお読みいただき、"
        "誠にありがとうございます。",
        "hook.conversation": "先日は「{value}」の件でお時間をいただき、誠にありがとうございました。",
        "hook.deal": "「{deal.name}」の件が{deal.stage}の段階に進みましたので、"
        "ご連絡を差し上げました。",
        "hook.role": "{company.name}にて{contact.job_title}をお務めの"
        "{contact.last_name}様に、ぜひご案内させていただきたく存じます。",
        "value.industry": "{company.name}様の{company.industry}分野でのお取り組みに、"
        "弊社がどのようにお役に立てるか、ご説明させていただければ幸いです。",
        "value.company": "{company.name}様のお取り組みに、弊社がどのようにお役に立てるか、"
        "ご説明させていただければ幸いです。",
        "value.plain": "弊社がどのようにお役に立てるか、ご説明させていただければ幸いです。",
        "research": "貴社ウェブサイト（{source}）にて「{value}」と拝見いたしました。",
        "cta": "来週、少しお時間をいただくことは可能でしょうか。"
        "ご都合のよい日時をお知らせいただけますと幸いです。",
        "closing": "何卒よろしくお願い申し上げます。",
        "subject.company": "{company.name}様へのご案内（{sender.company}）",
        "subject.plain": "ご案内（{sender.company}）",
    },
    "ko": {
        "greeting.formal": "{contact.name} 님께",
        "greeting.casual": "{contact.name} 님, 안녕하세요.",
        "opening.known": "안녕하십니까. 항상 감사드립니다.",
        "opening.new": "안녕하십니까. 갑작스럽게 연락드리게 되어 양해 부탁드립니다.",
        "intro": "저는 {sender.company}의 {sender.name}입니다.",
        "intro.company": "{sender.company}에서 연락드립니다.",
        "hook.question.ticket": "지난번 “{value}”에 대해 문의해 주셔서 진심으로 감사드립니다. "
        "자세한 내용을 직접 설명해 드리고 싶습니다.",
        "hook.question.form": "저희 웹사이트를 통해 “{value}”라는 질문을 보내 주셔서 감사합니다.",
        "hook.behaviour.webinar_attendance": "지난번 “{value}” 웨비나에 참석해 주셔서 감사합니다.",
        "hook.behaviour.event_attendance": "지난번 {value} 행사에 방문해 주셔서 감사합니다.",
        "hook.behaviour.form_submit": "저희 웹사이트의 {value} 양식을 작성해 주셔서 감사합니다.",
        "hook.behaviour.email_click": "저희 뉴스레터 “{value}”에 관심을 가져 주셔서 감사합니다.",
        "hook.conversation": "지난번 “{value}” 건으로 시간을 내어 주셔서 감사합니다.",
        "hook.deal": "“{deal.name}” 건이 {deal.stage} 단계로 진행되어 연락드립니다.",
        "hook.role": "{company.name}에서 {contact.job_title} 직을 맡고 계신 "
        "{contact.name} 님께 소개해 드리고자 연락드립니다.",
        "value.industry": "저희가 {company.name}의 {company.industry} 업무에 어떻게 도움을 "
        "드릴 수 있을지 소개해 드리고 싶습니다.",
        "value.company": "저희가 {company.name}에 어떻게 도움을 드릴 수 있을지 소개해 드리고 싶습니다.",
        "value.plain": "저희가 어떻게 도움을 드릴 수 있을지 소개해 드리고 싶습니다.",
        "research": "귀사 웹사이트({source})에서 “{value}”라는 내용을 읽었습니다.",
        "cta": "다음 주에 잠시 통화 가능하실까요? 편하신 시간을 알려 주시면 감사하겠습니다.",
        "closing": "감사합니다.",
        "subject.company": "{company.name} 담당자님께 드리는 안내 ({sender.company})",
        "subject.plain": "{sender.company}의 안내",
    },
    "fa": {
        "greeting.formal": "{contact.first_name} {contact.last_name} گرامی،",
        "greeting.casual": "سلام {contact.first_name} عزیز،",
        "opening.known": "با سلام و احترام، امیدوارم حالتان خوب باشد.",
        "opening.new": "با سلام و احترام، امیدوارم این پیام در زمان مناسبی به دستتان برسد.",
        "intro": "اینجانب {sender.name} از {sender.company} هستم.",
        "intro.company": "از {sender.company} با شما تماس می‌گیرم.",
        "hook.question.ticket": "از پرسش شما با عنوان «{value}» صمیمانه سپاسگزارم. "
        "خوشحال می‌شوم پاسخ آن را به‌طور کامل برایتان توضیح دهم.",
        "hook.question.form": "از پرسشی که از طریق وب‌سایت ما فرستادید سپاسگزارم: «{value}».",
        "hook.behaviour.webinar_attendance": "از حضور شما در وبینار «{value}» سپاسگزارم.",
        "hook.behaviour.event_attendance": "از حضور شما در {value} سپاسگزارم.",
        "hook.behaviour.form_submit": "از تکمیل فرم {value} در وب‌سایت ما سپاسگزارم.",
        "hook.behaviour.email_click": "از توجه شما به خبرنامه «{value}» سپاسگزارم.",
        "hook.conversation": "از اینکه برای گفتگو درباره «{value}» وقت گذاشتید سپاسگزارم.",
        "hook.deal": "با توجه به اینکه «{deal.name}» به مرحله {deal.stage} رسیده است، "
        "خواستم با شما در تماس باشم.",
        "hook.role": "به عنوان {contact.job_title} در {company.name}، "
        "مایلم راه‌حل‌های خود را به شما معرفی کنم.",
        "value.industry": "خوشحال می‌شوم توضیح دهم که چگونه می‌توانیم در زمینه "
        "{company.industry} به {company.name} کمک کنیم.",
        "value.company": "خوشحال می‌شوم توضیح دهم که چگونه می‌توانیم به {company.name} کمک کنیم.",
        "value.plain": "خوشحال می‌شوم توضیح دهم که چگونه می‌توانیم به شما کمک کنیم.",
        "research": "در وب‌سایت شما ({source}) خواندم که «{value}».",
        "cta": "آیا هفته آینده فرصتی برای یک تماس کوتاه دارید؟ "
        "لطفاً زمان مناسب خود را به من اطلاع دهید.",
        "closing": "با احترام،",
        "subject.company": "پیشنهاد همکاری {sender.company} برای {company.name}",
        "subject.plain": "پیام {sender.company}",
    },
}

HOOK_ORDER = (
    "question.ticket",
    "question.form",
    "behaviour.webinar_attendance",
    "behaviour.event_attendance",
    "conversation",
    "deal",
    "behaviour.email_click",
    "role",
    "behaviour.form_submit",
)
"""Which fact opens the email: what the contact asked first, then what they did (a form
says little about them, so their role comes before it)."""


def boilerplate(language: str) -> list[str]:
    """Every fixed text of a language's sentences, placeholders removed (the grounding
    check reads these as the sender's own words, not claims)."""
    import re

    return [re.sub(r"\{[a-z_.]+\}", " ", text) for text in PHRASES[language].values()]


RESEARCH_KINDS = ("research.news", "research.product")
"""The research findings a draft may mention (at most one, the latest, news first): what
the company's own website announced or sells."""
