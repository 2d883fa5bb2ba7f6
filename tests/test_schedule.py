"""The schedule engine against dates worked out by hand from each label.

Every expected date below was counted on a calendar from the label's rule
(written beside it); none is computed by the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest

from infuse_cli.core import catalogue
from infuse_cli.core.schedule import book_day, project, with_booking
from infuse_cli.views.why import why_text

D = dt.date
CAT = catalogue.load()


def t(name: str):  # noqa: ANN201
    return CAT.find(name)


def upcoming_dates(name: str, today: D, **kw) -> list[D]:
    proj = project(t(name), today, **kw)
    return [i.date for i in proj.infusions if i.given is None]


# ------------------------------------------------------------------ Ocrevus
# Label: 300 mg, then 300 mg 2 weeks later; 600 mg every 6 months, the first
# 6 months after infusion 1; doses at least 5 months apart.


def test_ocrevus_from_a_start_date() -> None:
    # Start Mon 5 Jan 2026 (today): infusion 2 on 19 Jan; 6 months after 5 Jan is 5 Jul;
    # 12 months after is 5 Jan 2027.
    assert upcoming_dates("ocrevus", D(2026, 1, 5), start=D(2026, 1, 5)) == [
        D(2026, 1, 19),
        D(2026, 7, 5),
        D(2027, 1, 5),
    ]


def test_ocrevus_booking_moves_a_sunday_to_monday() -> None:
    proj = project(t("ocrevus"), D(2026, 1, 5), start=D(2026, 1, 5))
    booked = {i.date: i.book for i in with_booking(proj.infusions)}
    assert booked[D(2026, 7, 5)] == D(2026, 7, 6)  # Sun 5 Jul -> Mon 6 Jul
    assert booked[D(2026, 1, 19)] == D(2026, 1, 19)  # a Monday stays


def test_ocrevus_month_ends_and_29_february() -> None:
    # First infusion 31 Aug 2025: 6-monthly doses fall on the last day of Feb or Aug,
    # never drifting to the 28th: 28 Feb 2026, 31 Aug 2026, 28 Feb 2027, 31 Aug 2027,
    # 29 Feb 2028 (leap year), 31 Aug 2028.
    dates = upcoming_dates("ocrevus", D(2025, 9, 20), start=D(2025, 8, 31), count=6)
    assert dates == [
        D(2026, 2, 28),
        D(2026, 8, 31),
        D(2027, 2, 28),
        D(2027, 8, 31),
        D(2028, 2, 29),
        D(2028, 8, 31),
    ]


def test_ocrevus_from_the_last_dose() -> None:
    # Last dose Tue 12 May 2026: 12 Nov 2026, 12 May 2027, 12 Nov 2027.
    assert upcoming_dates("ocrevus", D(2026, 6, 1), last=D(2026, 5, 12)) == [
        D(2026, 11, 12),
        D(2027, 5, 12),
        D(2027, 11, 12),
    ]


def test_ocrevus_earliest_is_five_months_after_the_infusion_before() -> None:
    # Infusion 2 on 19 Jan 2026 + 5 months = 19 Jun 2026.
    proj = project(t("ocrevus"), D(2026, 1, 5), start=D(2026, 1, 5))
    first_600 = next(i for i in proj.infusions if i.amount == 600)
    assert first_600.earliest == D(2026, 6, 19)


def test_a_late_ocrevus_dose_resets_the_schedule() -> None:
    # Due 12 Nov 2026 but given 10 Dec 2026: the next counts from 10 Dec -> 10 Jun 2027.
    given = [D(2025, 11, 3), D(2025, 11, 17), D(2026, 5, 3), D(2026, 12, 10)]
    assert upcoming_dates("ocrevus", D(2026, 12, 20), given=given, count=2) == [
        D(2027, 6, 10),
        D(2027, 12, 10),
    ]


def test_an_overdue_dose_says_so_and_later_dates_count_from_today() -> None:
    # Last 12 May 2026, due 12 Nov 2026; today 1 Dec 2026: overdue by 19 days; if given
    # today the next is 1 Jun 2027.
    proj = project(t("ocrevus"), D(2026, 12, 1), last=D(2026, 5, 12))
    first, second = proj.infusions[0], proj.infusions[1]
    assert first.date == D(2026, 11, 12) and first.overdue_days == 19
    assert second.date == D(2027, 6, 1) and second.overdue_days == 0


def test_a_dose_sooner_than_the_minimum_is_flagged() -> None:
    # Infusion 2 on 19 Jan 2026; a dose on 1 May 2026 is 49 days before 19 Jun (5 months).
    given = [D(2026, 1, 5), D(2026, 1, 19), D(2026, 5, 1)]
    proj = project(t("ocrevus"), D(2026, 5, 2), given=given)
    flagged = [i for i in proj.infusions if i.too_soon_days]
    assert [(i.given, i.too_soon_days) for i in flagged] == [(D(2026, 5, 1), 49)]
    assert any("49 days sooner" in n for n in proj.notes)


def test_what_if_a_delay_moves_this_dose_and_the_ones_after() -> None:
    # Due 12 Nov 2026; 14 days late -> 26 Nov 2026; next 26 May 2027.
    proj = project(t("ocrevus"), D(2026, 6, 1), last=D(2026, 5, 12), delay_days=14)
    first, second = proj.infusions[0], proj.infusions[1]
    assert (first.date, first.delayed_from) == (D(2026, 11, 26), D(2026, 11, 12))
    assert second.date == D(2027, 5, 26)


# ------------------------------------------------------------------ Ocrevus Zunovo


def test_zunovo_every_six_months() -> None:
    # Start 5 Jan 2026: 5 Jul 2026, 5 Jan 2027, 5 Jul 2027.
    assert upcoming_dates("ocrevus-zunovo", D(2026, 1, 5), start=D(2026, 1, 5)) == [
        D(2026, 7, 5),
        D(2027, 1, 5),
        D(2027, 7, 5),
    ]


# ------------------------------------------------------------------ Briumvi
# Label: 150 mg, 450 mg 2 weeks later; 450 mg 24 weeks after the first infusion
# and every 24 weeks after that.


def test_briumvi_from_a_future_start() -> None:
    # Start Mon 5 Jan 2026; 19 Jan; 5 Jan + 168 days = Mon 22 Jun 2026; + 168 = Mon 7 Dec 2026.
    dates = upcoming_dates("briumvi", D(2026, 1, 1), start=D(2026, 1, 5), count=4)
    assert dates == [D(2026, 1, 5), D(2026, 1, 19), D(2026, 6, 22), D(2026, 12, 7)]
    amounts = [i.amount for i in project(t("briumvi"), D(2026, 1, 1), start=D(2026, 1, 5)).infusions]
    assert amounts[:2] == [150, 450]


# ------------------------------------------------------------------ natalizumab


def test_tysabri_every_four_weeks() -> None:
    # 5 Jan + 28 days = 2 Feb, then 2 Mar, then 30 Mar 2026.
    assert upcoming_dates("tysabri", D(2026, 1, 5), start=D(2026, 1, 5)) == [
        D(2026, 2, 2),
        D(2026, 3, 2),
        D(2026, 3, 30),
    ]


def test_tyruko_every_four_weeks() -> None:
    assert upcoming_dates("tyruko", D(2026, 1, 5), start=D(2026, 1, 5)) == [
        D(2026, 2, 2),
        D(2026, 3, 2),
        D(2026, 3, 30),
    ]


def test_extended_interval_only_when_asked_and_labelled_off_label() -> None:
    # Every 6 weeks from 5 Jan: 16 Feb, 30 Mar, 11 May 2026.
    proj = project(t("tysabri"), D(2026, 1, 5), start=D(2026, 1, 5), option="extended")
    ahead = [i for i in proj.infusions if i.given is None]
    assert [i.date for i in ahead] == [D(2026, 2, 16), D(2026, 3, 30), D(2026, 5, 11)]
    assert all(i.why.off_label and i.why.rule == "repeat" for i in ahead)
    assert all("off-label" in why_text(i.why) for i in ahead)


# ------------------------------------------------------------------ Lemtrada
# Label: 12 mg/day on 5 consecutive days; 12 months later 3 consecutive days;
# further 3-day courses only if needed, at least 12 months after the last dose.


def test_lemtrada_courses() -> None:
    # Course 1 Mon 5 - Fri 9 Jan 2026; course 2: 12 months after 9 Jan 2026 = Sat 9 Jan 2027,
    # for 3 days: 9, 10, 11 Jan 2027.
    proj = project(t("lemtrada"), D(2026, 1, 1), start=D(2026, 1, 5), count=20)
    assert [i.date for i in proj.infusions] == [
        D(2026, 1, 5),
        D(2026, 1, 6),
        D(2026, 1, 7),
        D(2026, 1, 8),
        D(2026, 1, 9),
        D(2027, 1, 9),
        D(2027, 1, 10),
        D(2027, 1, 11),
    ]
    assert proj.infusions[5].phase.endswith("day 1 of 3")
    # Then only as needed, not before 11 Jan 2028 (12 months after the last dose).
    assert proj.end is not None and proj.end.kind == "as_needed"
    assert proj.end.date == D(2028, 1, 11)


def test_lemtrada_course_is_booked_on_consecutive_working_days() -> None:
    # Course 2 target Sat 9 Jan 2027: the nearest 3 working days in a row start Mon 11 Jan.
    proj = project(t("lemtrada"), D(2026, 1, 1), start=D(2026, 1, 5), count=20)
    booked = [i.book for i in with_booking(proj.infusions)][5:]
    assert booked == [D(2027, 1, 11), D(2027, 1, 12), D(2027, 1, 13)]


# ------------------------------------------------------------------ mitoxantrone
# Label: 12 mg/m² every 3 months; lifetime limit 140 mg/m² -> 11 doses (132 mg/m²).


def test_mitoxantrone_stops_at_the_lifetime_limit() -> None:
    dates = upcoming_dates("mitoxantrone", D(2026, 1, 1), start=D(2026, 1, 31), count=50)
    assert dates == [
        D(2026, 1, 31),
        D(2026, 4, 30),
        D(2026, 7, 31),
        D(2026, 10, 31),
        D(2027, 1, 31),
        D(2027, 4, 30),
        D(2027, 7, 31),
        D(2027, 10, 31),
        D(2028, 1, 31),
        D(2028, 4, 30),
        D(2028, 7, 31),
    ]
    proj = project(t("mitoxantrone"), D(2026, 1, 1), start=D(2026, 1, 31), count=50)
    assert proj.end is not None and proj.end.kind == "cap"
    assert "140" in proj.end.text and "132" in proj.end.text


# ------------------------------------------------------------------ on demand / off-label


@pytest.mark.parametrize("name", ["solu-medrol", "rituximab"])
def test_no_projection_for_on_demand_or_off_label(name: str) -> None:
    proj = project(t(name), D(2026, 1, 5), start=D(2026, 1, 5))
    assert proj.infusions == [] and proj.end is not None and proj.end.kind == "no_schedule"
    assert "care team" in proj.end.text


# ------------------------------------------------------------------ booking


def test_booking_skips_a_holiday_and_ties_go_later() -> None:
    # Fri 3 Jul 2026 is a holiday here; Sat/Sun follow: Thu 2 Jul (1 day) beats Mon 6 Jul.
    assert book_day(D(2026, 7, 3), None, holidays={D(2026, 7, 3)}) == D(2026, 7, 2)
    # Sat 4 Jul: Fri 3 (holiday) and Sun 5 fail; Thu 2 and Mon 6 are both 2 days away:
    # the tie goes to the later day.
    assert book_day(D(2026, 7, 4), None, holidays={D(2026, 7, 3)}) == D(2026, 7, 6)


def test_booking_never_goes_before_the_earliest_date() -> None:
    # Sat 27 Jun 2026 with earliest Sat 27 Jun: Fri 26 is too soon, so Mon 29.
    assert book_day(D(2026, 6, 27), D(2026, 6, 27)) == D(2026, 6, 29)


# ------------------------------------------------------------------ found in review


def test_a_late_second_infusion_pushes_the_next_dose_to_the_minimum_gap() -> None:
    # Ocrevus infusion 1 on 5 Jan 2026, infusion 2 late on 2 Mar 2026. The next dose would be
    # 5 Jul 2026 (6 months after infusion 1), but the label needs 5 months after the infusion
    # before: 2 Aug 2026. On 8 Jul it is not overdue; it is due on 2 Aug.
    proj = project(t("ocrevus"), D(2026, 7, 8), given=[D(2026, 1, 5), D(2026, 3, 2)])
    nxt = next(i for i in proj.infusions if i.given is None)
    assert (nxt.date, nxt.earliest, nxt.overdue_days) == (D(2026, 8, 2), D(2026, 8, 2), 0)
    assert (nxt.why.rule, nxt.why.anchor, nxt.why.usual) == ("minimum_gap", D(2026, 3, 2), D(2026, 7, 5))
    assert "minimum gap" in why_text(nxt.why)


def test_a_course_under_way_keeps_its_days() -> None:
    # Lemtrada course from Tue 30 Jun 2026; on 1 Jul days 1-2 are given, day 3 is Thu 2 Jul.
    proj = project(t("lemtrada"), D(2026, 7, 1), start=D(2026, 6, 30), count=3)
    booked = [(i.date, i.book) for i in with_booking(proj.infusions) if i.given is None]
    assert booked[0] == (D(2026, 7, 2), D(2026, 7, 2))
    assert booked[1] == (D(2026, 7, 3), D(2026, 7, 3))


def test_an_overdue_dose_is_booked_today() -> None:
    proj = project(t("ocrevus"), D(2026, 12, 1), last=D(2026, 5, 12))
    assert with_booking(proj.infusions)[0].book == D(2026, 12, 1)


def test_the_last_dose_counts_toward_the_lifetime_limit() -> None:
    # Eleven doses already (the last on 1 Apr 2026; 10 before it = 120 mg/m²): 132 mg/m² in all,
    # so a twelfth (144) would pass 140: nothing more is projected.
    proj = project(t("mitoxantrone"), D(2026, 5, 1), last=D(2026, 4, 1), prior_total=120)
    assert [i for i in proj.infusions if i.given is None] == []
    assert proj.end is not None and proj.end.kind == "cap"


def test_a_delay_on_an_overdue_dose_still_says_overdue() -> None:
    proj = project(t("ocrevus"), D(2026, 6, 1), last=D(2025, 11, 12), delay_days=14)
    first = proj.infusions[0]
    # Due 12 May 2026 (6 months after 12 Nov 2025); 1 Jun 2026 is 20 days later.
    assert first.overdue_days == 20 and first.delayed_from == D(2026, 5, 12)
    assert first.date == D(2026, 6, 15)
