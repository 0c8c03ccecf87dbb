"""Mutation testing: would the tests notice if the code were subtly wrong?

For each module it makes small AST mutants (an operator swapped, a constant moved by one, a boolean flipped, a ``not``
removed, ``min``/``max`` swapped, a return value replaced by ``None``) and runs the module's own test file against each
one. A mutant the tests fail on is *killed*; one they pass on *survived* and names a behaviour no test pins down.

    python scripts/mutation.py --module stats.prevalence       # one module
    python scripts/mutation.py                              # the target set (the modules the book's numbers rest on)
    python scripts/mutation.py --module stats.stepwise --sample 20 --seed 1   # a random sample while developing
    python scripts/mutation.py --module stats.penalised --json before.json    # then, after adding tests:
    python scripts/mutation.py --module stats.penalised --killed-in before.json   # reruns only the survivors
    make mutation [MODULE=stats.prevalence] [ARGS="--sample 20"]

Why a small mutator rather than mutmut or cosmic-ray: mutmut 3 copies the project into a ``mutants/`` folder inside the
working tree and needs its own configuration; cosmic-ray needs a session database and a config file per module; both
would be a new locked dependency. The operators needed here fit in one page, and the runner below never writes into the
working tree.

Not mutated: strings (messages), f-strings, annotations, docstrings, ``if __name__ == "__main__"``, ``__all__`` and
figure-drawing functions (``plot_*``, whose constants are layout).

How a mutant is run (nothing on disk changes): the parent process imports the heavy libraries once (numpy, pandas,
scipy, statsmodels, pytest) but not ``leftbehind``, then forks one child per mutant. The child compiles the mutated
source under the module's real file name, registers it in ``sys.modules`` before anything imports it, and runs pytest
in-process. A baseline child first runs the test file once under coverage with one context per test, so each mutant
runs only the tests that execute its line (fastest first, stopping at the first failure); a mutant on a line no test
executes survives without being run. A mutant that raises on import or exceeds its timeout counts as killed (timeouts
are shown separately). Times are reported, never asserted.

Equivalent mutants (no test could kill them, because the program's behaviour does not change) are listed in
``scripts/mutation_equivalents.csv`` with the reason. They are reported, and are NOT counted as killed: the score is
killed / (mutants - listed equivalents), and the raw killed / mutants is shown beside it.
"""

from __future__ import annotations

import argparse
import ast
import copy
import csv
import json
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "leftbehind"
EQUIVALENTS = Path(__file__).resolve().with_name("mutation_equivalents.csv")

def module_path(module: str) -> Path:
    """``stats.prevalence`` -> ``src/leftbehind/stats/prevalence.py``."""
    return PACKAGE.joinpath(*module.split(".")).with_suffix(".py")


# The modules the book's numbers rest on, each with the test file(s) that are its own tests.
TARGETS: dict[str, list[str]] = {
    "stats.prevalence": ["tests/stats/test_prevalence.py"],
    "stats.granularity": ["tests/stats/test_granularity.py"],
    "audit.reconstruction": ["tests/audit/test_reconstruction.py"],
    "stats.stepwise": ["tests/stats/test_stepwise.py"],
    "stats.fast_logit": ["tests/stats/test_fast_logit.py"],
    "stats.bounded_elimination": ["tests/stats/test_bounded_elimination.py"],
    "stats.penalised": ["tests/stats/test_penalised.py"],
    "stats.multiplicity": ["tests/stats/test_multiplicity.py"],
    "context.evidence": ["tests/context/test_evidence.py"],
    "yingshan.validate": ["tests/yingshan/test_validate.py"],
    "yingshan.clean": ["tests/yingshan/test_clean.py"],
    "yingshan.derive": ["tests/yingshan/test_derive.py"],
    "survey.scoring": ["tests/survey/test_scoring.py"],
    # the spec-driven path the worked examples and `analyse --spec` rest on: prevalence with its intervals by group,
    # and backward elimination with the reasons a model cannot be estimated
    "stats.group_prevalence": ["tests/stats/test_stats_group_prevalence.py"],
    "stats.backward": ["tests/stats/test_stats_backward.py"],
    # every number in prose passes through glue's rounding, and every table cell through the table renderer
    "presentation.glue": ["tests/presentation/test_presentation_glue.py"],
    "presentation.tables": ["tests/presentation/test_presentation_tables.py"],
}

