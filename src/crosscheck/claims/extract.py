"""Figure extraction: every quantity an article states, as claims with subject, kind, period and speaker.

Only the sentences that look like they hold a figure or a quote are parsed (see :mod:`windows`), in batches
with ``nlp.pipe``; the Matcher finds the figures (:mod:`mentions`), and the parse decides what each is about
(:mod:`subjects`), which kind it is (:mod:`kinds`), for when (:mod:`periods`) and who says so (:mod:`speakers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crosscheck.claims import counts, units
from crosscheck.claims.gazetteer import EUROPE, NATO, canonical_place, is_country
from crosscheck.claims.kinds import FORECAST, REPORTED, TARGET, classify
from crosscheck.claims.memory import Memory
from crosscheck.claims.mentions import Mention, MentionFinder
from crosscheck.claims.nlp import pipeline
from crosscheck.claims.periods import find_period
from crosscheck.claims.quotes import find_quotes
from crosscheck.claims.speakers import find_speaker
from crosscheck.claims.subjects import SubjectResolver, is_place
from crosscheck.claims.things import measured_thing, named_group
from crosscheck.claims.tokens import is_verb, lemma, pos
from crosscheck.claims.windows import Window, sentence_spans, windows
from crosscheck.credits import blank_credits
from crosscheck.figures import ArticleFigures, Claim, Quote

_ALLIANCE = re.compile(r"\b(?:NATO|Nato|North Atlantic)\b")  # "alliance" alone is any alliance
_TEMPORAL_BEFORE = frozenset({"last", "past", "previous", "recent", "first", "next"})
_TEMPORAL_AFTER = frozenset({"ago", "old", "later", "earlier", "since"})
_TIME_WORDS = counts.TIME_UNITS | counts.YEAR_UNITS | {"century", "season", "term", "period", "tournament"}
_MEASURED_BY = frozenset({"of", "into", "away"})  # "ten years of …", "ten years into …", "a year away"
UNOWNED = "\0unowned:"  # prefix of a subject guessed for a target whose sentence names no owner
TOPICAL = "\0topic:"  # prefix of a subject taken from what the article is about: its sentence names none
_EMPHASIS = str.maketrans({"*": " ", "_": " "})
_PLACE_UNITS = (units.PERCENT_GDP, "currency_usd", "currency_eur", "currency_gbp")


class ClaimExtractor:
    """Extracts :class:`Claim` s and quotes from article texts; the spaCy model loads on first use."""

    def __init__(self, *, quotes: bool = True, batch_size: int = 64) -> None:
        self.quotes = quotes
        self.batch_size = batch_size
        self._finder: MentionFinder | None = None

    def extract(self, text: str, published: str | None = None) -> ArticleFigures:
        """The claims and quotes of one article (``published``: its ISO date, for "last year")."""
        return self.extract_many([(text, published)])[0]

    def extract_many(self, articles: Iterable[tuple[str, str | None]]) -> list[ArticleFigures]:
        """Claims and quotes for each (text, published) pair, parsed in batches."""
        items = list(articles)
        plans = [windows(text) for text, _ in items]
        nlp = pipeline()
        if self._finder is None:
            self._finder = MentionFinder(nlp.vocab)
        jobs = [(n, w) for n, plan in enumerate(plans) for w in plan]
        texts = [_plain(text) for text, _ in items]
        docs = nlp.pipe((texts[n][w.start : w.end] for n, w in jobs), batch_size=self.batch_size)
        parsed: list[list[tuple[Window, Any]]] = [[] for _ in items]
        for (n, window), doc in zip(jobs, docs, strict=True):
            parsed[n].append((window, doc))
        return [self._read(text, texts[n], published, parsed[n]) for n, (text, published) in enumerate(items)]

    # --- one article ----------------------------------------------------------------------------------

    def _read(self, text: str, plain: str, published: str | None, parsed: list[tuple[Window, Any]]) -> ArticleFigures:
        """The figures and quotes of one article (``plain``: its text with credits blanked, as parsed)."""
        assert self._finder is not None
        memory = Memory()
        alliance = bool(_ALLIANCE.search(text))
        article_gdp = units.mentions_gdp(text)
        found = ArticleFigures()
        recent: list[Any] = []  # the sentences parsed just before, for what a figure's sentence leaves unsaid
        starts: list[int] = []
        parsed_at: dict[int, tuple[Any, SubjectResolver]] = {}
        memory.learn_names(plain)
        for window, doc in parsed:  # every name first: "Trump" in the lead is the "Donald Trump" named later
            for sent in doc.sents:
                memory.observe(sent, window.start)
        topic, topic_is_person = memory.topic()
        for window, doc in parsed:
            resolver = SubjectResolver(memory, window.start, alliance_context=alliance)
            resolver.recent_start = starts[-2] if len(starts) >= 2 else 0
            resolver.article_gdp = article_gdp
            resolver.topic = topic
            resolver.topic_is_person = topic_is_person
            starts.append(window.start)
            parsed_at[window.start] = (doc, resolver)
            recent = [*recent[-2:], doc]
            context = recent  # the sentence and the two parsed before it
            for mention in _mentions(self._finder, doc):
                for claim in self._claims(mention, window.start, resolver, published, context):
                    found.claims.append(claim)
                    if is_place(claim.subject):
                        memory.note_subject(claim.figure_start, claim.subject)
        settle_unowned(found.claims)
        found.claims = settle_topical(found.claims)
        found.claims = merge_claims(found.claims)
        if self.quotes:
            found.quotes = find_quotes(text, sentence_spans(text), parsed_at, memory)
            for claim in found.claims:
                claim.speaker = claim.speaker or _quoted_by(found.quotes, claim.figure_start)
        return found

    def _claims(
        self,
        mention: Mention,
        offset: int,
        resolver: SubjectResolver,
        published: str | None,
        context: list[Any],
    ) -> list[Claim]:
        span, anchor = mention.span, mention.anchor
        sent = span.sent
        if not _is_claim(mention) or not any(is_verb(t) for t in sent):
            return []  # not a figure; or a fragment without a verb ("124 Articles", a caption, a menu)
        unit = _unit(mention, context, resolver.article_gdp)
        skip = {t.i for t in span}
        kind = classify(span)
        period = find_period(anchor, skip, published, target=kind == TARGET)
        if kind == FORECAST and period is not None and published and period < int(published[:4]):
            kind = REPORTED  # an estimate of a year already past is a report of it
        if kind == REPORTED and mention.quantity in ("PERCENT", "MONEY") and _negated(anchor):
            return []  # "are not even spending 2% yet" states no figure for them
        if _of_sources(mention):
            return []  # "45% of the sources are…": who a report cites, like "two officials said", is no figure
        subjects = _subjects(mention, resolver, skip, unit, kind)
        figure_start, figure_end = offset + span.start_char, offset + span.end_char
        speaker = find_speaker(anchor, resolver)
        evidence = sent.text.strip()
        start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        return [
            Claim(
                value=mention.value,
                value_high=mention.value_high,
                unit=unit,
                subject=subject,
                kind=kind,
                period=period,
                speaker=speaker,
                evidence=evidence,
                start=start,
                end=start + len(evidence),
                figure_start=figure_start,
                figure_end=figure_end,
            )
            for subject in subjects
        ]


def _plain(text: str) -> str:
    """Markdown emphasis ("**Eveliina Heinäluoma**") and photo credits ("Saul Loeb/AFP/Getty Images", "toggle
    caption") blanked out, keeping every character offset: a credit names nobody a figure is about."""
    return blank_credits(text.translate(_EMPHASIS))


def _unit(mention: Mention, context: list[Any], article_gdp: bool) -> str:
    if mention.quantity == "PERCENT":
        return units.percent_unit(mention.span, context, article_gdp=article_gdp)
    if mention.quantity == "MONEY":
        return mention.currency or "currency_usd"
    return {"COUNT": units.COUNT, "YEARS": units.YEARS, "FRACTION": units.FRACTION}[mention.quantity]


def _is_claim(mention: Mention) -> bool:
    """Durations only when they measure something ("within three to five years", "take 5 to 15 years", "a
    16-year moratorium", "10 years of free monitoring", "ten years into the recovery"), not when they place an
    event in time ("three years ago", "for the past two years")."""
    span = mention.span
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if mention.quantity == "YEARS":
        if before in _TEMPORAL_BEFORE or after in _TEMPORAL_AFTER or before in ("for", "since"):
            return False
        if span[0].lower_ in ("a", "one") and after == "of":
            return False  # "a year of action", "a decade of war": a phrase, not a measured span
        if mention.value_high is not None or any(t.text in ("-", "–") for t in span) or after in _MEASURED_BY:
            return True
        takes = any(lemma(t) == "take" for t in (span.root, span.root.head, span.root.head.head))
        return takes or (before == "within" and not _other_figures(span))
    if mention.quantity == "FRACTION":  # "the first half of the year" is a period, not a share
        return not (before in ("first", "second", "last") or _of_time(span))
    return True


def _of_time(span: Any) -> bool:
    of = span[-1]
    return any(c.dep_ == "pobj" and c.lower_ in _TIME_WORDS for c in of.children)


def _of_sources(mention: Mention) -> bool:
    doc = mention.span.doc
    of = doc[mention.span.end] if mention.span.end < len(doc) else None
    if of is None or of.lower_ != "of":
        return False
    return any(c.dep_ == "pobj" and lemma(c) in counts.SOURCE_NOUNS for c in of.children)


def _other_figures(span: Any) -> bool:
    return any(t.i not in range(span.start, span.end) and (t.text == "%" or t.lower_ in ("cent", "percent"))
               for t in span.sent)  # fmt: skip


def _mentions(finder: MentionFinder, doc: Any) -> list[Mention]:
    """The Matcher's figures (percentages, money, durations, fractions), then the counts among the rest."""
    found, taken = finder.find_with_tokens(doc)
    return sorted([*found, *counts.find(doc, taken)], key=lambda m: m.span.start)


def _negated(anchor: Any) -> bool:
    node = anchor
    for _ in range(4):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if pos(node) in ("VERB", "AUX") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _subjects(mention: Mention, resolver: SubjectResolver, skip: set[int], unit: str, kind: str) -> list[str]:
    """Whom the figure is about (several for "Estonia and Latvia on 3.4%"); empty when the text does not say."""
    if mention.quantity == "COUNT" and mention.group is not None:
        group = resolver.group(mention.group)
        if group:
            return [group]
    frozen = frozenset(skip)
    if mention.quantity == "COUNT":
        group = named_group(mention.anchor, frozen)
        if group:
            return [group]
    owner = _partitive_owner(mention, resolver) if mention.quantity == "FRACTION" else None
    subjects = [owner] if owner else resolver.resolve(mention.anchor, skip)
    # A figure no one is named as owning is about what it measures, unless the article is about a place or an
    # organisation: then it is theirs ("Equifax will pay…", the settlement's terms), as the fallback below says.
    if not subjects and unit != units.PERCENT_GDP and (resolver.topic is None or resolver.topic_is_person):
        thing = measured_thing(mention.anchor, frozen)
        if thing:
            return [thing]
    if not subjects and kind in (TARGET, FORECAST) and resolver.alliance_context:
        return [UNOWNED + _topic(mention, resolver)]  # settled once the whole article is read
    if subjects and unit == units.PERCENT_GDP and not is_place(subjects[0]):
        return [_country_of_person(subjects[0], mention, resolver)]
    if not subjects:  # the sentence does not say: what the article is about
        fallback = NATO if resolver.alliance_context else resolver.topic
        return [TOPICAL + fallback] if fallback else []
    return subjects


def _topic(mention: Mention, resolver: SubjectResolver) -> str:
    """A guess at whose an unowned target is: the country its sentence is framed by ("For the UK, …"), else a
    country the figures just before were about, else the alliance."""
    for token in mention.span.sent:
        prep = token.head
        framed = prep.lower_ in ("for", "in") and prep.dep_ == "prep" and prep.head.dep_ == "ROOT"
        if framed and token.dep_ == "pobj" and prep.i < mention.span.start and is_country(canonical_place(token.text)):
            return str(canonical_place(token.text))
    at = resolver.offset + mention.span.start_char
    recent = resolver.memory.last_figure_subject(at, since=resolver.recent_start)
    return recent if is_country(recent) and recent is not None else NATO


def _country_of_person(person: str, mention: Mention, resolver: SubjectResolver) -> str:
    """A share of GDP is a country's: the person's country, else the one country the sentence or text names."""
    known = resolver.memory.country_of(person)
    if known:
        return known
    places = {canonical_place(t.text) for t in mention.span.sent if t.ent_type_ in ("GPE", "NORP")}
    places.discard(None)
    if len(places) == 1:
        return str(places.pop())
    at = resolver.offset + mention.span.start_char
    return resolver.memory.last_place(at, countries_only=True) or person


def _partitive_owner(mention: Mention, resolver: SubjectResolver) -> str | None:
    of = mention.span[-1]
    for pobj in of.children:
        if pobj.dep_ == "pobj" and (pos(pobj) == "PRON" or lemma(pobj) in ("member", "ally", "country")):
            return resolver.phrase(pobj)
    return None


def _quoted_by(quotes: list[Quote], at: int) -> str | None:
    for quote in quotes:
        if quote.start <= at < quote.end:
            return quote.speaker
    return None


def settle_unowned(claims: list[Claim]) -> None:
    """Give each target whose sentence names no owner ("the 5% spending commitment was…") the owner the article
    gives the same figure elsewhere (the alliance first), else the guess made where it was read."""
    owned = [c for c in claims if not c.subject.startswith(UNOWNED)]
    for claim in claims:
        if not claim.subject.startswith(UNOWNED):
            continue
        same = {c.subject for c in owned if c.key[:3] == claim.key[:3] and c.kind == claim.kind}
        guess = claim.subject.removeprefix(UNOWNED)
        claim.subject = NATO if NATO in same else (same.pop() if len(same) == 1 else guess)


def _restated(claim: Claim) -> tuple[float, float | None, str]:
    """What a restatement of a figure repeats: its value(s) and unit ("5%" restates "5% of GDP")."""
    return (*claim.key[:2], "percent" if claim.unit == units.PERCENT_GDP else claim.unit)


def settle_topical(claims: list[Claim]) -> list[Claim]:
    """Claims whose sentence names no owner take what the article is about, unless they restate a figure the
    article gives an owner elsewhere ("the two figures add up to 5%" beside "allies should spend 5%")."""
    owned = {_restated(c) for c in claims if not c.subject.startswith(TOPICAL)}
    kept = []
    for claim in claims:
        if claim.subject.startswith(TOPICAL):
            if _restated(claim) in owned and claim.unit != units.COUNT:  # small counts recur with other meanings
                continue
            claim.subject = claim.subject.removeprefix(TOPICAL)
        kept.append(claim)
    return kept


def merge_claims(claims: list[Claim]) -> list[Claim]:
    """One claim per (value, unit, subject, kind) in an article: the first mention, with period and speaker
    taken from a later one when the first lacks them. Europe's share of a target the article also gives for the
    alliance ("European allies to commit 5%" beside "NATO members to commit 5%") is the alliance's target."""
    merged: dict[tuple[Any, ...], Claim] = {}
    for claim in claims:
        if claim.subject == EUROPE and claim.kind in (TARGET, FORECAST):
            twin = (*claim.key[:3], NATO, claim.kind)
            if twin in merged or any(c.key == twin for c in claims):
                claim.subject = NATO
        first = merged.setdefault(claim.key, claim)
        if first is not claim:
            first.period = first.period if first.period is not None else claim.period
            first.speaker = first.speaker or claim.speaker
    return list(merged.values())
