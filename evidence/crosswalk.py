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
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .text import fold

WEIGHT_TITLE = 0.4
WEIGHT_BODY = 0.15
WEIGHT_STANDARD = 0.2
WEIGHT_NAME = 0.25

# Old words -> the words TT57 uses for the same thing (folded; appended, never replacing).
EQUIVALENCES: dict[str, str] = {
    "hieu truong": "can bo quan ly",
    "nhan vien": "nhan su ho tro giao duc",
    "khuon vien": "co so vat chat",
    "san choi": "co so vat chat",
    "phong hoc": "co so vat chat",
    "hanh chinh quan tri": "co so vat chat",
    "thu vien": "co so vat chat hoc lieu",
    # Standards: what 2018 called them -> the TT57 standard that took them over.
    "to chuc va quan ly nha truong": "quan tri nha truong",
    "co so vat chat va thiet bi": "dieu kien giao duc",
    "quan he giua nha truong": "phoi hop xa hoi",
    "cham soc suc khoe": "moi truong an toan suc khoe",
    "can bo quan ly, giao vien": "phat trien doi ngu",
    "hoat dong giao duc va ket qua": "thuc hien chuong trinh phat trien",
    "hoat dong cham soc": "thuc hien chuong trinh phat trien",
    "khu ve sinh": "moi truong an toan ve sinh",
    "an ninh trat tu": "moi truong an toan",
    "cha me": "phoi hop gia dinh",
    "tham muu": "phoi hop cong dong",
    "dan chu": "cong khai trach nhiem giai trinh",
    "hoan canh kho khan": "ho tro hoa nhap",
    "ket qua giao duc": "ket qua hoc tap ren luyen tien bo",
    "to chuc dang": "co cau to chuc",
    "chuong trinh giao duc": "thuc hien chuong trinh",
}

# Words that say nothing about what a criterion is about (folded).
_STOPWORDS = frozenset(
    """
    va cua cac cho theo voi trong tren duoi den tu la co duoc khong nhung mot hoac nay do de ve
    thi nhu khi da se can phai ra vao lai con moi cung tai boi neu sau truoc gi nao ma
    """.split()
)
_WORD = re.compile(r"[a-z0-9]+")


_CLAUSE = re.compile(r"[^\w\s]+")


def _clauses(text: str) -> list[list[str]]:
    """The folded words of each clause (punctuation ends a clause: no pair spans a comma)."""
    return [
        [w for w in _WORD.findall(part) if w not in _STOPWORDS and len(w) > 1]
        for part in _CLAUSE.split(fold(text))
    ]


def features(text: str) -> set[str]:
    """The word features of a text: folded syllables and adjacent pairs of them, stop words out."""
    found: set[str] = set()
    for words in _clauses(text):
        found.update(words)
        found.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return found


def with_equivalences(text: str) -> str:
    """The text followed by the TT57 words for the old words it uses."""
    folded = fold(text)
    extra = [new for old, new in EQUIVALENCES.items() if old in folded]
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
    _display: dict[str, str] = field(init=False, default_factory=dict)

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
            for text in [target.title, target.standard_title, *target.texts, *target.hints]:
                self._remember_spelling(text)
        counts = Counter(feature for document in documents for feature in document)
        total = len(documents)
        # A feature of every target still weighs a little; one of a single target weighs most.
        self._idf = {f: math.log(1 + total / n) for f, n in counts.items()}
        self._unknown = math.log(1 + total)

    def _remember_spelling(self, text: str) -> None:
        """How a folded feature is written in the new catalog, to show it in a reason."""
        for clause in re.split(r"[^\w\s]+", text or ""):
            words = clause.lower().split()
            for word in words:
                self._display.setdefault(fold(word), word)
            for a, b in zip(words, words[1:], strict=False):
                self._display.setdefault(f"{fold(a)} {fold(b)}", f"{a} {b}")

    def _weight(self, feature: str) -> float:
        return self._idf.get(feature, self._unknown)

    def _likeness(self, a: set[str], b: set[str]) -> float:
        if not a or not b:
            return 0.0
        shared = sum(self._weight(f) ** 2 for f in a & b)
        norm = math.sqrt(sum(self._weight(f) ** 2 for f in a) * sum(self._weight(f) ** 2 for f in b))
        return shared / norm if norm else 0.0

    def _words(self, a: set[str], b: set[str], limit: int = 4) -> tuple[str, ...]:
        """The most telling shared words, two-syllable words first, as the new catalog spells them."""
        shared = sorted(a & b, key=lambda f: (-(" " in f), -self._weight(f), f))
        shown: list[str] = []
        covered: set[str] = set()
        for feature in shared:
            parts = feature.split(" ")
            if all(part in covered for part in parts):
                continue
            covered.update(parts)
            shown.append(self._display.get(feature) or " ".join(self._display.get(p, p) for p in parts))
            if len(shown) == limit:
                break
        return tuple(shown)

    def scores(self, source: Source, name: str = "") -> list[tuple[float, Target]]:
        """Every target with its score for an item named ``name`` of the ``source`` criterion, best first.

        Ties keep the catalog's order, so the proposal is the same on every run.
        """
        title = features(with_equivalences(source.title))
        body = features(with_equivalences(" . ".join([source.title, *source.texts])))
        old_standard = features(with_equivalences(source.standard_title))
        item = features(name)
        scored = []
        for index, target in enumerate(self.targets):
            score = (
                WEIGHT_TITLE * self._likeness(title, self._title[target.key])
                + WEIGHT_BODY * self._likeness(body, self._crit[target.key])
                + WEIGHT_STANDARD * self._likeness(old_standard, self._std[target.key])
                + WEIGHT_NAME * self._likeness(item, self._name[target.key])
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
            criterion_words=self._words(old, self._title[best.key]),
            standard_words=self._words(features(with_equivalences(source.standard_title)), self._std[best.key], limit=3),
            name_words=self._words(item, self._name[best.key]),
            hint=hint if best_hint >= 0.2 else "",
            runner_up=ranked[1][1] if len(ranked) > 1 else None,
        )


def propose_all(crosswalk: Crosswalk, items: Iterable[tuple[Source, str]]) -> list[Proposal]:
    """Proposals for (old criterion, item name) pairs, in the order given."""
    return [crosswalk.propose(source, name) for source, name in items]
