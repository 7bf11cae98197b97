"""What staff decided for an unanswered question: assigned to an FAQ, out of scope, or a new FAQ needed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_questions") as table:
        table.add_column(sa.Column("resolution", sa.String(20), nullable=True))
        table.add_column(sa.Column("faq_key", sa.String(60), nullable=True))
        table.add_column(sa.Column("resolved_by", sa.String(60), nullable=True))
        table.add_column(sa.Column("resolved_at", sa.DateTime(), nullable=True))
    op.create_index("ix_unanswered_questions_channel_created", "unanswered_questions", ["channel", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_unanswered_questions_channel_created", table_name="unanswered_questions")
    with op.batch_alter_table("unanswered_questions") as table:
        table.drop_column("resolved_at")
        table.drop_column("resolved_by")
        table.drop_column("faq_key")
        table.drop_column("resolution")
