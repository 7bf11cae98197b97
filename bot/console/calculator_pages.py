"""The calculator pages of the console: eligibility and subsidy (filled in from a question when opened
from 问答), and the exam-date look-up by ID number."""

from __future__ import annotations

import datetime as dt
from typing import Any, Awaitable, Callable, Dict

from sanic import Request, Sanic
from sqlalchemy.orm import Session

from bot.console import calculators
from bot.replies.exam_lookup import look_up_exam
from bot.rules.consultation import beijing_now


def register(app: Sanic, db: Callable[[Callable[[Session], Any]], Awaitable[Any]], page: Callable[..., Any]) -> None:
    def calculator_context(today: dt.date) -> Dict[str, Any]:
        return {
            "certificates": calculators.certificate_choices(today),
            "educations": calculators.education_choices(today),
            "training_types": calculators.training_types(),
            "class_hour_minutes": calculators.class_hour_minutes(today),
            "today": today.isoformat(),
        }

    @app.route("/calculators/eligibility", methods=["GET", "POST"])
    async def eligibility(request: Request):
        today = beijing_now().date()
        question = (request.args.get("q") or "")[:500]
        if request.method == "POST":
            calculation = calculators.eligibility(request.form, today)
        elif question:  # opened from 问答: the facts the question states, and the verdict on them
            calculation = calculators.eligibility(calculators.eligibility_prefill(question, today), today)
        else:
            calculation = calculators.Calculation(values={"date": today.isoformat()})
        return page(request, "eligibility.html", calc=calculation, question=question, **calculator_context(today))

    @app.route("/calculators/subsidy", methods=["GET", "POST"])
    async def subsidy(request: Request):
        today = beijing_now().date()
        question = (request.args.get("q") or "")[:500]
        if request.method == "POST":
            calculation = calculators.subsidy(request.form, today)
        elif question:
            calculation = calculators.subsidy(calculators.subsidy_prefill(question, today), today)
        else:
            calculation = calculators.Calculation(values={"date": today.isoformat(), "employees": "1"})
        return page(request, "subsidy.html", calc=calculation, question=question, **calculator_context(today))

    @app.route("/exam-lookup", methods=["GET", "POST"])
    async def exam_lookup(request: Request):
        """A caller's exam date by ID number, masked as in the chat; the number is not kept or logged."""
        found = None
        if request.method == "POST":
            number = str(request.form.get("id_number") or "")[:40]
            found = await db(lambda session: look_up_exam(session, number, beijing_now().date()))
        return page(request, "exam_lookup.html", found=found)
