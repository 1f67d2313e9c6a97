"""What every Shopify reply model shares: camelCase on the wire, paging, user errors.

Models ignore fields they do not name (a document may grow before its model)
but require every field the document selects that Shopify always sends: a
missing one is a reply the console does not understand, said so plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from tiktok_console.stores.errors import RequestRejectedError, UnexpectedReplyError

STORE = "shopify"
_MAX_PROBLEMS = 5  # fields named in an error's detail


class ShopifyModel(BaseModel):
    """A GraphQL object as selected by a document: snake_case here, camelCase on the wire."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, frozen=True, extra="ignore"
    )


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a DateTime without a time zone")
    return value.astimezone(UTC)


DateTime = Annotated[datetime, AfterValidator(_utc)]
"""Shopify's ``DateTime`` scalar (ISO 8601 with an offset) as an aware UTC datetime."""

R = TypeVar("R", bound="Reply")
N = TypeVar("N")

REPLIES: dict[str, type[Reply]] = {}


class Reply(ShopifyModel):
    """The ``data`` of one document; the subclass's name is the document's name.

    ``what`` says what the request does, in the merchant's words, for errors.
    """

    document: ClassVar[str]
    what: ClassVar[str] = "a request"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "[" in cls.__name__:  # a parametrized generic, not a document's model
            return
        if "document" not in cls.__dict__:
            cls.document = cls.__name__
        if not cls.__name__.startswith("_"):
            REPLIES[cls.document] = cls


class PageInfo(ShopifyModel):
    """Where a connection's next page starts."""

    has_next_page: bool
    end_cursor: str | None = None


class Nodes(ShopifyModel, Generic[N]):
    """A nested connection selected as ``nodes`` only (its first page is all we ask for)."""

    nodes: list[N]


class Connection(Nodes[N], Generic[N]):
    """A page of a connection selected as ``nodes`` and ``pageInfo``."""

    page_info: PageInfo


class UserError(ShopifyModel):
    """A mutation's refusal as Shopify's plain ``UserError`` type: no code, field and message."""

    field: list[str] | None = None
    message: str


class CodedUserError(UserError):
    """A refusal whose type has a ``code`` (``OrderCreateUserError``, ``BulkOperationUserError``,
    ``InventorySetQuantitiesUserError``...): its document selects ``code``."""

    code: str | None = None


def reject_user_errors(errors: Sequence[UserError]) -> None:
    """Raise the refusal the user errors state, if any (a write that did not happen)."""
    if errors:
        message = "; ".join(error.message for error in errors)
        first = errors[0]
        code = first.code if isinstance(first, CodedUserError) else None
        raise RequestRejectedError(STORE, code or "USER_ERROR", message, message)


def parse_reply(reply: type[R], data: dict[str, Any]) -> R:
    """``data`` as ``reply``, or ``UnexpectedReplyError`` with the path of each misfit."""
    try:
        return reply.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()[:_MAX_PROBLEMS]
        ]
        detail = f"{reply.document}: " + "; ".join(problems)
        raise UnexpectedReplyError(STORE, reply.what, detail) from error
