"""The capstone's design memo: sections in order, threats from the registry, atomic saves, the check."""

import html
import os
import re
import subprocess
import sys

import pytest

from senge_course.course.checks import ___
from senge_course.course.memo import (
    RUBRIC,
    SECTIONS,
    THREATS_HEADING,
    DesignMemo,
    MemoCheck,
    validate_threats,
)
from senge_course.models import budget
from senge_course.models.claims import CLAIMS, get
from senge_course.models.coupled import OFF
from senge_course.models.plan import markdown_text

THREATS = {
    "leaders.mandate": "the rate at which compliance turns into commitment is a calibrated guess",
    "cycle.integration-pays": "capacity building may not triple capability in a real firm",
    "trap.worse-before-better": "the dip is written into the model's delay",
}
TRADE_OFFS = (
    "We spent the budget on two pilot teams and full mentoring rather than on research, because "
    "commitment carries integration under the coupled models; the price is a thinner research "
    "share and a slower start for the knowledge cycle."
)
CASE = "A regional hospital: two wards pilot a new handover practice."


@pytest.fixture(scope="module")
def memo():
    return DesignMemo.from_design(
        budget.FEASIBLE, trade_offs=TRADE_OFFS, threats=THREATS, case=CASE
    )


def _positions(text, headings):
    return [text.index(h) for h in headings]


def test_the_memo_of_the_feasible_design_has_every_section_in_order_in_markdown(memo):
    text = memo.to_markdown()
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == list(SECTIONS)
    assert text.startswith("# Design memo: Within budget\n")
    assert "calibrated, not estimated" in text
    assert "Within budget: 49.5 of 50 budget points" in text
    assert "| Total |  | 49.5 |" in text
    assert TRADE_OFFS in text and CASE in text
    for name, strong in RUBRIC.items():
        assert f"**{name}:** {markdown_text(strong)}" in text


def test_the_memo_has_every_section_in_order_in_html(memo):
    page = memo.to_html()
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.+?)</h2>", page)]
    assert headings == list(SECTIONS)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert page.count("<h1>") == 1
    assert "<caption>What the design costs" in page
    assert '<th scope="col">Budget points</th>' in page
    assert "calibrated, not estimated" in page
    assert "Within budget: 49.5 of 50 budget points" in page
    assert "color:" not in page  # meaning never in colour alone: no colour at all


def test_the_case_section_is_left_out_without_a_case():
    memo = DesignMemo.from_design(budget.FEASIBLE, trade_offs=TRADE_OFFS, threats=THREATS)
    headings = re.findall(r"^## (.+)$", memo.to_markdown(), flags=re.M)
    assert headings == [s for s in SECTIONS if s != "Application to a case"]


def test_the_memo_says_what_each_model_predicts_and_each_coupling_did(memo):
    text = memo.to_markdown()
    report = memo.coupled.report
    assert f"{report.committed:.0%} of 51 people committed" in text
    assert "stays out of the trap" in text
    assert f"results over 10 years {report.knowledge.total:.1f}" in text
    assert "All three goals met." in text
    for effect in memo.coupled.effects.values():
        assert markdown_text(effect.sentence) in text


def test_with_couplings_off_the_memo_says_so():
    memo = DesignMemo.from_design(
        budget.FEASIBLE, trade_offs=TRADE_OFFS, threats=THREATS, couplings=OFF
    )
    assert "Couplings off" in memo.to_markdown()
    assert "Couplings off" in memo.to_html()


def test_an_over_budget_design_is_called_over_budget():
    memo = DesignMemo.from_design(
        budget.FEASIBLE, trade_offs=TRADE_OFFS, threats=THREATS, budget=40
    )
    assert not memo.within_budget
    assert "Over budget: 49.5 of 40 budget points (9.5 too many)." in memo.to_markdown()


def test_the_threats_section_lists_each_claim_from_the_registry(memo):
    text, page = memo.to_markdown(), memo.to_html()
    threats_md = text[text.index(THREATS_HEADING) :]
    threats_html = page[page.index(html.escape(THREATS_HEADING)) :]
    for key, reason in THREATS.items():
        claim = get(key)
        for where, escape in ((threats_md, markdown_text), (threats_html, html.escape)):
            assert escape(key) in where
            assert escape(claim.sentence) in where
            assert escape(claim.label) in where
            assert escape(claim.assumption.rstrip(".")) in where
            assert escape(reason) in where
    # where each fails: the counterexample's reason, or true by construction
    assert markdown_text(get("leaders.mandate").why_fails.rstrip(".")) in threats_md
    assert "True by construction" in threats_md  # trap.worse-before-better


