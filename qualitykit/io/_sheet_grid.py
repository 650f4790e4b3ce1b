"""One sheet as a grid of raw cells: what every reader of workbooks and text files returns
(private)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Sheet"]


@dataclass
class Sheet:
    """One sheet as a grid of raw cell values.

    ``state`` is ``"visible"``, ``"hidden"`` or ``"veryhidden"``; ``merged_from`` maps every
    cell filled from a merged range to the range's top-left cell (0-based row, column).
    """

    name: str
    rows: list[list[object]]
    state: str = "visible"
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    specials: int = 0  # error cells and uncalculated formulas put into ``rows``

    @property
    def hidden(self) -> bool:
        return self.state != "visible"
