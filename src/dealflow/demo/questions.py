"""What customers ask (ticket subjects and descriptions) and how support answers, per topic
and language: the raw material of the question bank and knowledge base.

Placeholders: {product}, {competitor}, {count}, {days}, {city}.
"""

from __future__ import annotations

Question = tuple[str, str]

COMPETITORS = ("Brightgrid", "Nexsense", "Vantaro", "Helio Controls")

QUESTIONS: dict[str, dict[str, tuple[Question, ...]]] = {
    "en": {
        "price": (
            (
                "Pricing for {count} sites?",
                "Hi, we are comparing options for {count} sites. Could you send a price list for "
                "{product}, including any volume discount, and tell us whether installation is "
                "included in the price?",
            ),
            (
                "Is there a discount for annual payment?",
                "We like {product} but the budget is tight this quarter. Do you offer a discount "
                "if we pay annually or sign a two-year contract?",
            ),
        ),
        "installation": (
            (
                "How long does installation take?",
                "We have {count} floors in our {city} office. How long will the installation of "
                "{product} take, and do we need to shut down any systems during the work?",
            ),
            (
                "Can you install outside business hours?",
                "Our building manager has to approve access in advance. Can your technicians "
                "install {product} in the evening or on a weekend?",
            ),
        ),
        "warranty": (
            (
                "Is a faulty unit covered by the warranty?",
                "One of our {product} units stopped reporting after {days} days. Is this covered "
                "by the warranty, and how do we request a replacement?",
            ),
            (
                "Extended warranty options",
                "How long is the standard warranty on {product}, and can we extend it to five "
                "years?",
            ),
        ),
        "delivery": (
            (
                "When will our order arrive?",
                "We ordered {product} {days} days ago and have not received a tracking number "
                "yet. When can we expect delivery to {city}?",
            ),
            (
                "Delivery lead time",
                "What is the current lead time for {count} units of {product}? We need "
                "everything on site before the end of the month.",
            ),
        ),
        "competitors": (
            (
                "How do you compare to {competitor}?",
                "We are also talking to {competitor}. What does {product} do better, and can you "
                "share a customer reference in our industry?",
            ),
            (
                "Switching from {competitor}",
                "We currently use {competitor}. Can we move our historical data to {product}, "
                "and can the sensors we already have stay in place?",
            ),
        ),
        "compatibility": (
            (
                "Does it work with our building management system?",
                "Our building management system uses BACnet. Will {product} integrate with it, "
                "or do we need extra hardware?",
            ),
            (
                "API and single sign-on",
                "Does {product} offer an API, and does it support single sign-on with SAML?",
            ),
        ),
        "quality": (
            (
                "Readings look wrong",
                "Since last week the temperature shown by {product} on floor {count} is about "
                "three degrees higher than our thermostat. Is this a calibration problem?",
            ),
            (
                "Devices keep disconnecting",
                "Several {product} devices disconnect every few hours. We restarted the hub "
                "twice. What else should we check?",
            ),
        ),
        "after_sales": (
            (
                "Training for new staff",
                "New facility staff join next month. Do you offer training on {product}, and is "
                "it included in our support plan?",
            ),
            (
                "Booking the yearly maintenance visit",
                "Can we book the yearly maintenance visit for our {city} site? Which dates are "
                "free in the next {days} days?",
            ),
        ),
    },
    "ja": {
        "price": (
            (
                "{count}拠点分の見積もりについて",
                "お世話になっております。{count}拠点への導入を検討しております。{product}の価格表と"
                "ボリュームディスカウントの有無、設置費用が価格に含まれるかをご教示いただけますでしょうか。",
            ),
            (
                "年間契約の割引はありますか",
                "{product}を前向きに検討していますが、今期は予算が限られています。"
                "年払いまたは2年契約の場合、割引は可能でしょうか。",
            ),
        ),
        "installation": (
            (
                "設置工事の所要期間について",
                "{city}オフィスは{count}フロアあります。{product}の設置にはどのくらいの期間が"
                "かかりますか。工事中に停止が必要な設備はありますか。",
            ),
            (
                "営業時間外の設置は可能ですか",
                "ビル管理会社への事前申請が必要なため、{product}の設置作業を夜間または週末に"
                "行っていただけるか確認させてください。",
            ),
        ),
        "warranty": (
            (
                "保証の対象範囲について",
                "導入から{days}日で{product}の1台がデータを送信しなくなりました。"
                "保証の対象になりますか。交換の手続きを教えてください。",
            ),
            (
                "延長保証はありますか",
                "{product}の標準保証期間は何年でしょうか。5年まで延長することは可能ですか。",
            ),
        ),
        "delivery": (
            (
                "納品日の確認",
                "{days}日前に{product}を発注しましたが、まだ追跡番号が届いていません。"
                "{city}への納品はいつ頃になりますか。",
            ),
            (
                "納期について",
                "{product}を{count}台発注した場合、現在の納期はどのくらいでしょうか。"
                "月末までに現地に揃えたいと考えています。",
            ),
        ),
        "competitors": (
            (
                "{competitor}との違いは何ですか",
                "{competitor}とも比較検討しています。{product}の優れている点と、"
                "同業界での導入事例があれば教えてください。",
            ),
            (
                "{competitor}からの乗り換えについて",
                "現在{competitor}を利用しています。過去のデータを{product}に移行できますか。"
                "既存のセンサーはそのまま使えますか。",
            ),
        ),
        "compatibility": (
            (
                "既存のビル管理システムとの連携",
                "弊社のビル管理システムはBACnet対応です。{product}と連携できますか。"
                "追加のハードウェアは必要でしょうか。",
            ),
            (
                "APIとシングルサインオンについて",
                "{product}はAPIを提供していますか。SAMLによるシングルサインオンにも対応していますか。",
            ),
        ),
        "quality": (
            (
                "計測値がずれているようです",
                "先週から{count}階の{product}の温度表示が、室内のサーモスタットより3度ほど高く"
                "なっています。校正の問題でしょうか。",
            ),
            (
                "接続が頻繁に切れます",
                "複数の{product}が数時間おきに切断されます。ハブは2回再起動しました。"
                "他に確認すべき点はありますか。",
            ),
        ),
        "after_sales": (
            (
                "新任担当者向けのトレーニング",
                "来月から施設管理の担当者が増えます。{product}の操作トレーニングはありますか。"
                "サポートプランに含まれていますか。",
            ),
            (
                "定期点検の予約",
                "{city}拠点の年次点検を予約したいです。今後{days}日以内で空いている日程を"
                "教えてください。",
            ),
        ),
    },
    "ko": {
        "price": (
            (
                "{count}개 사업장 견적 문의",
                "안녕하세요. {count}개 사업장에 도입을 검토하고 있습니다. {product} 가격표와 "
                "수량 할인 여부, 설치비 포함 여부를 알려주실 수 있을까요?",
            ),
            (
                "연간 계약 시 할인이 있나요?",
                "{product} 도입을 긍정적으로 검토 중인데 이번 분기 예산이 빠듯합니다. "
                "연간 선납이나 2년 계약 시 할인이 가능한가요?",
            ),
        ),
        "installation": (
            (
                "설치 기간은 얼마나 걸리나요?",
                "{city} 사무실은 {count}개 층입니다. {product} 설치에 얼마나 걸리며, "
                "공사 중에 중단해야 하는 설비가 있나요?",
            ),
            (
                "업무 시간 외 설치 가능 여부",
                "건물 관리사무소에 미리 신청해야 해서요. {product} 설치를 야간이나 주말에 "
                "진행할 수 있는지 확인 부탁드립니다.",
            ),
        ),
        "warranty": (
            (
                "보증 범위 문의",
                "도입 {days}일 만에 {product} 한 대가 데이터를 보내지 않습니다. "
                "보증 대상인가요? 교체 절차를 알려주세요.",
            ),
            (
                "보증 기간 연장이 가능한가요?",
                "{product}의 기본 보증 기간은 몇 년인가요? 5년으로 연장할 수 있나요?",
            ),
        ),
        "delivery": (
            (
                "배송 일정 확인 부탁드립니다",
                "{days}일 전에 {product}를 주문했는데 아직 운송장 번호를 받지 못했습니다. "
                "{city}까지 언제쯤 배송되나요?",
            ),
            (
                "납기 문의",
                "{product} {count}대를 주문하면 현재 납기가 어떻게 되나요? "
                "이번 달 말까지 현장에 모두 도착해야 합니다.",
            ),
        ),
        "competitors": (
            (
                "{competitor}와 비교하면 어떤가요?",
                "{competitor}와도 상담 중입니다. {product}의 장점이 무엇인지, "
                "같은 업종의 도입 사례가 있는지 알려주세요.",
            ),
            (
                "{competitor}에서 전환하려고 합니다",
                "현재 {competitor}를 사용하고 있습니다. 기존 데이터를 {product}로 옮길 수 있나요? "
                "설치된 센서는 그대로 쓸 수 있나요?",
            ),
        ),
        "compatibility": (
            (
                "기존 건물 관리 시스템과 연동되나요?",
                "저희 건물 관리 시스템은 BACnet 기반입니다. {product}와 연동이 가능한가요, "
                "추가 장비가 필요한가요?",
            ),
            (
                "API 및 SSO 지원 여부",
                "{product}에서 API를 제공하나요? SAML 기반 SSO도 지원하나요?",
            ),
        ),
        "quality": (
            (
                "측정값이 맞지 않는 것 같습니다",
                "지난주부터 {count}층 {product}의 온도가 실내 온도조절기보다 3도 정도 높게 "
                "나옵니다. 보정 문제인가요?",
            ),
            (
                "연결이 자주 끊깁니다",
                "{product} 여러 대가 몇 시간마다 연결이 끊깁니다. 허브는 두 번 재시작했습니다. "
                "또 무엇을 확인해야 할까요?",
            ),
        ),
        "after_sales": (
            (
                "신규 담당자 교육 요청",
                "다음 달에 시설 담당자가 새로 합류합니다. {product} 사용 교육이 있나요? "
                "지원 플랜에 포함되어 있나요?",
            ),
            (
                "정기 점검 예약",
                "{city} 사업장의 연간 정기 점검을 예약하고 싶습니다. 앞으로 {days}일 안에 "
                "가능한 날짜를 알려주세요.",
            ),
        ),
    },
    "fa": {
        "price": (
            (
                "استعلام قیمت برای {count} شعبه",
                "سلام، ما در حال بررسی خرید {product} برای {count} شعبه هستیم. لطفاً لیست قیمت، "
                "تخفیف حجمی و اینکه آیا هزینه نصب در قیمت لحاظ شده است را اعلام کنید.",
            ),
            (
                "آیا برای قرارداد سالانه تخفیف دارید؟",
                "ما {product} را پسندیده‌ایم اما بودجه این فصل محدود است. اگر پرداخت سالانه یا "
                "قرارداد دوساله داشته باشیم، امکان تخفیف وجود دارد؟",
            ),
        ),
        "installation": (
            (
                "نصب چقدر زمان می‌برد؟",
                "دفتر ما در {city} {count} طبقه دارد. نصب {product} چقدر طول می‌کشد و آیا "
                "در زمان نصب لازم است سیستمی خاموش شود؟",
            ),
            (
                "امکان نصب خارج از ساعت اداری",
                "برای ورود تکنسین‌ها باید از مدیریت ساختمان مجوز بگیریم. آیا نصب {product} "
                "در ساعات شب یا روز جمعه امکان‌پذیر است؟",
            ),
        ),
        "warranty": (
            (
                "گارانتی شامل چه مواردی می‌شود؟",
                "یکی از دستگاه‌های {product} بعد از {days} روز دیگر داده ارسال نمی‌کند. آیا این "
                "مورد تحت پوشش گارانتی است و برای تعویض چه باید بکنیم؟",
            ),
            (
                "تمدید گارانتی",
                "گارانتی استاندارد {product} چند سال است و آیا می‌توان آن را تا پنج سال تمدید کرد؟",
            ),
        ),
        "delivery": (
            (
                "سفارش ما کی می‌رسد؟",
                "ما {days} روز پیش {product} را سفارش دادیم و هنوز کد رهگیری دریافت نکرده‌ایم. "
                "ارسال به {city} چه زمانی انجام می‌شود؟",
            ),
            (
                "زمان تحویل",
                "اگر {count} دستگاه {product} سفارش دهیم، زمان تحویل فعلی چقدر است؟ "
                "باید تا آخر ماه همه چیز در محل باشد.",
            ),
        ),
        "competitors": (
            (
                "تفاوت شما با {competitor} چیست؟",
                "ما با {competitor} هم در حال مذاکره هستیم. مزیت {product} چیست و آیا نمونه‌ای "
                "از مشتریان هم‌صنف ما دارید؟",
            ),
            (
                "مهاجرت از {competitor}",
                "در حال حاضر از {competitor} استفاده می‌کنیم. آیا می‌توان داده‌های قبلی را به "
                "{product} منتقل کرد و حسگرهای فعلی قابل استفاده هستند؟",
            ),
        ),
        "compatibility": (
            (
                "سازگاری با سیستم مدیریت ساختمان",
                "سیستم مدیریت ساختمان ما مبتنی بر BACnet است. آیا {product} با آن یکپارچه "
                "می‌شود یا به سخت‌افزار اضافه نیاز داریم؟",
            ),
            (
                "API و ورود یکپارچه",
                "آیا {product} رابط برنامه‌نویسی (API) دارد و از ورود یکپارچه با SAML "
                "پشتیبانی می‌کند؟",
            ),
        ),
        "quality": (
            (
                "مقادیر اندازه‌گیری درست نیست",
                "از هفته گذشته دمایی که {product} در طبقه {count} نشان می‌دهد حدود سه درجه "
                "بیشتر از ترموستات است. آیا مشکل از کالیبراسیون است؟",
            ),
            (
                "قطع شدن مکرر اتصال",
                "چند دستگاه {product} هر چند ساعت یک بار قطع می‌شوند. هاب را دو بار ریستارت "
                "کرده‌ایم. چه چیز دیگری را باید بررسی کنیم؟",
            ),
        ),
        "after_sales": (
            (
                "آموزش کارکنان جدید",
                "ماه آینده چند نفر به تیم تأسیسات اضافه می‌شوند. آیا برای {product} آموزش "
                "ارائه می‌دهید و آیا در طرح پشتیبانی ما گنجانده شده است؟",
            ),
            (
                "درخواست بازدید سرویس دوره‌ای",
                "می‌خواهیم سرویس سالانه شعبه {city} را رزرو کنیم. در {days} روز آینده چه "
                "تاریخ‌هایی آزاد است؟",
            ),
        ),
    },
}

