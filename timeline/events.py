"""Document + its timexes -> Mention per dated clause: who did what, the sentence, the phrase, the names it shares."""
from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.rules import default_rules
from timeline.sentences import Sentence, sentence_at, split_sentences
from timeline.timexes import tag_text
from timeline.types import Anchor, Document, Granularity, Interval, Mention, Timex, TimexType

# A clause ends at a semicolon, or at a comma or dash before a conjunction that starts a new statement.
CLAUSE_BREAK = re.compile(r";|\s[-–—]\s|,\s(?=(?:though|although|but|while|whereas|and then|as|after|before|"
                          r"when|which|who)\b)|\s(?=(?:though|although|whereas)\s)")
NAME = re.compile(r"\b[A-Z][\w&.-]*[A-Za-z0-9](?:\s(?:of\s)?[A-Z][\w&.-]*[A-Za-z0-9])*|\b[A-Z]\b(?=\s[A-Z])")
WORD = re.compile(r"[A-Za-z][a-z'’-]{3,}")
PRONOUN_SUBJECT = re.compile(r"^(?:it|they|he|she|the company|the firm|the stock|the shares|its shares)\b", re.I)
LEADING_FILLER = re.compile(r"^(?:[,;:\s]|and|but|though|although|while|whereas|as|so|then|that|also)+\b\s*", re.I)
APPOSITIVE = re.compile(r",\s(?:a|an|the)\s[^,]{3,100},[”\"]?")
DISCOURSE = re.compile(r"^(?:as a result|however|meanwhile|in addition|nonetheless|moreover|still|instead|"
                       r"in response|separately|earlier|later),?\s+", re.I)
LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+")
URL_TOKEN = re.compile(r"(?:https?://|www\.)\S+")
SUMMARY_WORDS = 18
# Words that start sentences or name calendar units: capitalised, but not names of actors.
NOT_NAMES = frozenset("""the a an on in at of for to by with from as and but or if it its this that these those
last next this early late later earlier after before during since until when while though although however
meanwhile according monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december spring summer autumn fall winter today yesterday tomorrow
he she they we i you his her their our my your there here what who which where why how some many most all
also mr mrs ms dr new more one two three read home related featured leave share separately elsewhere
additionally moreover furthermore instead finally then now yet still however earlier later other news
hundreds thousands dozens millions billions""".split())
# Words that end many organisations' names ("Deutsche Bank", "Gormar Energy"): shared, they do not say two
# clauses are about the same actor, so they are not names on their own.
GENERIC_NAME_PARTS = frozenset("""bank banks group holdings corp corporation inc co ltd plc llc company companies energy
motors airlines airways telecom pharma pharmaceuticals logistics mining steel foods capital partners industries
international systems technologies technology university ministry department agency council""".split())
NOT_ACTOR_NAMES = NOT_NAMES | GENERIC_NAME_PARTS
# Marks a leading word of a longer name (a given name, "Goldman" of "Goldman Sachs").
LEADING = "~"
STOPWORDS = frozenset("""that this with from have has had were was been being their there they them then than
into onto over under about after before during since until while would could should will shall might must
also just only very more most such some many much other another those these which what when where while who
whom whose said says told according reported reportedly percent nearly almost around about last next year
years month months week weeks days today yesterday tomorrow monday tuesday wednesday thursday friday saturday
sunday night morning evening afternoon recent recently""".split())


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def split_clauses(sentence: Sentence) -> list[Clause]:
    clauses, start = [], 0
    for match in CLAUSE_BREAK.finditer(sentence.text):
        if match.start() > start:
            clauses.append(Clause(sentence.start + start, sentence.start + match.start(),
                                  sentence.text[start:match.start()]))
        start = match.end()
    clauses.append(Clause(sentence.start + start, sentence.end, sentence.text[start:]))
    return [c for c in clauses if c.text.strip()]


def names_in(text: str, common: frozenset[str] = frozenset()) -> frozenset[str]:
    """Capitalised names (people, companies, places) in a piece of text, without possessive endings.

    A lone capitalised word whose lower-case form is in `common` (the document writes it in lower case
    elsewhere) is a sentence's first word ("Workers rallied"), not a name. In a name of several words the
    leading ones are marked LEADING: "Greta" of "Greta Lind" is shared by many people (see merge.shared_names).
    """
    names = set()
    for match in NAME.finditer(text):
        if " " not in match.group() and match.group().lower() in common:
            continue
        words = [re.sub(r"['’]s$", "", part).strip(".") for part in re.split(r"\s(?:of\s)?", match.group())]
        words = [w for w in words if len(w) > 1 and w.lower() not in NOT_ACTOR_NAMES and not w.isdigit()]
        names.update(LEADING + w for w in words[:-1])
        names.update(words[-1:])
    return frozenset(names)


