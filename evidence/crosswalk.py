"""Which criterion of a new regulation an evidence item of an old one belongs to. Pure Python.

When a school moves from TT17/18/19/2018 to TT57/2026, each item of its library needs a code
under a TT57 criterion. Nobody publishes a table from the old criteria to the new ones (the
standards are regrouped: 2018's "Cơ sở vật chất" is standard 3, TT57's is standard 4), so the
app proposes one from the words the texts share and shows why; the principal confirms.

The score of a new criterion for an item adds four likenesses, each between 0 and 1:

- the old criterion's title against the new one's title and suggested evidence, weight 0.4;
- the old criterion with its requirement texts against the new one with its Mức texts, 0.15;
- the old standard's title against the new standard's, weight 0.2 ("by standard");
- the item's name against the new criterion's title and suggested evidence, weight 0.25.

The old texts are read with a few equivalences of the domain's own words (a "hiệu trưởng" is a
"cán bộ quản lý cơ sở giáo dục" in TT57, a "nhân viên" a "nhân sự hỗ trợ giáo dục"), since the new
regulation renamed what the old one listed.

A likeness is a cosine over word features (single syllables and two-syllable words, since
Vietnamese writes "kế hoạch" as two), each weighted by how rare it is among the new criteria, so
that "nhà trường", "giáo dục" and "học sinh", found everywhere, count for little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

WEIGHT_TITLE = 0.4
WEIGHT_BODY = 0.15
WEIGHT_STANDARD = 0.2
WEIGHT_NAME = 0.25

# Old words -> the words TT57 uses for the same thing (lower case; appended, never replacing).
EQUIVALENCES: dict[str, str] = {
    "hiệu trưởng": "cán bộ quản lý",
    "nhân viên": "nhân sự hỗ trợ giáo dục",
    "khuôn viên": "cơ sở vật chất",
    "sân chơi": "cơ sở vật chất",
    "phòng học": "cơ sở vật chất",
    "hành chính - quản trị": "cơ sở vật chất",
    "thư viện": "cơ sở vật chất học liệu",
    "khu vệ sinh": "môi trường an toàn vệ sinh",
    "an ninh trật tự": "môi trường an toàn",
    "cha mẹ": "phối hợp gia đình",
    "tham mưu": "phối hợp cộng đồng",
    "dân chủ": "công khai trách nhiệm giải trình",
    "hoàn cảnh khó khăn": "hỗ trợ hòa nhập",
    "kết quả giáo dục": "kết quả học tập rèn luyện tiến bộ",
    "tổ chức đảng": "cơ cấu tổ chức",
    "chương trình giáo dục": "thực hiện chương trình",
    "tài chính": "quản lý nguồn lực",
    "tài sản": "quản lý nguồn lực",
    # Standards: what 2018 called them -> the TT57 standard that took them over.
    "tổ chức và quản lý nhà trường": "quản trị nhà trường",
    "cơ sở vật chất và thiết bị": "điều kiện giáo dục",
    "quan hệ giữa nhà trường": "phối hợp xã hội",
    "chăm sóc sức khỏe": "môi trường an toàn sức khỏe",
    "cán bộ quản lý, giáo viên": "phát triển đội ngũ",
    "hoạt động giáo dục và kết quả": "thực hiện chương trình phát triển",
    "hoạt động chăm sóc": "thực hiện chương trình phát triển",
}

# Words that say nothing about what a criterion is about.
_STOPWORDS = frozenset(
    """
    và của các cho theo với trong trên dưới đến từ là có được không những một hoặc này đó để về
    thì như khi đã sẽ cần phải ra vào lại còn mới cũng tại bởi nếu sau trước gì nào mà
    """.split()
)
_WORD = re.compile(r"\w+")
_CLAUSE = re.compile(r"[^\w\s]+")


def _lower(text: str) -> str:
    """Lower case in one Unicode form; the diacritics stay, since they tell "chính" from "chỉnh"."""
    return unicodedata.normalize("NFC", text or "").lower()


def _clauses(text: str) -> list[list[str]]:
    """The words of each clause, lower case (punctuation ends a clause: no pair spans a comma)."""
    return [
        [w for w in _WORD.findall(part) if w not in _STOPWORDS and len(w) > 1 and not w.isdigit()]
        for part in _CLAUSE.split(_lower(text))
    ]


def features(text: str) -> set[str]:
    """The word features of a text: syllables and adjacent pairs of them, stop words out."""
    found: set[str] = set()
    for words in _clauses(text):
        found.update(words)
        found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


def with_equivalences(text: str) -> str:
    """The text followed by the TT57 words for the old words it uses."""
    lowered = _lower(text)
    extra = [new for old, new in EQUIVALENCES.items() if old in lowered]
    return " . ".join([text, *extra])


@dataclass(frozen=True)
class Target:
    """A criterion of the new regulation, as the crosswalk sees it."""

    key: str  # the caller's identifier (a primary key, a number)
    number: str
    title: str
    standard_title: str
    texts: Sequence[str] = ()  # requirement texts (Mức 1, Mức 2)
    hints: Sequence[str] = ()  # suggested evidence (evidence_hints)


@dataclass(frozen=True)
class Source:
    """An old criterion: its title, its standard's title and its requirement texts."""

    number: str
    title: str
    standard_title: str
    texts: Sequence[str] = ()


