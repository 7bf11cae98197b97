"""Policy parameters as data: every number and list the rules use, with its source."""

from bot.policy.parameters import Parameter, ParameterSet, load_parameters

__all__ = ["Parameter", "ParameterSet", "load_parameters"]
