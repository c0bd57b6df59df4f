"""Named simulation scenarios: frozen dataclasses of parameters.

A :class:`Scenario` holds every knob of the simulator; :data:`SCENARIOS` maps a
name to one. :func:`resolve` turns a name (or a Scenario) plus keyword overrides
into the Scenario a run uses, rejecting unknown names.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import vocab

#: the registration attributes a campaign's members may differ in, in the order of ``CampaignSpec.odd``
ATTRIBUTES = ("name", "email", "phone", "postal_code", "ip", "user_agent", "referrer", "account")

__all__ = ["ATTRIBUTES", "SCENARIOS", "SURGE_KINDS", "TIME_STYLES", "CampaignSpec", "Locale", "Scenario", "Surge",
           "list_scenarios", "resolve"]


@dataclass(frozen=True)
class Surge:
    """An organic, uncoordinated surge of sign-ups.

    Parameters
    ----------
    kind : str
        ``"announcement"``, ``"viral_share"`` or ``"news_mention"``.
    platform : str
        Where it spreads: a key of :data:`~detector.simulation.vocab.PLATFORMS`, or ``"news"``.
    share : float
        Fraction of the organic registrations that come through this surge.
    days : tuple of float
        Window, in days after registration opens, in which the surge starts (drawn at an
        active local hour). ``(0, 0)`` starts it when registration opens.
    rise_minutes, decay_minutes : float
        Shape of the surge: intensity ``(1 - exp(-d/rise)) * exp(-d/decay)``, times the daily cycle.
    shift : float
        Share of its members whose referrer (and, for a fraction, browser) comes from ``platform``.
    event : int
        Index into ``Scenario.events`` of the event it is about.
    """

    kind: str
    platform: str
    share: float
    days: tuple[float, float] = (0.0, 0.0)
    rise_minutes: float = 15.0
    decay_minutes: float = 240.0
    shift: float = 0.3
    event: int = 0


@dataclass(frozen=True)
class CampaignSpec:
    """One coordinated campaign, spelled out (the ``random`` scenario draws these).

    When ``Scenario.campaign_specs`` is set, campaign ``c`` takes its size share, camouflage
    and burst shape from spec ``c - 1`` instead of the scenario-wide knobs (no jitter).

    Parameters
    ----------
    weight : float
        Share of the campaign registrations (the specs' weights are normalised).
    camouflage : float
        Chance each odd attribute of a member is drawn ordinary, in [0, 1].
    rise_minutes, decay_minutes : float
        Shape of the main burst (as for :class:`Surge`).
    n_reposts : int
        Exact number of repost sub-bursts (further waves); 0 = one wave.
    repost_share, tail_share : float
        Shares of members arriving through the sub-bursts and through the long tail.
    event : int
        Index into ``Scenario.events``.
    days : tuple of float
        Window, in days after registration opens, in which the trigger post goes up
        (``(-1, -1)``: the scenario's ``trigger_days``).
    odd : tuple of float
        How far the members differ in each attribute of :data:`ATTRIBUTES`: a member's value
        is odd with probability ``odd[a] * (1 - camouflage)``, so 0 means the campaign does
        not differ in that attribute at all; ``()`` means 1 for every attribute.
    """

    weight: float
    camouflage: float
    rise_minutes: float
    decay_minutes: float
    n_reposts: int = 0
    repost_share: float = 0.0
    tail_share: float = 0.0
    event: int = 0
    days: tuple[float, float] = (-1.0, -1.0)
    odd: tuple[float, ...] = ()


@dataclass(frozen=True)
class Locale:
    """A synthetic place and its people's writing habits (the ``random`` scenario draws these).

    When ``Scenario.locale`` is set, the vocabulary is synthesised from it (seeded by ``seed``)
    instead of being taken from the registries: the city, its postal codes, phone numbers,
    network prefixes and the mixing weights of every attribute generator (see
    :mod:`detector.simulation.synthetic`).

    Parameters
    ----------
    seed : int
        Seed of the synthetic values.
    timezone : str
        IANA time zone of the events.
    postal_format : str
        A key of :data:`detector.simulation.synthetic.POSTAL_FORMATS` (``"d5"``, ``"uk"``, ...).
    postal_codes : int
        Distinct local postal codes (10 to 100,000).
    postal_skew : float
        Zipf offset of their popularity (small = a few codes dominate).
    country : str
        The country profile the locale was drawn from (informational).
    phone_country : str
        Calling code without ``+``.
    phone_trunk : str
        National prefix written before the area code (``"0"``, or ``""``).
    phone_area_codes : int
        Local area codes; 0 = numbers without area codes.
    phone_area_len, phone_sub_len : int
        Digits of an area code and of the subscriber number.
    phone_formats : tuple of float
        Weights of the formats of :class:`~detector.simulation.vocab.PhonePlan`.
    isp_prefixes : int
        Regional network prefixes (/16); few = clustered addresses.
    ip_span : int
        Third octets used per prefix (1-256; small = clustered).
    mobile_ip : float
        Organic sign-ups from mobile carriers (shared CGNAT addresses).
    ipv6 : float
        Share of IPv6 among the mobile carriers' prefixes.
    platform_named_ua, platform_named_referrer : bool
        Whether the campaign platform's in-app browser and its referrers carry its name.
    habit_spread : float
        How far the attribute mixing weights are drawn from the defaults (0 = not at all).
    """

    seed: int = 0
    country: str = "us"
    timezone: str = "America/Chicago"
    postal_format: str = "d5"
    postal_codes: int = 50
    postal_skew: float = 6.0
    phone_country: str = "1"
    phone_trunk: str = ""
    phone_area_codes: int = 4
    phone_area_len: int = 3
    phone_sub_len: int = 7
    phone_formats: tuple[float, ...] = (0.05, 0.03, 0.0, 0.35, 0.3, 0.12, 0.1, 0.02, 0.03)
    isp_prefixes: int = 12
    ip_span: int = 256
    mobile_ip: float = 0.4
    ipv6: float = 0.1
    platform_named_ua: bool = True
    platform_named_referrer: bool = True
    habit_spread: float = 0.0


_TULSA_SURGES = (
    Surge("announcement", "twitter", 0.12, (0.0, 0.0), 10, 420, 0.25),
    Surge("viral_share", "facebook", 0.08, (1.0, 4.0), 20, 240, 0.5),
    Surge("news_mention", "news", 0.04, (4.0, 8.0), 15, 180, 0.4),
    Surge("viral_share", "twitter", 0.04, (5.0, 9.0), 10, 150, 0.4),
)


@dataclass(frozen=True)
class Scenario:
    """All parameters of one simulated registration period.

    Fields are grouped as: where and when (``region``, ``events``, ``window_days``), organic
    behaviour (``ramp``, ``diurnal``, ``surges``, ``family_share`` ...), campaigns
    (``n_campaigns``, ``campaign_share``, burst shape, ``camouflage`` ...), and vocabulary
    selection (``names``, ``email_style``, ``oddities``, ``platform``). Shares and rates are
    in [0, 1]. Construct with keywords; invalid values raise ``ValueError``.
    """

    name: str = "tulsa"
    description: str = "Tulsa rally, June 2020: large TikTok no-show campaigns and organic surges."
    # --- where and when
    region: str = "tulsa"
    events: tuple[tuple[str, str], ...] = (("tulsa-2020-06-20", "2020-06-20T19:00"),)  # id, local start
    event_shares: tuple[float, ...] = (1.0,)       # how organic sign-ups and campaigns split over events
    capacity: int = 19_199                          # seats, informational
    window_days: float = 10.0                       # registration opens this long before each event
    # --- organic behaviour
    ramp: float = 3.0               # background rate at the event / rate when registration opens
    diurnal: float = 0.85           # strength of the local daily cycle, 0 = flat
    surges: tuple[Surge, ...] = _TULSA_SURGES
    family_share: float = 0.12      # share of organic groups that are households of 2-4 sign-ups
    travel_share: float = 0.10      # organic supporters from outside the region
    organic_oddity: float = 0.01    # chance an organic attribute comes from the odd vocabulary
    organic_link_rate: float = 0.15  # share of organic sign-ups with a linked social account
    organic_post_rate: float = 0.05  # share of organic supporters posting about the event
    attend_organic: float = 0.62
    # --- coordinated campaigns
    platform: str = "tiktok"
    n_campaigns: int = 3
    campaign_share: float = 0.40    # share of all registrations made by campaign members
    size_concentration: float = 3.0  # Dirichlet concentration of campaign sizes (low = uneven)
    trigger_days: tuple[float, float] = (0.5, 5.5)
    trigger_hours: tuple[float, float] = (14.0, 24.0)  # local hours the trigger posts go up
    rise_minutes: float = 3.0
    decay_minutes: float = 50.0
    n_reposts: float = 4.0          # mean number of reposts / duets that each start a sub-burst
    repost_share: float = 0.25      # share of members arriving through sub-bursts
    repost_delay_hours: tuple[float, float] = (1.0, 36.0)
    tail_share: float = 0.20        # share of members arriving in the heavy-tailed long tail
    tail_hours: float = 4.0         # Lomax scale of the tail delays
    tail_alpha: float = 1.2         # Lomax shape (smaller = heavier tail)
    remote_diurnal: float = 0.3     # daily cycle of campaign audiences (spread over time zones)
    camouflage: float = 0.25        # chance each odd attribute of a member is drawn ordinary
    camouflage_jitter: float = 0.05  # spread of camouflage between campaigns
    multi_registration: float = 0.15  # chance a member signs up more than once
    member_link_rate: float = 0.6
    member_post_rate: float = 0.35
    member_follow_rate: float = 0.5
    amplifiers: float = 30.0        # mean number of a campaign's members who post in sync (copies, reposts)
    amplifier_delay_s: float = 20.0  # mean delay of an amplifier's post after the post it amplifies
    audience_ratio: float = 0.5     # non-registering reposters per posting member
    attend_campaign: float = 0.02
    # --- vocabulary selection
    names: str = "us_south"
    email_style: str = "classic"
    oddities: str = "kpop"
    noise_accounts: float = 0.2     # unrelated accounts per registration (posts, follows)
    # --- spelled-out campaigns, synthetic locale and output habits (the random scenario uses these)
    campaign_specs: tuple[CampaignSpec, ...] = ()   # one per campaign; () = drawn from the knobs above
    locale: Locale | None = None    # synthesise the vocabulary (region "synthetic") instead of the registries
    time_style: str = "local"       # how write() stamps times: local, utc, naive_utc, naive_local
    drop_columns: tuple[str, ...] = ()   # optional registration columns left out entirely
    blank: tuple[tuple[str, float], ...] = ()   # (column, share of its cells left empty)

    def __post_init__(self):
        _validate(self)

    def replace(self, **overrides) -> "Scenario":
        """A copy with ``overrides`` applied; unknown names raise ``ValueError``."""
        unknown = sorted(set(overrides) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ValueError(f"unknown scenario parameter(s): {', '.join(unknown)}")
        fixed = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v)
                 for k, v in overrides.items()}
        return dataclasses.replace(self, **fixed)


_RATES = ("diurnal", "family_share", "travel_share", "organic_oddity", "organic_link_rate", "organic_post_rate",
          "attend_organic", "campaign_share", "repost_share", "tail_share", "remote_diurnal", "camouflage",
          "camouflage_jitter", "multi_registration", "member_link_rate", "member_post_rate",
          "member_follow_rate", "attend_campaign")


SURGE_KINDS = ("announcement", "viral_share", "news_mention")
TIME_STYLES = ("local", "utc", "naive_utc", "naive_local")
#: Registration columns ``drop_columns`` and ``blank`` may name.
OPTIONAL_COLUMNS = ("account_id", "email", "phone", "name", "postal_code", "ip", "user_agent", "referrer")


def _validate(s: Scenario) -> None:
    try:
        _check(s)
    except TypeError as err:   # e.g. camouflage="high"
        raise ValueError(f"invalid scenario {s.name!r}: a parameter has the wrong type ({err})") from None


def _check(s: Scenario) -> None:
    bad = [f"{k}={getattr(s, k)!r} (must be in [0, 1])" for k in _RATES if not 0 <= getattr(s, k) <= 1]
    if len(s.events) < 1 or len(s.event_shares) != len(s.events):
        bad.append("events and event_shares must be non-empty and of equal length")
    if s.campaign_share > 0.95:
        bad.append("campaign_share must leave some organic registrations (<= 0.95)")
    if s.n_campaigns < 0 or (s.n_campaigns == 0) != (s.campaign_share == 0):
        bad.append("n_campaigns and campaign_share must both be zero or both positive")
    if s.repost_share + s.tail_share > 1:
        bad.append("repost_share + tail_share must be <= 1")
    if sum(g.share for g in s.surges) >= 1 or any(not 0 <= g.event < len(s.events) for g in s.surges):
        bad.append("surge shares must sum to < 1 and name existing events")
    synthetic_platform = s.locale is not None and s.platform not in vocab.PLATFORMS
    for g in s.surges:
        known = (g.platform in vocab.PLATFORMS or g.platform == "news"
                 or (synthetic_platform and g.platform == s.platform))
        if g.kind not in SURGE_KINDS or not known:
            bad.append(f"surge {g.kind!r} on {g.platform!r}: kind must be one of {SURGE_KINDS}, "
                       f"platform one of {sorted(vocab.PLATFORMS)} or 'news'")
        if not (g.rise_minutes > 0 and g.decay_minutes > 0 and 0 <= g.shift <= 1 and g.share >= 0):
            bad.append(f"surge {g.kind!r}: rise/decay must be > 0, shift in [0, 1], share >= 0")
    if not s.amplifiers >= 0:
        bad.append("amplifiers must be >= 0")
    for k in ("window_days", "ramp", "rise_minutes", "decay_minutes", "tail_hours", "tail_alpha",
              "size_concentration", "amplifier_delay_s"):
        if not getattr(s, k) > 0:
            bad.append(f"{k} must be > 0")
    for k, registry in (("region", vocab.REGIONS), ("names", vocab.NAMES), ("email_style", vocab.EMAIL_STYLES),
                        ("oddities", vocab.ODDITIES), ("platform", vocab.PLATFORMS)):
        value = getattr(s, k)
        if s.locale is not None and (value == "synthetic" or (k == "platform" and str(value).isalpha())):
            continue
        if value not in registry:
            bad.append(f"{k}={value!r} is not one of {sorted(registry)}" + (" (or 'synthetic' with a locale)"
                                                                            if k != "platform" else ""))
    if s.locale is None and "synthetic" in (s.region, s.names, s.email_style, s.oddities):
        bad.append("'synthetic' vocabularies need a locale")
    _check_specs(s, bad)
    if bad:
        raise ValueError(f"invalid scenario {s.name!r}: " + "; ".join(bad))


def _check_specs(s: Scenario, bad: list) -> None:
    if s.campaign_specs:
        if len(s.campaign_specs) != s.n_campaigns:
            bad.append("campaign_specs must hold one spec per campaign (n_campaigns)")
        for i, c in enumerate(s.campaign_specs, start=1):
            if not (c.weight > 0 and 0 <= c.camouflage <= 1 and c.rise_minutes > 0 and c.decay_minutes > 0
                    and c.n_reposts >= 0 and 0 <= c.repost_share and 0 <= c.tail_share
                    and c.repost_share + c.tail_share <= 1 and 0 <= c.event < len(s.events)):
                bad.append(f"campaign spec {i}: weight and rise/decay must be > 0, camouflage in [0, 1], "
                           "repost_share + tail_share <= 1, event an index of events")
            if c.odd and (len(c.odd) != len(ATTRIBUTES) or not all(0 <= x <= 1 for x in c.odd)):
                bad.append(f"campaign spec {i}: odd must hold {len(ATTRIBUTES)} degrees in [0, 1], one per attribute")
    if s.time_style not in TIME_STYLES:
        bad.append(f"time_style={s.time_style!r} is not one of {TIME_STYLES}")
    cols = list(s.drop_columns) + [c for c, _ in s.blank]
    if any(c not in OPTIONAL_COLUMNS for c in cols):
        bad.append(f"drop_columns and blank may only name {OPTIONAL_COLUMNS}")
    if any(not 0 <= r <= 1 for _, r in s.blank):
        bad.append("blank rates must be in [0, 1]")


_BASE = Scenario()

SCENARIOS: dict[str, Scenario] = {
    "tulsa": _BASE,
    "easy": _BASE.replace(
        name="easy", description="Two large, fast campaigns with little camouflage.",
        n_campaigns=2, campaign_share=0.30, size_concentration=5.0, rise_minutes=2.0, decay_minutes=25.0,
        n_reposts=2.0, repost_share=0.15, tail_share=0.10, tail_hours=2.0, tail_alpha=1.8, camouflage=0.1,
        multi_registration=0.2, member_link_rate=0.75, member_post_rate=0.5, member_follow_rate=0.6),
    "medium": _BASE.replace(
        name="medium", description="Three campaigns, some camouflage; an arena and an outdoor stage.",
        events=(("tulsa-2020-06-20", "2020-06-20T19:00"), ("tulsa-outdoor-2020-06-20", "2020-06-20T17:00")),
        event_shares=(0.8, 0.2), campaign_share=0.20, rise_minutes=6.0, decay_minutes=70.0, camouflage=0.3,
        multi_registration=0.12),
    "hard": _BASE.replace(
        name="hard", description="Six smaller, slow campaigns spread over hours, half camouflaged.",
        n_campaigns=6, campaign_share=0.15, size_concentration=1.5, trigger_days=(0.5, 8.0),
        trigger_hours=(10.0, 24.0), rise_minutes=45.0, decay_minutes=300.0, n_reposts=5.0, repost_share=0.3,
        repost_delay_hours=(2.0, 72.0), tail_share=0.35, tail_hours=10.0, tail_alpha=1.1, remote_diurnal=0.6,
        camouflage=0.5, camouflage_jitter=0.1, multi_registration=0.08, member_link_rate=0.4,
        member_post_rate=0.2, member_follow_rate=0.3, audience_ratio=1.0,
        surges=(Surge("announcement", "twitter", 0.12, (0.0, 0.0), 10, 420, 0.25),
                Surge("viral_share", "facebook", 0.08, (1.0, 4.0), 5, 60, 0.4),
                Surge("viral_share", "instagram", 0.04, (2.0, 7.0), 8, 90, 0.3),
                Surge("news_mention", "news", 0.04, (4.0, 8.0), 15, 180, 0.4),
                Surge("viral_share", "twitter", 0.05, (5.0, 9.0), 6, 80, 0.4))),
    "organic": _BASE.replace(
        name="organic", description="No campaign at all; organic surges, one of them sharp.",
        n_campaigns=0, campaign_share=0.0,
        surges=(Surge("announcement", "twitter", 0.12, (0.0, 0.0), 10, 420, 0.25),
                Surge("viral_share", "facebook", 0.10, (1.0, 4.0), 4, 45, 0.5),
                Surge("news_mention", "news", 0.05, (3.0, 7.0), 15, 180, 0.4),
                Surge("viral_share", "twitter", 0.05, (5.0, 9.0), 10, 150, 0.4))),
    "elsewhere": _BASE.replace(
        name="elsewhere", description="Phoenix, Instagram reels, other vocabularies, slower bursts, two events.",
        region="phoenix", names="us_southwest", email_style="modern", oddities="stans", platform="instagram",
        events=(("phx-2020-06-23", "2020-06-23T13:00"), ("mesa-2020-06-26", "2020-06-26T18:30")),
        event_shares=(0.7, 0.3), capacity=3_000, window_days=8.0, ramp=2.0, diurnal=0.7,
        campaign_share=0.25, trigger_days=(0.3, 5.0), trigger_hours=(11.0, 22.0), rise_minutes=30.0,
        decay_minutes=150.0, n_reposts=3.0, repost_share=0.2, tail_share=0.3, tail_hours=6.0,
        tail_alpha=1.5, camouflage=0.3, multi_registration=0.1, family_share=0.18, travel_share=0.06,
        attend_organic=0.58, attend_campaign=0.03,
        surges=(Surge("announcement", "twitter", 0.10, (0.0, 0.0), 20, 600, 0.2),
                Surge("announcement", "twitter", 0.04, (0.0, 0.0), 20, 600, 0.2, event=1),
                Surge("viral_share", "twitter", 0.06, (1.0, 5.0), 25, 300, 0.45),
                Surge("news_mention", "news", 0.05, (2.0, 6.0), 30, 240, 0.4))),
}


def list_scenarios() -> list[str]:
    """Names of the predefined scenarios, in definition order.

    Examples
    --------
    >>> list_scenarios()[:3]
    ['tulsa', 'easy', 'medium']
    """
    return list(SCENARIOS)


def resolve(scenario: "str | Scenario" = "tulsa", **overrides) -> Scenario:
    """The scenario named ``scenario`` (or given) with ``overrides`` applied.

    Raises
    ------
    ValueError
        For an unknown scenario name, an unknown parameter name, or an invalid value.
    """
    if isinstance(scenario, Scenario):
        base = scenario
    elif scenario in SCENARIOS:
        base = SCENARIOS[scenario]
    else:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {list_scenarios()}")
    return base.replace(**overrides) if overrides else base

