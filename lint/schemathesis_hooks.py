"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in the API gate of scripts/test.

Works around a CPython 3.11 bug, not one of knooppunt or schemathesis: `ast.parse` can raise
`SystemError: AST constructor recursion depth mismatch` (python/cpython#106905) when Hypothesis
parses a module's source to describe a lambda for a strategy's repr. The description is only
cosmetic, so a failure to produce it falls back to Hypothesis' own placeholder instead of
aborting the operation's test run.
"""

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _described(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _described