# ---------------------------------------------------------------------------------------------------------------------
# Mutants
# ---------------------------------------------------------------------------------------------------------------------

BINOP_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv, ast.Pow: ast.Mult, ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
}
CMP_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In,
}
SYMBOL = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
    ast.BitAnd: "&", ast.BitOr: "|", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
    ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.And: "and",
    ast.Or: "or",
}
#: Figure-drawing functions are not mutated: their constants are layout (sizes, fonts, marker styles); what a figure
#: shows is tested through the functions that compute its data and its alt text.
SKIP_FUNCTIONS_PREFIX = ("plot_",)
NAME_SWAPS = {"min": "max", "max": "min", "minimum": "maximum", "maximum": "minimum", "any": "all", "all": "any",
              "floor": "ceil", "ceil": "floor"}


@dataclass
class Site:
    """One mutant: where it is and what it changes."""

    index: int
    line: int
    end_line: int
    col: int
    stmt_line: int
    mutation: str
    source: str = ""
    status: str = ""  # killed / survived / timeout / no-coverage / equivalent-survived / equivalent-killed
    seconds: float = 0.0
    tests_run: int = 0
    reason: str = ""  # for listed equivalents


def _constant_alternatives(value):
    """Replacement constants for a number or boolean (strings and None are left alone)."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1] + ([value - 1] if value != 0 else [])
    if isinstance(value, float):
        return [1.0] if value == 0 else [value * 2, value / 2]
    return []


class Mutator(ast.NodeTransformer):
    """Walks a module in a fixed order, numbering every possible mutant; applies the one numbered ``target``."""

    def __init__(self, target: int | None = None):
        self.target = target
        self.sites: list[Site] = []
        self.stmts: list[int] = []

    def _offer(self, node, mutation, make):
        index = len(self.sites)
        stmt_line = self.stmts[-1] if self.stmts else node.lineno
        self.sites.append(Site(index, node.lineno, node.end_lineno or node.lineno, node.col_offset, stmt_line, mutation))
        if index == self.target:
            new = make()
            return ast.fix_missing_locations(ast.copy_location(new, node))
        return None

    # statements: remember the enclosing statement's first line (used to find the tests that run a mutant)
    def visit(self, node):
        is_stmt = isinstance(node, ast.stmt)
        if is_stmt:
            self.stmts.append(node.lineno)
        try:
            return super().visit(node)
        finally:
            if is_stmt:
                self.stmts.pop()

    # things never mutated: annotations, f-strings (messages), docstrings are strings anyway
    def visit_arg(self, node):
        return node

    def visit_JoinedStr(self, node):
        return node

    def visit_AnnAssign(self, node):
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def _visit_function(self, node):
        if node.name.startswith(SKIP_FUNCTIONS_PREFIX):
            return node
        node.decorator_list = [self.visit(d) for d in node.decorator_list]
        node.args = self.visit(node.args)
        node.body = [self.visit(s) for s in node.body]
        return node

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_If(self, node):
        test = node.test  # never mutate `if __name__ == "__main__":`
        if isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__":
            return node
        return self.generic_visit(node)

    def visit_Assign(self, node):
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return node
        return self.generic_visit(node)

    def visit_BinOp(self, node):
        self.generic_visit(node)
        new_op = BINOP_SWAPS.get(type(node.op))
        if new_op is not None:
            out = self._offer(node, f"`{SYMBOL[type(node.op)]}` -> `{SYMBOL[new_op]}`",
                              lambda: ast.BinOp(left=node.left, op=new_op(), right=node.right))
            if out is not None:
                return out
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        new_op = BINOP_SWAPS.get(type(node.op))
        if new_op is not None:
            out = self._offer(node, f"`{SYMBOL[type(node.op)]}=` -> `{SYMBOL[new_op]}=`",
                              lambda: ast.AugAssign(target=node.target, op=new_op(), value=node.value))
            if out is not None:
                return out
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        for i, op in enumerate(node.ops):
            new_op = CMP_SWAPS.get(type(op))
            if new_op is None:
                continue

            def make(i=i, new_op=new_op):
                ops = list(node.ops)
                ops[i] = new_op()
                return ast.Compare(left=node.left, ops=ops, comparators=node.comparators)

            out = self._offer(node, f"`{SYMBOL[type(op)]}` -> `{SYMBOL[new_op]}`", make)
            if out is not None:
                return out
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        new_op = ast.Or if isinstance(node.op, ast.And) else ast.And
        out = self._offer(node, f"`{SYMBOL[type(node.op)]}` -> `{SYMBOL[new_op]}`",
                          lambda: ast.BoolOp(op=new_op(), values=node.values))
        return out if out is not None else node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.Not, ast.USub, ast.Invert)):
            name = {ast.Not: "not", ast.USub: "-", ast.Invert: "~"}[type(node.op)]
            if isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
                return node  # -1 is a constant; the constant mutants cover it
            out = self._offer(node, f"remove unary `{name}`", lambda: node.operand)
            if out is not None:
                return out
        return node

    def visit_Constant(self, node):
        for alt in _constant_alternatives(node.value):
            out = self._offer(node, f"`{node.value!r}` -> `{alt!r}`", lambda alt=alt: ast.Constant(value=alt))
            if out is not None:
                return out
        return node

    def visit_Name(self, node):
        alt = NAME_SWAPS.get(node.id)
        if alt is not None and isinstance(node.ctx, ast.Load):
            out = self._offer(node, f"`{node.id}` -> `{alt}`", lambda: ast.Name(id=alt, ctx=ast.Load()))
            if out is not None:
                return out
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        alt = NAME_SWAPS.get(node.attr)
        if alt is not None and isinstance(node.ctx, ast.Load):
            out = self._offer(node, f"`.{node.attr}` -> `.{alt}`",
                              lambda: ast.Attribute(value=node.value, attr=alt, ctx=ast.Load()))
            if out is not None:
                return out
        return node

    def visit_Return(self, node):
        self.generic_visit(node)
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            out = self._offer(node, "return value -> `None`", lambda: ast.Return(value=ast.Constant(value=None)))
            if out is not None:
                return out
        return node


def list_mutants(source: str) -> list[Site]:
    """Every mutant of ``source``, numbered in a fixed order, with the source line it changes."""
    mutator = Mutator()
    mutator.visit(ast.parse(source))
    lines = source.splitlines()
    for site in mutator.sites:
        site.source = lines[site.line - 1].strip()
    return mutator.sites


def mutate(source: str, index: int) -> ast.Module:
    """The module's AST with mutant number ``index`` applied (a fresh parse each time)."""
    mutator = Mutator(target=index)
    tree = mutator.visit(ast.parse(source))
    if index >= len(mutator.sites):
        raise IndexError(f"there is no mutant {index}")
    return ast.fix_missing_locations(tree)


