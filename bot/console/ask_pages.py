"""问答, the console's home page: the caller's question answered as the chat would, with its document,
confidence and the next candidates; a follow-up is read with the previous question."""

from __future__ import annotations

from typing import Any, Callable

from sanic import Request, Sanic, response

from bot.console import ask, rasa
from bot.console.config import ConsoleConfig
from bot.faq.decision import left_document
from bot.knowledge import load_knowledge_base
from bot.nlu import followup


def register(app: Sanic, page: Callable[..., Any], config: ConsoleConfig) -> None:
    @app.get("/")
    async def home(request: Request):
        return page(request, "home.html", question="", result=None, error=None)

    @app.get("/ask")
    async def ask_get(_request: Request):
        return response.redirect("/", status=303)

    @app.post("/ask")
    async def ask_post(request: Request):
        raw = request.form.get("question") or ""
        try:
            question = ask.clean_question(raw)
        except ask.QuestionError as error:
            return page(request, "home.html", question=raw[: ask.MAX_QUESTION_LENGTH], result=None, error=str(error))
        previous = ask.previous_question(request.form.get("previous"))

        async def parse(text: str):
            return await rasa.parse(config.rasa_url, config.rasa_api_token, text, timeout=config.rasa_timeout_seconds)

        try:
            # The caller's follow-up ("那二级呢") is read with the previous question, as in the chat.
            kb = load_knowledge_base()
            parse_data = await followup.resolve(
                question,
                await parse(question),
                previous,
                parse,
                lambda p: ask.understood(p, kb),
                options=lambda p: ask.options(p, kb),
                left_document=lambda before, text, p: left_document(before, text, p, kb),
                mentioned=kb.mentions,
            )
        except rasa.RasaUnavailable as error:
            return page(request, "home.html", question=question, result=None, error=str(error))
        result = ask.build_result(question, parse_data, kb)
        return page(
            request,
            "home.html",
            question=question,
            result=result,
            error=None,
            previous=ask.question_to_keep(question, parse_data, result),
        )
