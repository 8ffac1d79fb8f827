"""Claims of lessons (filled in by issue 12): see `senge_course.models.claims.core`."""

from .core import Claim

__all__ = ["CLAIMS"]

#: This group of lessons' claims, in the order the lessons state them.
CLAIMS: tuple[Claim, ...] = ()
