"""Persons and the companies they work at, drawn one by one (no population held in memory).

Companies are created lazily: each company receives a run of consecutive persons, and a
person's rank inside the company picks a (first, last) name pair that no colleague shares,
so work addresses never collide without keeping a set of used addresses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

from ingestion.generator import vocab

_INDUSTRY_NAMES = [name for name, _ in vocab.INDUSTRIES]
_INDUSTRY_WEIGHTS = [weight for _, weight in vocab.INDUSTRIES]
_COUNTRY_WEIGHTS = [row[1] for row in vocab.COUNTRIES]
_SENIORITIES = list(vocab.TITLES)
_SENIORITY_WEIGHTS = [vocab.TITLES[level][0] for level in _SENIORITIES]
_NAME_PAIRS = len(vocab.COMPANY_WORDS_A) * len(vocab.COMPANY_WORDS_B)


@dataclass(frozen=True, slots=True)
class Company:
    index: int
    name: str
    domain: str
    industry: str
    employee_count: int
    annual_revenue: float
    country_row: tuple[str, int, str, int, str]
    state: str | None
    email_pattern: str
    name_seed_first: int
    name_seed_last: int
    is_competitor: bool = False


@dataclass(slots=True)
class Person:
    index: int
    person_id: str
    first_name: str
    last_name: str
    email: str
    title: str
    seniority: str
    company: Company
    phone: str
    email_kind: str  # work | free | role | competitor | test
    fit: float
    is_test: bool = False

    @property
    def country(self) -> str:
        return self.company.country_row[0]

    @property
    def personal_email(self) -> str:
        """A private address some forms ask for beside the work address."""
        if self.email_kind == "free":
            return self.email
        return f"{self.first_name}.{self.last_name}{self.index}@gmail.com".lower()

    @property
    def is_good_fit(self) -> bool:
        return self.fit >= 2.0


def _slug(text: str) -> str:
    return "".join(char for char in text.lower() if char.isalnum())


def _company_name(index: int) -> str:
    cycle, base = divmod(index, _NAME_PAIRS)
    permuted = (base * 1_777) % _NAME_PAIRS  # 1777 is prime and coprime with the pair count
    first, second = divmod(permuted, len(vocab.COMPANY_WORDS_B))
    name = f"{vocab.COMPANY_WORDS_A[first]} {vocab.COMPANY_WORDS_B[second]}"
    if cycle:
        words = vocab.COMPANY_WORDS_C
        name += f" {words[(cycle - 1) % len(words)]}"
        if cycle > len(words):
            name += f" {(cycle - 1) // len(words) + 1}"
    return name


def name_for_rank(company: Company, rank: int) -> tuple[str, str]:
    """The rank-th colleague's name; distinct pairs for ranks below |first| * |last|."""
    first_count, last_count = len(vocab.FIRST_NAMES), len(vocab.LAST_NAMES)
    first = vocab.FIRST_NAMES[(company.name_seed_first + rank) % first_count]
    last_index = company.name_seed_last + rank // first_count + 37 * rank
    return first, vocab.LAST_NAMES[last_index % last_count]


def fit_of(industry: str, employee_count: int, seniority: str, email_kind: str) -> float:
    """The latent fit the generator's world uses (mirrors the default fit rules)."""
    fit = 1.0 if industry in vocab.GOOD_FIT_INDUSTRIES else 0.0
    fit += 1.0 if 50 <= employee_count <= 1000 else 0.0
    fit += vocab.SENIORITY_FIT[seniority]
    if email_kind == "free":
        fit -= 0.5
    if email_kind == "competitor":
        fit -= 3.0
    return fit


_TEST_COMPANY = Company(
    index=-100,
    name="Acme Corp",
    domain="acme.com",
    industry="Software",
    employee_count=200,
    annual_revenue=30_000_000.0,
    country_row=vocab.COUNTRIES[0],
    state="NY",
    email_pattern="first.last",
    name_seed_first=0,
    name_seed_last=0,
)


