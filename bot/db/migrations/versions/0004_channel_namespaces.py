"""Conversations in their channel's namespace: `wechat:<OpenID>` and `web:<session id>`.

Conversations written before the namespaces were kept under the bare OpenID or session id, which a
REST client could name. This moves them, in Rasa's `events` table when it is in this database and in
the callback and unanswered-question records, by the channel their messages came from.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Rasa's input channel name → the namespace of its conversations (bot.channels.senders).
NAMESPACES = {"wechat": "wechat:", "socketio": "web:"}


def _senders_in_events(connection, channel: str) -> list:
    """Conversations whose messages came from `channel` (Rasa stores each event as JSON text)."""
    patterns = [f'%"input_channel": "{channel}"%', f'%"input_channel":"{channel}"%']
    rows = connection.execute(
        sa.text(
            "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' "
            "AND (data LIKE :spaced OR data LIKE :compact)"
        ),
        {"spaced": patterns[0], "compact": patterns[1]},
    )
    return [row[0] for row in rows if row[0] is not None]


def _move(rename) -> None:
    connection = op.get_bind()
    has_events = "events" in sa.inspect(connection).get_table_names()
    for channel, prefix in NAMESPACES.items():
        if has_events:
            for sender in _senders_in_events(connection, channel):
                moved = rename(sender, prefix)
                if moved != sender:
                    connection.execute(
                        sa.text("UPDATE events SET sender_id = :new WHERE sender_id = :old"),
                        {"new": moved, "old": sender},
                    )
        for table in ("callback_requests", "unanswered_questions"):
            rows = connection.execute(
                sa.text(f"SELECT id, sender_id FROM {table} WHERE channel = :channel AND sender_id IS NOT NULL"),
                {"channel": channel},
            ).all()
            for row_id, sender in rows:
                moved = rename(sender, prefix)
                if moved != sender:
                    connection.execute(
                        sa.text(f"UPDATE {table} SET sender_id = :new WHERE id = :id"), {"new": moved, "id": row_id}
                    )


def _prefixed(sender: str, prefix: str) -> str:
    return sender if sender.startswith(prefix) else prefix + sender


def _unprefixed(sender: str, prefix: str) -> str:
    return sender[len(prefix) :] if sender.startswith(prefix) else sender


def upgrade() -> None:
    _move(_prefixed)


def downgrade() -> None:
    _move(_unprefixed)