def equivalence_key(module: str, site: Site, source_lines: list[str]) -> tuple[str, str, int, str]:
    """Identifies a mutant across edits elsewhere in the file: the line's text, the column within it, the mutation."""
    raw = source_lines[site.line - 1]
    indent = len(raw) - len(raw.lstrip())
    return (module, raw.strip(), site.col - indent, site.mutation)


def load_equivalents(path: Path = EQUIVALENTS) -> dict[tuple[str, str, int, str], str]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {(r["module"], r["line_text"], int(r["column"]), r["mutation"]): r["reason"]
                for r in csv.DictReader(handle)}


# ---------------------------------------------------------------------------------------------------------------------
# Running tests in forked children
# ---------------------------------------------------------------------------------------------------------------------

PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "no:xdist", "-q", "--no-header", "-o", "addopts=",
               "-W", "ignore::pytest.PytestUnraisableExceptionWarning",
               "-W", "ignore::pytest.PytestAssertRewriteWarning"]


def _silence():
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)


def _install_mutant(module: str, tree: ast.Module) -> None:
    """Make ``leftbehind.<module>`` the mutated code, under its real file name, before anything imports it."""
    import importlib.util

    name = f"leftbehind.{module}"
    path = module_path(module)
    parent_name, _, attribute = name.rpartition(".")
    parent = importlib.import_module(parent_name)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    exec(compile(tree, str(path), "exec"), mod.__dict__)
    setattr(parent, attribute, mod)