@dataclass(frozen=True)
class Proposal:
    """The proposed target with its score and the words that made it win (for the reason shown)."""

    target: Target
    score: float
    criterion_words: tuple[str, ...] = ()  # shared between the criteria, as written in the new one
    standard_words: tuple[str, ...] = ()
    name_words: tuple[str, ...] = ()
    hint: str = ""  # the suggested evidence the item's name matches best, if any
    runner_up: Target | None = None


@dataclass
class Crosswalk:
    """Proposals against one new catalog; build once, ask for each item."""

    targets: Sequence[Target]
    _idf: dict[str, float] = field(init=False, default_factory=dict)
    _title: dict[str, set[str]] = field(init=False, default_factory=dict)
    _crit: dict[str, set[str]] = field(init=False, default_factory=dict)
    _std: dict[str, set[str]] = field(init=False, default_factory=dict)
    _name: dict[str, set[str]] = field(init=False, default_factory=dict)
    _hints: dict[str, list[tuple[str, set[str]]]] = field(init=False, default_factory=dict)
    _shown: dict[str, list[list[str]]] = field(init=False, default_factory=dict)
    # Each target's squared norms (title, criterion, standard, name), computed once: ``scores``
    # compares every item against every target, and these sums were most of its time.
    _squares: dict[str, tuple[float, float, float, float]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not self.targets:
            raise ValueError("a crosswalk needs at least one target criterion")
        documents: list[set[str]] = []
        for target in self.targets:
            own = features(" . ".join([target.title, *target.texts, *target.hints]))
            self._crit[target.key] = own
            self._title[target.key] = features(" . ".join([target.title, *target.hints]))
            self._std[target.key] = features(target.standard_title)
            self._name[target.key] = self._title[target.key]
            self._hints[target.key] = [(hint, features(hint)) for hint in target.hints]
            documents.append(own | self._std[target.key])
            # Words a reader sees on the page: those of the title, the standard and the hints.
            self._shown[target.key] = _clauses(" . ".join([target.title, target.standard_title, *target.hints]))
        counts = Counter(feature for document in documents for feature in document)
        total = len(documents)
        # A feature of every target still weighs a little; one of a single target weighs most.
        self._idf = {f: math.log(1 + total / n) for f, n in counts.items()}
        self._unknown = math.log(1 + total)
        for target in self.targets:
            key = target.key
            self._squares[key] = (self._square(self._title[key]), self._square(self._crit[key]),
                                  self._square(self._std[key]), self._square(self._name[key]))

    def _weight(self, feature: str) -> float:
        return self._idf.get(feature, self._unknown)

    def _square(self, features: set[str]) -> float:
        return sum(self._weight(f) ** 2 for f in features)

    def _likeness(self, a: set[str], b: set[str], a_square: float | None = None, b_square: float | None = None) -> float:
        """Cosine likeness of two feature sets; the squared norms may be given when already known."""
        if not a or not b:
            return 0.0
        shared = sum(self._weight(f) ** 2 for f in a & b)
        norm = math.sqrt((self._square(a) if a_square is None else a_square)
                         * (self._square(b) if b_square is None else b_square))
        return shared / norm if norm else 0.0

    def _words(self, a: set[str], b: set[str], key: str, limit: int = 4) -> tuple[str, ...]:
        """The most telling shared words for a reason, as printed in the target's title, standard or hints.

        Runs of shared syllable pairs are joined back into the phrase the reader sees ("cơ sở",
        "sở vật", "vật chất" -> "cơ sở vật chất"); phrases first, then single words, rarer first.
        """
        shared = a & b
        phrases: dict[str, float] = {}
        for words in self._shown[key]:
            run = words[:1]
            for previous, word in zip(words, words[1:], strict=False):
                if f"{previous} {word}" in shared:
                    run.append(word)
                    continue
                if len(run) > 1:
                    phrases.setdefault(" ".join(run), sum(self._weight(w) for w in run))
                run = [word]
            if len(run) > 1:
                phrases.setdefault(" ".join(run), sum(self._weight(w) for w in run))
        chosen = sorted(phrases, key=lambda p: (-phrases[p], p))
        covered = {w for phrase in chosen for w in phrase.split(" ")}
        shown = {w for words in self._shown[key] for w in words}
        singles = sorted((w for w in shared if " " not in w and len(w) > 2 and w in shown and w not in covered),
                         key=lambda w: (-self._weight(w), w))
        # Drop a phrase contained in a longer one ("vật chất" inside "cơ sở vật chất").
        chosen = [p for p in chosen if not any(p != q and f" {p} " in f" {q} " for q in chosen)]
        return tuple((chosen + singles)[:limit])

    def scores(self, source: Source, name: str = "") -> list[tuple[float, Target]]:
        """Every target with its score for an item named ``name`` of the ``source`` criterion, best first.

        Ties keep the catalog's order, so the proposal is the same on every run.
        """
        title = features(with_equivalences(source.title))
        body = features(with_equivalences(" . ".join([source.title, *source.texts])))
        old_standard = features(with_equivalences(source.standard_title))
        item = features(name)
        title_sq, body_sq, standard_sq, item_sq = (self._square(f) for f in (title, body, old_standard, item))
        scored = []
        for index, target in enumerate(self.targets):
            key = target.key
            target_title_sq, target_crit_sq, target_std_sq, target_name_sq = self._squares[key]
            score = (
                WEIGHT_TITLE * self._likeness(title, self._title[key], title_sq, target_title_sq)
                + WEIGHT_BODY * self._likeness(body, self._crit[key], body_sq, target_crit_sq)
                + WEIGHT_STANDARD * self._likeness(old_standard, self._std[key], standard_sq, target_std_sq)
                + WEIGHT_NAME * self._likeness(item, self._name[key], item_sq, target_name_sq)
            )
            scored.append((round(score, 6), -index, target))
        scored.sort(key=lambda row: (row[0], row[1]), reverse=True)
        return [(score, target) for score, _index, target in scored]

    def propose(self, source: Source, name: str = "") -> Proposal:
        """The best target for an item, with the words behind it."""
        ranked = self.scores(source, name)
        score, best = ranked[0]
        old = features(with_equivalences(source.title))
        item = features(name)
        hint = ""
        best_hint = 0.0
        for text, hint_features in self._hints[best.key]:
            likeness = self._likeness(item, hint_features)
            if likeness > best_hint:
                hint, best_hint = text, likeness
        return Proposal(
            target=best,
            score=score,
            criterion_words=self._words(old, self._title[best.key], best.key),
            standard_words=self._words(features(with_equivalences(source.standard_title)), self._std[best.key], best.key,
                                       limit=3),
            name_words=self._words(item, self._name[best.key], best.key),
            hint=hint if best_hint >= 0.2 else "",
            runner_up=ranked[1][1] if len(ranked) > 1 else None,
        )


def propose_all(crosswalk: Crosswalk, items: Iterable[tuple[Source, str]]) -> list[Proposal]:
    """Proposals for (old criterion, item name) pairs, in the order given."""
    return [crosswalk.propose(source, name) for source, name in items]
