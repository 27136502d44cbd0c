import pytest

from dxplan.plans.rules import DEFAULT_SCALES, comparable_score


def test_default_scales_are_seed_002s_labels_best_first() -> None:
    assert [e["label"] for e in DEFAULT_SCALES["progress"]] == [
        "済",
        "概ね順調",
        "遅れ",
        "未着手",
        "休止",
    ]
    assert [e["label"] for e in DEFAULT_SCALES["achievement"]] == ["達成", "一部未達成", "未達成"]


def test_scores_of_different_scales_are_comparable() -> None:
    # 一部未達成 on a three-label scale sits where B of A/B/C does, and where 3 of 1-5 does.
    assert comparable_score(2, 3) == comparable_score(3, 5) == 0.5
    assert comparable_score(1, 4) == 1.0
    assert comparable_score(4, 4) == 0.0


def test_a_single_label_scale_scores_its_label_best() -> None:
    assert comparable_score(1, 1) == 1.0


@pytest.mark.parametrize(("rank", "labels"), [(0, 3), (4, 3), (1, 0)])
def test_a_rank_off_the_scale_is_an_error(rank: int, labels: int) -> None:
    with pytest.raises(ValueError, match="is not on a scale"):
        comparable_score(rank, labels)