def _fork(child, timeout: float) -> tuple[int | None, float]:
    """Run ``child()`` in a forked process; its return value is the exit code. None means it timed out."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        code = 70
        try:
            os.setpgid(0, 0)
            code = child()
        except BaseException:  # noqa: BLE001 - any crash of the mutant is an exit code for the parent
            code = 71
        finally:
            os._exit(code if isinstance(code, int) else 72)
    deadline = start + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), time.perf_counter() - start
        if time.perf_counter() > deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            return None, time.perf_counter() - start
        time.sleep(0.02)


def baseline(module: str, test_files: list[str], timeout: float) -> dict:
    """Run the module's tests once, unmutated, recording per test its time and the module lines it executes."""
    out = Path(tempfile.mkstemp(prefix=f"mutation-{module}-", suffix=".json")[1])

    def child():
        import coverage
        import pytest

        _silence()
        path = str(module_path(module))
        cov = coverage.Coverage(data_file=None, include=[path], config_file=False)
        durations: dict[str, float] = {}
        failed: list[str] = []

        class Contexts:
            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_protocol(self, item, nextitem):
                cov.switch_context(item.nodeid)
                t0 = time.perf_counter()
                yield
                durations[item.nodeid] = time.perf_counter() - t0
                cov.switch_context("")

            def pytest_runtest_logreport(self, report):
                if report.failed:
                    failed.append(report.nodeid)

        cov.start()
        code = pytest.main([*PYTEST_ARGS, *test_files], plugins=[Contexts()])
        cov.stop()
        data = cov.get_data()
        data.set_query_contexts(None)
        by_line = {str(k): sorted(v) for k, v in (data.contexts_by_lineno(path) or {}).items()}
        out.write_text(json.dumps({"code": int(code), "durations": durations, "failed": failed, "lines": by_line}))
        return 0

    try:
        status, seconds = _fork(child, timeout)
        result = json.loads(out.read_text()) if status == 0 and out.stat().st_size else {}
    finally:
        out.unlink(missing_ok=True)
    result["seconds"] = seconds
    result["status"] = status
    return result


def tests_for(site: Site, lines: dict[str, list[str]], durations: dict[str, float]) -> list[str] | None:
    """The tests that execute the mutant's lines, fastest first; [] if none; None when import-time code is hit."""
    contexts: set[str] = set()
    for line in {*range(site.line, site.end_line + 1), site.stmt_line}:
        contexts.update(lines.get(str(line), []))
    if "" in contexts:  # executed at import (module-level code, default arguments): every test depends on it
        return sorted(durations, key=durations.get)
    return sorted((c for c in contexts if c in durations), key=durations.get)


