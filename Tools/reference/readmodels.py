#!/usr/bin/env python3
"""A second, independent reading of SPEC section 5: the read models computed by brute force
from the stored events (NDJSON from `careledger read`), for tests to compare with the projections.

It replays the whole log for every answer and keeps no state: slow, but written straight from
the SPEC's sentences, so that a disagreement points at one of the two readings.

usage: readmodels.py LOG.ndjson caseload|retention|partners|programme|timeline ARGS (see main)
"""
import json
import sys
from datetime import date, timedelta


def parse_date(text):
    return date.fromisoformat(text)


def add_months(d, n):
    month = d.month - 1 + n
    year = d.year + month // 12
    month = month % 12 + 1
    days = [31, 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(d.day, days))


def rate(n, d):
    if d == 0:
        return None
    return ((2 * n * 10000 + d) // (2 * d)) / 10000


def median(values):
    if not values:
        return None
    s = sorted(values)
    m = len(s) // 2
    return float(s[m]) if len(s) % 2 else (s[m - 1] + s[m]) / 2


def nonzero(counts):
    return {k: v for k, v in sorted(counts.items()) if v}


def known(log, known_seq):
    """Events known at T, minus those retracted by a retraction known at T."""
    events = [e for e in log if e["seq"] <= known_seq]
    by_id = {e["id"]: e for e in events}
    retracted = {by_id[e["data"]["targetEventId"]]["seq"] for e in events if e["type"] == "EventRetracted"}
    return [e for e in events if e["seq"] not in retracted]


def seen(log, as_of, known_seq):
    return [e for e in known(log, known_seq) if parse_date(e["occurredOn"]) <= as_of]


def order(e):
    return (e["occurredOn"], e["seq"])


def caseload(log, as_of, known_seq):
    events = seen(log, as_of, known_seq)
    opened = {e["data"]["caseId"]: e for e in events if e["type"] == "CaseOpened"}
    closed = {e["data"]["caseId"] for e in events if e["type"] == "CaseClosed"}
    registered = {e["data"]["workerRef"]: e for e in events if e["type"] == "WorkerRegistered"}
    revoked = {e["data"]["providerId"] for e in events if e["type"] == "SponsorLicenceRevoked"}
    rows = []
    for case_id, o in opened.items():
        if case_id in closed:
            continue
        d = o["data"]
        worker = d["workerRef"]
        opened_on = parse_date(o["occurredOn"])
        window = None
        if d["caseType"] == "replacement":
            displaced = sorted([e for e in events if e["type"] == "WorkerDisplaced" and e["data"]["workerRef"] == worker], key=order)
            if displaced:
                last = displaced[-1]
                follows = any(e["type"] == "EmploymentStarted" and e["data"]["workerRef"] == worker and order(e) > order(last) for e in events)
                if not follows:
                    window = parse_date(last["data"]["windowEndsOn"])
        days_left = (window - as_of).days if window else None
        flags = []
        if days_left is not None and days_left <= 14:
            flags.append("windowUnder14Days")
        if any(e["type"] == "SafeguardingConcernRaised" and (e["data"].get("caseId") == case_id or e["data"].get("workerRef") == worker)
               and parse_date(e["occurredOn"]) >= opened_on for e in events):
            flags.append("safeguardingRaised")
        ended = {e["data"]["spellId"] for e in events if e["type"] == "EmploymentEnded"}
        if any(e["type"] == "EmploymentStarted" and e["data"]["workerRef"] == worker and e["data"]["spellId"] not in ended
               and e["data"]["providerId"] in revoked for e in events):
            flags.append("employerRevoked")
        rows.append({"caseId": case_id, "workerRef": worker, "caseType": d["caseType"], "channel": d["channel"],
                     "ownerPartnerId": d["ownerPartnerId"],
                     "laCode": registered[worker]["data"]["laCode"] if worker in registered else None,
                     "openedOn": o["occurredOn"], "daysOpen": (as_of - opened_on).days,
                     "windowEndsOn": window.isoformat() if window else None, "daysLeft": days_left, "flags": flags})
    rows.sort(key=lambda r: (r["openedOn"], r["caseId"].encode()))
    by_type, by_owner = {}, {}
    for r in rows:
        by_type[r["caseType"]] = by_type.get(r["caseType"], 0) + 1
        by_owner[r["ownerPartnerId"]] = by_owner.get(r["ownerPartnerId"], 0) + 1
    return {"openCases": len(rows), "byType": nonzero(by_type), "byOwnerPartner": nonzero(by_owner), "cases": rows}


def retention(log, as_of, known_seq, start, end, by, horizons):
    events = seen(log, as_of, known_seq)
    registered = {e["data"]["workerRef"]: e["data"] for e in events if e["type"] == "WorkerRegistered"}
    starts = [e for e in events if e["type"] == "EmploymentStarted"]
    ends = {}
    for e in sorted((e for e in events if e["type"] == "EmploymentEnded"), key=order):
        ends.setdefault(e["data"]["spellId"], e)
    rows = {}
    for s in starts:
        begun = parse_date(s["occurredOn"])
        if not (start <= begun <= end):
            continue
        d = s["data"]
        if by is None:
            group = None
        elif by == "provider":
            group = d["providerId"]
        elif by == "viaReplacement":
            group = d["viaReplacement"]
        else:
            group = registered.get(d["workerRef"], {}).get(by)
        key = (s["occurredOn"][:7], json.dumps(group))
        row = rows.setdefault(key, {"cohort": key[0], "group": None if by is None else {by: group}, "starters": 0,
                                    "horizons": {str(h): {"eligible": 0, "notYetObservable": 0, "employerRetained": 0, "sectorRetained": 0,
                                                          "reasons": {}} for h in horizons}})
        row["starters"] += 1
        for h in horizons:
            cell = row["horizons"][str(h)]
            c = add_months(begun, h)
            if c > as_of:
                cell["notYetObservable"] += 1
                continue
            cell["eligible"] += 1
            end_event = ends.get(d["spellId"])
            if end_event and parse_date(end_event["occurredOn"]) < c:
                reason = end_event["data"]["reason"]
                cell["reasons"][reason] = cell["reasons"].get(reason, 0) + 1
            else:
                cell["employerRetained"] += 1
            for other in starts:
                if other["data"]["workerRef"] != d["workerRef"] or parse_date(other["occurredOn"]) > c:
                    continue
                other_end = ends.get(other["data"]["spellId"])
                if not (other_end and parse_date(other_end["occurredOn"]) < c):
                    cell["sectorRetained"] += 1
                    break
    out = []
    for key in sorted(rows, key=lambda k: (k[0], group_order(json.loads(k[1])))):
        row = rows[key]
        for h, cell in row["horizons"].items():
            reasons = cell.pop("reasons")
            cell["employerRate"] = rate(cell["employerRetained"], cell["eligible"])
            cell["sectorRate"] = rate(cell["sectorRetained"], cell["eligible"])
            cell["notRetainedReasons"] = nonzero(reasons)
        out.append(row)
    return {"cohorts": out}


def group_order(value):
    if value is None:
        return (0, b"")
    if isinstance(value, bool):
        return (1, b"1" if value else b"0")
    return (2, value.encode())


def partners(log, as_of, known_seq, start, end):
    events = seen(log, as_of, known_seq)
    cases = {e["data"]["caseId"]: e for e in events if e["type"] == "CaseOpened"}
    referrals = {e["data"]["referralId"]: e["data"] for e in events if e["type"] == "ReferralMade"}
    rows = {}
    for e in events:
        if e["type"] == "PartnerRegistered" and parse_date(e["occurredOn"]) <= end and e["data"]["partnerId"] not in rows:
            rows[e["data"]["partnerId"]] = {"partnerId": e["data"]["partnerId"], "name": e["data"]["name"], "kind": e["data"]["kind"],
                                            "casesOpened": 0, "byChannel": {}, "casesClosed": {}, "referralsReceived": 0, "referralsMade": 0,
                                            "referralOutcomes": {}, "supportEpisodes": {}, "workers": set(), "jobIntroductions": 0,
                                            "placements": {"selfReported": 0, "verified": 0}, "days": [], "safeguardingReferrals": {}}

    def bump(partner, field, key=None):
        if partner not in rows:
            return
        if key is None:
            rows[partner][field] += 1
        else:
            rows[partner][field][key] = rows[partner][field].get(key, 0) + 1

    def owner(case_id):
        return cases[case_id]["data"]["ownerPartnerId"] if case_id in cases else None

    for e in events:
        if not (start <= parse_date(e["occurredOn"]) <= end):
            continue
        d, t = e["data"], e["type"]
        if t == "CaseOpened":
            bump(d["ownerPartnerId"], "casesOpened")
            bump(d["ownerPartnerId"], "byChannel", d["channel"])
        elif t == "CaseClosed":
            bump(owner(d["caseId"]), "casesClosed", d["outcome"])
        elif t == "ReferralMade":
            bump(d["toPartnerId"], "referralsReceived")
            bump(d["fromPartnerId"], "referralsMade")
        elif t == "ReferralOutcomeRecorded":
            if d["referralId"] in referrals:
                bump(referrals[d["referralId"]]["toPartnerId"], "referralOutcomes", d["outcome"])
        elif t == "SupportProvided":
            bump(d["partnerId"], "supportEpisodes", d["kind"])
            if d["partnerId"] in rows and d["caseId"] in cases:
                rows[d["partnerId"]]["workers"].add(cases[d["caseId"]]["data"]["workerRef"])
        elif t == "JobIntroductionMade":
            bump(owner(d["caseId"]), "jobIntroductions")
        elif t == "ReplacementSecured":
            o = owner(d["caseId"])
            if o in rows:
                rows[o]["placements"][d["evidence"]] += 1
                rows[o]["days"].append((parse_date(e["occurredOn"]) - parse_date(cases[d["caseId"]]["occurredOn"])).days)
        elif t == "SafeguardingConcernRaised" and "caseId" in d:
            for destination in d["referredTo"]:
                bump(owner(d["caseId"]), "safeguardingReferrals", destination)
    out = []
    for partner in sorted(rows, key=lambda p: p.encode()):
        r = rows[partner]
        out.append({"partnerId": r["partnerId"], "name": r["name"], "kind": r["kind"], "casesOpened": r["casesOpened"],
                    "byChannel": nonzero(r["byChannel"]), "casesClosed": nonzero(r["casesClosed"]),
                    "referralsReceived": r["referralsReceived"], "referralsMade": r["referralsMade"],
                    "referralOutcomes": nonzero(r["referralOutcomes"]), "supportEpisodes": nonzero(r["supportEpisodes"]),
                    "workersSupported": len(r["workers"]), "jobIntroductions": r["jobIntroductions"], "placements": r["placements"],
                    "medianDaysToPlacement": median(r["days"]), "safeguardingReferrals": nonzero(r["safeguardingReferrals"])})
    return {"partners": out}


def month_ends(start, end):
    months, d = [], date(start.year, start.month, 1)
    while d <= end:
        months.append((d, add_months(d, 1) - timedelta(days=1)))
        d = add_months(d, 1)
    return months


def programme(log, known_seq, start, end):
    events = seen(log, end, known_seq)
    every = [e for e in log if e["seq"] <= known_seq]
    by_id = {e["id"]: e for e in every}
    retracted = {by_id[e["data"]["targetEventId"]]["seq"] for e in every if e["type"] == "EventRetracted"}
    organisational = {"ProviderRegistered", "SponsorLicenceSuspended", "SponsorLicenceReinstated", "SponsorLicenceRevoked",
                      "PartnerRegistered", "PartnerDeactivated"}
    months = []
    for first, last in month_ends(start, end):
        # A period starting or ending mid-month counts only its own days of that month.
        first, last = max(first, start), min(last, end)
        inside = [e for e in events if first <= parse_date(e["occurredOn"]) <= last]
        count = lambda t: sum(1 for e in inside if e["type"] == t)
        closed, placed = {}, {"selfReported": 0, "verified": 0}
        for e in inside:
            if e["type"] == "CaseClosed":
                closed[e["data"]["outcome"]] = closed.get(e["data"]["outcome"], 0) + 1
            if e["type"] == "ReplacementSecured":
                placed[e["data"]["evidence"]] += 1
        org = sorted([e for e in every if e["type"] in organisational and first <= parse_date(e["occurredOn"]) <= last], key=order)
        # Open on the month's last day, or the period's if sooner: nothing later is seen.
        months.append({"month": first.isoformat()[:7], "openCases": caseload(log, last, known_seq)["openCases"],
                       "casesOpened": count("CaseOpened"), "casesClosed": nonzero(closed), "displacements": count("WorkerDisplaced"),
                       "placements": placed, "supportEpisodes": count("SupportProvided"), "employmentStarts": count("EmploymentStarted"),
                       "employmentEnds": count("EmploymentEnded"),
                       "organisationalEvents": [[e["seq"], e["type"], e["seq"] in retracted] for e in org]})
    return {"months": months}


def timeline(log, known_seq, kind, ident):
    """SPEC 5.4: every event whose data names `ident` in an id field of its kind (a worker's also
    every event of its cases' streams and of concerns naming it or its cases; a case's, of concerns
    naming it), and (a README decision) the EventRetracted events of its own stream; as known at
    T, retractions marked, by occurredOn then seq. As [seq, retracted] pairs."""
    every = [e for e in log if e["seq"] <= known_seq]
    by_id = {e["id"]: e for e in every}
    retracted = {by_id[e["data"]["targetEventId"]]["seq"] for e in every if e["type"] == "EventRetracted"}
    fields = {"worker": ["workerRef"], "provider": ["providerId", "newProviderId"], "case": ["caseId"],
              "partner": ["partnerId", "ownerPartnerId", "fromPartnerId", "toPartnerId"]}[kind]
    own = f"{kind}-{ident}"
    chosen = {e["seq"] for e in every if any(e["data"].get(f) == ident for f in fields) or e["stream"] == own}
    if kind in ("worker", "case"):
        cases = {ident} if kind == "case" else {e["data"]["caseId"] for e in every if e["type"] == "CaseOpened" and e["data"]["workerRef"] == ident}
        concerns = {e["data"]["concernId"] for e in every if e["type"] == "SafeguardingConcernRaised"
                    and (e["data"].get("caseId") in cases or (kind == "worker" and e["data"].get("workerRef") == ident))}
        streams = {f"case-{c}" for c in cases} | {f"concern-{c}" for c in concerns}
        chosen |= {e["seq"] for e in every if e["stream"] in streams}
    return [[e["seq"], e["seq"] in retracted] for e in sorted((e for e in every if e["seq"] in chosen), key=order)]


def main():
    log = [json.loads(line) for line in open(sys.argv[1])]
    model, args = sys.argv[2], sys.argv[3:]
    known_seq = int(args[0])
    if model == "caseload":
        answer = caseload(log, parse_date(args[1]), known_seq)
    elif model == "retention":
        by = None if args[4] == "-" else args[4]
        answer = retention(log, parse_date(args[1]), known_seq, parse_date(args[2]), parse_date(args[3]), by, [int(h) for h in args[5].split(",")])
    elif model == "partners":
        answer = partners(log, parse_date(args[1]), known_seq, parse_date(args[2]), parse_date(args[3]))
    elif model == "programme":
        answer = programme(log, known_seq, parse_date(args[1]), parse_date(args[2]))
    else:
        sys.exit("unknown model " + model)
    print(json.dumps(answer, sort_keys=True))


if __name__ == "__main__":
    main()
