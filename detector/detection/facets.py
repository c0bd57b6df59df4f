"""The facets: every kind of token a registration can carry, declared once.

A *facet* is one attribute a registration is described by (``email_domain``,
``ua``, ``follows`` ...). Everything the detector needs to know about a facet is
in its :class:`Facet` record; the lists other modules use (identity facets,
location facets, attribute families, the words of the reasons) are derived from
:data:`FACETS`, so adding a facet is one parser in :mod:`.features` and one line here.

Two roles matter for scoring:

- **identity** facets say *who* signed up (e-mail, phone, postal code, IP, name,
  and attendance when known): an organic surge brings the usual people, so their
  composition stays the organic one; a campaign brings a different crowd;
- **channel** facets say *how* they arrived (user agent, referrer, a linked
  account, what that account reposted or follows): an organic surge through one
  platform shifts them as much as a campaign does, so they find candidates but
  never decide a score alone.

>>> FACET["phone_area"].role, FACET["phone_area"].family, FACET["phone_area"].location
('identity', 'phone', True)
>>> "ua" in IDENTITY_FACETS
False
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Facet", "FACETS", "FACET", "IDENTITY_FACETS", "CHANNEL_FACETS", "LOCATION_FACETS", "LOCATION_FAMILIES",
           "RARE_FACETS", "FAMILIES", "facet"]


@dataclass(frozen=True)
class Facet:
    """One kind of token.

    Parameters
    ----------
    name : str
        The facet's name, the part of a token before ``=``.
    role : {"identity", "channel"}
        Who signed up, or how they arrived (see the module description).
    family : str
        Facets of one family are strongly correlated (a postal code and its region)
        and count once in a cluster's profile.
    words : str
        How a token reads in a reason, ``{v}`` standing for its value.
    rare : str, optional
        When set, values held by few registrants also give a token ``facet=(rare)``,
        described as "a ``rare`` rare among registrants".
    location : bool, default False
        The facet says where a registrant is.
    """

    name: str
    role: str
    family: str
    words: str
    rare: str | None = None
    location: bool = False

    def __post_init__(self):
        if self.role not in ("identity", "channel"):
            raise ValueError(f"facet {self.name}: role must be 'identity' or 'channel', not {self.role!r}")


FACETS = (
    Facet("email_domain", "identity", "email", "e-mail domain {v}", rare="e-mail domain"),
    Facet("email_style", "identity", "email", "e-mail names shaped '{v}'", rare="e-mail name shape"),
    Facet("email_tag", "identity", "email", "e-mail '+tag' variants"),
    Facet("phone_area", "identity", "phone", "phone area code {v}", rare="phone area code", location=True),
    Facet("phone", "identity", "phone", "phone number {v}"),
    Facet("postal_region", "identity", "postal", "postal region {v}", rare="postal region", location=True),
    Facet("postal_code", "identity", "postal", "postal code {v}"),
    Facet("ip16", "identity", "ip", "IP prefix {v}.x.x", rare="network (IP /16)", location=True),
    Facet("ip24", "identity", "ip", "IP prefix {v}.x"),
    Facet("name_style", "identity", "name", "names shaped {v}", rare="name shape"),
    Facet("name", "identity", "name", "the name '{v}'"),
    Facet("attended", "identity", "attended", "attended: {v}"),
    Facet("ua", "channel", "ua", "user agent containing '{v}'"),
    Facet("referrer_host", "channel", "referrer", "referrer {v}", rare="referrer"),
    Facet("referrer_path", "channel", "referrer", "referrer path '{v}'"),
    Facet("account", "channel", "account", "a linked social account"),
    Facet("reposted", "channel", "reposted", "an account that reposted post {v}"),
    Facet("follows", "channel", "follows", "an account that follows {v}"),
)

#: name -> :class:`Facet`
FACET = {f.name: f for f in FACETS}
IDENTITY_FACETS = tuple(f.name for f in FACETS if f.role == "identity")
CHANNEL_FACETS = tuple(f.name for f in FACETS if f.role == "channel")
LOCATION_FACETS = tuple(f.name for f in FACETS if f.location)
#: Attribute families that say where a registrant is (postal, phone, IP). A cluster is not tested
#: on them alone: an organic surge reaches people from elsewhere (a news story travels), so its
#: places alone can differ from the quiet hours' as much as a campaign's; places count in the
#: test of all identity attributes together, and in a burst's crowd (:func:`.event.crowds`).
LOCATION_FAMILIES = frozenset(f.family for f in FACETS if f.location)
RARE_FACETS = tuple(f.name for f in FACETS if f.rare)
#: facet name -> attribute family
FAMILIES = {f.name: f.family for f in FACETS}


def facet(name: str) -> Facet:
    """The record of a facet; an undeclared facet is a programming error, never a silent default.

    >>> facet("referrer_host").role
    'channel'
    """
    try:
        return FACET[name]
    except KeyError:
        raise KeyError(f"facet {name!r} is not declared in detector/detection/facets.py") from None
