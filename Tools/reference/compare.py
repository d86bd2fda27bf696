#!/usr/bin/env python3
"""Compares `careledger query`/`timeline programme` answers with readmodels.py on one ledger, at
several as-of dates and known-at instants (including the instant just before each of a few
retractions and back-dated events), and their published forms (`--publish`) with the reference's
exact answers put through SPEC 5.5's disclosure control here. Prints each disagreement; exits 1 if
there is any.

usage: compare.py CARELEDGER_BINARY DATA_FOLDER
"""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import readmodels as ref  # noqa: E402
from datetime import date  # noqa: E402

binary, data = sys.argv[1], sys.argv[2]


def run(*args):
    out = subprocess.run([binary, *args, "--data", data], check=True, capture_output=True, text=True).stdout
    return out


log = [json.loads(line) for line in run("read").splitlines()]
head = log[-1]["seq"]
recorded = {e["seq"]: e["recordedAt"] for e in log}

# Known-at seqs: the head, and just before and at a few retractions and back-dated events.
interesting = [e["seq"] for e in log if e["type"] == "EventRetracted"][:3]
backdated, latest = [], ""
for e in log:
    if e["occurredOn"] < latest and len(backdated) < 2:
        backdated.append(e["seq"])
    latest = max(latest, e["occurredOn"])
known_seqs = sorted({head} | {s - 1 for s in interesting + backdated if s > 1} | set(interesting + backdated))

months = sorted({e["occurredOn"][:7] for e in log})
as_ofs = [f"{months[len(months) // 3]}-15", f"{months[2 * len(months) // 3]}-28", f"{months[-1]}-01"]
years = sorted({int(m[:4]) for m in months})
periods = [f"{y}-{(y + 1) % 100:02d}" for y in years[:-1]][:3] + [f"{years[-1]}-Q1"]
# A range that starts and ends mid-month: its first and last months are partial.
if len(months) >= 3:
    middle = len(months) // 2
    periods.append(f"{months[middle - 1]}-10..{months[middle + 1]}-05")

failures = 0


def compare(label, mine, theirs):
    global failures
    if json.dumps(mine, sort_keys=True) != json.dumps(theirs, sort_keys=True):
        failures += 1
        print(f"DIFFERENT {label}")
        print("  careledger:", json.dumps(mine, sort_keys=True)[:2000])
        print("  reference: ", json.dumps(theirs, sort_keys=True)[:2000])


