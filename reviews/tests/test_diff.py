"""The version comparison (pure): sentences, word marks, escaping, sections."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from reviews import diff

TAGS = re.compile(r'</?(?:del|ins)(?: class="diff-(?:del|ins)")?>')


def _plain(marked: str) -> str:
    return html.unescape(TAGS.sub("", marked))


def test_sentences_split_at_ends_but_not_inside_codes_or_numbers():
    text = "Tiêu chí 1.1 đạt [H1-1.1-01]. Nhà trường có... kế hoạch!\n\nĐiểm yếu: chưa có; còn thiếu"
    assert diff.sentences(text) == [
        "Tiêu chí 1.1 đạt [H1-1.1-01]. ", "Nhà trường có... ", "kế hoạch!\n\n", "Điểm yếu: chưa có; ", "còn thiếu",
    ]


def test_identical_texts_are_unchanged_and_escaped():
    result = diff.diff_text("a <b> & c", "a <b> & c")
    assert not result.changed
    assert result.left == result.right == "a &lt;b&gt; &amp; c"


def test_a_changed_number_is_marked_on_both_sides():
    result = diff.diff_text("Nhà trường có 20 lớp học. Cơ sở vật chất đầy đủ.", "Nhà trường có 22 lớp học. Cơ sở vật chất đầy đủ.")
    assert result.changed
    assert result.left == 'Nhà trường có <del class="diff-del">20</del> lớp học. Cơ sở vật chất đầy đủ.'
    assert result.right == 'Nhà trường có <ins class="diff-ins">22</ins> lớp học. Cơ sở vật chất đầy đủ.'


def test_an_added_sentence_is_one_insertion_and_the_rest_stays_plain():
    result = diff.diff_text("Câu một. Câu hai.", "Câu một. Câu mới thêm vào. Câu hai.")
    assert result.left == "Câu một. Câu hai."
    assert result.right == 'Câu một. <ins class="diff-ins">Câu mới thêm vào.</ins> Câu hai.'


def test_markup_in_the_texts_is_never_emitted_raw():
    result = diff.diff_text("<script>alert(1)</script>", "<script>alert(2)</script>")
    assert "<script>" not in result.left + result.right
    assert "&lt;script&gt;" in result.left


def test_empty_sides():
    assert diff.diff_text("", "Mới").right == '<ins class="diff-ins">Mới</ins>'
    assert diff.diff_text("Cũ", None).left == '<del class="diff-del">Cũ</del>'


text_strategy = st.text(alphabet=st.sampled_from(list("aăâbcđeêhoôơuưyáàảãạ .,;!?\n<>&\"'0123456789[]-")), max_size=120)


@given(text_strategy)
def test_sentences_are_lossless(text):
    assert "".join(diff.sentences(text)) == text


@given(text_strategy, text_strategy)
def test_removing_the_marks_gives_back_both_texts(old, new):
    result = diff.diff_text(old, new)
    assert _plain(result.left) == old
    assert _plain(result.right) == new
    assert result.changed == (old != new)


def test_sections_are_paired_by_key_with_added_removed_and_changed():
    old = [
        diff.Section("a", "A", fields=(diff.Field("t", "Văn bản", "giống"),)),
        diff.Section("b", "B", fields=(diff.Field("t", "Văn bản", "cũ"),), facts=(diff.Fact("level", "Mức", "1"),)),
        diff.Section("gone", "Bỏ"),
    ]
    new = [
        diff.Section("a", "A", fields=(diff.Field("t", "Văn bản", "giống"),)),
        diff.Section("b", "B", fields=(diff.Field("t", "Văn bản", "mới"),), facts=(diff.Fact("level", "Mức", "2"),)),
        diff.Section("new", "Mới"),
    ]
    result = {s.key: s for s in diff.compare_sections(old, new)}
    assert [s.key for s in diff.compare_sections(old, new)] == ["a", "b", "gone", "new"]
    assert result["a"].status == "same"
    assert result["b"].status == "changed" and result["b"].changed_fields == 1
    assert [(f.old, f.new) for f in result["b"].changed_facts] == [("1", "2")]
    assert result["gone"].status == "removed" and result["new"].status == "added"