@pytest.mark.parametrize(
    ("threats", "named"),
    [
        ({"leaders.mandate": "a reason"}, "leaders.mandate"),
        (["leaders.mandate"], "at least 2"),
        ({"leaders.mandate": "why", "leaders.magic": "why"}, "leaders.magic"),
        ([("leaders.mandate", "why"), ("leaders.mandate", "again")], "leaders.mandate"),
        (["trap.temporary-surge", "cycle.nowhere", "leaders.mandate"], "cycle.nowhere"),
    ],
)
def test_invalid_threats_are_refused_naming_the_key(threats, named):
    with pytest.raises(ValueError, match=re.escape(named)) as caught:
        validate_threats(threats)
    assert "claims of lessons 05-08 include" in str(caught.value)


def test_a_duplicate_is_called_a_duplicate():
    with pytest.raises(ValueError, match="'leaders.mandate' twice"):
        validate_threats(["leaders.mandate", "trap.temporary-surge", "leaders.mandate"])


@pytest.mark.parametrize("threats", [None, 3, "leaders.mandate", [("a", "b", "c")]])
def test_threats_of_the_wrong_type_are_refused(threats):
    with pytest.raises(TypeError, match="threats must be"):
        validate_threats(threats)


def test_from_design_refuses_bad_threats_before_running_the_models():
    with pytest.raises(ValueError, match="'nope'"):
        DesignMemo.from_design(budget.FEASIBLE, trade_offs="x", threats=["nope", "leaders.mandate"])
    with pytest.raises(TypeError, match="trade_offs must be text"):
        DesignMemo.from_design(budget.FEASIBLE, trade_offs=None, threats=THREATS)
    with pytest.raises(TypeError, match="design must be"):
        DesignMemo.from_design("all three", trade_offs="x", threats=THREATS)


@pytest.mark.parametrize("suffix", [".md", ".html", ".MD"])
def test_save_writes_the_format_its_extension_names(memo, tmp_path, suffix):
    path = tmp_path / f"memo{suffix}"
    memo.save(path)
    text = path.read_text(encoding="utf-8")
    expected = memo.to_html() if suffix == ".html" else memo.to_markdown()
    assert text == expected
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_save_is_atomic_and_keeps_the_old_file_when_it_fails(memo, tmp_path, monkeypatch):
    path = tmp_path / "memo.md"
    path.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="cannot save the design memo"):
        memo.save(path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["memo.md"]


@pytest.mark.parametrize("name", ["memo.txt", "memo", "memo.pdf"])
def test_save_refuses_other_extensions(memo, tmp_path, name):
    with pytest.raises(ValueError, match=r"must end in \.md or \.html"):
        memo.save(tmp_path / name)
    assert not (tmp_path / name).exists()


def test_the_rubric_has_the_five_criteria_of_the_issue():
    assert list(RUBRIC) == [
        "Fidelity to the article",
        "Use of model evidence",
        "Trade-offs",
        "Threats to validity",
        "Application to a case",
    ]
    assert all(isinstance(v, str) and v.count(".") == 1 for v in RUBRIC.values())


# --------------------------------------------------------------------------- MemoCheck

QUESTION = MemoCheck("memo_answer")


def test_memo_check_is_a_design_question():
    assert QUESTION.kind == "design" and QUESTION.scored


def test_memo_check_accepts_real_claims_with_reasons_and_trade_offs():
    out = QUESTION.evaluate({"memo_answer": {"threats": THREATS, "trade_offs": TRADE_OFFS}})
    assert out.status == "correct", out.message
    assert out.score == 1.0 and "Threats to validity" in out.message


@pytest.mark.parametrize(
    ("answer", "missing"),
    [
        ({"threats": {"leaders.mandate": THREATS["leaders.mandate"]}}, "at least 2"),
        (
            {"threats": {**THREATS, "leaders.magic": "a reason of enough words to pass easily"}},
            "'leaders.magic'",
        ),
        ({"threats": {**THREATS, "leaders.mandate": "a guess"}}, "too short: leaders.mandate"),
        ({"threats": THREATS, "trade_offs": "Fewer networkers."}, "you have written 2"),
        ({"threats": list(THREATS)}, 'Give "threats" as a dict'),
        ({"trade_offs": TRADE_OFFS}, 'Give "threats" as a dict'),
    ],
)
def test_memo_check_names_what_is_missing(answer, missing):
    answer = {"trade_offs": TRADE_OFFS, **answer}
    out = QUESTION.assess(answer)
    assert out.status == "incorrect"
    assert missing in out.message
    assert 'claims_table("05")' in out.message and 'claims_table("08")' in out.message


def test_memo_check_never_suggests_a_claim():
    out = QUESTION.assess({"threats": {"leaders.magic": "x"}, "trade_offs": ""})
    others = [key for key in CLAIMS if key in out.message]
    assert others == []


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (___, "not attempted"),
        ({"threats": ___, "trade_offs": ___}, "not attempted"),
        (3, "incorrect"),
    ],
)
def test_memo_check_unanswered_and_malformed(answer, status):
    assert QUESTION.assess(answer).status == status


def test_the_memo_module_does_not_import_matplotlib_or_ipywidgets():
    code = (
        "import sys, senge_course.course.memo\n"
        "heavy = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
