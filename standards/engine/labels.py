"""What each rule family calls its levels, and the columns of its summary tables.

Plain data in the official Vietnamese words (the exported documents print them as they are; pages
translate them through ``standards.explain.family_labels``). Nothing outside the engine guesses
these from a level count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FamilyLabels:
    # (level, name) for a criterion's level, 0 included ("Không đạt").
    criterion_levels: tuple[tuple[int, str], ...]
    # (level, name) for the school's level (the 2018 family goes up to Mức 4).
    school_levels: tuple[tuple[int, str], ...]
    # Columns of the per-criterion summary table, after the criterion column.
    summary_columns: tuple[str, ...]
    # The levels in one phrase, as the report headings print them ("Mức 1, 2 và 3"); empty when binary.
    levels_phrase: str
    # (level, name) of the national standard.
    national_standard_levels: tuple[tuple[int, str], ...] = ((1, "Mức độ 1"), (2, "Mức độ 2"))
    # Whether the family has accreditation Cấp độ and Mức 4 requirements.
    has_accreditation: bool = True
    has_level4: bool = False
    # Criteria only đạt / không đạt.
    binary: bool = False

    def criterion_level_name(self, level: int | None) -> str:
        return dict(self.criterion_levels).get(level, "") if level is not None else ""

    def school_level_name(self, level: int | None) -> str:
        return dict(self.school_levels).get(level, "") if level is not None else ""

    @property
    def top_level(self) -> int:
        return max(level for level, _name in self.criterion_levels)

    @property
    def levels(self) -> list[int]:
        """The criterion levels above "Không đạt" (1..top)."""
        return [level for level, _name in self.criterion_levels if level >= 1]


def levels_phrase(top: int) -> str:
    """"Mức 1, 2 và 3" for top 3, "Mức 1 và 2" for top 2, "Mức 1" for 1."""
    if top <= 1:
        return "Mức 1"
    return "Mức " + ", ".join(str(level) for level in range(1, top)) + f" và {top}"


def graded(top: int, *, school_top: int | None = None, **kwargs: Any) -> FamilyLabels:
    """Labels of a family graded Mức 1..top (0 = Không đạt)."""
    criterion = ((0, "Không đạt"), *((level, f"Mức {level}") for level in range(1, top + 1)))
    school_top = top if school_top is None else school_top
    school = ((0, "Không đạt"), *((level, f"Mức {level}") for level in range(1, school_top + 1)))
    return FamilyLabels(
        criterion_levels=criterion,
        school_levels=school,
        summary_columns=tuple(name for _level, name in criterion),
        levels_phrase=levels_phrase(top),
        **kwargs,
    )


BINARY = FamilyLabels(
    criterion_levels=((0, "Không đạt"), (1, "Đạt")),
    school_levels=((0, "Không đạt"), (1, "Đạt")),
    summary_columns=("Không đạt", "Đạt"),
    levels_phrase="",
    binary=True,
)
