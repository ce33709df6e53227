"""community: members, posts (questions, answers, comments), votes, flags, deflection
verdicts, settings per program;
full-text search: an FTS5 table kept by triggers (SQLite) or a generated tsvector with a GIN
index (PostgreSQL)

Revision ID: 0009_community
Revises: 0008_workforce
Create Date: 2026-12-03 17:40:00
"""

import sqlalchemy as sa
from alembic import op

from database.base import UTCDateTime

revision = "0009_community"
down_revision = "0008_workforce"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "community_settings",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("escalate_after_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE",
                                name=op.f("fk_community_settings_program_id_programs")),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_community_settings")),
    )  # fmt: skip
    op.create_table(
        "community_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_super_user", sa.Boolean(), nullable=False),
        sa.Column("verified_at", UTCDateTime(), nullable=True),
        sa.Column("verify_token_hash", sa.String(length=64), nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_members")),
        sa.UniqueConstraint("email", name=op.f("uq_community_members_email")),
    )
    op.create_index(op.f("ix_community_members_verify_token_hash"), "community_members",
                    ["verify_token_hash"], unique=False)  # fmt: skip
    _create_posts()
    op.create_table(
        "community_votes",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["community_members.id"], ondelete="CASCADE",
                                name=op.f("fk_community_votes_member_id_community_members")),
        sa.ForeignKeyConstraint(["post_id"], ["community_posts.id"], ondelete="CASCADE",
                                name=op.f("fk_community_votes_post_id_community_posts")),
        sa.PrimaryKeyConstraint("post_id", "member_id", name=op.f("pk_community_votes")),
    )  # fmt: skip
    _create_flags()
    _create_deflections()
    _create_search_index()


def _create_flags() -> None:
    op.create_table(
        "community_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reason", _enum("community_flag_reason", "spam", "abuse", "wrong"),
                  nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", _enum("community_flag_status", "open", "upheld", "dismissed"),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["community_posts.id"], ondelete="CASCADE",
                                name=op.f("fk_community_flags_post_id_community_posts")),
        sa.ForeignKeyConstraint(["member_id"], ["community_members.id"], ondelete="SET NULL",
                                name=op.f("fk_community_flags_member_id_community_members")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_community_flags_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_flags")),
    )  # fmt: skip
    op.create_index(op.f("ix_community_flags_post_id"), "community_flags", ["post_id"])
    op.create_index(op.f("ix_community_flags_status"), "community_flags", ["status"])


def _create_deflections() -> None:
    op.create_table(
        "community_deflections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("outcome", _enum("community_deflection_outcome", "solved", "need_help"),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE",
                                name=op.f("fk_community_deflections_program_id_programs")),
        sa.ForeignKeyConstraint(["question_id"], ["community_posts.id"], ondelete="SET NULL",
                                name=op.f("fk_community_deflections_question_id_community_posts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_deflections")),
    )  # fmt: skip
    op.create_index("ix_community_deflections_program_id_created_at", "community_deflections",
                    ["program_id", "created_at"])  # fmt: skip


def _create_posts() -> None:
    fk = "fk_community_posts_{}"
    op.create_table(
        "community_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("community_post_kind", "question", "answer", "comment"),
                  nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", _enum("community_post_status", "visible", "held", "hidden"),
                  nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("accepted_answer_id", sa.Integer(), nullable=True),
        sa.Column("is_official", sa.Boolean(), nullable=False),
        sa.Column("is_urgent", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("first_answered_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE",
                                name=op.f(fk.format("program_id_programs"))),
        sa.ForeignKeyConstraint(["thread_id"], ["community_posts.id"], ondelete="CASCADE",
                                name=op.f(fk.format("thread_id_community_posts"))),
        sa.ForeignKeyConstraint(["parent_id"], ["community_posts.id"], ondelete="CASCADE",
                                name=op.f(fk.format("parent_id_community_posts"))),
        sa.ForeignKeyConstraint(["accepted_answer_id"], ["community_posts.id"],
                                ondelete="SET NULL",
                                name=op.f(fk.format("accepted_answer_id_community_posts"))),
        sa.ForeignKeyConstraint(["member_id"], ["community_members.id"], ondelete="SET NULL",
                                name=op.f(fk.format("member_id_community_members"))),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f(fk.format("user_id_users"))),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_posts")),
    )  # fmt: skip
    for column in ("thread_id", "parent_id", "member_id"):
        op.create_index(op.f(f"ix_community_posts_{column}"), "community_posts", [column])
    op.create_index("ix_community_posts_program_id_kind_created_at", "community_posts",
                    ["program_id", "kind", "created_at"])  # fmt: skip


# Titles weigh more than bodies in both engines (FTS5 bm25 column weights, tsvector A/B).
_SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE community_posts_fts USING fts5(
           title, body, content='community_posts', content_rowid='id',
           tokenize='porter unicode61')""",
    """CREATE TRIGGER community_posts_fts_insert AFTER INSERT ON community_posts BEGIN
           INSERT INTO community_posts_fts(rowid, title, body)
           VALUES (new.id, coalesce(new.title, ''), new.body);
       END""",
    """CREATE TRIGGER community_posts_fts_delete AFTER DELETE ON community_posts BEGIN
           INSERT INTO community_posts_fts(community_posts_fts, rowid, title, body)
           VALUES ('delete', old.id, coalesce(old.title, ''), old.body);
       END""",
    """CREATE TRIGGER community_posts_fts_update AFTER UPDATE OF title, body ON community_posts
       BEGIN
           INSERT INTO community_posts_fts(community_posts_fts, rowid, title, body)
           VALUES ('delete', old.id, coalesce(old.title, ''), old.body);
           INSERT INTO community_posts_fts(rowid, title, body)
           VALUES (new.id, coalesce(new.title, ''), new.body);
       END""",
    "INSERT INTO community_posts_fts(community_posts_fts) VALUES ('rebuild')",
]
_POSTGRES_SEARCH = [
    # Angle brackets become spaces first: PostgreSQL's parser reads "<script> words…" as a
    # tag and drops the words after it, and a post is plain text, never markup, to the index.
    """ALTER TABLE community_posts ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
           setweight(to_tsvector('english', translate(coalesce(title, ''), '<>', '  ')), 'A')
           || setweight(to_tsvector('english', translate(body, '<>', '  ')), 'B')) STORED""",
    "CREATE INDEX ix_community_posts_search_vector ON community_posts USING gin (search_vector)",
]


def _create_search_index() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRES_SEARCH if dialect == "postgresql" else _SQLITE_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS community_posts_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS community_posts_fts")
    op.drop_table("community_deflections")
    op.drop_table("community_flags")
    op.drop_table("community_votes")
    op.drop_table("community_posts")
    op.drop_index(op.f("ix_community_members_verify_token_hash"), table_name="community_members")
    op.drop_table("community_members")
    op.drop_table("community_settings")
