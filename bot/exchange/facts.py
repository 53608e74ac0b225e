"""Between the document's models and the plain facts storage reads and writes."""

from __future__ import annotations

from bot.exchange.document import (
    Dates,
    Delegation,
    Member,
    Outcome,
    Party,
    Place,
    Round,
    Source,
    Statement,
    TopicDocument,
)
from storage.topic_facts import (
    MemberFact,
    PartyFact,
    RoundFact,
    SourceFact,
    StatementFact,
    TopicFacts,
)


def document_facts(document: TopicDocument) -> TopicFacts:
    return TopicFacts(
        slug=document.slug,
        title=document.title,
        description=document.description,
        parties=tuple(
            PartyFact(
                name=p.name,
                kind=p.kind,
                aliases=tuple(p.aliases),
                roles=tuple(dict.fromkeys(str(r) for r in p.roles)),
            )
            for p in document.parties
        ),
        rounds=tuple(_round_facts(entry) for entry in document.rounds),
    )


def _round_facts(entry: Round) -> RoundFact:
    return RoundFact(
        number=entry.number,
        title=entry.title,
        start_date=entry.dates.start if entry.dates else None,
        end_date=entry.dates.end if entry.dates else None,
        venue=entry.place.venue if entry.place else None,
        city=entry.place.city if entry.place else None,
        country=entry.place.country if entry.place else None,
        status=str(entry.status) if entry.status is not None else None,
        parties=tuple(entry.parties),
        mediators=tuple(entry.mediators),
        hosts=tuple(entry.hosts),
        observers=tuple(entry.observers),
        members=tuple(
            MemberFact(party=d.party, person=m.person, role=str(m.role), title=m.title)
            for d in entry.delegations
            for m in d.members
        ),
        statements=tuple(
            StatementFact(
                kind=str(s.kind),
                text=s.text,
                party=s.party,
                person=s.person,
                said_on=s.date,
                source=s.source,
            )
            for s in entry.statements
        ),
        outcome_type=entry.outcome.type if entry.outcome else None,
        outcome_text=entry.outcome.text if entry.outcome else None,
        next_meeting=entry.next_meeting,
        summary=entry.summary,
        sources=tuple(
            SourceFact(publisher=s.publisher, title=s.title, url=s.url, published=s.published)
            for s in entry.sources
        ),
    )


def facts_document(facts: TopicFacts) -> TopicDocument:
    return TopicDocument.model_validate(
        {
            "slug": facts.slug,
            "title": facts.title,
            "description": facts.description,
            "parties": [
                Party.model_validate(
                    {"name": p.name, "kind": p.kind, "aliases": p.aliases, "roles": p.roles}
                )
                for p in facts.parties
            ],
            "rounds": [_round_entry(fact) for fact in facts.rounds],
        }
    )


def _round_entry(fact: RoundFact) -> Round:
    delegations: dict[str, list[Member]] = {}
    for member in fact.members:
        delegations.setdefault(member.party, []).append(
            Member.model_validate(
                {"person": member.person, "role": member.role, "title": member.title}
            )
        )
    place = None
    if fact.venue is not None or fact.city is not None or fact.country is not None:
        place = Place(venue=fact.venue, city=fact.city, country=fact.country)
    return Round.model_validate(
        {
            "number": fact.number,
            "title": fact.title,
            "dates": Dates(start=fact.start_date, end=fact.end_date) if fact.start_date else None,
            "place": place,
            "status": fact.status,
            "parties": fact.parties,
            "mediators": fact.mediators,
            "hosts": fact.hosts,
            "observers": fact.observers,
            "delegations": [
                Delegation(party=party, members=members) for party, members in delegations.items()
            ],
            "statements": [
                Statement.model_validate(
                    {
                        "kind": s.kind,
                        "party": s.party,
                        "person": s.person,
                        "text": s.text,
                        "date": s.said_on,
                        "source": s.source,
                    }
                )
                for s in fact.statements
            ],
            "outcome": (
                Outcome(type=fact.outcome_type, text=fact.outcome_text)
                if fact.outcome_text is not None
                else None
            ),
            "next_meeting": fact.next_meeting,
            "summary": fact.summary,
            "sources": [
                Source(publisher=s.publisher, title=s.title, url=s.url, published=s.published)
                for s in fact.sources
            ],
        }
    )
