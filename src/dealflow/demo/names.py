"""Name pools for people and companies, in native script with a Latin form for addresses.

Each entry is ``(native, latin)``; the Latin form builds email local parts and domains.
"""

from __future__ import annotations

Name = tuple[str, str]

# fmt: off

GIVEN_NAMES: dict[str, tuple[Name, ...]] = {
    "en": tuple(
        (name, name.lower())
        for name in (
            "James", "Michael", "David", "Daniel", "Matthew", "Andrew", "Christopher", "Ryan",
            "Kevin", "Brian", "Thomas", "Jason", "Eric", "Mark", "Steven", "Samuel", "Oliver",
            "Jack", "Harry", "George", "Emily", "Sarah", "Jessica", "Jennifer", "Laura",
            "Rachel", "Megan", "Hannah", "Olivia", "Sophie", "Amelia", "Charlotte", "Lauren",
            "Natalie", "Rebecca", "Grace", "Chloe", "Katherine", "Emma", "Priya",
        )
    ),
    "ja": (
        ("健太", "kenta"), ("翔太", "shota"), ("大輔", "daisuke"), ("拓也", "takuya"),
        ("直樹", "naoki"), ("雄一", "yuichi"), ("浩二", "koji"), ("誠", "makoto"),
        ("隆", "takashi"), ("亮", "ryo"), ("悠斗", "yuto"), ("蓮", "ren"), ("和也", "kazuya"),
        ("慎也", "shinya"), ("健一", "kenichi"), ("聡", "satoshi"), ("陽介", "yosuke"),
        ("修", "osamu"), ("陽子", "yoko"), ("美咲", "misaki"), ("由美", "yumi"),
        ("恵子", "keiko"), ("直美", "naomi"), ("愛", "ai"), ("さくら", "sakura"),
        ("結衣", "yui"), ("麻衣", "mai"), ("彩", "aya"), ("真由美", "mayumi"),
        ("香織", "kaori"), ("智子", "tomoko"), ("千尋", "chihiro"), ("美穂", "miho"),
        ("ひかり", "hikari"), ("奈々", "nana"), ("早紀", "saki"), ("優子", "yuko"),
        ("あおい", "aoi"),
    ),
    "ko": (
        ("민준", "minjun"), ("서준", "seojun"), ("도윤", "doyun"), ("예준", "yejun"),
        ("시우", "siwoo"), ("지호", "jiho"), ("준호", "junho"), ("현우", "hyunwoo"),
        ("성민", "sungmin"), ("동현", "donghyun"), ("재현", "jaehyun"), ("영수", "youngsoo"),
        ("상철", "sangcheol"), ("정훈", "junghoon"), ("태양", "taeyang"), ("승우", "seungwoo"),
        ("서연", "seoyeon"), ("서윤", "seoyun"), ("지우", "jiwoo"), ("하은", "haeun"),
        ("민서", "minseo"), ("지민", "jimin"), ("수빈", "subin"), ("예은", "yeeun"),
        ("은지", "eunji"), ("혜진", "hyejin"), ("미영", "miyoung"), ("지영", "jiyoung"),
        ("수진", "sujin"), ("유진", "yujin"), ("다은", "daeun"), ("소연", "soyeon"),
    ),
    "fa": (
        ("محمد", "mohammad"), ("علی", "ali"), ("حسین", "hossein"), ("رضا", "reza"),
        ("مهدی", "mehdi"), ("امیر", "amir"), ("سعید", "saeed"), ("حمید", "hamid"),
        ("مجید", "majid"), ("بهزاد", "behzad"), ("کامران", "kamran"), ("آرش", "arash"),
        ("پویا", "pouya"), ("سینا", "sina"), ("فرهاد", "farhad"), ("بابک", "babak"),
        ("فاطمه", "fatemeh"), ("زهرا", "zahra"), ("مریم", "maryam"), ("سارا", "sara"),
        ("نگار", "negar"), ("لیلا", "leila"), ("نازنین", "nazanin"), ("الهام", "elham"),
        ("شیرین", "shirin"), ("پریسا", "parisa"), ("مهسا", "mahsa"), ("سمیرا", "samira"),
        ("آزاده", "azadeh"), ("ترانه", "taraneh"), ("یاسمن", "yasaman"), ("نسرین", "nasrin"),
    ),
}