def published_count(n):
    """SPEC 5.5: 0 stays 0, 1 to 4 read "<5", others round to the nearest 5 (an integer is never halfway)."""
    if n == 0:
        return 0
    if n < 5:
        return "<5"
    return 5 * ((n + 2) // 5)


def published_counts(counts):
    return {k: published_count(v) for k, v in counts.items()}


def published_caseload(exact):
    return {"openCases": published_count(exact["openCases"]), "byType": published_counts(exact["byType"]),
            "byOwnerPartner": published_counts(exact["byOwnerPartner"])}


def published_retention(exact):
    cohorts = []
    for row in exact["cohorts"]:
        horizons = {}
        for h, cell in row["horizons"].items():
            out = {k: published_count(cell[k]) for k in ("eligible", "notYetObservable", "employerRetained", "sectorRetained")}
            out["notRetainedReasons"] = published_counts(cell["notRetainedReasons"])
            # Rates from exact figures, withheld where fewer than 10 were eligible.
            if cell["eligible"] < 10:
                out.update({"employerRate": None, "sectorRate": None, "suppressed": True})
            else:
                out.update({"employerRate": cell["employerRate"], "sectorRate": cell["sectorRate"]})
            horizons[h] = out
        cohorts.append({"cohort": row["cohort"], "group": row["group"], "starters": published_count(row["starters"]), "horizons": horizons})
    return {"cohorts": cohorts}


def published_partners(exact, placements_counted):
    out = []
    for row in exact["partners"]:
        p = dict(row)
        for k in ("casesOpened", "referralsReceived", "referralsMade", "workersSupported", "jobIntroductions"):
            p[k] = published_count(row[k])
        for k in ("byChannel", "casesClosed", "referralOutcomes", "supportEpisodes", "placements", "safeguardingReferrals"):
            p[k] = published_counts(row[k])
        # README: a median resting on 1 to 9 placements is withheld as one person's figure.
        n = placements_counted[row["partnerId"]]
        if 0 < n < 10:
            p["medianDaysToPlacement"] = None
            p["medianSuppressed"] = True
        out.append(p)
    return {"partners": out}


def published_programme(exact):
    months = []
    for m in exact["months"]:
        p = dict(m)
        for k in ("openCases", "casesOpened", "displacements", "supportEpisodes", "employmentStarts", "employmentEnds"):
            p[k] = published_count(m[k])
        for k in ("casesClosed", "placements"):
            p[k] = published_counts(m[k])
        months.append(p)
    return {"months": months}


def period_bounds(text):
    if ".." in text:
        first, last = text.split("..")
        return date.fromisoformat(first), date.fromisoformat(last)
    if "-Q" in text:
        y, q = int(text[:4]), int(text[-1])
        start = date(y, 3 * q - 2, 1)
        return start, ref.add_months(start, 3) - ref.timedelta(days=1)
    y = int(text[:4])
    return date(y, 4, 1), date(y + 1, 3, 31)


# Timelines of every worker, case, provider and partner that a retraction or a safeguarding
# concern touches (a concern naming a case, that case's worker too), and of a few others (those named by every 97th event, up to 10 of each kind).
def named(event):
    return {(kind, event["data"][field]) for kind, field in (("worker", "workerRef"), ("case", "caseId"),
                                                                ("provider", "providerId"), ("partner", "partnerId"))
            if field in event["data"]}


by_event_id = {e["id"]: e for e in log}
worker_of_case = {e["data"]["caseId"]: e["data"]["workerRef"] for e in log if e["type"] == "CaseOpened"}
touched, sampled = set(), set()
for e in log:
    if e["type"] == "EventRetracted":
        touched |= named(by_event_id[e["data"]["targetEventId"]])
    elif e["type"] == "SafeguardingConcernRaised":
        # A concern that names only a case is on its worker's timeline too.
        touched |= named(e) | ({("worker", worker_of_case[e["data"]["caseId"]])} if "caseId" in e["data"] else set())
    elif e["seq"] % 97 == 0:
        sampled |= named(e)
subjects = sorted(touched) + [s for kind in ("worker", "case", "provider", "partner")
                              for s in sorted(s for s in sampled - touched if s[0] == kind)[:10]]

checked = 0
for k in known_seqs:
    for kind, ident in subjects:
        answer = subprocess.run([binary, "timeline", kind, ident, "--known-at", recorded[k], "--json", "--data", data], capture_output=True, text=True)
        mine = [[e["seq"], e["retracted"]] for e in json.loads(answer.stdout)["events"]] if answer.returncode == 0 else []
        compare(f"timeline {kind} {ident} known at seq {k}", mine, ref.timeline(log, k, kind, ident))
        checked += 1
    t = recorded[k]
    for as_of in as_ofs:
        mine = json.loads(run("query", "caseload", "--as-of", as_of, "--known-at", t, "--json"))
        theirs = ref.caseload(log, date.fromisoformat(as_of), k)
        compare(f"caseload as of {as_of} known at seq {k}", {key: mine[key] for key in theirs}, theirs)
        published = json.loads(run("query", "caseload", "--as-of", as_of, "--known-at", t, "--json", "--publish"))
        compare(f"published caseload as of {as_of} known at seq {k}", published, dict(published_caseload(theirs), asOf=as_of, knownAt=published["knownAt"]))
        checked += 2
    for period in periods:
        start, end = period_bounds(period)
        for by, horizons in [(None, [3, 6, 12]), ("provider", [3, 6, 12]), ("viaReplacement", [3, 6, 12]), ("route", [3, 6, 12]),
                             ("laCode", [3, 6, 12]), (None, [1, 9, 24])] if k == head else [(None, [3, 6, 12])]:
            args = ["query", "retention", "--period", period, "--known-at", t, "--json", "--horizons", ",".join(map(str, horizons))]
            if by:
                args += ["--by", by]
            mine = json.loads(run(*args))
            theirs = ref.retention(log, end, k, start, end, by, horizons)
            compare(f"retention {period} by {by} known at seq {k}", {"cohorts": mine["cohorts"]}, theirs)
            published = json.loads(run(*args, "--publish"))
            compare(f"published retention {period} by {by} known at seq {k}", {"cohorts": published["cohorts"]}, published_retention(theirs))
            checked += 2
        mine = json.loads(run("query", "partners", "--period", period, "--known-at", t, "--json"))
        theirs = ref.partners(log, end, k, start, end)
        compare(f"partners {period} known at seq {k}", {"partners": mine["partners"]}, theirs)
        published = json.loads(run("query", "partners", "--period", period, "--known-at", t, "--json", "--publish"))
        counted = {p["partnerId"]: p["placements"]["selfReported"] + p["placements"]["verified"] for p in theirs["partners"]}
        compare(f"published partners {period} known at seq {k}", {"partners": published["partners"]}, published_partners(theirs, counted))
        mine = json.loads(run("timeline", "programme", "--period", period, "--known-at", t, "--json"))
        theirs = ref.programme(log, k, start, end)
        published = json.loads(run("timeline", "programme", "--period", period, "--known-at", t, "--json", "--publish"))
        for answer in (mine, published):
            for month in answer["months"]:
                month["organisationalEvents"] = [[e["seq"], e["type"], e["retracted"]] for e in month["organisationalEvents"]]
        compare(f"programme {period} known at seq {k}", {"months": mine["months"]}, theirs)
        compare(f"published programme {period} known at seq {k}", {"months": published["months"]}, published_programme(theirs))
        checked += 4
    # A later as-of than the period's end, for retention's eligibility.
    start, end = period_bounds(periods[0])
    mine = json.loads(run("query", "retention", "--period", periods[0], "--as-of", as_ofs[-1], "--known-at", t, "--json"))
    compare(f"retention {periods[0]} as of {as_ofs[-1]} known at seq {k}", {"cohorts": mine["cohorts"]},
            ref.retention(log, date.fromisoformat(as_ofs[-1]), k, start, end, None, [3, 6, 12]))
    checked += 1



# `changes --json`'s figures: what differs between the reference's answers known at an earlier
# instant and known now, figure by figure (a member one side lacks reads 0 for a count, false for
# a flag, null for anything else), for a period and its last day.
def rows(model, answer):
    if model == "caseload":
        return {"null": {k: v for k, v in answer.items() if k in ("openCases", "byType", "byOwnerPartner")}}
    key, ident, skip = {"retention": ("cohorts", ("cohort", "group"), ()), "partners": ("partners", ("partnerId",), ()),
                        "programme": ("months", ("month",), ("organisationalEvents",))}[model]
    return {json.dumps({k: row[k] for k in ident}, sort_keys=True): {k: v for k, v in row.items() if k not in ident + skip} for row in answer[key]}


def leaves(value, pointer=""):
    if isinstance(value, dict):
        return {p: v for name, member in value.items() for p, v in leaves(member, pointer + "/" + name).items()}
    return {pointer: value}


def absent(other):
    return 0 if (isinstance(other, int) and not isinstance(other, bool)) or other == "<5" else False if isinstance(other, bool) else None


def figure_changes(model, then, now):
    out = set()
    a, b = rows(model, then), rows(model, now)
    for row in set(a) | set(b):
        x, y = leaves(a.get(row, {})), leaves(b.get(row, {}))
        for pointer in set(x) | set(y):
            t = x[pointer] if pointer in x else absent(y[pointer])
            n = y[pointer] if pointer in y else absent(x[pointer])
            if t != n or type(t) is not type(n) and not (isinstance(t, (int, float)) and isinstance(n, (int, float))):
                out.add((model, row, pointer, json.dumps(t), json.dumps(n)))
    return out


figures_compared = 0
for k in known_seqs[:-1]:
    for period in periods[:2]:
        start, end = period_bounds(period)
        for publish in (False, True):
            args = ["changes", "--since", recorded[k], "--period", period, "--json"] + (["--publish"] if publish else [])
            mine = {(f["readModel"], json.dumps(f["row"], sort_keys=True), f["figure"], json.dumps(f["then"]), json.dumps(f["now"]))
                    for f in json.loads(run(*args))["figures"]}
            theirs = set()
            for model, answer in (("caseload", lambda s: ref.caseload(log, end, s)), ("retention", lambda s: ref.retention(log, end, s, start, end, None, [3, 6, 12])),
                                  ("partners", lambda s: ref.partners(log, end, s, start, end)), ("programme", lambda s: ref.programme(log, s, start, end))):
                then, now = answer(k), answer(head)
                if publish:
                    shown = {"caseload": published_caseload, "retention": published_retention, "programme": published_programme}.get(model)
                    if model == "partners":
                        then = published_partners(then, {p["partnerId"]: p["placements"]["selfReported"] + p["placements"]["verified"] for p in then["partners"]})
                        now = published_partners(now, {p["partnerId"]: p["placements"]["selfReported"] + p["placements"]["verified"] for p in now["partners"]})
                    else:
                        then, now = shown(then), shown(now)
                theirs |= figure_changes(model, then, now)
            compare(f"figure changes {period} since seq {k}{' published' if publish else ''}", sorted(mine), sorted(theirs))
            checked += 1
            figures_compared += len(theirs)

print(f"{checked} answers compared at {len(known_seqs)} known-at instants ({figures_compared} figures restated since them); {failures} different")
sys.exit(1 if failures else 0)
