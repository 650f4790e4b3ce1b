"""Judge of the second corpus: build every case in a temp folder, run qk.check_scores /
qk.read_scores, classify each outcome (correct, refused, wrong, unclear).

Written black-box by a tester who saw neither the importer's source nor the first corpus
(tests/messy_sheets): the expectations (import / refuse / either) are the tester's own.

    python tests/second_corpus/rt_judge.py [substring ...]   -> prints a table
"""
from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
import traceback
from collections import Counter

import pandas as pd


import qualitykit as qk  # noqa: E402

import rt_gen as gen  # noqa: E402

# letter grades: the README says their meaning lives in the Standard (default A→优秀 … D/E→待合格)
LETTER = {"A": "优秀", "A+": "优秀", "A-": "优秀", "B": "良好", "C": "合格", "D": "待合格", "E": "待合格"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def tag_exam(x):
    x = "" if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)
    return "期中" if "期中" in x else "期末" if "期末" in x else x


def summarise(df, keys, id_key, levels):
    out = {}
    for k, grp in df.groupby(keys, dropna=False, sort=True):
        k = k if isinstance(k, tuple) else (k,)
        sat = grp[grp["status"] == "sat"]
        scores = pd.to_numeric(sat["score"], errors="coerce").dropna()
        if id_key == "id":
            ids = tuple(sorted(grp["student_id"].astype(str)))
        elif id_key == "name":
            ids = tuple(sorted(grp["name"].astype(str)))
        else:
            ids = len(grp)
        d = dict(ids=ids, n_sat=len(sat), mean=float(scores.mean()) if len(scores) else None,
                 status=dict(sorted(Counter(grp["status"].astype(str)).items())))
        if levels:
            d["levels"] = dict(sorted(Counter(LETTER.get(str(x), str(x)) for x in grp["level"] if x is not None and x == x).items()))
        out[tuple(str(x) for x in k)] = d
    return out


def compare(case, got):
    truth = pd.DataFrame(case["truth"])
    use_school = truth["school"].astype(str).str.len().gt(0).any()
    keys = (["school"] if use_school else []) + ["class_id", "subject"]
    got = got.copy()
    got["class_id"] = got["class_id"].astype(str)
    if case.get("exam_map"):
        got["exam"] = got["exam"].map(tag_exam)
        keys = keys + ["exam"]
    a = summarise(truth, keys, case.get("id_key", "id"), case.get("levels"))
    b = summarise(got, keys, case.get("id_key", "id"), case.get("levels"))
    diffs = []
    for k in sorted(set(a) | set(b)):
        if k not in b:
            diffs.append(f"group {k} missing (truth n={len(a[k]['ids']) if not isinstance(a[k]['ids'], int) else a[k]['ids']})")
            continue
        if k not in a:
            n = b[k]["ids"] if isinstance(b[k]["ids"], int) else len(b[k]["ids"])
            diffs.append(f"unexpected group {k} (n={n}, status={b[k]['status']})")
            continue
        x, y = a[k], b[k]
        if x["ids"] != y["ids"]:
            if isinstance(x["ids"], int):
                diffs.append(f"{k}: rows {x['ids']} vs got {y['ids']}")
            else:
                mi = sorted(set(x["ids"]) - set(y["ids"]))
                ex = sorted(set(y["ids"]) - set(x["ids"]))
                diffs.append(f"{k}: ids missing {mi[:4]}{'…' if len(mi) > 4 else ''} ({len(mi)}), extra "
                             f"{ex[:4]}{'…' if len(ex) > 4 else ''} ({len(ex)}); n {len(x['ids'])} vs {len(y['ids'])}")
        if x["n_sat"] != y["n_sat"]:
            diffs.append(f"{k}: n_sat {x['n_sat']} vs got {y['n_sat']}")
        if (x["mean"] is None) != (y["mean"] is None) or (x["mean"] is not None and abs(x["mean"] - y["mean"]) > 1e-9):
            diffs.append(f"{k}: mean {x['mean']} vs got {y['mean']}")
        if x["status"] != y["status"]:
            diffs.append(f"{k}: status {x['status']} vs got {y['status']}")
        if case.get("levels") and x.get("levels") != y.get("levels"):
            diffs.append(f"{k}: levels {x.get('levels')} vs got {y.get('levels')}")
    if case.get("check_names"):
        tn = dict(zip(truth["student_id"].astype(str), truth["name"]))
        gn = dict(zip(got["student_id"].astype(str), got["name"]))
        bad = [(i, tn[i], gn.get(i)) for i in tn if gn.get(i) != tn[i]]
        if bad:
            diffs.append(f"names differ: {bad[:5]}")
    return diffs


