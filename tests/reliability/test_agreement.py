"""Issue 27: the agreement figures match published worked examples, to 3 decimals."""
import pytest

from collector.reliability import agreement

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the nominal example: 4 observers, 12 units.
KRIPPENDORFF = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
                [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
                [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
                [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
# Cohen's kappa, the textbook 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15 (kappa 0.4).
COHEN = [[1] * 25 + [0] * 25, [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15]


def test_alpha_matches_krippendorffs_own_nominal_example():
    assert round(agreement.alpha(KRIPPENDORFF), 3) == 0.743


def test_kappa_matches_the_textbook_example_and_agreement_is_the_share_of_units_alike():
    assert round(agreement.kappa(COHEN), 3) == 0.400
    assert agreement.agreement(COHEN) == pytest.approx(0.7)


def test_the_bootstrap_interval_holds_the_estimate_and_is_the_same_for_the_same_seed():
    low, high = agreement.alpha_interval(KRIPPENDORFF)
    assert low < agreement.alpha(KRIPPENDORFF) < high and agreement.alpha_interval(KRIPPENDORFF) == [low, high]


@pytest.mark.parametrize("value, verdict", [(0.85, "good"), (0.8, "good"), (0.7, "tentative"), (0.5, "not reliable"),
                                            (None, "not measurable")])
def test_the_verdict_follows_krippendorffs_thresholds(value, verdict):
    assert agreement.verdict(value) == verdict


def test_one_value_everywhere_has_no_alpha_or_kappa_but_full_agreement():
    same = [[0, 0, 0], [0, 0, 0]]
    assert (agreement.alpha(same), agreement.kappa(same), agreement.agreement(same)) == (None, None, 1.0)
