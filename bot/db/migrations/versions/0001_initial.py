"""Exam sessions, registrations, callback requests and unanswered questions.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.Column("exam_time", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("registration_opens", sa.Date(), nullable=True),
        sa.Column("registration_closes", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("exam_kind IN ('hrm_practitioner', 'ata_hrm')", name="ck_exam_sessions_exam_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_exam_sessions"),
        sa.UniqueConstraint("title", "exam_date", "exam_time", "place", name="uq_exam_sessions_sitting"),
    )
    op.create_index("ix_exam_sessions_kind_date", "exam_sessions", ["exam_kind", "exam_date"])

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_number_hash", sa.String(length=64), nullable=False),
        sa.Column("id_number_masked", sa.String(length=32), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=20), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("email_masked", sa.String(length=255), nullable=False),
        sa.Column("exam_session_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exam_session_id"],
            ["exam_sessions.id"],
            ondelete="RESTRICT",
            name="fk_registrations_exam_session_id_exam_sessions",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_registrations"),
        sa.UniqueConstraint("id_number_hash", name="uq_registrations_id_number_hash"),
        sa.UniqueConstraint("phone_hash", name="uq_registrations_phone_hash"),
        sa.UniqueConstraint("email_hash", name="uq_registrations_email_hash"),
    )
    op.create_index("ix_registrations_exam_session_id", "registrations", ["exam_session_id"])

    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone_encrypted", sa.Text(), nullable=False),
        sa.Column("phone_masked", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("staff_note", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_callback_requests_status"),
        sa.PrimaryKeyConstraint("id", name="pk_callback_requests"),
    )
    op.create_index("ix_callback_requests_status_created", "callback_requests", ["status", "created_at"])

    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.CheckConstraint("status IN ('open', 'resolved')", name="ck_unanswered_questions_status"),
        sa.PrimaryKeyConstraint("id", name="pk_unanswered_questions"),
    )
    op.create_index("ix_unanswered_questions_status_created", "unanswered_questions", ["status", "created_at"])


def downgrade() -> None:
    op.drop_table("unanswered_questions")
    op.drop_table("callback_requests")
    op.drop_table("registrations")
    op.drop_table("exam_sessions")
