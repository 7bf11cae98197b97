"""`bot-rules`: the rules engine on the command line, for support staff on the phone.

bot-rules level --years 6
bot-rules level --years 8 --certificate 三级 --years-since-certificate 5
bot-rules level --years 6 --certificate 四级 --related-certificate --years-since-certificate 1
bot-rules level --education 专科及以上 --related-major --student
bot-rules subsidy --free 60 --paid 40
bot-rules subsidy --free 10.3 --paid 15.8 --own 13.9 --employees 30 --json
bot-rules fees --level 二级
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import asdict
from decimal import Decimal
from typing import Any, List, Optional

from bot.replies.answers import INPUT_ERRORS, TYPE_OPTIONS, level_answer, subsidy_answer
from bot.rules.fees import level_fees


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def _fees(args: argparse.Namespace) -> tuple[str, dict]:
    fees = level_fees(args.level, args.date)
    lines = [
        f"{fees.level_name}认定费用：{'＋'.join(f'{k}{v}' for k, v in fees.subjects.items())}＝{fees.total}元",
        f"补考：{fees.retake_rule}",
        f"来源：{fees.citation}",
    ]
    return "\n".join(lines), asdict(fees) | {"total": fees.total}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="输出 JSON")
    common.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=argparse.SUPPRESS,
        help="按哪一天有效的政策计算（默认今天），格式 2021-06-01",
    )
    parser = argparse.ArgumentParser(prog="bot-rules", description="申报等级、培训补贴、认定费用计算", parents=[common])
    parser.set_defaults(json=False)
    commands = parser.add_subparsers(dest="command", required=True)

    level = commands.add_parser("level", parents=[common], help="可申报的最高等级（企业人力资源管理师）")
    level.add_argument("--years", default=0, help="从事本职业或相关职业的年限，例如 6、5.5 或 五年半")
    level.add_argument("--certificate", help="持有的最高证书等级，例如 四级 或 三级/高级工")
    level.add_argument(
        "--related-certificate",
        action="store_true",
        help="证书是相关职业的（如劳动关系协调员），不是企业人力资源管理师本职业的",
    )
    level.add_argument("--years-since-certificate", default=0, help="取得证书后的工作年限")
    level.add_argument("--certificate-held-years", type=float, help="持证年限（在读学生用）")
    level.add_argument("--education", help="学历类别，例如 中职、高职、专科及以上、技工院校高级工班")
    level.add_argument("--related-major", action="store_true", help="所学为本专业或相关专业")
    level.add_argument("--student", action="store_true", help="在读学生（默认今年毕业，即应届）")
    level.add_argument("--not-graduating", action="store_true", help="在读但不是毕业年级（如大二）")
    level.set_defaults(handler=level_answer)

    subsidy = commands.add_parser("subsidy", parents=[common], help="以训兴业培训补贴估算")
    for option, name in TYPE_OPTIONS.items():
        subsidy.add_argument(f"--{option}", help=f"{name}有效课时，例如 40、12.5 或 四十")
    subsidy.add_argument("--employees", type=int, default=1, help="学习同样课时的职工人数")
    subsidy.set_defaults(handler=subsidy_answer)

    fees = commands.add_parser("fees", parents=[common], help="认定费用和补考规则")
    fees.add_argument("--level", required=True, help="等级，例如 二级")
    fees.set_defaults(handler=_fees)
    return parser


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """The options; `--date` may stand before or after the command, and defaults to today."""
    args = build_parser().parse_args(argv)
    if not hasattr(args, "date"):
        args.date = dt.date.today()
    return args


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    try:
        text, data = args.handler(args)
    except INPUT_ERRORS as error:
        print(f"输入有误：{error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
