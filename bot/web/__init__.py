"""The website chat page: static files, their configuration, and a same-origin path to Rasa's socketio channel.

Start it with `python -m bot.web --port 8080 --rasa-url http://127.0.0.1:5005`; see `bot.web.server`.
"""