ANSWERS: dict[str, dict[str, str]] = {
    "en": {
        "price": "Thank you for your interest. The price list for {product} is attached. Volume "
        "discounts start at 10 sites, and installation is quoted after a site survey.",
        "installation": "A typical installation takes one day per two floors, and no systems "
        "need to be shut down. A technician will survey the site first.",
        "warranty": "{product} has a two-year warranty on hardware faults. We ship a replacement "
        "within three business days, and the warranty can be extended to five years.",
        "delivery": "Your order has shipped and the tracking number will reach you by email "
        "today. Standard delivery takes 5-7 business days.",
        "competitors": "Thanks for asking. {product} works on open protocols, keeps your data "
        "exportable and includes local support. We can introduce a customer in your industry.",
        "compatibility": "Yes: {product} connects to BACnet and Modbus systems through the Aster "
        "Hub, and supports SAML single sign-on and a REST API.",
        "quality": "Thank you for reporting this. Please run a recalibration from the device "
        "settings page; if the difference remains, we will replace the unit under warranty.",
        "after_sales": "Training sessions are included in the Premium Support plan. Our team "
        "will contact you to schedule a date.",
    },
    "ja": {
        "price": "お問い合わせありがとうございます。{product}の価格表を添付いたします。10拠点以上で"
        "ボリュームディスカウントが適用され、設置費用は現地調査後に別途お見積もりいたします。",
        "installation": "通常、設置は2フロアあたり1日で完了し、既存設備を停止する必要はありません。"
        "まず技術者が現地調査に伺います。",
        "warranty": "{product}にはハードウェア故障を対象とした2年間の保証が付いています。"
        "3営業日以内に交換品を発送いたします。5年までの延長保証もございます。",
        "delivery": "ご注文の商品は出荷済みです。本日中に追跡番号をメールでお送りします。"
        "通常の配送日数は5〜7営業日です。",
        "competitors": "ご質問ありがとうございます。{product}はオープンなプロトコルに対応し、"
        "データのエクスポートが可能で、国内サポートも含まれます。同業界の導入事例をご紹介できます。",
        "compatibility": "はい、{product}はAster Hubを介してBACnetおよびModbusのシステムと"
        "連携できます。SAMLによるシングルサインオンとREST APIにも対応しています。",
        "quality": "ご報告ありがとうございます。デバイス設定画面から再校正を実行してください。"
        "差が解消しない場合は保証で交換いたします。",
        "after_sales": "操作トレーニングはプレミアムサポートプランに含まれています。"
        "担当者から日程調整のご連絡を差し上げます。",
    },
    "ko": {
        "price": "문의 감사합니다. {product} 가격표를 첨부드립니다. "
        "10개 사업장 이상부터 수량 할인이 적용되며, 설치비는 현장 실사 후 별도로 견적드립니다.",
        "installation": "일반적으로 2개 층당 하루면 설치가 끝나며 "
        "기존 설비를 중단할 필요가 없습니다. 먼저 기술자가 현장 실사를 진행합니다.",
        "warranty": "{product}는 하드웨어 고장에 대해 2년 보증이 제공됩니다. "
        "영업일 기준 3일 이내에 교체품을 발송해 드리며, 5년까지 연장 보증도 가능합니다.",
        "delivery": "주문하신 제품은 출고되었습니다. 오늘 중으로 운송장 번호를 메일로 보내드리며, "
        "일반 배송은 영업일 기준 5~7일 걸립니다.",
        "competitors": "문의 감사합니다. {product}는 개방형 프로토콜을 지원하고 데이터를 자유롭게 "
        "내보낼 수 있으며 국내 지원이 포함됩니다. 같은 업종의 고객 사례도 소개해 드릴 수 있습니다.",
        "compatibility": "네, {product}는 Aster Hub를 통해 BACnet 및 Modbus 시스템과 연동됩니다. "
        "SAML SSO와 REST API도 지원합니다.",
        "quality": "알려주셔서 감사합니다. 기기 설정 화면에서 재보정을 실행해 주세요. "
        "차이가 계속되면 보증으로 교체해 드리겠습니다.",
        "after_sales": "사용 교육은 프리미엄 지원 플랜에 포함되어 있습니다. "
        "담당자가 일정 조율을 위해 연락드리겠습니다.",
    },
    "fa": {
        "price": "از تماس شما سپاسگزاریم. لیست قیمت {product} پیوست است. برای ۱۰ شعبه و بیشتر "
        "تخفیف حجمی اعمال می‌شود و هزینه نصب پس از بازدید محل جداگانه اعلام می‌شود.",
        "installation": "معمولاً نصب برای هر دو طبقه یک روز طول می‌کشد و نیازی به خاموش کردن "
        "سیستم‌های موجود نیست. ابتدا کارشناس فنی برای بازدید محل مراجعه می‌کند.",
        "warranty": "{product} دو سال گارانتی خرابی سخت‌افزار دارد. دستگاه جایگزین ظرف سه روز "
        "کاری ارسال می‌شود و امکان تمدید گارانتی تا پنج سال نیز وجود دارد.",
        "delivery": "سفارش شما ارسال شده است و کد رهگیری امروز برایتان ایمیل می‌شود. ارسال "
        "معمولاً ۵ تا ۷ روز کاری طول می‌کشد.",
        "competitors": "ممنون از سؤال شما. {product} از پروتکل‌های باز پشتیبانی می‌کند، امکان "
        "خروجی گرفتن از داده‌ها را می‌دهد و پشتیبانی محلی دارد. می‌توانیم مشتری هم‌صنف شما را "
        "معرفی کنیم.",
        "compatibility": "بله، {product} از طریق Aster Hub با سیستم‌های BACnet و Modbus یکپارچه "
        "می‌شود و از ورود یکپارچه SAML و REST API پشتیبانی می‌کند.",
        "quality": "از گزارش شما ممنونیم. لطفاً از صفحه تنظیمات دستگاه کالیبراسیون مجدد را اجرا "
        "کنید؛ اگر اختلاف باقی ماند، دستگاه در قالب گارانتی تعویض می‌شود.",
        "after_sales": "آموزش کاربری در طرح پشتیبانی ویژه گنجانده شده است. همکاران ما برای تعیین "
        "زمان با شما تماس می‌گیرند.",
    },
}
