"""A page of a console list: how many pages there are and which rows (counted from 1) this one shows."""

from collections.abc import Sequence
from typing import Any, ClassVar


class Paged:
    """For a list page's dataclass with `total` (rows in all), `rows` (this page's) and `page_number`."""

    __slots__ = ()
    page_size: ClassVar[int]
    total: int
    rows: Sequence[Any]

    @property
    def page_number(self) -> int:
        raise NotImplementedError

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def first(self) -> int:
        return (self.page_number - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0
