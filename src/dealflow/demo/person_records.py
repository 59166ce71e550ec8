"""A table of generated person records with planted duplicates, for duplicate detection.

Names come from syllables with a few common names and a long tail (as real names do);
emails are built from names (so two John Smiths can share a mailbox name), and each
duplicate carries the mistakes real CRMs collect: typos, day and month swapped, a move to
another city, an email missing or changed. ``entity`` tells which records are one person.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pandas as pd

SYLLABLES = (
    "ka", "ri", "to", "mi", "sa", "len", "mar", "jo", "an", "el", "da", "vid", "li", "na",
    "ro", "bert", "son", "ha", "ley", "ton", "ber", "gi", "us", "ne", "lo", "ra", "win",
    "ford", "ash", "by", "ca", "ter", "mo", "ric", "ella", "ian", "o", "ven", "dor", "sta",
)  # fmt: skip
PROVIDERS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com")
FIRST, EPOCH, DAYS = 400, date(1940, 1, 1), 24_000


def person_records(n: int, duplicate_share: float = 0.1, seed: int = 0) -> pd.DataFrame:
    """``n`` records (record_id, first_name, last_name, dob, email, city, postcode, entity),
    about ``duplicate_share`` of them extra records of an earlier person."""
    rng = np.random.default_rng(seed)
    chance = random.Random(seed)
    people = max(1, round(n * (1 - duplicate_share)))
    first_names, last_names = _names(chance, FIRST, 1), _names(chance, max(5_000, n // 50), 2)
    cities = _names(chance, max(200, n // 500), 1)
    first = _zipf_choice(rng, first_names, people, 0.6)  # the commonest about 4% of people
    last = _zipf_choice(rng, last_names, people, 0.6)  # the commonest about 1%
    city_index = _zipf_indices(rng, len(cities), people, 0.7)
    frame = pd.DataFrame(
        {
            "first_name": first,
            "last_name": last,
            "dob": [
                (EPOCH + timedelta(days=int(d))).isoformat() for d in rng.integers(0, DAYS, people)
            ],
            "email": [_email(chance, f, s) for f, s in zip(first, last, strict=True)],
            "city": [cities[i] for i in city_index],
            "postcode": [f"{10000 + 37 * i % 89999:05d}" for i in city_index],
            "entity": np.arange(people),
        }
    )
    sources = rng.integers(0, people, n - people)
    copies = frame.iloc[sources].reset_index(drop=True)
    copies = pd.DataFrame([_corrupted(chance, row, cities) for row in copies.to_dict("records")])
    records = pd.concat([frame, copies], ignore_index=True).sample(frac=1, random_state=seed)
    records.insert(0, "record_id", np.arange(len(records)))
    return records.reset_index(drop=True)


def _names(chance: random.Random, count: int, parts: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        syllables = chance.randint(parts, parts + 2)
        names.add("".join(chance.choice(SYLLABLES) for _ in range(syllables)).capitalize())
    return sorted(names)


def _zipf_indices(rng: np.random.Generator, size: int, count: int, power: float) -> np.ndarray:
    weights = 1 / np.arange(1, size + 1) ** power
    return rng.choice(size, count, p=weights / weights.sum())


def _zipf_choice(rng: np.random.Generator, pool: list[str], count: int, power: float) -> list[str]:
    return [pool[i] for i in _zipf_indices(rng, len(pool), count, power)]


def _email(chance: random.Random, first: str, last: str) -> str | None:
    roll = chance.random()
    if roll < 0.08:
        return None
    first, last = first.lower(), last.lower()
    provider = chance.choice(PROVIDERS)
    if roll < 0.55:
        return f"{first}.{last}@{provider}"
    if roll < 0.8:
        return f"{first}{last}{chance.randint(1, 99)}@{provider}"
    return f"{first[0]}{last}{chance.randint(1, 999)}@{provider}"


def _corrupted(
    chance: random.Random, row: dict[str, object], cities: list[str]
) -> dict[str, object]:
    row = dict(row)
    for column in ("first_name", "last_name"):
        if chance.random() < 0.2:
            row[column] = _typo(chance, str(row[column]))
    if chance.random() < 0.04:
        row["first_name"] = None
    dob = str(row["dob"])
    roll = chance.random()
    if roll < 0.08 and int(dob[8:]) <= 12 and dob[5:7] != dob[8:]:
        row["dob"] = f"{dob[:4]}-{dob[8:]}-{dob[5:7]}"
    elif roll < 0.13:
        row["dob"] = _typo(chance, dob, digits=True)
    if chance.random() < 0.15:
        moved = chance.randrange(len(cities))
        row["city"], row["postcode"] = cities[moved], f"{10000 + 37 * moved % 89999:05d}"
    roll = chance.random()
    if roll < 0.15:
        row["email"] = None
    elif roll < 0.3:
        row["email"] = _email(chance, str(row["first_name"] or "x"), str(row["last_name"]))
    return row


def _typo(chance: random.Random, text: str, digits: bool = False) -> str:
    positions = [i for i, c in enumerate(text) if c.isdigit()] if digits else range(len(text))
    if not positions or len(text) < 2:
        return text
    i = chance.choice(list(positions))
    kind = "substitute" if digits else chance.choice(("substitute", "delete", "insert", "swap"))
    letter = str(chance.randint(0, 9)) if digits else chance.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "substitute":
        return text[:i] + letter + text[i + 1 :]
    if kind == "delete":
        return text[:i] + text[i + 1 :]
    if kind == "insert":
        return text[:i] + letter + text[i:]
    j = min(i + 1, len(text) - 1)
    return text[:i] + text[j] + text[i] + text[j + 1 :] if j != i else text
