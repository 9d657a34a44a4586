"""Sentence -> clauses, and what each clause says: its kind (a report, a past event, a plan...), its names and
words, and a readable summary of who did what. Word lists come from rules/events.yaml (timeline.event_words)."""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from timeline.event_words import EventWords, default_event_words, stem
from timeline.sentences import Sentence

# A second predicate of the clause's subject: "started in 1976, and launched the store in 2003", "will fly on
# May 2 and will begin service on May 9". Its clause tells its own event; its summary borrows the subject.
COORDINATED_PREDICATE = r"and\s+(?:then\s+)?(?:has|have|had|will|would|was|were|is|are|\w{3,}ed)\s"
SHARED_SUBJECT = re.compile(rf"^[\s,]*(?={COORDINATED_PREDICATE})and\s+(?:then\s+)?")
# A clause ends at a semicolon, or at a comma or dash before a conjunction that starts a new statement.
CLAUSE_BREAK = re.compile(r";|\s[-–—]\s|,\s(?=(?:though|although|but|while|whereas|and then|as|after|before|"
                          r"when|which|who)\b)|\s(?=(?:though|although|whereas)\s)"
                          rf"|,?\s(?={COORDINATED_PREDICATE})")
# A subordinate clause with its own subject and verb, with no comma before it: "fell on Monday after DeepSeek
# released its model last week". "after the rout" (no verb follows) stays in its clause.
SUBORDINATE = re.compile(r"\s(?=(?:after|before|because|since|when|while|until|as)\s+"
                         r"(?:[A-Z][\w.&'’-]*|the|its|his|her|their|it|he|she|they|we|investors|shares)\b"
                         r"(?:\s+[\w.&'’-]+){0,5}?\s+(?:\w{3,}ed|was|were|had|has|have|is|are|did|said|made|took|"
                         r"fell|rose|began|came|went|sold|bought|won|lost|hit|released|announced)\b)")