class PeopleFactory:
    """Draws persons in index order; deterministic for a seed."""

    def __init__(self, seed: int) -> None:
        self._rng = Random(f"{seed}:people")
        self._company: Company | None = None
        self._remaining = 0
        self._rank = 0
        self._companies = 0
        self._competitors: dict[str, tuple[Company, int]] = {}

    def _new_company(self) -> Company:
        rng = self._rng
        index = self._companies
        self._companies += 1
        # Employee counts spread log-uniformly over 5..50,000, denser in the middle.
        exponent = min(max(rng.gauss(2.4, 0.9), math.log10(5)), math.log10(50_000))
        employees = int(10**exponent)
        country_row = rng.choices(vocab.COUNTRIES, _COUNTRY_WEIGHTS)[0]
        name = _company_name(index)
        suffix = rng.choice(vocab.COMPANY_SUFFIXES)
        return Company(
            index=index,
            name=name + suffix,
            domain=f"{_slug(name)}.{rng.choice(vocab.TLDS)}",
            industry=rng.choices(_INDUSTRY_NAMES, _INDUSTRY_WEIGHTS)[0],
            employee_count=employees,
            annual_revenue=float(round(employees * rng.uniform(80_000, 260_000), -3)),
            country_row=country_row,
            state=rng.choice(vocab.US_STATES) if country_row[0] == "United States" else None,
            email_pattern=rng.choices(
                ("first.last", "first_last", "firstlast", "first"),
                (70, 12, 12, 6 if employees <= 30 else 0),
            )[0],
            name_seed_first=rng.randrange(len(vocab.FIRST_NAMES)),
            name_seed_last=rng.randrange(len(vocab.LAST_NAMES)),
        )

    def _competitor(self) -> tuple[Company, int]:
        name, domain, industry, employees = self._rng.choice(vocab.COMPETITORS)
        company, rank = self._competitors.get(name, (None, 0))
        if company is None:
            company = Company(
                index=-1 - len(self._competitors),
                name=name,
                domain=domain,
                industry=industry,
                employee_count=employees,
                annual_revenue=float(employees * 150_000),
                country_row=vocab.COUNTRIES[0],
                state="CA",
                email_pattern="first.last",
                name_seed_first=len(self._competitors) * 11,
                name_seed_last=len(self._competitors) * 17,
                is_competitor=True,
            )
        self._competitors[name] = (company, rank + 1)
        return company, rank

    def _next_slot(self) -> tuple[Company, int]:
        if self._rng.random() < 0.004:
            return self._competitor()
        if self._remaining <= 0 or self._company is None:
            self._company = self._new_company()
            size = self._company.employee_count
            leads = int(self._rng.paretovariate(1.6))
            self._remaining = max(1, min(leads + (size > 1000), size, 400))
            self._rank = 0
        self._remaining -= 1
        self._rank += 1
        return self._company, self._rank - 1

    def next_person(self, index: int) -> Person:
        """The person with this index (call with 0, 1, 2, ... in order)."""
        rng = self._rng
        company, rank = self._next_slot()
        first, last = name_for_rank(company, rank)
        seniority = rng.choices(_SENIORITIES, _SENIORITY_WEIGHTS)[0]
        if company.employee_count <= 20 and rank == 0 and rng.random() < 0.5:
            seniority = "clevel"
        title = rng.choice(vocab.TITLES[seniority][1])
        first_l, last_l = first.lower(), last.lower()
        if company.is_competitor:
            kind, email = "competitor", f"{first_l}.{last_l}@{company.domain}"
        elif rng.random() < (0.45 if seniority in ("student", "intern") else 0.09):
            kind = "free"
            email = f"{first_l}.{last_l}{index}@{rng.choice(vocab.FREE_MAIL_DOMAINS)}"
        elif rank == 0 and company.employee_count < 50 and rng.random() < 0.2:
            kind, email = "role", f"{rng.choice(vocab.ROLE_LOCAL_PARTS)}@{company.domain}"
        else:
            kind = "work"
            local = {
                "first.last": f"{first_l}.{last_l}",
                "first_last": f"{first_l}_{last_l}",
                "firstlast": f"{first_l}{last_l}",
                "first": first_l,
            }[company.email_pattern]
            email = f"{local}@{company.domain}"
        country_row = company.country_row
        phone = f"{country_row[2]} {rng.randrange(200, 999)} {rng.randrange(1_000_000, 9_999_999)}"
        return Person(
            index=index,
            person_id=f"P{index + 1:07d}",
            first_name=first,
            last_name=last,
            email=email,
            title=title,
            seniority=seniority,
            company=company,
            phone=phone,
            email_kind=kind,
            fit=fit_of(company.industry, company.employee_count, seniority, kind),
        )

    def test_person(self, number: int, rng: Random) -> Person:
        """A QA/test identity (only in dirty landing zones); `rng` is the fault stream."""
        company = _TEST_COMPANY
        pattern = rng.choice(("mailinator", "test", "qa"))
        email = {
            "mailinator": f"lead{number}@mailinator.com",
            "test": f"test+{number}@{company.domain}",
            "qa": f"qa+{number}@{company.domain}",
        }[pattern]
        return Person(
            index=10_000_000 + number,
            person_id=f"T{number:07d}",
            first_name="Test",
            last_name=f"User{number}",
            email=email,
            title="QA Engineer",
            seniority="ic",
            company=company,
            phone="+1 555 0100000",
            email_kind="test",
            fit=0.0,
            is_test=True,
        )