def preload_test_plugins() -> None:
    """Import pytest's plugins (and hypothesis, matplotlib) once in the parent: ~5 s saved per mutant."""
    import importlib
    from importlib.metadata import entry_points

    for name in ("hypothesis", "hypothesis.strategies", "matplotlib", "matplotlib.pyplot"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    for entry in entry_points(group="pytest11"):
        try:
            entry.load()
        except Exception:  # noqa: BLE001 - a plugin that cannot load now is loaded (or reported) by pytest later
            pass


def run_mutant(module: str, source: str, site: Site, test_ids: list[str], test_files: list[str],
               timeout: float) -> tuple[str, float]:
    tree = mutate(source, site.index)

    def child():
        import pytest

        _silence()
        try:
            _install_mutant(module, tree)
        except Exception:  # noqa: BLE001 - a mutant that cannot be imported is killed
            return 3
        return int(pytest.main([*PYTEST_ARGS, "-x", *(test_ids or test_files)]))

    code, seconds = _fork(child, timeout)
    if code is None:
        return "timeout", seconds
    return ("survived" if code == 0 else "killed"), seconds


# ---------------------------------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------------------------------

@dataclass
class ModuleResult:
    module: str
    mutants: int = 0
    run: int = 0
    killed: int = 0
    timeouts: int = 0
    equivalent: int = 0
    seconds: float = 0.0
    sites: list[Site] = field(default_factory=list)
    note: str = ""

    @property
    def score(self) -> float | None:
        denominator = self.run - self.equivalent
        return None if denominator <= 0 else self.killed / denominator


def in_lines(line: int, spec: str) -> bool:
    """Is ``line`` in ``spec``, a comma-separated list of lines and ranges (``30-60,88,120``)?"""
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        if int(lo) <= line <= int(hi or lo):
            return True
    return False


def killed_in(path: Path, module: str) -> set[tuple[int, int, str, str]]:
    """The mutants of ``module`` killed in an earlier run's ``--json`` file: (line, column, mutation, source line)."""
    runs = json.loads(Path(path).read_text(encoding="utf-8"))
    return {(s["line"], s["col"], s["mutation"], s["source"]) for r in runs if r["module"] == module
            for s in r["sites"] if s["status"] in ("killed", "timeout")}


def mutate_module(module: str, test_files: list[str], args, equivalents) -> ModuleResult:
    path = module_path(module)
    source = path.read_text(encoding="utf-8")
    source_lines = source.splitlines()
    sites = list_mutants(source)
    result = ModuleResult(module, mutants=len(sites))
    if args.lines:
        sites = [s for s in sites if in_lines(s.line, args.lines)]
    if args.sample and args.sample < len(sites):
        sites = sorted(random.Random(args.seed).sample(sites, args.sample), key=lambda s: s.index)
    earlier: list[Site] = []
    if args.killed_in:
        killed_before = killed_in(args.killed_in, module)
        earlier = [s for s in sites if (s.line, s.col, s.mutation, s.source) in killed_before]
        sites = [s for s in sites if (s.line, s.col, s.mutation, s.source) not in killed_before]
        for site in earlier:
            site.status = "killed"
            site.reason = equivalents.get(equivalence_key(module, site, source_lines), "")
    result.run = len(sites) + len(earlier)
    print(f"\n== {module}: {len(sites)} of {result.mutants} mutants; tests: {' '.join(test_files)}", flush=True)
    if earlier:
        print(f"   {len(earlier)} more were killed in {args.killed_in} and are counted as killed without a rerun",
              flush=True)

    t0 = time.perf_counter()
    base = baseline(module, test_files, timeout=args.baseline_timeout)
    if base.get("status") != 0 or base.get("code") != 0:
        result.note = f"baseline failed (status {base.get('status')}, pytest exit {base.get('code')}): " \
                      f"{base.get('failed')}; fix the tests first"
        print(f"   {result.note}", flush=True)
        result.run = 0
        return result
    durations = base["durations"]
    print(f"   baseline: {len(durations)} tests pass in {base['seconds']:.1f} s", flush=True)
    result.killed = len(earlier)

    width = len(str(len(sites)))
    for n, site in enumerate(sites, 1):
        key = equivalence_key(module, site, source_lines)
        if key in equivalents:
            site.reason = equivalents[key]
        test_ids = tests_for(site, base["lines"], durations)
        if not test_ids:
            site.status = "no-coverage"
        else:
            budget = sum(durations[t] for t in test_ids)
            timeout = args.timeout_factor * budget + args.timeout_extra
            status, site.seconds = run_mutant(module, source, site, test_ids, test_files, timeout)
            site.status, site.tests_run = status, len(test_ids)
        if site.status in ("killed", "timeout"):
            result.killed += 1
            result.timeouts += site.status == "timeout"
            if site.reason:  # the list is wrong for this one: it counts as killed, not as equivalent
                print(f"   note: listed equivalent was killed, remove it from the list: {module}.py:{site.line}")
        elif site.reason:
            result.equivalent += 1
        shown = site.status + (" (listed equivalent)" if site.reason else "")
        print(f"   [{n:>{width}}/{len(sites)}] {module}.py:{site.line:<4} {site.mutation:<28} "
              f"{shown:<32} {site.seconds:5.1f} s", flush=True)
    result.sites = sorted(earlier + sites, key=lambda s: s.index)
    result.seconds = time.perf_counter() - t0
    return result


def report(results: list[ModuleResult]) -> None:
    print("\n== Survivors (file:line, mutation, source)")
    for r in results:
        for s in r.sites:
            if s.status in ("survived", "no-coverage"):
                tag = f"  [equivalent: {s.reason}]" if s.reason else ""
                gap = " (no test runs this line)" if s.status == "no-coverage" else ""
                print(f"   {module_path(r.module).relative_to(ROOT)}:{s.line}  {s.mutation}{gap}  |  {s.source}{tag}")
    print("\n== Score per module (equivalent mutants are not counted as killed; score = killed / (run - equivalent))")
    print(f"   {'module':<15} {'killed/run':>11} {'raw %':>6} {'equiv':>6} {'score':>6} {'timeouts':>8} {'time':>8}")
    total_killed = total_run = total_eq = 0
    for r in results:
        if r.note:
            print(f"   {r.module:<15} {r.note}")
            continue
        raw = f"{100 * r.killed / r.run:.0f}" if r.run else "-"
        score = f"{100 * r.score:.0f}" if r.score is not None else "-"
        print(f"   {r.module:<15} {f'{r.killed}/{r.run}':>11} {raw:>6} {r.equivalent:>6} {score:>6} "
              f"{r.timeouts:>8} {r.seconds:7.0f}s")
        total_killed, total_run, total_eq = total_killed + r.killed, total_run + r.run, total_eq + r.equivalent
    if len(results) > 1 and total_run:
        print(f"   {'all':<15} {f'{total_killed}/{total_run}':>11} {100 * total_killed / total_run:>6.0f} "
              f"{total_eq:>6} {100 * total_killed / max(total_run - total_eq, 1):>6.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", action="append", help="module name (repeatable); default: the target set")
    parser.add_argument("--tests", action="append", help="test file(s) for a module outside the target set")
    parser.add_argument("--sample", type=int, help="run a random sample of this many mutants per module")
    parser.add_argument("--seed", type=int, default=2023, help="seed for --sample")
    parser.add_argument("--lines", help="only mutants on these lines, e.g. 30-60 or 36,83,120-127")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--killed-in", type=Path,
                        help="an earlier run's --json: count the mutants it killed (same line, column, mutation and "
                             "source text) as killed and run only the others; valid when tests were only added since")
    parser.add_argument("--timeout-factor", type=float, default=6.0, help="timeout = factor x baseline time + extra")
    parser.add_argument("--timeout-extra", type=float, default=30.0)
    parser.add_argument("--baseline-timeout", type=float, default=1800.0)
    parser.add_argument("--json", type=Path, help="also write the full results as JSON here")
    args = parser.parse_args(argv)

    modules = args.module or list(TARGETS)
    equivalents = load_equivalents()
    if args.list:
        for module in modules:
            source = (module_path(module)).read_text(encoding="utf-8")
            lines = source.splitlines()
            for site in list_mutants(source):  # the columns of scripts/mutation_equivalents.csv come first
                _, text, column, mutation = equivalence_key(module, site, lines)
                print(f"{module}.py:{site.line}\tcolumn {column}\t{mutation}\t{text}")
        return 0

    os.chdir(ROOT)
    sys.dont_write_bytecode = True
    # Import the heavy libraries once, before forking; never `leftbehind` (each child imports its own, mutated).
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import scipy.stats  # noqa: F401
    import statsmodels.api  # noqa: F401
    preload_test_plugins()

    started = time.perf_counter()
    results = []
    for module in modules:
        test_files = args.tests or TARGETS.get(module) or [f"tests/{module.rpartition('.')[0]}/test_{module.rpartition('.')[2]}.py"]
        missing = [t for t in test_files if not (ROOT / t).exists()]
        if missing or not (module_path(module)).exists():
            parser.error(f"no module {module_path(module)} or no test file {missing}")
        results.append(mutate_module(module, test_files, args, equivalents))
    report(results)
    print(f"\n   total time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps([{**{k: v for k, v in asdict(r).items() if k != "sites"},
                                          "sites": [asdict(s) for s in r.sites]} for r in results], indent=1))
    return 0


if __name__ == "__main__":
    # One thread per numerical library: the runner is meant to share the machine.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())