def stem(word: str) -> str:
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def words_in(text: str) -> frozenset[str]:
    """Stems of the content words of `text`: what two tellings of one event tend to share."""
    return frozenset(stem(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS and w[0].islower())


def summarize(clause: str, phrase: str, subject: str) -> str:
    """Who did what: the clause without its time phrase and asides, its pronoun subject named, cut short."""
    if phrase:
        text = re.sub(r"(?:\b(?:on|in|at|during|over|since|by|from|for|within)\s+)?" + re.escape(phrase), " ", clause, flags=re.I)
    else:
        text = clause
    text = APPOSITIVE.sub("", text)
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip(" ,.;:–—-\"'“”‘’«»")
    text = DISCOURSE.sub("", LEADING_FILLER.sub("", DISCOURSE.sub("", text)))
    if subject and PRONOUN_SUBJECT.match(text):
        text = PRONOUN_SUBJECT.sub(subject, text, count=1)
    words = text.split()
    if len(words) > SUMMARY_WORDS:
        text = " ".join(words[:SUMMARY_WORDS]) + "…"
    return text[:1].upper() + text[1:] if text else ""


def subject_of(text: str) -> str:
    """The first name of a clause, which a later "it" or "the stock" most often refers to."""
    match = NAME.search(text)
    while match and match.group().split()[0].lower() in NOT_NAMES:
        match = NAME.search(text, match.end())
    return re.sub(r"['’]s$", "", match.group()) if match else ""


# Timexes that date an event: calendar dates and spans around the anchor. Bare durations ("six days"),
# sets ("every Monday") and timeless references ("now") date nothing.
def dates_an_event(timex: Timex) -> bool:
    if timex.interval is None or timex.anchor is Anchor.UNRESOLVED or timex.type is TimexType.SET:
        return False
    return timex.value != "PRESENT_REF"


PAST_TENSE = re.compile(r"\b(?:\w{3,}ed|said|was|were|had|has|have|did|made|took|told|won|lost|fell|rose|began|"
                        r"sold|bought|met|left|hit|came|went|became|gave|got)\b", re.I)
LEAD_SENTENCES = 2


def implicit_timex(doc: Document, sentence: Sentence) -> Timex | None:
    """The publication date as the date of a lead sentence's past event (news reports what just happened)."""
    if doc.published is None or not PAST_TENSE.search(sentence.text):
        return None
    day = doc.published
    return Timex(sentence.start, sentence.start, "", TimexType.DATE, day.isoformat(), Interval(day, day),
                 Granularity.DAY, Anchor.PUBLISHED, day, rule="publication date")


def finest_of(timexes: list[Timex]) -> list[Timex]:
    """The timexes of one clause less those that only frame a finer one ("fell 24%, the most this year, on Monday")."""
    return [t for t in timexes
            if not any(o is not t and o.interval is not None and t.interval is not None and o.interval != t.interval
                       and t.interval.first <= o.interval.first and o.interval.last <= t.interval.last
                       for o in timexes)]


def extract_mentions(doc: Document, timexes: list[Timex] | None = None) -> list[Mention]:
    """One mention per clause that a time expression dates, plus the undated past events of the lead.

    Relative expressions that could not be resolved (no publication date) are returned too, with
    anchor UNRESOLVED, so the caller can report them.
    """
    rules = default_rules()
    sentences = split_sentences(doc.text, rules.abbreviations)
    if timexes is None:
        timexes = tag_text(doc.text, doc.published, sentences=sentences)
    starts = [s.start for s in sentences]
    by_sentence: dict[int, list[Timex]] = {}
    for timex in timexes:
        if dates_an_event(timex) or timex.anchor is Anchor.UNRESOLVED:
            by_sentence.setdefault(sentence_at(sentences, timex.start, starts), []).append(timex)
    urls = [m.span() for m in URL_TOKEN.finditer(doc.text)]
    common = frozenset(LOWER_WORD.findall(doc.text))
    mentions: list[Mention] = []
    subject = ""
    for index, sentence in enumerate(sentences):
        clauses = split_clauses(sentence)
        main_subject = subject_of(clauses[0].text) if clauses else ""
        found = by_sentence.get(index, [])
        if not found and index < LEAD_SENTENCES:
            timex = implicit_timex(doc, sentence)
            found = [timex] if timex else []
        for clause in clauses:
            clause_subject = subject if clause is clauses[0] else main_subject or subject
            in_clause = finest_of([t for t in found if clause.start <= t.start < clause.end or
                                   (not t.text and clause is clauses[0])])
            # A date inside a link ("/2025-01-29/") dates the linked page, not an event of this text.
            for timex in (t for t in in_clause if not any(s <= t.start < e for s, e in urls)):
                clause_text = clause.text if timex.text else sentence.text
                names = names_in(clause_text, common) or names_in(sentence.text, common)
                mentions.append(Mention(
                    document=doc.id, sentence=sentence.text, sentence_index=index, clause=clause_text,
                    summary=summarize(clause_text, timex.text, clause_subject),
                    timex=timex,
                    char_start=timex.start, char_end=timex.end,
                    names=names or (frozenset([clause_subject]) if clause_subject else frozenset()),
                    words=words_in(clause_text), implicit=not timex.text))
        # "it" and "the stock" most often refer to the subject of the last main clause.
        subject = main_subject or subject
    return mentions
