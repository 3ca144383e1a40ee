"""Erlang C against values worked by hand and the standard call-centre example.

Hand calculation, C(c, a) = [aᶜ/c! · c/(c−a)] / [Σₖ₌₀..c−1 aᵏ/k! + aᶜ/c! · c/(c−a)]:

- λ = 60/h, mean service 60 s (μ = 1/min), c = 2 → a = 1 Erlang.
  top = 1/2 · 2/1 = 1; sum = 1 + 1 = 2 → C = 1/3.
  W_q = C / (cμ − λ) = (1/3) / (2 − 1) min = 20 s.
  P(wait ≤ 60 s) = 1 − (1/3)·e^(−(2−1)·1) = 1 − 0.36788/3 = 0.87737.
- a = 2, c = 3: top = 8/6 · 3/1 = 4; sum = 1 + 2 + 2 = 5 → C = 4/9 = 0.4444.
- The textbook call-centre case (360 calls per half hour, 240 s handling, 80 % answered within 20 s):
  λ = 720/h, a = 48 Erlangs; with 55 agents C = 0.2387 and the service level is 86.68 %;
  54 agents still reach 81.7 %, 53 only 75.2 %, so 54 is the smallest staff meeting the target.
"""

import math

import pytest

from onewindow.hall.erlang import erlang_c, mean_wait_seconds, offered_load, servers_needed, service_level


def test_erlang_c_matches_the_hand_calculation():
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)
    assert erlang_c(11, 10.0) == pytest.approx(0.68212, abs=1e-5)


def test_wait_and_service_level_for_two_windows():
    assert offered_load(60, 60) == pytest.approx(1.0)
    assert mean_wait_seconds(60, 60, 2) == pytest.approx(20.0)
    assert service_level(60, 60, 2, 60) == pytest.approx(1 - math.exp(-1) / 3)
    assert service_level(60, 60, 2, 0) == pytest.approx(2 / 3)  # at t = 0 it is 1 − C


def test_call_centre_example():
    assert erlang_c(55, 48.0) == pytest.approx(0.2387, abs=1e-4)
    assert service_level(720, 240, 55, 20) == pytest.approx(0.8668, abs=1e-4)
    assert service_level(720, 240, 53, 20) < 0.8 <= service_level(720, 240, 54, 20)
    assert servers_needed(720, 240, 20, 0.8) == 54


def test_unstable_queue_and_no_arrivals():
    assert erlang_c(2, 2.0) == 1.0
    assert service_level(120, 60, 2, 600) == 0.0
    assert mean_wait_seconds(120, 60, 2) == math.inf
    assert servers_needed(0, 300, 900, 0.8) == 0
    assert mean_wait_seconds(0, 300, 1) == 0.0


def test_servers_needed_is_the_smallest_meeting_the_target():
    # A hall hour: 30 people, 6 minutes each (a = 3), 80 % within 15 minutes.
    needed = servers_needed(30, 360, 900, 0.8)
    assert needed > offered_load(30, 360)
    assert service_level(30, 360, needed, 900) >= 0.8 > service_level(30, 360, needed - 1, 900)
    # more people or a stricter target never needs fewer windows
    assert servers_needed(45, 360, 900, 0.8) >= needed
    assert servers_needed(30, 360, 300, 0.95) >= needed
    assert servers_needed(30, 360, 900, 1.0) >= servers_needed(30, 360, 900, 0.99)