FAMILY_NAMES: dict[str, tuple[Name, ...]] = {
    "en": tuple(
        (name, name.lower())
        for name in (
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Thompson", "White",
            "Harris", "Clark", "Lewis", "Walker", "Hall", "Allen", "Young", "King", "Wright",
            "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts",
            "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Patel",
            "Nguyen", "Murphy", "Hughes", "Wood", "Garcia", "Khan", "Reed",
        )
    ),
    "ja": (
        ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"),
        ("伊藤", "ito"), ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"),
        ("小林", "kobayashi"), ("加藤", "kato"), ("吉田", "yoshida"), ("山田", "yamada"),
        ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"), ("井上", "inoue"),
        ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
        ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"),
        ("阿部", "abe"), ("石川", "ishikawa"), ("前田", "maeda"), ("藤田", "fujita"),
        ("小川", "ogawa"), ("岡田", "okada"), ("後藤", "goto"), ("長谷川", "hasegawa"),
        ("村上", "murakami"), ("近藤", "kondo"), ("石井", "ishii"), ("坂本", "sakamoto"),
        ("遠藤", "endo"), ("青木", "aoki"), ("藤井", "fujii"), ("西村", "nishimura"),
    ),
    "ko": (
        ("김", "kim"), ("이", "lee"), ("박", "park"), ("최", "choi"), ("정", "jung"),
        ("강", "kang"), ("조", "cho"), ("윤", "yoon"), ("장", "jang"), ("임", "lim"),
        ("한", "han"), ("오", "oh"), ("서", "seo"), ("신", "shin"), ("권", "kwon"),
        ("황", "hwang"), ("안", "ahn"), ("송", "song"), ("류", "ryu"), ("홍", "hong"),
        ("전", "jeon"), ("고", "ko"), ("문", "moon"), ("양", "yang"), ("손", "son"),
    ),
    "fa": (
        ("رضایی", "rezaei"), ("محمدی", "mohammadi"), ("حسینی", "hosseini"),
        ("احمدی", "ahmadi"), ("کریمی", "karimi"), ("موسوی", "mousavi"), ("جعفری", "jafari"),
        ("صادقی", "sadeghi"), ("رحیمی", "rahimi"), ("حیدری", "heydari"), ("کاظمی", "kazemi"),
        ("نوری", "nouri"), ("اکبری", "akbari"), ("قاسمی", "ghasemi"), ("عباسی", "abbasi"),
        ("شریفی", "sharifi"), ("طاهری", "taheri"), ("نجفی", "najafi"), ("مرادی", "moradi"),
        ("تهرانی", "tehrani"), ("امینی", "amini"), ("سلیمانی", "soleimani"),
        ("یوسفی", "yousefi"), ("فرهادی", "farhadi"), ("بهرامی", "bahrami"),
    ),
}

# fmt: on


def full_name(language: str, given: str, family: str) -> str:
    """A person's name as written in their language (family name first in Japanese and
    Korean, Korean without a space)."""
    if language == "ja":
        return f"{family} {given}"
    if language == "ko":
        return f"{family}{given}"
    return f"{given} {family}"


# fmt: off
COMPANY_STEMS: dict[str, tuple[Name, ...]] = {
    "en": tuple(
        (stem, stem.lower())
        for stem in (
            "Northwind", "Bluebird", "Redwood", "Summit", "Harbor", "Lakeside", "Granite",
            "Pioneer", "Evergreen", "Silverline", "Crescent", "Meridian", "Beacon", "Oakridge",
            "Keystone", "Riverstone", "Brightwater", "Ironwood", "Clearwater", "Highland",
            "Westfield", "Ashford", "Sterling", "Cobalt", "Maple", "Foxglove", "Kingsbridge",
            "Bayview", "Copperfield", "Stonebridge",
        )
    ),
    "ja": (
        ("さくら", "sakura"), ("富士", "fuji"), ("東洋", "toyo"), ("大和", "yamato"),
        ("日の出", "hinode"), ("青葉", "aoba"), ("北斗", "hokuto"), ("ひかり", "hikari"),
        ("若葉", "wakaba"), ("みどり", "midori"), ("白鷺", "shirasagi"), ("高砂", "takasago"),
        ("千代田", "chiyoda"), ("城南", "jonan"), ("中央", "chuo"), ("浪速", "naniwa"),
        ("湘南", "shonan"), ("北陸", "hokuriku"), ("九州", "kyushu"), ("東海", "tokai"),
        ("三和", "sanwa"), ("新星", "shinsei"), ("飛鳥", "asuka"), ("葵", "aoi"),
    ),
    "ko": (
        ("한빛", "hanbit"), ("새론", "saeron"), ("푸른", "pureun"), ("다온", "daon"),
        ("누리", "nuri"), ("하늘", "haneul"), ("미래", "mirae"), ("대한", "daehan"),
        ("세진", "sejin"), ("동방", "dongbang"), ("청솔", "cheongsol"), ("한결", "hangyeol"),
        ("가온", "gaon"), ("솔빛", "solbit"), ("태평", "taepyeong"), ("신성", "sinseong"),
        ("대성", "daesung"), ("해오름", "haeoreum"), ("한울", "hanul"), ("은하", "eunha"),
    ),
    "fa": (
        ("پارس", "pars"), ("آریا", "aria"), ("سپهر", "sepehr"), ("نوین", "novin"),
        ("البرز", "alborz"), ("کاوه", "kaveh"), ("مهر", "mehr"), ("آفتاب", "aftab"),
        ("زاگرس", "zagros"), ("دماوند", "damavand"), ("پیشگامان", "pishgaman"),
        ("آینده", "ayandeh"), ("آسمان", "aseman"), ("رایان", "rayan"), ("پرتو", "parto"),
        ("نیک", "nik"), ("ارغوان", "arghavan"), ("بهار", "bahar"), ("ستاره", "setareh"),
        ("کیان", "kian"),
    ),
}

