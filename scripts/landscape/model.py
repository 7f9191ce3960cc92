"""What the models of every kind of contributed file share: their strict base, and a source."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, field_validator


class Strict(BaseModel):
    """The base of the model of every contributed file: an unknown key is an error, text is stripped, and
    a field that a file spells by an alias (``from``, ``layers``) may be given by its name as well."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)


class Source(Strict):
    """A source as datasets, tables and charts declare it: a title, and optionally its URL, publisher and date."""

    model_config = ConfigDict(frozen=True)

    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("url must start with https:// or http://")
        return value
