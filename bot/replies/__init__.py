"""Reply wording for the rules' results and the services: what the chat, the console and the CLI say."""