INDUSTRY_WORDS: dict[str, dict[str, tuple[Name, ...]]] = {
    "en": {
        "manufacturing": (("Manufacturing", "mfg"), ("Industries", "industries"),
                          ("Precision", "precision")),
        "logistics": (("Logistics", "logistics"), ("Freight", "freight"),
                      ("Distribution", "distribution")),
        "real_estate": (("Properties", "properties"), ("Realty", "realty"),
                        ("Estates", "estates")),
        "healthcare": (("Health", "health"), ("Medical", "medical"), ("Care", "care")),
        "retail": (("Retail", "retail"), ("Stores", "stores"), ("Supply", "supply")),
        "software": (("Software", "software"), ("Labs", "labs"), ("Digital", "digital")),
        "construction": (("Construction", "construction"), ("Builders", "builders")),
        "food": (("Foods", "foods"), ("Kitchens", "kitchens")),
        "energy": (("Energy", "energy"), ("Power", "power")),
        "education": (("Learning", "learning"), ("Academy", "academy")),
        "hospitality": (("Hotels", "hotels"), ("Hospitality", "hospitality")),
    },
    "ja": {
        "manufacturing": (("精機", "seiki"), ("製作所", "seisakusho"), ("工業", "kogyo")),
        "logistics": (("物流", "butsuryu"), ("運輸", "unyu")),
        "real_estate": (("不動産", "fudosan"), ("地所", "jisho")),
        "healthcare": (("メディカル", "medical"), ("医療サービス", "iryo")),
        "retail": (("商事", "shoji"), ("ストア", "store")),
        "software": (("ソフトウェア", "software"), ("システムズ", "systems"), ("テック", "tech")),
        "construction": (("建設", "kensetsu"), ("工務店", "komuten")),
        "food": (("食品", "shokuhin"), ("フーズ", "foods")),
        "energy": (("電力", "denryoku"), ("エナジー", "energy")),
        "education": (("学園", "gakuen"), ("教育サービス", "kyoiku")),
        "hospitality": (("ホテルズ", "hotels"), ("観光", "kanko")),
    },
    "ko": {
        "manufacturing": (("정밀", "precision"), ("산업", "industry")),
        "logistics": (("물류", "logis"), ("로지스", "logistics")),
        "real_estate": (("부동산", "realty"), ("개발", "dev")),
        "healthcare": (("메디컬", "medical"), ("헬스케어", "healthcare")),
        "retail": (("유통", "retail"), ("상사", "trading")),
        "software": (("소프트", "soft"), ("테크", "tech"), ("시스템", "systems")),
        "construction": (("건설", "enc"), ("종합건설", "construction")),
        "food": (("식품", "food"), ("푸드", "foods")),
        "energy": (("에너지", "energy"), ("전력", "power")),
        "education": (("교육", "edu"), ("에듀", "education")),
        "hospitality": (("호텔", "hotel"), ("리조트", "resort")),
    },
    "fa": {
        "manufacturing": (("گروه صنعتی", "industrial"), ("صنایع", "sanaye")),
        "logistics": (("حمل‌ونقل", "haml"), ("پخش", "pakhsh")),
        "real_estate": (("املاک", "amlak"), ("مسکن", "maskan")),
        "healthcare": (("تجهیزات پزشکی", "medical"), ("درمانی", "darman")),
        "retail": (("فروشگاه‌های زنجیره‌ای", "stores"), ("بازرگانی", "bazargani")),
        "software": (("نرم‌افزاری", "software"), ("فناوری اطلاعات", "it"),
                     ("داده‌پردازی", "data")),
        "construction": (("ساختمانی", "sakhteman"), ("عمران", "omran")),
        "food": (("صنایع غذایی", "food"), ("لبنیات", "labaniat")),
        "energy": (("انرژی", "energy"), ("نیرو", "niroo")),
        "education": (("مؤسسه آموزشی", "amoozesh"), ("آموزشگاه", "edu")),
        "hospitality": (("هتل‌های", "hotels"), ("گردشگری", "tour")),
    },
}

COMPANY_FORMS: dict[str, tuple[tuple[str, float], ...]] = {
    "en": (("{stem} {word}", 3), ("{stem} {word} Inc.", 2), ("{stem} {word} LLC", 1),
           ("{stem} {word} Group", 1)),
    "ja": (("株式会社{stem}{word}", 5), ("{stem}{word}株式会社", 3), ("{stem}{word}", 1)),
    "ko": (("(주){stem}{word}", 4), ("{stem}{word} 주식회사", 2), ("주식회사 {stem}{word}", 2)),
    "fa": (("{word} {stem}", 3), ("شرکت {word} {stem}", 3), ("گروه {word} {stem}", 1)),
}
"""How a company name is put together from a stem and an industry word, with weights."""
# fmt: on