def cell_named(msg, probs, fname, sheet, row, col):
    """Is (sheet,row,col) named in the message text, or (weaker) in the problems table?"""
    in_msg = True
    if sheet is not None and sheet not in msg:
        in_msg = False
    if row is not None and not re.search(rf"第\s*{row}\s*行", msg):
        in_msg = False
    if col is not None and not re.search(rf"(?<![A-Z]){col}\s*列", msg):
        in_msg = False
    in_tab = False
    if probs is not None and len(probs):
        m = pd.Series(True, index=probs.index)
        if sheet is not None:
            m &= probs["sheet"].astype(str) == sheet
        if row is not None:
            m &= pd.to_numeric(probs["row"], errors="coerce") == row
        if col is not None:
            m &= probs["column"].astype(str) == col
        if "severity" in probs:
            m &= probs["severity"].astype(str) == "error"
        in_tab = bool(m.any())
    return in_msg, in_tab


def judge_refusal(case, msg, probs):
    fname = os.path.basename(case["file"])
    why = []
    if not CJK.search(msg):
        why.append("message not Chinese")
    if fname not in msg:
        why.append("file name not in message")
    named_msg, named_tab = [], []
    for grp in case["planted"]:
        hits = [cell_named(msg, probs, fname, *c) for c in grp]
        named_msg.append(any(h[0] for h in hits))
        named_tab.append(any(h[1] for h in hits))
    if case["planted"] and not any(named_msg):
        why.append("no planted place named in the message")
    if case["planted"] and not all(m or t for m, t in zip(named_msg, named_tab)):
        why.append(f"planted places not all reported ({sum(m or t for m, t in zip(named_msg, named_tab))}/{len(named_msg)})")
    return why


def run_case(case):
    opts = case["options"]
    res = dict(name=case["name"], expect=case["expect"], note=case["note"], file=os.path.basename(case["file"]))
    notes = []
    rep, chk_exc = None, None
    try:
        rep = qk.check_scores(case["file"], **opts)
    except qk.ScoreFileError as e:
        chk_exc = ("ScoreFileError", str(e))
    except Exception as e:  # noqa: BLE001
        chk_exc = (type(e).__name__, traceback.format_exc(limit=3))
    df, err, other = None, None, None
    try:
        df = qk.read_scores(case["file"], **opts)
    except qk.ScoreFileError as e:
        err = str(e)
    except Exception as e:  # noqa: BLE001
        other = f"{type(e).__name__}: {e}\n" + traceback.format_exc(limit=4)
    probs = rep.problems if rep is not None else None
    if rep is not None:
        if rep.rows_read != rep.rows_imported + rep.rows_skipped:
            notes.append(f"accounting: rows_read {rep.rows_read} != imported {rep.rows_imported} + skipped {rep.rows_skipped}")
        if rep.ok != (df is not None):
            notes.append(f"check_scores.ok={rep.ok} but read_scores {'returned' if df is not None else 'raised'}")
    if chk_exc and chk_exc[0] != "ScoreFileError":
        notes.append(f"check_scores raised {chk_exc[0]}: {chk_exc[1][-400:]}")
    if other:
        res.update(outcome="unclear", detail=["non-ScoreFileError exception: " + other[-1500:]] + notes)
        return res
    exp = case["expect"]
    if df is not None:
        res["rows"] = len(df)
        if exp == "refuse":
            res.update(outcome="wrong", detail=["imported but must refuse"] + notes)
            return res
        diffs = compare(case, df)
        acc = [n for n in notes if n.startswith("accounting")]
        if diffs or acc:
            res.update(outcome="wrong", detail=diffs[:12] + ([f"... {len(diffs) - 12} more"] if len(diffs) > 12 else []) + notes)
        else:
            res.update(outcome="correct", detail=notes)
        if rep is not None and len(rep.problems):
            res["warnings"] = [str(x)[:200] for x in rep.problems["problem"].head(4)]
        return res
    # refused
    res["message"] = err[:1500]
    if exp == "import":
        res.update(outcome="wrong", detail=["refused but must import"] + notes)
        return res
    why = judge_refusal(case, err, probs)
    res.update(outcome="unclear" if why else "refused", detail=why + notes)
    return res


def main(argv):
    sel = argv[1:]
    with tempfile.TemporaryDirectory(prefix="rt_") as tmp:
        cases = gen.build_all(tmp)
        results = []
        for c in cases:
            if sel and not any(s in c["name"] for s in sel):
                continue
            r = run_case(c)
            results.append(r)
            print(f"{r['name']:<52} {r['expect']:<7} {r['outcome']}", flush=True)
    cnt = Counter(r["outcome"] for r in results)
    print(dict(cnt))
    suffix = "" if not sel else "_sel"
    with open(f"results{suffix}.json", "w") as f:
        json.dump(results, f, ensure_ascii=False, indent=1, default=str)
    with open(f"details{suffix}.txt", "w") as f:
        for r in results:
            if r["outcome"] in ("correct",) and not r.get("detail"):
                continue
            f.write(f"== {r['name']} [{r['expect']}] -> {r['outcome']}  ({r['note']})\n")
            for x in r.get("detail", []):
                f.write(f"   - {x}\n")
            if "message" in r:
                f.write("   message: " + r["message"].replace("\n", "\n            ")[:1200] + "\n")
            if r.get("warnings"):
                f.write(f"   warnings: {r['warnings']}\n")
    return results


if __name__ == "__main__":
    main(sys.argv)
