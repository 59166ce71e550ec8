"""Property: whatever the CRM holds, an offline draft states nothing its facts do not
support and follows the default tone rules, in every draft language."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dealflow.personalize.context import Context, Fact
from dealflow.personalize.generators.base import DraftRequest
from dealflow.personalize.generators.offline import OfflineComposer
from dealflow.personalize.grounding import check_grounding
from dealflow.personalize.phrasebook import boilerplate
from dealflow.personalize.tone import ToneRules, check_tone
from dealflow.personalize.vocabulary import FORMS, INDUSTRIES

SCRIPTS = {
    "en": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ja": "山田太郎株式会社東京大阪製作所",
    "ko": "김민준서연한울산업주식회사",
    "fa": "کامرانامینیشرکتپخشنوین",
}


def words(language: str) -> st.SearchStrategy[str]:
    letters = SCRIPTS[language]
    word = st.text(alphabet=letters, min_size=2, max_size=8)
    return st.lists(word, min_size=1, max_size=3).map(" ".join)


@st.composite
def contexts(draw: st.DrawFn) -> Context:
    language = draw(st.sampled_from(sorted(SCRIPTS)))
    text = words(language)
    values = {
        "contact.first_name": draw(text),
        "contact.last_name": draw(text),
        "contact.language": language,
        "company.name": draw(
            st.one_of(text, st.builds(lambda w, n: f"{w} {n}", text, st.integers(1, 999).map(str)))
        ),
        "company.industry": draw(st.sampled_from([*INDUSTRIES, "Aerospace"])),
        "company.employees": str(draw(st.integers(1, 100_000))),
        "sender.name": draw(text),
        "sender.company": draw(text),
    }
    optional = {
        "contact.job_title": text,
        "question.ticket": text,
        "behaviour.webinar_attendance": text,
        "behaviour.form_submit": st.sampled_from([*FORMS, "lead_magnet_v2"]),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            values[key] = draw(strategy)
    facts = [
        Fact(key, value, key.split(".")[0], i + 1, key.split(".")[1])
        for i, (key, value) in enumerate(values.items())
    ]
    for kind in ("news", "product"):
        if draw(st.booleans()):
            url = f"https://{draw(st.sampled_from(['a.example', 'b.example']))}/{kind}"
            facts.append(Fact(f"research.{kind}", draw(text), "companies", 99, kind, url))
    return Context(None, facts)


@settings(max_examples=150, deadline=None)
@given(contexts())
def test_offline_drafts_are_grounded_and_on_tone_by_construction(context: Context) -> None:
    draft = OfflineComposer().generate(DraftRequest(context, ToneRules()))
    language = context.language
    report = check_grounding(
        draft.subject, draft.body, context.facts, language, allowed=boilerplate(language)
    )
    assert report.unsupported == []
    quoted = tuple(part for fact in context.facts for part in (fact.value, fact.detail) if part)
    assert check_tone(draft.subject, draft.body, language, ToneRules(), quoted=quoted) == []
