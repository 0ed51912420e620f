"""The crosswalk from an old criterion (and an item's name) to a new one. Pure Python."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.crosswalk import Crosswalk, Source, Target, features, with_equivalences

TARGETS = [
    Target("a", "1.1", "Tầm nhìn, sứ mạng và kế hoạch phát triển", "Quản trị nhà trường", hints=["Kế hoạch năm học"]),
    Target("b", "2.1", "Cán bộ quản lý cơ sở giáo dục", "Phát triển đội ngũ", hints=["Quyết định bổ nhiệm"]),
    Target("c", "2.2", "Giáo viên", "Phát triển đội ngũ", hints=["Danh sách giáo viên", "bảng phân công chuyên môn"]),
    Target("d", "4.1", "Cơ sở vật chất, thiết bị, học liệu", "Điều kiện giáo dục, môi trường an toàn",
           hints=["Danh mục thiết bị dạy học", "hồ sơ thư viện"]),
]


@pytest.fixture(scope="module")
def walk():
    return Crosswalk(TARGETS)


def test_features_are_syllables_and_pairs_within_a_clause_with_their_diacritics():
    found = features("Kế hoạch, phát triển của Nhà trường")
    assert {"kế", "hoạch", "kế hoạch", "phát triển", "nhà trường"} <= found
    assert "hoạch phát" not in found  # a comma ends the clause
    assert "của" not in found  # a stop word
    # Diacritics tell words apart: "tài chính" is not "điều chỉnh".
    assert not features("tài chính") & features("điều chỉnh")


def test_equivalences_add_the_new_words_for_old_ones():
    assert "cán bộ quản lý" in with_equivalences("Đối với Hiệu trưởng, phó hiệu trưởng")
    assert with_equivalences("Giáo viên") == "Giáo viên"


@pytest.mark.parametrize(
    ("title", "standard", "name", "expected"),
    [
        ("Phương hướng, chiến lược xây dựng và phát triển nhà trường", "Tổ chức và quản lý nhà trường", "", "1.1"),
        ("Đối với hiệu trưởng, phó hiệu trưởng", "Cán bộ quản lý, giáo viên, nhân viên và học sinh", "", "2.1"),
        ("Đối với giáo viên", "Cán bộ quản lý, giáo viên, nhân viên và học sinh", "", "2.2"),
        ("Thư viện", "Cơ sở vật chất và thiết bị dạy học", "Sổ theo dõi sách thư viện", "4.1"),
    ],
)
def test_the_closest_criterion_is_proposed(walk, title, standard, name, expected):
    assert walk.propose(Source("x", title, standard), name).target.number == expected


def test_the_item_name_breaks_a_tie_between_criteria(walk):
    source = Source("2.9", "Đội ngũ", "Cán bộ quản lý, giáo viên, nhân viên và học sinh")
    assert walk.propose(source, "Danh sách giáo viên năm học 2024-2025").target.number == "2.2"
    assert walk.propose(source, "Quyết định bổ nhiệm hiệu trưởng").target.number == "2.1"


def test_the_reason_names_shared_words_as_the_new_catalog_writes_them(walk):
    proposal = walk.propose(Source("1.1", "Kế hoạch phát triển nhà trường", "Tổ chức và quản lý nhà trường"),
                            "Kế hoạch năm học 2024-2025")
    assert proposal.target.number == "1.1"
    assert proposal.criterion_words == ("kế hoạch phát triển",)  # the phrase as the new title prints it
    assert proposal.hint == "Kế hoạch năm học"
    assert proposal.runner_up is not None and proposal.runner_up.number != "1.1"


def test_a_source_sharing_nothing_gets_the_first_target_deterministically(walk):
    first = walk.propose(Source("9.9", "Zzz", "Qqq"), "")
    assert first.target.number == "1.1" and first.score == 0
    assert first.criterion_words == ()


def test_a_crosswalk_needs_targets():
    with pytest.raises(ValueError):
        Crosswalk([])


@given(order=st.permutations(range(len(TARGETS))), title=st.sampled_from(
    ["Đối với giáo viên", "Thiết bị", "Phương hướng phát triển", "Đối với hiệu trưởng"]))
def test_the_proposal_does_not_depend_on_the_catalog_order_when_there_is_a_clear_winner(order, title):
    shuffled = Crosswalk([TARGETS[i] for i in order])
    reference = Crosswalk(TARGETS)
    source = Source("x", title, "")
    assert shuffled.propose(source).target.number == reference.propose(source).target.number
