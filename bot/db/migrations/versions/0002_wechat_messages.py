"""WeChat messages already received: claimed by MsgId so a retry is never answered twice.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wechat_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('processing', 'answered', 'pushed')", name="ck_wechat_messages_state"),
        sa.PrimaryKeyConstraint("id", name="pk_wechat_messages"),
        sa.UniqueConstraint("message_key", name="uq_wechat_messages_message_key"),
    )
    op.create_index("ix_wechat_messages_created_at", "wechat_messages", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_wechat_messages_created_at", table_name="wechat_messages")
    op.drop_table("wechat_messages")
