"""`demo`: a year of realistic cases for the demo office, written in bulk with full, chained histories.

Histories are simulated with the real deadline engine (due times, supplements, apologies, step shares), so the
demo data obeys the same rules as cases registered through the services.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from tthc_desk import deadline
from tthc_desk.deadline import DeadlineRule
from tthc_desk.domain import Channel, DurationUnit, EventKind, Role, Status
from tthc_desk.errors import ValidationError
from tthc_desk.paths import bundled_catalogue
from tthc_desk.services import demo_data as D
from tthc_desk.services.accounts import hash_password
from tthc_desk.services.documents import issuer_symbol
from tthc_desk.services.intake import search_text_for
from tthc_desk.services.ledger import _digest
from tthc_desk.services.office import OfficeSettings
from tthc_desk.services.sequences import raise_to
from tthc_desk.services.workflow import apology_on_time
from tthc_desk.storage.models import Case, CaseEvent, CaseStep, Letter, Unit, User

CHUNK = 5000


def build_demo(services, cases: int = 6000, seed: int = 2025) -> dict:
    """Turn an empty office into the demo office and fill it with `cases` cases over the past year."""
    rnd = random.Random(seed)
    admin = services.office.actor_for("admin")
    with services.db.read() as s:
        if s.execute(select(func.count(Case.id))).scalar_one():
            raise ValidationError("Cơ sở dữ liệu đã có hồ sơ; hãy dựng dữ liệu mẫu trên một tệp mới (--db).")
    services.office.update(admin, OfficeSettings(**D.OFFICE))
    units = _units(services, admin)
    _users(services, units)
    services.catalogue.import_file(admin, bundled_catalogue())
    procs = _procedures(services, admin, units)
    sim = _Simulator(services, units, procs, rnd)
    summary = sim.run(cases)
    summary.update({"units": len(units), "logins": [u[0] for u in D.USERS], "password": D.DEMO_PASSWORD})
    return summary


def _units(services, admin) -> dict[str, dict]:
    out = {}
    with services.db.read() as s:
        desk = s.execute(select(Unit).where(Unit.office_id == admin.office_id).order_by(Unit.id)).scalars().first()
    out["Bộ phận Một cửa"] = {"id": desk.id, "late": 0.0, "weight": 0}
    for name, kind, late, weight in D.DEPARTMENTS:
        out[name] = {"id": services.accounts.save_unit(admin, name, None, kind), "late": late, "weight": weight}
    parent = services.accounts.save_unit(admin, "UBND các xã, thị trấn", None, "nhóm")
    for name, late, weight in D.COMMUNES:
        out[name] = {"id": services.accounts.save_unit(admin, name, parent, "xã"), "late": late, "weight": weight,
                     "commune": True}
    return out


def _users(services, units) -> None:
    with services.db.write() as s:
        office_id = s.execute(select(Unit.office_id)).scalars().first()
        pw = hash_password(D.DEMO_PASSWORD)
        for username, name, title, role, unit in D.USERS:
            user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
            user = user or User(office_id=office_id, username=username)
            user.full_name, user.title, user.role, user.password_hash = name, title, role, pw
            user.unit_id = units[unit or "Bộ phận Một cửa"]["id"]
            s.add(user)


def _procedures(services, admin, units) -> list[dict]:
    out = []
    for code, amount, unit, lead, weight, papers, workflow in D.PROCEDURES:
        view = services.catalogue.get(admin, code=code)
        lead_id = None if lead == "commune" else units[lead]["id"]
        wf = [{"name": n, "unit_id": units[u]["id"], "unit": u, "days": d} for n, u, d in workflow]
        durations = {ch: (amount, unit) for ch in ("direct", "online", "post")}
        services.catalogue.save(
            admin, view.id, code=code, name=view.name, field_name=view.field, durations=durations,
            papers=[{"name": p, "originals": a, "certified": b, "photocopies": c} for p, a, b, c in papers],
            lead_unit_id=lead_id, workflow=wf, fee="Miễn phí" if unit == "same_day" else "Theo quy định",
        )
        out.append({"id": view.id, "code": code, "name": view.name, "field": view.field, "weight": weight,
                    "rule": DeadlineRule(amount, DurationUnit(unit)), "lead": lead, "workflow": wf,
                    "papers": [{"name": p, "originals": a, "certified": b, "photocopies": c} for p, a, b, c in papers]})
    return out


class _Simulator:
    def __init__(self, services, units, procs, rnd: random.Random) -> None:
        self.services, self.units, self.procs, self.rnd = services, units, procs, rnd
        self.now = services.clock.now().replace(second=0, microsecond=0)
        with services.db.read() as s:
            office = services.office.office(s, services.office.actor_for("admin").office_id)
            self.cal = services.office.calendar(s, office)
            self.office_id, self.office_code, self.window = office.id, office.code, office.warning_minutes
            self.letter_symbol = issuer_symbol(office)  # the apologies' "/XL-UBND", as the desk numbers them
            users = s.execute(select(User)).scalars().all()
        self.desk_users = [u.id for u in users if u.role == Role.DESK]
        self.unit_user = {u.unit_id: u.id for u in users if u.role == Role.SPECIALIST}
        self.leader = next(u.id for u in users if u.role == Role.LEADER)
        self.desk_unit = units["Bộ phận Một cửa"]["id"]
        self.communes = [(n, u) for n, u in units.items() if u.get("commune")]
        self.case_rows, self.event_rows, self.step_rows, self.letter_rows = [], [], [], []
        self.day_seq: dict[str, int] = {}
        self.year_seq: dict[int, int] = {}
        self.apology_seq: dict[int, int] = {}  # year -> apologies numbered in it (the desk's yearly series)

    # ----- the year ----------------------------------------------------------------------------------
    def run(self, n: int) -> dict:
        with self.services.db.read() as s:
            self.next_case = (s.execute(select(func.max(Case.id))).scalar() or 0) + 1
        start = self.now - timedelta(days=365)
        span = (self.now - start).total_seconds()
        moments = sorted(start + timedelta(seconds=self.rnd.random() * span) for _ in range(max(0, n - 12)))
        showcase = self._showcase_moments()
        for received in moments:
            self._one_case(self._office_hours(received), None)
        for received, kind in showcase:
            self._one_case(received, kind)
        self._write()
        return {"cases": len(self.case_rows), "open": sum(1 for c in self.case_rows if c["is_open"]),
                "events": len(self.event_rows)}

    def _office_hours(self, moment: datetime) -> datetime:
        if self.rnd.random() < 0.3:  # online: any hour, any day
            return moment.replace(second=0, microsecond=0)
        inside = self.cal.into_working_time(moment)
        if inside >= self.now:  # an evening or weekend just before now would move to tomorrow: received earlier
            return self.cal.subtract_working_minutes(self.now, self.rnd.randint(60, self.cal.minutes_per_day))
        return min(inside.replace(minute=self.rnd.choice(range(0, 60))), self.now)

    def _showcase_moments(self) -> list[tuple[datetime, str]]:
        """Recent open cases guaranteed in every colour, whatever the size asked for."""
        pos = self.cal.position(self.now)
        per_day = self.cal.minutes_per_day
        out = []
        for k, lag in enumerate((0.3, 0.6, 1.0)):
            out.append((self.cal.moment_at(pos - int(per_day * lag)), "green"))
            out.append((self.cal.moment_at(pos - int(per_day * (2.4 + 0.1 * k))), "amber"))
            out.append((self.cal.moment_at(pos - int(per_day * (5 + k))), "red"))
            out.append((self.cal.moment_at(pos - int(per_day * (1 + k))), "grey"))
        return out

    def _pick_proc(self) -> dict:
        return self.rnd.choices(self.procs, weights=[p["weight"] for p in self.procs])[0]

    def _lead(self, proc: dict) -> int:
        if proc["lead"] != "commune":
            return self.units[proc["lead"]]["id"]
        if self.rnd.random() < 0.25:
            return self.units["Phòng Tư pháp"]["id"]
        names = [n for n, _u in self.communes]
        return self.units[self.rnd.choices(names, weights=[u["weight"] for _n, u in self.communes])[0]]["id"]

    def _late_p(self, unit_id: int) -> float:
        return next(u["late"] for u in self.units.values() if u["id"] == unit_id)

    # ----- one case ----------------------------------------------------------------------------------
    def _one_case(self, received: datetime, showcase: str | None) -> None:
        rnd, cal = self.rnd, self.cal
        proc = self._pick_proc() if showcase is None else self._showcase_proc(showcase)
        rule, lead = proc["rule"], self._lead(proc)
        due = deadline.compute_due(cal, received, rule)
        start = deadline.start_of_clock(cal, received)
        warn = deadline.warning_minutes(cal, min(start, due), due, self.window)
        desk_user = rnd.choice(self.desk_users)
        case = self._case_row(proc, received, due, warn, lead, desk_user)
        events = [(received, desk_user, self.desk_unit, EventKind.RECEIVED,
                   {"channel": case["channel"], "due_at": due.isoformat(), "rule": rule.describe(),
                    "register_number": case["register_number"]})]
        fate = rnd.random()
        if showcase is None and fate < 0.012:
            self._close(case, events, received + timedelta(hours=rnd.randint(1, 30)), Status.WITHDRAWN,
                        EventKind.WITHDRAWN, "Người nộp xin rút hồ sơ", desk_user)
        elif showcase is None and fate < 0.022:
            self._close(case, events, received + timedelta(hours=rnd.randint(1, 20)), Status.REFUSED,
                        EventKind.REFUSED, "Hồ sơ không thuộc thẩm quyền giải quyết", desk_user)
        else:
            self._process(case, events, proc, lead, desk_user, showcase)
        self._finish(case, events)

    def _showcase_proc(self, kind: str) -> dict:
        return next(p for p in self.procs if p["rule"].unit is DurationUnit.WORKING_DAYS and (p["rule"].amount or 0) >= 3)

    def _case_row(self, proc, received, due, warn, lead, desk_user) -> dict:
        rnd = self.rnd
        female = rnd.random() < 0.5
        name = " ".join([rnd.choice(D.FAMILY), rnd.choice(D.MIDDLE_F if female else D.MIDDLE_M),
                         rnd.choice(D.GIVEN_F if female else D.GIVEN_M)])
        day = f"{received:%y%m%d}"
        self.day_seq[day] = self.day_seq.get(day, 0) + 1
        self.year_seq[received.year] = self.year_seq.get(received.year, 0) + 1
        channel = rnd.choices([Channel.DIRECT, Channel.ONLINE, Channel.POST], weights=[60, 36, 4])[0]
        commune = rnd.choice(D.COMMUNES)[0].replace("UBND ", "")
        row = {
            "id": self.next_case, "office_id": self.office_id, "code": f"{self.office_code}-{day}-{self.day_seq[day]:04d}",
            "register_year": received.year, "register_number": self.year_seq[received.year],
            "procedure_id": proc["id"], "procedure_code": proc["code"], "procedure_name": proc["name"],
            "field": proc["field"], "rule_amount": proc["rule"].amount, "rule_unit": str(proc["rule"].unit),
            "supplement_mode": "restart", "rule_snapshot": {"workflow": proc["workflow"], "warning_window": self.window,
                                                            "rule": proc["rule"].describe()},
            "applicant_name": name, "applicant_id_number": f"0520{rnd.randint(0, 99999999):08d}",
            "applicant_phone": f"0{rnd.choice([3, 5, 7, 8, 9])}{rnd.randint(0, 99999999):08d}", "applicant_email": "",
            "applicant_address": f"{rnd.choice(D.VILLAGES).capitalize()}, {commune}, huyện Tây Sơn, tỉnh Bình Định",
            "owner_name": name, "owner_id_number": "", "owner_address": "", "channel": str(channel),
            "return_channel": str(channel), "papers": proc["papers"], "sets_count": 1, "received_at": received,
            "clock_from": received, "due_at": due, "original_due_at": due, "warn_minutes": warn,
            "warn_at": deadline.warn_moment(self.cal, due, warn), "lead_unit_id": lead, "current_unit_id": self.desk_unit,
            "status": str(Status.RECEIVED), "is_open": True, "result_at": None, "returned_at": None, "closed_at": None,
            "close_reason": "", "paused_minutes_left": None, "supplement_requested_at": None,
            "supplement_returned_at": None, "supplement_count": 0,
            "extension_count": 0, "received_by_id": desk_user, "officer_id": desk_user, "source": "desk",
            "intake_token": None, "version": 1, "created_at": received, "updated_at": received,
            "portal_updated_at": None, "synced_at": received + timedelta(days=1) if received < self.now - timedelta(days=2) else None,
            "synced_version": None,
        }
        self.next_case += 1
        return row

    def _process(self, case, events, proc, lead, desk_user, showcase) -> None:
        rnd, cal = self.rnd, self.cal
        received, due = case["received_at"], case["original_due_at"]
        t = cal.into_working_time(received) + timedelta(minutes=rnd.randint(5, 90))
        if t > self.now:
            return
        share = max(0, cal.working_minutes_between(t, due)) * 8 // 10
        step_due = cal.add_working_minutes(cal.into_working_time(t), share) if share else due
        step = {"case_id": case["id"], "unit_id": lead, "from_unit_id": self.desk_unit, "given_by_id": desk_user,
                "handled_by_id": self.unit_user.get(lead), "started_at": t, "due_at": step_due, "finished_at": None,
                "share_minutes": share, "note": ""}
        self.step_rows.append(step)
        events.append((t, desk_user, self.desk_unit, EventKind.TRANSFERRED,
                       {"from_unit_id": self.desk_unit, "to_unit_id": lead, "step_due_at": step_due.isoformat()}))
        case.update(status=str(Status.PROCESSING), current_unit_id=lead)
        if showcase == "grey" or (showcase is None and rnd.random() < 0.05):
            asked = t + timedelta(minutes=rnd.randint(30, 600))
            if asked > self.now:
                return
            events.append((asked, desk_user, self.desk_unit, EventKind.SUPPLEMENT_REQUESTED,
                           {"reason": rnd.choice(D.SUPPLEMENT_REASONS), "missing": [], "count": 1, "faults": []}))
            case.update(status=str(Status.WAITING_SUPPLEMENT), supplement_count=1, supplement_requested_at=asked)
            back = asked + timedelta(days=rnd.randint(1, 6), hours=rnd.randint(0, 5))
            if showcase == "grey" or back > self.now:
                return
            due = deadline.compute_due(cal, back, proc["rule"])
            case.update(status=str(Status.PROCESSING), clock_from=back, original_due_at=due, due_at=due,
                        warn_at=deadline.warn_moment(cal, due, case["warn_minutes"]), supplement_returned_at=back)
            events.append((back, desk_user, self.desk_unit, EventKind.SUPPLEMENT_RECEIVED,
                           {"mode": "restart", "due_at": due.isoformat()}))
            step["due_at"] = due
        self._result(case, events, step, lead, showcase)

    def _result(self, case, events, step, lead, showcase) -> None:
        rnd, cal = self.rnd, self.cal
        due = case["original_due_at"]
        start = cal.into_working_time(case["clock_from"])
        allowed = max(30, cal.working_minutes_between(start, due))
        late = showcase == "red" or (showcase is None and rnd.random() < self._late_p(lead))
        if showcase in ("green", "amber"):
            return
        if late:
            done = cal.add_working_minutes(due, rnd.randint(30, 5 * cal.minutes_per_day))
            if rnd.random() < 0.75:
                self._apology(case, events, due, lead, ahead=rnd.random() < 0.65)
        else:
            done = cal.add_working_minutes(start, int(allowed * rnd.uniform(0.15, 1.0)))
        if done > self.now:
            return
        step["finished_at"] = done
        events.append((done, self.unit_user.get(lead, self.leader), lead, EventKind.RESULT_READY,
                       {"timeliness": str(deadline.timeliness(done, due))}))
        case.update(status=str(Status.RESULT_READY), is_open=False, result_at=done, current_unit_id=self.desk_unit)
        back = done + timedelta(hours=rnd.randint(1, 72))
        if back <= self.now and rnd.random() < 0.93:
            events.append((back, case["received_by_id"], self.desk_unit, EventKind.RETURNED, {}))
            case.update(status=str(Status.RETURNED), returned_at=back)

    def _apology(self, case, events, due, lead, ahead: bool) -> None:
        """An apology a day and a half `ahead` of the due, else an hour before it. Never dated before the due
        it answers existed (while the case waited for papers, its due was still to be set), and judged on time
        or late by the rule the desk's own `WorkflowService.extend` applies."""
        cal = self.cal
        at = cal.subtract_working_minutes(due, int(cal.minutes_per_day * 1.5) if ahead else 60)
        if at > self.now or at < case["clock_from"]:
            return
        new_due = cal.add_working_minutes(due, self.rnd.randint(3, 6) * cal.minutes_per_day)
        events.append((at, self.leader, lead, EventKind.EXTENDED,
                       {"reason": self.rnd.choice(D.LATE_REASONS), "old_due_at": due.isoformat(),
                        "new_due_at": new_due.isoformat(), "apology_on_time": apology_on_time(cal, at, due)}))
        case.update(due_at=new_due, extension_count=1)
        self.letter_rows.append({"case_id": case["id"], "kind": "apology", "number": "",  # (`_number_letters`)
                                 "issued_at": at, "signer": "Nguyễn Văn Hùng", "user_id": self.leader, "data": {}})

    def _close(self, case, events, at, status, kind, reason, user) -> None:
        at = min(at, self.now)
        events.append((at, user, self.desk_unit, kind, {"reason": reason}))
        case.update(status=str(status), is_open=False, closed_at=at, close_reason=reason)

    def _finish(self, case, events) -> None:
        case["search_text"] = search_text_for(_Obj(case))
        case["updated_at"] = max(e[0] for e in events)
        synced = case["synced_at"] is not None and case["updated_at"] <= case["synced_at"]
        case["synced_version"] = case["version"] if synced else None  # sent to the portal after its last change
        prev = ""
        for seq, (at, user, unit, kind, data) in enumerate(sorted(events, key=lambda e: e[0]), start=1):
            payload = {"case_id": case["id"], "seq": seq, "at": at.isoformat(), "user_id": user, "unit_id": unit,
                       "kind": str(kind), "data": data}
            digest = _digest(prev, payload)
            self.event_rows.append({"case_id": case["id"], "seq": seq, "at": at, "user_id": user, "unit_id": unit,
                                    "kind": str(kind), "data": data, "prev_hash": prev, "hash": digest})
            prev = digest
        self.case_rows.append(case)

    def _number_letters(self) -> None:
        """The apologies numbered as the desk numbers them: 01, 02, … in the order issued, anew each year."""
        for row in sorted(self.letter_rows, key=lambda r: (r["issued_at"], r["case_id"])):
            n = self.apology_seq[row["issued_at"].year] = self.apology_seq.get(row["issued_at"].year, 0) + 1
            row["number"] = f"{n:02d}/XL-{self.letter_symbol}"

    def _write(self) -> None:
        self._number_letters()
        with self.services.db.write() as s:
            for table, rows in ((Case, self.case_rows), (CaseEvent, self.event_rows), (CaseStep, self.step_rows),
                                (Letter, self.letter_rows)):
                conn = s.connection()
                for i in range(0, len(rows), CHUNK):
                    conn.execute(insert(table.__table__), rows[i : i + CHUNK])
            # the series go on from the demo's own numbers: the next case, register line or apology takes the next
            for kind, counters in (("case_code", self.day_seq), ("register", self.year_seq),
                                   ("letter:apology", self.apology_seq)):
                for period, value in counters.items():
                    raise_to(s, self.office_id, kind, str(period), value)


class _Obj:
    def __init__(self, d: dict) -> None:
        self.__dict__.update(d)

