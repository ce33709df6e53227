"""Full-text search of a program's community with the database's own engine: SQLite FTS5
(`community_posts_fts`, bm25 rank) or PostgreSQL tsvector (`search_vector`, GIN index,
ts_rank). One query function for both; the index itself is built in the migration."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from community.errors import InvalidValue

MAX_QUERY = 200
_WORD = re.compile(r"\w+", re.UNICODE)
# Dropped from a customer's sentence in any-word mode (FTS5 keeps stop words; "my" would match
# everything): a short English list, the words that carry no topic.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


@dataclass(frozen=True)
class Hit:
    """A question matching the query (directly or through one of its answers)."""

    question_id: int
    title: str
    rank: float
    answered: bool


def terms(query: str) -> list[str]:
    """The words of `query` (punctuation and operators dropped: input is never syntax)."""
    if len(query or "") > MAX_QUERY:
        raise InvalidValue(f"q must be at most {MAX_QUERY} characters", field="q")
    return _WORD.findall(query or "")[:12]


_SQLITE = text("""
    WITH matched AS MATERIALIZED (
        SELECT rowid AS id, bm25(community_posts_fts, 4.0, 1.0) AS rank
        FROM community_posts_fts WHERE community_posts_fts MATCH :match
    )
    SELECT q.id, q.title, min(matched.rank) AS rank,
           (q.accepted_answer_id IS NOT NULL OR q.first_answered_at IS NOT NULL) AS answered
    FROM matched
    JOIN community_posts p ON p.id = matched.id
    JOIN community_posts q ON q.id = p.thread_id
    WHERE p.program_id = :program
      AND p.status = 'visible' AND p.kind != 'comment' AND q.status = 'visible'
    GROUP BY q.id ORDER BY rank, q.id DESC LIMIT :limit
""")
_POSTGRES = text("""
    SELECT q.id, q.title, max(ts_rank(p.search_vector, to_tsquery('english', :match))) AS rank,
           (q.accepted_answer_id IS NOT NULL OR q.first_answered_at IS NOT NULL) AS answered
    FROM community_posts p JOIN community_posts q ON q.id = p.thread_id
    WHERE p.search_vector @@ to_tsquery('english', :match) AND p.program_id = :program
      AND p.status = 'visible' AND p.kind != 'comment' AND q.status = 'visible'
    GROUP BY q.id, q.title ORDER BY rank DESC, q.id DESC LIMIT :limit
""")


def search(*, session: Session, program_id: int, query: str, limit: int = 10,
           any_word: bool = False) -> list[Hit]:  # fmt: skip
    """Questions of the program whose title or body, or a visible answer's body, match every
    word of `query` (or, with `any_word`, at least one: a customer's sentence for deflection),
    prefix match on the last word (type-ahead), best first."""
    words = terms(query)
    if any_word:
        words = [word for word in words if word.lower() not in STOP_WORDS] or words
    if not words:
        return []
    limit = max(1, min(int(limit), 50))
    if session.get_bind().dialect.name == "postgresql":
        match = (" | " if any_word else " & ").join(words[:-1] + [words[-1] + ":*"])
        rows = session.execute(_POSTGRES, {"match": match, "program": program_id, "limit": limit})
        return [Hit(row[0], row[1], float(row[2]), bool(row[3])) for row in rows]
    quoted = ['"' + word.replace('"', "") + '"' for word in words]
    quoted[-1] += "*"
    rows = session.execute(
        _SQLITE,
        {
            "match": (" OR " if any_word else " ").join(quoted),
            "program": program_id,
            "limit": limit,
        },
    )
    # bm25 is lower-is-better and negative; report higher-is-better like ts_rank.
    return [Hit(row[0], row[1], -float(row[2]), bool(row[3])) for row in rows]