NAME = re.compile(r"\b[A-Z][\w&.-]*[A-Za-z0-9](?:\s(?:of\s)?[A-Z][\w&.-]*[A-Za-z0-9])*|\b[A-Z]\b(?=\s[A-Z])")
WORD = re.compile(r"[A-Za-z][a-z'’]{3,}")
TOKEN = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?|['’]ll\b")
# "It's pretty common" is no "it" that stands for the company: a pronoun with a clitic is left alone.
PRONOUN_SUBJECT = re.compile(r"^(?:it|they|he|she|the company|the firm|the group|the stock|the shares|its shares|"
                             r"the automaker|the carmaker|the airline|the carrier|the planemaker|the manufacturer|"
                             r"the chipmaker|the startup|the index)\b(?!['’])", re.I)
# "It" is most often no one ("It is not surprising that ..."): only a person's pronoun stands for a subject.
PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|they)\b(?!['’])", re.I)
LEADING_FILLER = re.compile(r"^(?:[,;:\s]|and|but|though|although|while|whereas|as|so|then|that|also)+\b\s*", re.I)
# A subordinate clause cut from its sentence starts with its conjunction: the summary tells the clause itself.
SUBORDINATOR = re.compile(r"^(?:after|before|because|since|when|until)\s+(?=\S+\s+\S)", re.I)
APPOSITIVE = re.compile(r",\s(?:a|an|the)\s[^,]{3,100},[”\"]?")
DISCOURSE = re.compile(r"^(?:as a result|however|meanwhile|in addition|nonetheless|moreover|still|instead|"
                       r"in response|separately|earlier|later|earlier in the day|later in the day),?\s+", re.I)
PREPOSITION = r"(?:on|in|at|during|over|since|by|from|for|within|until|through|throughout|of)"
PRECEDING_PREPOSITION = re.compile(rf"(?<![\w'’]){PREPOSITION}\s+(?P<the>the\s+)?$", re.I)
NOUN_AFTER = re.compile(r"\s+[a-z]")
# Past tense and present perfect: the clause tells something that happened.
PAST_VERB = re.compile(r"\b(?:\w{3,}ed|was|were|did|made|took|told|won|lost|fell|rose|began|sold|bought|met|left|"
                       r"hit|came|went|became|gave|got|saw|sank|slid|shut|cut|quit|paid|set|led|held|kept|brought|"
                       r"ran|spent|sent|built|chose|drew|grew|flew|wrote|spoke|struck|stood|broke|beat|found|caught|fought|"
                       r"sought|felt|meant|lent|bought|brought|threw|wore|swore|froze|rode|sang|swam|hid|bid|"
                       r"(?:has|have)\s+(?:\w+\s+)?(?:been|\w{3,}ed|\w+en|made|won|lost|said|told))\b", re.I)
# "is owned by", "are based in": a participle describing a state, not an event.
STATE_PASSIVE = re.compile(r"\b(?:is|are|be|being)\s+(?:\w+ly\s+)?\w{3,}ed\b", re.I)
# "is flying", "are now testing" (not "is going to"): a happening under way.
PROGRESSIVE = re.compile(r"\b(?:is|are)\s+(?:now\s+|currently\s+|still\s+)?(?!going\b)[a-z]{2,}ing\b")
PAST_PERFECT = re.compile(r"\bhad\s+(?:\w+ly\s+|not\s+|already\s+|previously\s+)?(?:been|\w{3,}ed|\w+en)\b", re.I)
SUMMARY_WORDS = 18
# Summaries are cut from the start of a clause: a clause longer than this is only read this far, so the work
# per mention is bounded whatever the clause's length.
SUMMARY_WINDOW = 600
# Marks a leading word of a longer name (a given name, "Goldman" of "Goldman Sachs").
LEADING = "~"


class ClauseKind(str, enum.Enum):
    """What a clause tells, for dating it when no time expression does."""

    REPORT = "report"  # "OpenAI said ...": the telling is an event of the day it is told
    PAST = "past"  # "Nvidia's shares fell": happened, in the story's time
    BACKGROUND = "background"  # "had hired": happened before the story's time
    PLAN = "plan"  # "will build", "expects to": not (yet) done
    ONGOING = "ongoing"  # "is flying to Chicago": under way on the story's day
    STATE = "state"  # "is owned by", no verb at all: nothing happened


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    text: str


def split_clauses(sentence: Sentence) -> list[Clause]:
    """Clauses of a sentence in order: at semicolons, dashes, comma + conjunction, a subordinate clause with its
    own verb, and between a reporting verb and the "that" clause it reports."""
    text, words = sentence.text, default_event_words()
    ends = {m.start(): m.end() for m in CLAUSE_BREAK.finditer(text)}
    cuts = set(ends) | {m.start() for m in SUBORDINATE.finditer(text)} | set(reported_clause_starts(text, words))
    clauses, start = [], 0
    for cut in sorted(cuts):
        if cut > start:
            clauses.append(Clause(sentence.start + start, sentence.start + cut, text[start:cut]))
        start = max(start, ends.get(cut, cut))
    clauses.append(Clause(sentence.start + start, sentence.end, text[start:]))
    return [c for c in clauses if c.text.strip()]


DETERMINER_BEFORE = frozenset("""on in at of for with from by to about into onto over under after before than like
the a an this every each all""".split())


def reported_clause_starts(text: str, words: EventWords) -> list[int]:
    """Offsets where a clause told by a reporting verb begins ("said on Tuesday| that ...")."""
    starts, tokens = [], list(TOKEN.finditer(text))
    for i, token in enumerate(tokens):
        if token.group().lower() not in words.reporting_verbs:
            continue
        for j in range(i + 1, min(i + 6, len(tokens))):
            later = tokens[j]
            # "noted corrosion on that beam": after a preposition or an article "that" points at a thing.
            if later.group().lower() == "that" and tokens[j - 1].group().lower() not in DETERMINER_BEFORE:
                starts.append(later.start() - 1 if later.start() > 0 else 0)
                break
    return starts


PASSIVE_AUXILIARY = frozenset("is are was were be been being".split())


def reporting_verb_end(text: str, words: EventWords | None = None) -> int | None:
    """Where the clause's first active reporting verb ends ("Acme said| ..."); a passive one ("was announced in
    2000", "is explained by") tells no act of the clause's subject."""
    words = words or default_event_words()
    previous = ""
    for token in TOKEN.finditer(text):
        word = token.group().lower()
        if word in words.reporting_verbs and previous not in PASSIVE_AUXILIARY:
            return token.end()
        previous = word
    return None


FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should)\b")


def first_verb_end(text: str) -> int | None:
    """Where the first finite verb of a stretch of text ends: a told clause has one ("said the firm hid losses"),
    an object has none ("noted corrosion on that beam")."""
    finite = FINITE_VERB.search(text)
    past = next((m for m in PAST_VERB.finditer(text) if m.group()[0].islower()), None)
    ends = [m.end() for m in (finite, past) if m is not None]
    return min(ends) if ends else None


def clause_kind(text: str, words: EventWords | None = None) -> ClauseKind:
    """What a clause tells: a report beats a plan ("said it will ..."), a plan beats a past verb."""
    words = words or default_event_words()
    tokens = [t.group().lower() for t in TOKEN.finditer(text)]
    if any(t in words.reporting_verbs for t in tokens):
        return ClauseKind.REPORT
    if any(t in words.modals for t in tokens) or any(
            t in words.plan_verbs and after == "to" for t, after in zip(tokens, tokens[1:])):
        return ClauseKind.PLAN
    if PAST_PERFECT.search(text):
        return ClauseKind.BACKGROUND
    if PROGRESSIVE.search(text):
        return ClauseKind.ONGOING
    # A capitalised "Related" or "Featured" heads a label; a verb of a told event is written in lower case.
    verbs = [m for m in PAST_VERB.finditer(text) if m.group()[0].islower()
             and not STATE_PASSIVE.search(text, max(0, m.start() - 20), m.end())]
    return ClauseKind.PAST if verbs else ClauseKind.STATE


def names_in(text: str, common: frozenset[str] = frozenset()) -> frozenset[str]:
    """Capitalised names (people, companies, places) in a piece of text, without possessive endings.

    A lone capitalised word whose lower-case form is in `common` (the document writes it in lower case
    elsewhere) is a sentence's first word ("Workers rallied"), not a name. In a name of several words the
    leading ones are marked LEADING: "Greta" of "Greta Lind" is shared by many people (see merge.shared_names).
    """
    not_actor = default_event_words().not_actor_names
    names = set()
    for match in NAME.finditer(text):
        if " " not in match.group() and match.group().lower() in common:
            continue
        parts = [re.sub(r"['’]s$", "", part).strip(".") for part in re.split(r"\s(?:of\s)?", match.group())]
        parts = [w for w in parts if len(w) > 1 and w.lower() not in not_actor and not w.isdigit()]
        names.update(LEADING + w for w in parts[:-1])
        names.update(parts[-1:])
    return frozenset(names)


# A verb before "to" and another verb controls it ("declined to comment", "agreed to buy"): it is not the
# happening the clause tells, so it does not count as the clause's predicate.
CONTROL_VERB = re.compile(r"\s+to\s+(?!(?:the|a|an|its|their|his|her|our|record|levels?|lows?|highs?)\b)[a-z]+\b")


def words_in(text: str) -> frozenset[str]:
    """Stems of the content words of `text`: what two tellings of one event tend to share."""
    stopwords, predicate_of = default_event_words().stopwords, default_event_words().predicate_of
    stems = set()
    for match in WORD.finditer(text):
        word = match.group()
        if word.lower() in stopwords or not word[0].islower():
            continue
        root = stem(word)
        if root in predicate_of and CONTROL_VERB.match(text, match.end()):
            continue
        stems.add(root)
    return frozenset(stems)


def predicates_in(words: frozenset[str]) -> frozenset[str]:
    """The predicate classes the stems of a clause use ("tumbl" -> "fall")."""
    predicate_of = default_event_words().predicate_of
    return frozenset(predicate_of[w] for w in words if w in predicate_of)


def cut_phrase(text: str, phrase: str) -> str:
    """`text` without the time phrase where removing it leaves a sentence: with its preposition, at the start or
    end of the clause. A phrase inside a noun phrase ("Monday's slide", "the New Year holiday") stays.
    O(len(text)): plain string search, no pattern compiled per phrase."""
    at = find_word(text, phrase) if phrase else -1
    if at < 0:
        return text
    end = at + len(phrase)
    before, after = text[:at], text[end:]
    if after.startswith(("'s", "’s")):
        return text  # "Monday's slide": the phrase is part of a noun phrase
    preposition = PRECEDING_PREPOSITION.search(before)
    if preposition:
        if preposition.group("the") and NOUN_AFTER.match(after):
            return text  # "on the Chinese New Year holiday"
        return text[:preposition.start()] + " " + after
    if not before.strip():
        return " " + after.lstrip().removeprefix(",")
    if not after.strip(" .!?"):
        return before.rstrip().removesuffix(",") + " "
    return text


def find_word(text: str, phrase: str) -> int:
    """Offset of `phrase` in `text` as whole words, ignoring case; -1 when absent."""
    lowered, wanted = text.lower(), phrase.lower()
    at = lowered.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        if (at == 0 or not (lowered[at - 1].isalnum() or lowered[at - 1] in "'’")) and (
                end == len(lowered) or not lowered[end].isalnum()):
            return at
        at = lowered.find(wanted, at + 1)
    return -1


def balance_quotes(text: str) -> str:
    """Close a quotation the cut left open, drop a closing mark whose opening was cut."""
    if text.count("“") > text.count("”"):
        text += "”"
    elif text.count("”") > text.count("“") and text.count("“") == 0:
        text = text.replace("”", "", text.count("”") - text.count("“"))
    if text.count('"') % 2:
        last = text.rfind('"')
        closing = last > 0 and not text[last - 1].isspace() and (last + 1 == len(text) or not text[last + 1].isalnum())
        # A mark closing a quotation whose opening the clause lost ('notebooks," said Jobs') gets its opening back;
        # one opening a quotation the cut ended gets its close.
        text = '"' + text if closing else text + '"'
    return text


def summarize(clause: str, phrase: str, subject: str) -> str:
    """Who did what: the clause without its time phrase and asides, its pronoun subject named, cut short."""
    text = cut_phrase(clause[:SUMMARY_WINDOW], phrase)
    if subject and SHARED_SUBJECT.match(text):
        text = SHARED_SUBJECT.sub(subject + " ", text, count=1)
    text = APPOSITIVE.sub("", text)
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s+", " ", text)).strip(" ,.;:–—-")
    text = strip_stray_quote(text)
    text = DISCOURSE.sub("", LEADING_FILLER.sub("", DISCOURSE.sub("", text)))
    if SUBORDINATOR.match(text) and "," not in text[:60]:  # "after X did Y" alone, not "After the vote, X did Y"
        text = SUBORDINATOR.sub("", text, count=1)
    pronoun = PRONOUN_SUBJECT.match(text)
    # "He"/"she" stand for a person: an organisation named last is no replacement for them.
    if subject and pronoun and (pronoun.group().lower() not in ("he", "she") or is_person(subject)):
        text = PRONOUN_SUBJECT.sub(lambda _: subject, text, count=1)
    words = text.split()
    if len(words) > SUMMARY_WORDS:
        text = " ".join(words[:SUMMARY_WORDS]).rstrip(",;:") + "…"
    text = balance_quotes(text)
    if len(text) > 1 and text[1].isupper():  # "iPhone", "eBay": a name written with a lower-case first letter
        return text
    return text[:1].upper() + text[1:] if text else ""


def strip_stray_quote(text: str) -> str:
    """A quotation mark at either end that closes or opens nothing inside the text ("said Jobs"" after a cut)."""
    for mark in ('"', "'"):
        if text.startswith(mark) and text.count(mark) % 2:
            text = text[1:]
        if text.endswith(mark) and text.count(mark) % 2:
            text = text[:-1]
    if text.startswith("”"):
        text = text[1:]
    if text.endswith("“"):
        text = text[:-1]
    return text.strip()


def is_person(name: str) -> bool:
    """A name that reads as a person's: given name and surname, no organisation word ("Steve Jobs", not
    "Apple Inc." or "Boeing")."""
    parts = name.split()
    generic = default_event_words().generic_name_parts
    return 2 <= len(parts) <= 4 and all(p[:1].isupper() for p in parts) and not any(
        p.lower().strip(".") in generic for p in parts)


def subject_of(text: str) -> str:
    """The first name of a clause, which a later "it" or "the stock" most often refers to."""
    not_names = default_event_words().not_names
    match = NAME.search(text)
    # "The A380", "The Beatles": an article opening a name belongs to it; any other word that is no name
    # ("October", "Meanwhile") is passed over.
    while match and match.group().split()[0].lower() in not_names and not (
            match.group().split()[0] == "The" and len(match.group().split()) > 1):
        match = NAME.search(text, match.end())
    # "In 1960 she married Tom Wells": the subject is whom "she" stands for, not the first name after it.
    pronoun = PERSONAL_PRONOUN.search(text)
    if pronoun and (match is None or pronoun.start() < match.start()):
        return ""
    return re.sub(r"['’]s$", "", match.group()) if match else ""
